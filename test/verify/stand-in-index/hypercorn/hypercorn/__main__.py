"""NOT Hypercorn: `hypercorn [options] APPLICATION` serving the ASGI app; SIGTERM stops it
with exit code 0, as Hypercorn's shutdown trigger does. Unknown options are refused."""
import argparse
import os
import sys

from _stand_in_servers import import_from_string, serve_asgi, split_host_port


def main():
    p = argparse.ArgumentParser(prog="hypercorn")
    p.add_argument("application")
    p.add_argument("-b", "--bind", action="append")
    for valued in ("-w", "--workers", "-k", "--worker-class", "-c", "--config", "--access-logfile",
                   "--error-logfile", "--log-file", "--log-level", "--log-config", "--keep-alive",
                   "--graceful-timeout", "--root-path", "--certfile", "--keyfile", "--ca-certs",
                   "--ciphers", "--backlog", "--access-logformat", "--server-name", "--insecure-bind",
                   "--quic-bind", "--max-requests", "--max-requests-jitter", "-g", "--group",
                   "-u", "--user", "-m", "--umask", "--pid", "--read-timeout", "--statsd-host",
                   "--statsd-prefix", "-p", "--verify-mode", "--websocket-ping-interval"):
        p.add_argument(valued)
    for flag in ("--reload", "--debug"):
        p.add_argument(flag, action="store_true")
    args = p.parse_args()
    sys.path.insert(0, os.getcwd())
    target = args.application if ":" in args.application else f"{args.application}:app"
    app = import_from_string(target)
    host, port = split_host_port((args.bind or ["127.0.0.1:8000"])[0], 8000)
    serve_asgi(app, host, port, f"[INFO] Running on http://{host}:{port} (CTRL + C to quit)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
