"""NOT Typer: the stand-in of the tests. Options come from the command function's keyword
parameters (`port: int = 9000` is `--port`). As in Typer, an app with a single command and no
callback runs that command directly: its name is not a subcommand there."""
import inspect
import sys

__version__ = "0.15.1+stand.in"


def Option(default=None, *_names, **_options):
    return default


Argument = Option


class Exit(Exception):
    def __init__(self, code=0):
        self.exit_code = code


class Typer:
    def __init__(self, **_options):
        self.commands = {}
        self.callback_fn = None

    def command(self, name=None, **_options):
        def register(fn):
            self.commands[name or fn.__name__.replace("_", "-")] = fn
            return fn

        return register

    def callback(self, **_options):
        def register(fn):
            self.callback_fn = fn
            return fn

        return register

    def __call__(self, args=None):
        args = list(sys.argv[1:] if args is None else args)
        if len(self.commands) == 1 and self.callback_fn is None:
            fn = next(iter(self.commands.values()))
        else:
            if not args or args[0] not in self.commands:
                _usage(f"No such command '{args[0]}'." if args else "Missing command.")
            fn = self.commands[args.pop(0)]
        try:
            fn(**_parse(fn, args))
        except Exit as e:
            sys.exit(e.exit_code)
        sys.exit(0)


def _usage(message):
    print(f"Usage: [OPTIONS] COMMAND [ARGS]...\nTry '--help' for help.\n\nError: {message}", file=sys.stderr)
    sys.exit(2)


def _parse(fn, args):
    params = inspect.signature(fn).parameters
    values = {}
    while args:
        arg = args.pop(0)
        name, eq, value = arg.partition("=")
        key = name[2:].replace("-", "_") if name.startswith("--") else None
        if key not in params:
            _usage(f"No such option: {name}" if name.startswith("-") else f"Got unexpected extra argument ({arg})")
        kind = params[key].annotation
        if kind is bool:
            values[key] = True
            continue
        value = value if eq else args.pop(0)
        values[key] = kind(value) if kind in (int, float) else value
    return values


def run(fn):
    app = Typer()
    app.command()(fn)
    app()
