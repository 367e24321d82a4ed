import importlib
import os


class ImproperlyConfigured(Exception):
    pass


class _Settings:
    _module = None

    def _load(self):
        if self._module is None:
            name = os.environ.get("DJANGO_SETTINGS_MODULE")
            if not name:
                raise ImproperlyConfigured(
                    "Requested settings, but settings are not configured. You must either define "
                    "the environment variable DJANGO_SETTINGS_MODULE or call settings.configure() "
                    "before accessing settings."
                )
            self._module = importlib.import_module(name)
        return self._module

    def __getattr__(self, name):
        return getattr(self._load(), name)


settings = _Settings()
