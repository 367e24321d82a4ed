"""NOT FastAPI: its StaticFiles is Starlette's, as in FastAPI."""
from starlette.staticfiles import StaticFiles  # noqa: F401
