"""NOT Streamlit: `streamlit run FILE [--section.option value ...]` serving the health endpoint
(`/_stcore/health`, `/healthz`: "ok") and a page on the configured address and port (also
read from STREAMLIT_SERVER_PORT/ADDRESS). SIGTERM stops it with exit code 0, as Streamlit's
own handler does. The script must exist, but is not run: sessions are what run it."""
import os
import sys

from _stand_in_servers import serve_wsgi


def page(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    body = b"ok" if path in ("/_stcore/health", "/healthz") else b"<!doctype html><title>Streamlit</title>"
    start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(body)))])
    return [body]


def main():
    args = sys.argv[1:]
    if not args or args[0] not in ("run", "hello", "version"):
        print("Usage: streamlit [OPTIONS] COMMAND [ARGS]...  (the stand-in has run)", file=sys.stderr)
        return 2
    if args[0] == "version":
        print("Streamlit, version 1.41.1+stand.in")
        return 0
    options, positional, rest = {}, [], args[1:]
    while rest:
        arg = rest.pop(0)
        if arg.startswith("--") and "." in arg:
            name, eq, value = arg[2:].partition("=")
            options[name] = value if eq else rest.pop(0)
        elif arg.startswith("-"):
            print(f"Error: No such option: {arg}", file=sys.stderr)
            return 2
        else:
            positional.append(arg)
    if not positional:
        print("Error: Missing argument 'TARGET'.", file=sys.stderr)
        return 2
    if not os.path.exists(positional[0]):
        print(f"Error: Invalid value: File does not exist: {positional[0]}", file=sys.stderr)
        return 2
    port = int(options.get("server.port", os.environ.get("STREAMLIT_SERVER_PORT", 8501)))
    host = options.get("server.address", os.environ.get("STREAMLIT_SERVER_ADDRESS", "0.0.0.0"))
    serve_wsgi(
        page,
        host,
        port,
        f"\n  You can now view your Streamlit app in your browser.\n\n  URL: http://{host}:{port}\n",
        stop_on_sigterm=True,
        stopping="  Stopping...",
    )
    return 0
