"""NOT Starlette: responses that are ASGI apps, as Starlette's are: `Response`, `JSONResponse`,
`HTMLResponse`, `PlainTextResponse` and `RedirectResponse` (307 with a Location header)."""
import json
from urllib.parse import quote


class Response:
    media_type = None

    def __init__(self, content=None, status_code=200, headers=None, media_type=None):
        self.status_code = status_code
        if media_type is not None:
            self.media_type = media_type
        self.body = self.render(content)
        self.raw_headers = [
            (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()
        ]
        if self.media_type and not any(k == b"content-type" for k, _ in self.raw_headers):
            kind = self.media_type
            if kind.startswith("text/"):
                kind += "; charset=utf-8"
            self.raw_headers.append((b"content-type", kind.encode("latin-1")))

    def render(self, content):
        if content is None:
            return b""
        return content if isinstance(content, bytes) else content.encode("utf-8")

    async def __call__(self, scope, receive, send):
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        body = b"" if scope.get("method") == "HEAD" else self.body
        await send({"type": "http.response.body", "body": body})


class HTMLResponse(Response):
    media_type = "text/html"


class PlainTextResponse(Response):
    media_type = "text/plain"


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content):
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class RedirectResponse(Response):
    def __init__(self, url, status_code=307, headers=None):
        super().__init__(content=b"", status_code=status_code, headers=headers)
        self.raw_headers.append((b"location", quote(str(url), safe=":/%#?=@[]!$&'()*+,;").encode()))
