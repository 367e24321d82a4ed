"""NOT Django's management: `runserver [addr:port] [--noreload] ...`, `check`, `collectstatic` and
`migrate` (an SQLite database only: it is created with Django's migration table, so a directory the
process cannot write fails as it does in Django; the stand-in has no migrations to apply).

runserver is the development server: its autoreloader (on unless --noreload) makes the process
exit 0 on SIGTERM; with --noreload nothing handles SIGTERM, as in Django."""
import os
import sys


def execute_from_command_line(argv=None):
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else "help"
    if command not in ("runserver", "check", "collectstatic", "migrate"):
        print(f"django (stand-in): `{command}` is not stood in for (runserver, check, collectstatic and migrate are)", file=sys.stderr)
        sys.exit(1)
    from django.conf import settings

    settings._load()
    if command == "check":
        print("System check identified no issues (0 silenced).")
        return
    if command == "collectstatic":
        _collectstatic(settings, argv[2:])
        return
    if command == "migrate":
        _migrate(settings, argv[2:])
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


def _collectstatic(settings, args):
    """Copies STATICFILES_DIRS and each installed app's `static` directory into STATIC_ROOT, failing
    where Django does: without the staticfiles app, without STATIC_ROOT, on an app it cannot import."""
    import importlib.util
    import shutil

    from django.core.exceptions import ImproperlyConfigured

    unknown = {a for a in args if a.startswith("-")} - {"--noinput", "--no-input", "--clear", "-c"}
    if unknown:
        print(f"manage.py collectstatic: error: unrecognized arguments: {' '.join(sorted(unknown))}", file=sys.stderr)
        sys.exit(2)
    apps = list(getattr(settings, "INSTALLED_APPS", []))
    if "django.contrib.staticfiles" not in apps:
        print("Unknown command: 'collectstatic'", file=sys.stderr)
        sys.exit(1)
    root = getattr(settings, "STATIC_ROOT", None)
    if not root:
        raise ImproperlyConfigured(
            "You're using the staticfiles app without having set the STATIC_ROOT setting to a filesystem path."
        )
    sources = [str(d) for d in getattr(settings, "STATICFILES_DIRS", [])]
    for app in apps:
        if app.startswith("django."):
            continue
        spec = importlib.util.find_spec(app)
        if spec is None:
            raise ModuleNotFoundError(f"No module named '{app}'")
        sources += [os.path.join(p, "static") for p in spec.submodule_search_locations or []]
    copied = 0
    for source in sources:
        for folder, _, names in os.walk(source):
            for name in names:
                path = os.path.join(folder, name)
                dest = os.path.join(str(root), os.path.relpath(path, source))
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                shutil.copy2(path, dest)
                copied += 1
    print(f"\n{copied} static file{'' if copied == 1 else 's'} copied to '{root}'.")


def _migrate(settings, args):
    import sqlite3

    unknown = {a for a in args if a.startswith("-")} - {"--noinput", "--no-input"}
    if unknown or [a for a in args if not a.startswith("-")]:
        print(f"django (stand-in): migrate {' '.join(args)}: only `migrate [--noinput]` is stood in for", file=sys.stderr)
        sys.exit(2)
    database = getattr(settings, "DATABASES", {}).get("default", {})
    if database.get("ENGINE") != "django.db.backends.sqlite3":
        print(f"django (stand-in): migrate on {database.get('ENGINE')} is not stood in for (SQLite is)", file=sys.stderr)
        sys.exit(1)
    connection = sqlite3.connect(str(database["NAME"]))
    connection.execute(
        "CREATE TABLE IF NOT EXISTS django_migrations "
        "(id integer PRIMARY KEY AUTOINCREMENT, app varchar(255), name varchar(255), applied datetime)"
    )
    connection.commit()
    connection.close()
    print("Operations to perform:\n  Apply all migrations: (none)\nRunning migrations:\n  No migrations to apply.")
