"""NOT uvicorn: the stand-in of the tests (see stand-in-index/README.md)."""
from uvicorn.main import run

__version__ = "0.34.0+stand.in"
__all__ = ["run"]
