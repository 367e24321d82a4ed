"""NOT the FastAPI CLI: `fastapi run|dev [PATH] [--host] [--port] [--app] ...`, served by the
(stand-in) uvicorn. Like the real one it needs `fastapi[standard]`, and it imports PATH as the
module it is in its package (`app/main.py` with `app/__init__.py` is `app.main`)."""
import os
import sys

VALUED = {"--host", "--port", "--app", "--workers", "--root-path", "--entrypoint", "-e"}
FLAGS = {"--reload", "--no-reload", "--proxy-headers", "--no-proxy-headers", "--help"}
DEFAULT_PATHS = ["main.py", "app.py", "api.py", "app/main.py", "app/app.py", "app/api.py"]


def fail(message, code=1):
    print(f"Error: {message}", file=sys.stderr)
    sys.exit(code)


def module_of(path):
    path = os.path.abspath(path)
    parts = [os.path.splitext(os.path.basename(path))[0]]
    if parts[0] == "__init__":
        parts = []
    directory = os.path.dirname(path)
    while os.path.exists(os.path.join(directory, "__init__.py")):
        parts.insert(0, os.path.basename(directory))
        directory = os.path.dirname(directory)
    return directory, ".".join(parts)


def main():
    try:
        import fastapi_cli  # noqa: F401
        import uvicorn
    except ImportError:
        fail('To use the fastapi command, please install "fastapi[standard]":\n\n\tpip install "fastapi[standard]"\n')
    args = sys.argv[1:]
    if not args or args[0] not in ("run", "dev"):
        fail("Usage: fastapi [OPTIONS] COMMAND [ARGS]...  (the stand-in has run and dev)", 2)
    command, rest = args[0], args[1:]
    options, positional, i = {}, [], 0
    while i < len(rest):
        name, eq, value = rest[i].partition("=")
        if name in VALUED:
            if not eq:
                i += 1
                value = rest[i]
            options[name] = value
        elif name in FLAGS:
            options[name] = True
        elif name.startswith("-"):
            fail(f"No such option: {name}", 2)
        else:
            positional.append(rest[i])
        i += 1
    path = positional[0] if positional else next((p for p in DEFAULT_PATHS if os.path.exists(p)), None)
    if path is None or not os.path.exists(path):
        fail(f"Path does not exist {path or 'main.py'}")
    root, module = module_of(path)
    sys.path.insert(0, root)
    __import__(module)
    namespace = sys.modules[module]
    from fastapi import FastAPI

    name = options.get("--app")
    if name is None:
        name = next((n for n in ("app", "api") if isinstance(getattr(namespace, n, None), FastAPI)), None)
        name = name or next((n for n, v in vars(namespace).items() if isinstance(v, FastAPI)), None)
    if name is None or not isinstance(getattr(namespace, name, None), FastAPI):
        fail("Could not find FastAPI app in module, try using --app")
    host = options.get("--host", "0.0.0.0" if command == "run" else "127.0.0.1")
    uvicorn.run(getattr(namespace, name), host=host, port=int(options.get("--port", 8000)))
    return 0
