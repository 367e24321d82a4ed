"""NOT FastAPI: the stand-in of the tests. `FastAPI()` records routes from its decorators (path
parameters as Starlette reads them, converted by their annotation) and is an ASGI app answering
them: a returned Response as it is, anything else as JSON (pydantic models dumped), with the
route's status_code; 404 for any other path, 405 for another method, 422 for a parameter that is
missing or does not convert. Query parameters and a JSON body are passed by name."""
import inspect
import json
from http import HTTPStatus
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, compile_path

__version__ = "0.115.6+stand.in"


class HTTPException(Exception):
    def __init__(self, status_code, detail=None, headers=None):
        super().__init__(detail)
        self.status_code = status_code
        self.detail = HTTPStatus(status_code).phrase if detail is None else detail
        self.headers = headers


def _jsonable(value):
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value


class _Invalid(Exception):
    pass


def _convert(value, annotation):
    if annotation in (int, float, bool):
        try:
            if annotation is bool:
                return value.lower() in ("1", "true", "on", "yes")
            return annotation(value)
        except ValueError:
            raise _Invalid(value) from None
    return value


class APIRouter:
    def __init__(self, prefix="", **_options):
        self.prefix = prefix
        self.routes = []

    def api_route(self, path, methods=("GET",), status_code=None, **_options):
        def register(endpoint):
            regex, _ = compile_path(self.prefix + path)
            self.routes.append(
                (regex, {m.upper() for m in methods}, endpoint, status_code or 200)
            )
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
        for regex, methods, endpoint, status in router.routes:
            if prefix:
                regex, _ = compile_path(prefix + regex.pattern)
            self.routes.append((regex, methods, endpoint, status))


class FastAPI(APIRouter):
    def __init__(self, title="FastAPI", **options):
        super().__init__()
        self.title = title
        self.options = options
        self.mounts = []

    def on_event(self, _event):
        return lambda handler: handler

    def mount(self, path, app, name=None):
        self.mounts.append(Mount(path, app=app, name=name))

    async def _answer(self, scope, receive, endpoint, params, status):
        request = Request(scope, receive)
        query = dict(parse_qsl(scope["query_string"].decode()))
        body = await request.body()
        kwargs = {}
        for name, p in inspect.signature(endpoint).parameters.items():
            kind = p.annotation
            if kind is Request:
                kwargs[name] = request
            elif name in params:
                kwargs[name] = _convert(params[name], kind)
            elif name in query:
                kwargs[name] = _convert(query[name], kind)
            elif inspect.isclass(kind) and hasattr(kind, "model_validate") and body:
                try:
                    kwargs[name] = kind.model_validate(json.loads(body))
                except ValueError:
                    raise _Invalid(name) from None
            elif p.default is inspect.Parameter.empty:
                raise _Invalid(name)
        result = endpoint(**kwargs)
        if inspect.isawaitable(result):
            result = await result
        if isinstance(result, Response):
            return result
        return JSONResponse(_jsonable(result), status_code=status)

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
        response = JSONResponse({"detail": "Not Found"}, status_code=404)
        for regex, methods, endpoint, status in self.routes:
            m = regex.match(scope["path"])
            if not m:
                continue
            if scope["method"] not in methods:
                response = JSONResponse({"detail": "Method Not Allowed"}, status_code=405)
                continue
            try:
                response = await self._answer(scope, receive, endpoint, m.groupdict(), status)
            except HTTPException as e:
                response = JSONResponse({"detail": e.detail}, status_code=e.status_code)
            except _Invalid as e:
                response = JSONResponse({"detail": f"invalid or missing: {e}"}, status_code=422)
            break
        else:
            for mount in self.mounts:
                if mount.match(scope) is not None:
                    await mount.handle(scope, receive, send)
                    return
        await response(scope, receive, send)
