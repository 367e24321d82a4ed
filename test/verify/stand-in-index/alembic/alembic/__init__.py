"""NOT Alembic: the stand-in of the tests (see alembic.config)."""
__version__ = "1.14.0+stand.in"
