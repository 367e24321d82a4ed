"""NOT gunicorn: the stand-in of the tests (see stand-in-index/README.md)."""
__version__ = "23.0.0+stand.in"
