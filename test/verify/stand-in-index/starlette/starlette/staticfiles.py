"""NOT Starlette: `StaticFiles(directory=...)` serves the files under a directory, and refuses
at construction a directory that does not exist, as Starlette does (the app then cannot start)."""
import mimetypes
import os

from starlette.responses import PlainTextResponse, Response


class StaticFiles:
    def __init__(self, *, directory=None, packages=None, html=False, check_dir=True, follow_symlink=False):
        self.directory = directory
        self.html = html
        if check_dir and directory is not None and not os.path.isdir(directory):
            raise RuntimeError(f"Directory '{directory}' does not exist")

    async def __call__(self, scope, receive, send):
        if scope["method"] not in ("GET", "HEAD"):
            await PlainTextResponse("Method Not Allowed", status_code=405)(scope, receive, send)
            return
        root = os.path.realpath(self.directory)
        path = os.path.realpath(os.path.join(root, scope["path"].lstrip("/")))
        if self.html and os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if not path.startswith(root + os.sep) or not os.path.isfile(path):
            await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            return
        with open(path, "rb") as f:
            body = f.read()
        kind = mimetypes.guess_type(path)[0] or "text/plain"
        await Response(body, media_type=kind)(scope, receive, send)
