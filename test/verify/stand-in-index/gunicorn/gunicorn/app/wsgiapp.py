"""NOT gunicorn: `gunicorn [OPTIONS] APP_MODULE` serving the WSGI app (or an ASGI app with
`-k uvicorn.workers.UvicornWorker`) in one process. SIGTERM is a graceful stop: exit 0.
Unknown options are refused as gunicorn's argparse refuses them."""
import argparse
import os
import sys

from _stand_in_servers import import_from_string, serve_asgi, serve_wsgi, split_host_port


def parser():
    p = argparse.ArgumentParser(prog="gunicorn", usage="%(prog)s [OPTIONS] [APP_MODULE]")
    p.add_argument("-b", "--bind", action="append")
    p.add_argument("-w", "--workers")
    p.add_argument("-k", "--worker-class", default="sync")
    p.add_argument("-c", "--config")
    p.add_argument("-e", "--env", action="append", default=[])
    p.add_argument("--chdir")
    p.add_argument("--pythonpath")
    p.add_argument("-n", "--name")
    for valued in ("--threads", "--timeout", "-t", "--graceful-timeout", "--keep-alive",
                   "--access-logfile", "--error-logfile", "--log-file", "--log-level",
                   "--access-logformat", "--max-requests", "--max-requests-jitter",
                   "--worker-connections", "--worker-tmp-dir", "--forwarded-allow-ips",
                   "--user", "-u", "--group", "-g", "--umask", "-m", "--backlog",
                   "--limit-request-line", "--limit-request-fields", "--proxy-allow-from",
                   "--statsd-host", "--statsd-prefix", "--log-config", "--capture-output-file"):
        p.add_argument(valued)
    for flag in ("--reload", "--preload", "--capture-output", "--daemon", "-D",
                 "--proxy-protocol", "--check-config", "--print-config", "--no-sendfile",
                 "--reuse-port", "--enable-stdio-inheritance", "--strip-header-spaces"):
        p.add_argument(flag, action="store_true")
    p.add_argument("app", nargs="?")
    return p


def run():
    args = parser().parse_args()
    if args.chdir:
        os.chdir(args.chdir)
    sys.path.insert(0, os.getcwd())
    if args.pythonpath:
        sys.path[0:0] = args.pythonpath.split(",")
    for pair in args.env:
        key, _, value = pair.partition("=")
        os.environ[key] = value
    if args.config or os.path.exists("gunicorn.conf.py"):
        print("gunicorn (stand-in): configuration files are not stood in for", file=sys.stderr)
        return 2
    if not args.app:
        print("Error: No application module specified.", file=sys.stderr)
        return 1
    host, port = split_host_port((args.bind or ["127.0.0.1:8000"])[0], 8000)
    try:
        app = import_from_string(args.app if ":" in args.app else f"{args.app}:application")
    except (ImportError, AttributeError) as e:
        print(f"Failed to find attribute / import module: {e}", file=sys.stderr)
        print("[ERROR] Worker failed to boot.", file=sys.stderr)
        return 3
    started = f"[INFO] Starting gunicorn 23.0.0+stand.in\n[INFO] Listening at: http://{host}:{port} ({os.getpid()})"
    if "uvicorn" in args.worker_class.lower():
        serve_asgi(app, host, port, started, "[INFO] Shutting down: Master")
    else:
        serve_wsgi(app, host, port, started, stop_on_sigterm=True, stopping="[INFO] Shutting down: Master")
    return 0
