"""NOT uvicorn: `uvicorn APP [options]` and `uvicorn.run(app, host=, port=)` serving HTTP.

Unknown options are refused as click refuses them; every real option is accepted (most do
nothing here). SIGTERM stops the server with exit code 0, as uvicorn does.
"""
import os
import sys

from _stand_in_servers import import_from_string, serve_asgi

# uvicorn 0.34's options: those that take a value, then the flags.
VALUED = {
    "--host", "--port", "--uds", "--fd", "--reload-dir", "--reload-include", "--reload-exclude",
    "--reload-delay", "--workers", "--loop", "--http", "--ws", "--ws-max-size", "--ws-max-queue",
    "--ws-ping-interval", "--ws-ping-timeout", "--ws-per-message-deflate", "--lifespan",
    "--interface", "--env-file", "--log-config", "--log-level", "--forwarded-allow-ips",
    "--root-path", "--limit-concurrency", "--backlog", "--limit-max-requests",
    "--timeout-keep-alive", "--timeout-graceful-shutdown", "--ssl-keyfile", "--ssl-certfile",
    "--ssl-keyfile-password", "--ssl-version", "--ssl-cert-reqs", "--ssl-ca-certs",
    "--ssl-ciphers", "--header", "--app-dir", "--h11-max-incomplete-event-size",
}
FLAGS = {
    "--reload", "--access-log", "--no-access-log", "--use-colors", "--no-use-colors",
    "--proxy-headers", "--no-proxy-headers", "--server-header", "--no-server-header",
    "--date-header", "--no-date-header", "--factory", "--version", "--help",
}


def usage_error(message):
    print("Usage: uvicorn [OPTIONS] APP\nTry 'uvicorn --help' for help.\n", file=sys.stderr)
    print(f"Error: {message}", file=sys.stderr)
    sys.exit(2)


def load(app, factory=False):
    if not isinstance(app, str):
        return app
    try:
        loaded = import_from_string(app)
    except ValueError as e:
        print(f"ERROR:    Error loading ASGI app. {e}", file=sys.stderr)
        sys.exit(1)
    except ModuleNotFoundError as e:
        module = app.partition(":")[0]
        if e.name != module and not module.startswith(f"{e.name}."):
            raise
        print(f'ERROR:    Error loading ASGI app. Could not import module "{module}".', file=sys.stderr)
        sys.exit(1)
    except AttributeError:
        module, _, attr = app.partition(":")
        print(f'ERROR:    Error loading ASGI app. Attribute "{attr}" not found in module "{module}".', file=sys.stderr)
        sys.exit(1)
    return loaded() if factory else loaded


def run(app, host="127.0.0.1", port=8000, factory=False, **_options):
    served = load(app, factory)
    print(f"INFO:     Started server process [{os.getpid()}]", file=sys.stderr, flush=True)
    serve_asgi(
        served,
        host,
        int(port),
        f"INFO:     Uvicorn running on http://{host}:{port} (Press CTRL+C to quit)",
        "INFO:     Shutting down\nINFO:     Finished server process [%d]" % os.getpid(),
    )


def main():
    args = sys.argv[1:]
    options = {}
    positional = []
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, value = arg.partition("=")
        if name in VALUED:
            if not eq:
                i += 1
                if i >= len(args):
                    usage_error(f"Option '{name}' requires an argument.")
                value = args[i]
            options[name] = value
        elif arg in FLAGS:
            options[arg] = True
        elif arg.startswith("-") and arg != "-":
            usage_error(f"No such option: {name}")
        else:
            positional.append(arg)
        i += 1
    if "--version" in options:
        print("Running uvicorn 0.34.0+stand.in with CPython on Linux")
        return 0
    if not positional:
        usage_error("Missing argument 'APP'.")
    if len(positional) > 1:
        usage_error(f"Got unexpected extra argument ({positional[1]})")
    sys.path.insert(0, options.get("--app-dir", "."))
    run(
        positional[0],
        host=options.get("--host", "127.0.0.1"),
        port=int(options.get("--port", 8000)),
        factory="--factory" in options,
    )
    return 0
