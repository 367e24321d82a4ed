"""NOT FastAPI: the stand-in of the tests. `FastAPI()` records routes from its decorators and
is an ASGI app answering them with JSON (404 for any other path, 405 for another method)."""
import inspect
import json
from urllib.parse import parse_qsl

__version__ = "0.115.6+stand.in"


class HTTPException(Exception):
    def __init__(self, status_code, detail=None):
        super().__init__(detail)
        self.status_code = status_code
        self.detail = detail


class APIRouter:
    def __init__(self, prefix="", **_options):
        self.prefix = prefix
        self.routes = []

    def api_route(self, path, methods=("GET",), **_options):
        def register(endpoint):
            self.routes.append((self.prefix + path, {m.upper() for m in methods}, endpoint))
            return endpoint

        return register

    def get(self, path, **options):
        return self.api_route(path, ("GET", "HEAD"), **options)

    def post(self, path, **options):
        return self.api_route(path, ("POST",), **options)

    def put(self, path, **options):
        return self.api_route(path, ("PUT",), **options)

    def patch(self, path, **options):
        return self.api_route(path, ("PATCH",), **options)

    def delete(self, path, **options):
        return self.api_route(path, ("DELETE",), **options)

    def websocket(self, path, **_options):
        return lambda endpoint: endpoint

    def include_router(self, router, prefix="", **_options):
        self.routes += [(prefix + p, m, e) for p, m, e in router.routes]


class FastAPI(APIRouter):
    def __init__(self, title="FastAPI", **options):
        super().__init__()
        self.title = title
        self.options = options

    def on_event(self, _event):
        return lambda handler: handler

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        await receive()
        status, body = 404, {"detail": "Not Found"}
        for path, methods, endpoint in self.routes:
            if path != scope["path"]:
                continue
            if scope["method"] not in methods:
                status, body = 405, {"detail": "Method Not Allowed"}
                continue
            query = dict(parse_qsl(scope["query_string"].decode()))
            wanted = inspect.signature(endpoint).parameters
            try:
                result = endpoint(**{k: v for k, v in query.items() if k in wanted})
                if inspect.isawaitable(result):
                    result = await result
                status, body = 200, result
            except HTTPException as e:
                status, body = e.status_code, {"detail": e.detail}
            break
        payload = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": payload})
