import importlib
import os
import signal
import sys
import time


def main():
    args = sys.argv[1:]
    target = None
    while args and args[0].startswith("-"):
        name, eq, value = args.pop(0).partition("=")
        if name in ("-A", "--app"):
            target = value if eq else args.pop(0)
        elif name in ("-b", "--broker", "--result-backend", "--config", "--workdir"):
            value if eq else args.pop(0)
        else:
            print(f"Error: No such option: {name}", file=sys.stderr)
            return 2
    if not args or args[0] not in ("worker", "beat"):
        print("celery (stand-in): worker and beat are stood in for", file=sys.stderr)
        return 2
    if target is None:
        print("Error: Invalid value for '-A' / '--app': no app given", file=sys.stderr)
        return 2
    from celery import Celery

    sys.path.insert(0, os.getcwd())
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        print(f"Error: Invalid value for '-A' / '--app': Unable to load celery application. The module {e.name} was not found.", file=sys.stderr)
        return 2
    app = getattr(module, attr) if attr else next(
        (v for k, v in vars(module).items() if isinstance(v, Celery)), None
    )
    if app is None:
        print(f"Error: Invalid value for '-A' / '--app': Unable to load celery application. Module '{module_name}' has no attribute 'celery'", file=sys.stderr)
        return 2
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append("warm shutdown"))
    print(f"celery@{os.uname().nodename} v5.4.0+stand.in: {len(app.tasks)} task(s), broker {app.conf['broker_url']} (not reached by the stand-in)", flush=True)
    print(f"celery@{os.uname().nodename} ready.", flush=True)
    while not stop:
        time.sleep(0.5)
    print("worker: Warm shutdown (MainProcess)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
