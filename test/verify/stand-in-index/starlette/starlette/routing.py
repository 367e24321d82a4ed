"""NOT Starlette: `Route` (path parameters with the str, int, float and path converters),
`Mount` and the `Router` that dispatches to them: 404 for no path, 405 for another method."""
import inspect
import re

from starlette.requests import Request
from starlette.responses import PlainTextResponse

CONVERTERS = {
    "str": ("[^/]+", str),
    "int": ("[0-9]+", int),
    "float": (r"[0-9]+(?:\.[0-9]+)?", float),
    "path": (".*", str),
}


def compile_path(path):
    """The regex of a route's path, and the converter of each parameter."""
    pattern, convert, end = "^", {}, 0
    for m in re.finditer(r"{([a-zA-Z_]\w*)(?::(\w+))?}", path):
        kind = m.group(2) or "str"
        if kind not in CONVERTERS:
            raise AssertionError(f"Unknown path convertor '{kind}'")
        regex, convert[m.group(1)] = CONVERTERS[kind]
        pattern += re.escape(path[end : m.start()]) + f"(?P<{m.group(1)}>{regex})"
        end = m.end()
    return re.compile(pattern + re.escape(path[end:]) + "$"), convert


class Route:
    def __init__(self, path, endpoint, *, methods=None, name=None, include_in_schema=True):
        self.path = path
        self.endpoint = endpoint
        self.name = name or getattr(endpoint, "__name__", None)
        self.methods = {m.upper() for m in methods or ("GET",)}
        if "GET" in self.methods:
            self.methods.add("HEAD")
        self.regex, self.convert = compile_path(path)

    def match(self, scope):
        """None, or the path parameters and whether the method is one this route takes."""
        m = self.regex.match(scope["path"])
        if not m:
            return None
        params = {k: self.convert[k](v) for k, v in m.groupdict().items()}
        return params, scope["method"] in self.methods

    async def handle(self, scope, receive, send):
        result = self.endpoint(Request(scope, receive))
        if inspect.isawaitable(result):
            result = await result
        await result(scope, receive, send)


class Mount:
    def __init__(self, path, app=None, routes=None, name=None):
        self.path = path.rstrip("/")
        self.app = app if app is not None else Router(routes or [])
        self.name = name

    def match(self, scope):
        path = scope["path"]
        if path == self.path or path.startswith(self.path + "/"):
            return {}, True
        return None

    async def handle(self, scope, receive, send):
        child = dict(scope)
        child["root_path"] = scope.get("root_path", "") + self.path
        child["path"] = scope["path"][len(self.path) :] or "/"
        await self.app(child, receive, send)


class Router:
    def __init__(self, routes=None):
        self.routes = list(routes or [])

    def add_route(self, path, endpoint, methods=None, name=None, **_options):
        self.routes.append(Route(path, endpoint, methods=methods, name=name))

    def mount(self, path, app=None, name=None):
        self.routes.append(Mount(path, app=app, name=name))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return
        other_method = False
        for route in self.routes:
            found = route.match(scope)
            if found is None:
                continue
            params, method_ok = found
            if not method_ok:
                other_method = True
                continue
            scope = {**scope, "path_params": {**scope.get("path_params", {}), **params}}
            await route.handle(scope, receive, send)
            return
        if other_method:
            response = PlainTextResponse("Method Not Allowed", status_code=405)
        else:
            response = PlainTextResponse("Not Found", status_code=404)
        await response(scope, receive, send)
