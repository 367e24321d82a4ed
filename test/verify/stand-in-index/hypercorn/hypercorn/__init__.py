"""NOT Hypercorn: the stand-in of the tests (see stand-in-index/README.md)."""
__version__ = "0.17.3+stand.in"
