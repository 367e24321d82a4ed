from django.conf import ImproperlyConfigured

__all__ = ["ImproperlyConfigured"]
