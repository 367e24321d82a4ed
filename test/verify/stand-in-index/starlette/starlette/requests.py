"""NOT Starlette: a `Request` with the method, path, path and query parameters, headers and body."""
import json
from urllib.parse import parse_qsl


class URL:
    def __init__(self, scope):
        self.path = scope.get("root_path", "") + scope["path"]
        self.query = scope.get("query_string", b"").decode("latin-1")

    def __str__(self):
        return self.path + (f"?{self.query}" if self.query else "")


class Request:
    def __init__(self, scope, receive=None):
        self.scope = scope
        self._receive = receive
        self._body = None

    @property
    def method(self):
        return self.scope["method"]

    @property
    def url(self):
        return URL(self.scope)

    @property
    def path_params(self):
        return self.scope.get("path_params", {})

    @property
    def query_params(self):
        return dict(parse_qsl(self.scope.get("query_string", b"").decode("latin-1")))

    @property
    def headers(self):
        return {k.decode("latin-1"): v.decode("latin-1") for k, v in self.scope.get("headers", [])}

    async def body(self):
        if self._body is None:
            chunks, more = [], True
            while more and self._receive is not None:
                message = await self._receive()
                chunks.append(message.get("body", b""))
                more = message.get("more_body", False)
            self._body = b"".join(chunks)
        return self._body

    async def json(self):
        return json.loads(await self.body())
