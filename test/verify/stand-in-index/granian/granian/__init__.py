"""NOT Granian: the stand-in of the tests (see stand-in-index/README.md)."""
__version__ = "1.7.4+stand.in"
