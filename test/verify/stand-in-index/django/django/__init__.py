"""NOT Django: the stand-in of the tests. Settings come from DJANGO_SETTINGS_MODULE (imported,
so a missing module fails as it does in Django), requests are answered from ROOT_URLCONF's
`urlpatterns` of `path()`s, and `manage.py` knows `runserver` and `check`."""
__version__ = "5.1.4+stand.in"
VERSION = (5, 1, 4, "final", 0)


def setup():
    from django.conf import settings

    settings._load()
