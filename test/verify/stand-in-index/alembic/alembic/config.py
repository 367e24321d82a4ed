"""NOT Alembic: `alembic [-c FILE] upgrade|current|... ` reads the configuration and checks the
migration environment as Alembic does before it connects, then stops: the tests have no
database, so nothing is migrated (and it says so)."""
import configparser
import os
import sys


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    config = "alembic.ini"
    while args and args[0].startswith("-"):
        name, eq, value = args.pop(0).partition("=")
        if name in ("-c", "--config"):
            config = value if eq else args.pop(0)
        elif name in ("-n", "--name", "-x"):
            value if eq else args.pop(0)
        elif name not in ("--raiseerr", "-q", "--quiet"):
            print(f"alembic: error: unrecognized arguments: {name}", file=sys.stderr)
            sys.exit(2)
    parser = configparser.ConfigParser()
    if not parser.read(config) or not parser.has_section("alembic"):
        print(f"FAILED: No config file '{config}' found, or file has no '[alembic]' section", file=sys.stderr)
        sys.exit(1)
    location = parser.get("alembic", "script_location", fallback=None)
    if location is None:
        print("FAILED: No 'script_location' key found in configuration.", file=sys.stderr)
        sys.exit(1)
    if not os.path.exists(os.path.join(location, "env.py")):
        print(f"FAILED: Path doesn't exist: {os.path.abspath(location)}.  Please use the 'init' command to create a new scripts folder.", file=sys.stderr)
        sys.exit(1)
    command = " ".join(args) or "(none)"
    print(f"alembic (stand-in): `{command}` checked; no database in the tests, nothing migrated", flush=True)
