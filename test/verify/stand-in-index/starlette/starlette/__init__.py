"""NOT Starlette: the stand-in of the tests (see stand-in-index/README.md)."""
__version__ = "0.41.3+stand.in"
