"""NOT the Flask CLI: `flask [--app X] [--debug] run [--host] [--port] ...`.

Werkzeug's development server: its reloader (on in debug mode, `--debug` or FLASK_DEBUG, or with
`--reload`) makes the process exit 0 on SIGTERM; without it nothing handles SIGTERM, so as PID 1 it is ignored (the
container is killed after the stop timeout), as with the real one.
"""
import importlib
import os
import sys


def fail(message):
    print(f"Usage: flask [OPTIONS] COMMAND [ARGS]...\nTry 'flask --help' for help.\n\nError: {message}", file=sys.stderr)
    sys.exit(2)


def serve(app, host, port, debug, reload=None):
    from _stand_in_servers import serve_wsgi

    print(f" * Serving Flask app '{app.import_name}'", file=sys.stderr)
    print(f" * Debug mode: {'on' if debug else 'off'}", file=sys.stderr)
    print(
        "WARNING: This is a development server. Do not use it in a production deployment.",
        file=sys.stderr,
    )
    reloader = debug if reload is None else reload
    serve_wsgi(app, host, port, f" * Running on http://{host}:{port}", stop_on_sigterm=reloader)


def locate(spec):
    from flask import Flask

    sys.path.insert(0, os.getcwd())
    if spec is None:
        spec = next((m for m in ("wsgi", "app") if os.path.exists(f"{m}.py")), None)
        if spec is None:
            print(
                "Error: Could not locate a Flask application. Use the 'flask --app' option, "
                "'FLASK_APP' environment variable, or a 'wsgi.py' or 'app.py' file in the current directory.",
                file=sys.stderr,
            )
            sys.exit(2)
    module_name, _, attr = spec.partition(":")
    if module_name.endswith(".py"):
        module_name = module_name[:-3].replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name != module_name:
            raise
        print(f"Error: Could not import '{module_name}'.", file=sys.stderr)
        sys.exit(2)
    if attr:
        return getattr(module, attr.rstrip("()"))() if attr.endswith(")") else getattr(module, attr)
    for name in ("app", "application"):
        if isinstance(getattr(module, name, None), Flask):
            return getattr(module, name)
    for name in ("create_app", "make_app"):
        if callable(getattr(module, name, None)):
            return getattr(module, name)()
    print(f"Error: Failed to find Flask application or factory in module '{module_name}'.", file=sys.stderr)
    sys.exit(2)


def main():
    args = sys.argv[1:]
    spec = os.environ.get("FLASK_APP")
    debug = os.environ.get("FLASK_DEBUG", "").lower() not in ("", "0", "false", "no")
    while args and args[0].startswith("-"):
        name, eq, value = args.pop(0).partition("=")
        if name in ("--app", "-A"):
            spec = value if eq else args.pop(0)
        elif name == "--debug":
            debug = True
        elif name == "--no-debug":
            debug = False
        elif name in ("-e", "--env-file"):
            value if eq else args.pop(0)
        else:
            fail(f"No such option: {name}")
    if not args:
        fail("Missing command.")
    if args[0] != "run":
        fail(f"No such command '{args[0]}'. (the stand-in has run)")
    args.pop(0)
    host, port, reload = "127.0.0.1", 5000, None
    while args:
        name, eq, value = args.pop(0).partition("=")
        if name in ("--host", "-h", "--port", "-p", "--cert", "--key", "--extra-files", "--exclude-patterns"):
            value = value if eq else args.pop(0)
            if name in ("--host", "-h"):
                host = value
            elif name in ("--port", "-p"):
                port = int(value)
        elif name == "--debug":
            debug = True
        elif name in ("--reload", "--no-reload"):
            reload = name == "--reload"
        elif name in ("--debugger", "--no-debugger", "--with-threads", "--without-threads"):
            pass
        else:
            fail(f"No such option: {name}")
    serve(locate(spec), host, port, debug, reload)
    return 0
