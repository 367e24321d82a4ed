"""NOT Django's management: `runserver [addr:port] [--noreload] ...` and `check`.

runserver is the development server: its autoreloader (on unless --noreload) makes the process
exit 0 on SIGTERM; with --noreload nothing handles SIGTERM, as in Django."""
import os
import sys


def execute_from_command_line(argv=None):
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else "help"
    if command not in ("runserver", "check"):
        print(f"django (stand-in): `{command}` is not stood in for (runserver and check are)", file=sys.stderr)
        sys.exit(1)
    from django.conf import settings

    settings._load()
    if command == "check":
        print("System check identified no issues (0 silenced).")
        return
    args = argv[2:]
    flags = {a for a in args if a.startswith("-")}
    unknown = flags - {"--noreload", "--nothreading", "--insecure", "--nostatic", "--ipv6", "-6", "--skip-checks"}
    if unknown:
        print(f"manage.py runserver: error: unrecognized arguments: {' '.join(sorted(unknown))}", file=sys.stderr)
        sys.exit(2)
    if not getattr(settings, "DEBUG", False) and not getattr(settings, "ALLOWED_HOSTS", []):
        print("CommandError: You must set settings.ALLOWED_HOSTS if DEBUG is False.", file=sys.stderr)
        sys.exit(1)
    from _stand_in_servers import serve_wsgi, split_host_port
    from django.core.wsgi import get_wsgi_application

    positional = [a for a in args if not a.startswith("-")]
    host, port = split_host_port(positional[0] if positional else "127.0.0.1:8000", 8000)
    serve_wsgi(
        get_wsgi_application(),
        host,
        port,
        f"Starting development server at http://{host}:{port}/\nQuit the server with CONTROL-C.",
        stop_on_sigterm="--noreload" not in flags,
    )
