"""NOT Quart: the stand-in of the tests. `Quart()` records HTTP and websocket routes and is an
ASGI app answering the HTTP ones (404 for any other path, websocket routes included)."""
import inspect
import json

__version__ = "0.20.0+stand.in"


class _Websocket:
    """The `websocket` context global; the stand-in has no websockets to give it."""

    async def receive(self):
        raise RuntimeError("quart (stand-in): no websockets")

    async def send(self, _data):
        raise RuntimeError("quart (stand-in): no websockets")


websocket = _Websocket()


class Quart:
    def __init__(self, import_name, **options):
        self.import_name = import_name
        self.routes = []
        self.websockets = []

    def route(self, rule, methods=("GET",), **_options):
        def register(view):
            self.routes.append((rule, {m.upper() for m in methods} | {"HEAD"}, view))
            return view

        return register

    def get(self, rule, **options):
        return self.route(rule, ("GET",), **options)

    def post(self, rule, **options):
        return self.route(rule, ("POST",), **options)

    def websocket(self, rule, **_options):
        def register(view):
            self.websockets.append((rule, view))
            return view

        return register

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return
        await receive()
        status, body, kind = 404, b"Not Found", b"text/plain"
        for rule, methods, view in self.routes:
            if rule == scope["path"] and scope["method"] in methods:
                result = view()
                if inspect.isawaitable(result):
                    result = await result
                status = 200
                if isinstance(result, (dict, list)):
                    body, kind = json.dumps(result).encode(), b"application/json"
                else:
                    body = result.encode() if isinstance(result, str) else bytes(result)
                break
        await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", kind)]})
        await send({"type": "http.response.body", "body": body})
