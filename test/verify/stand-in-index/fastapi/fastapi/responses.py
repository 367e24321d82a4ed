"""NOT FastAPI: its responses are Starlette's, as in FastAPI."""
from starlette.responses import (  # noqa: F401
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
