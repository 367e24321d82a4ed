"""NOT Granian: `granian [OPTIONS] APP` with `--interface asgi|wsgi` (the default, rsgi, is not
stood in for and is refused); SIGTERM stops it with exit code 0. Unknown options are refused."""
import os
import sys

from _stand_in_servers import import_from_string, serve_asgi, serve_wsgi

VALUED = {
    "--interface", "--host", "--port", "--workers", "--threads", "--blocking-threads",
    "--runtime-threads", "--runtime-mode", "--loop", "--task-impl", "--http", "--backlog",
    "--backpressure", "--log-level", "--log-config", "--access-log-fmt", "--ssl-keyfile",
    "--ssl-certificate", "--ssl-keyfile-password", "--url-path-prefix", "--respawn-interval",
    "--workers-lifetime", "--workers-kill-timeout", "--reload-paths", "--reload-ignore-dirs",
    "--reload-ignore-patterns", "--reload-ignore-paths", "--process-name", "--pid-file",
    "--working-dir", "--env-files", "--static-path-route", "--static-path-mount",
}
FLAGS = {
    "--ws", "--no-ws", "--log", "--no-log", "--log-access", "--no-log-access", "--opt",
    "--no-opt", "--respawn-failed-workers", "--no-respawn-failed-workers", "--reload",
    "--no-reload", "--factory", "--no-factory", "--version",
}


def entrypoint():
    args, options, positional = sys.argv[1:], {}, []
    while args:
        name, eq, value = args.pop(0).partition("=")
        if name in VALUED:
            options[name] = value if eq else args.pop(0)
        elif name in FLAGS:
            options[name] = True
        elif name.startswith("-"):
            print(f"Error: No such option: {name}", file=sys.stderr)
            sys.exit(2)
        else:
            positional.append(name)
    if len(positional) != 1:
        print("Error: Missing argument 'APP'.", file=sys.stderr)
        sys.exit(2)
    os.chdir(options.get("--working-dir", "."))
    sys.path.insert(0, os.getcwd())
    interface = options.get("--interface", "rsgi")
    if interface not in ("asgi", "asginl", "wsgi"):
        print(f"granian (stand-in): the {interface} interface is not stood in for", file=sys.stderr)
        sys.exit(2)
    app = import_from_string(positional[0] if ":" in positional[0] else f"{positional[0]}:app")
    host, port = options.get("--host", "127.0.0.1"), int(options.get("--port", 8000))
    started = f"[INFO] Starting granian (main PID: {os.getpid()})\n[INFO] Listening at: http://{host}:{port}"
    if interface == "wsgi":
        serve_wsgi(app, host, port, started, stop_on_sigterm=True)
    else:
        serve_asgi(app, host, port, started, "[INFO] Shutting down granian")
