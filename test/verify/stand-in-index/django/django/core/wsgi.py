import importlib
from http import HTTPStatus


def get_wsgi_application():
    from django.conf import settings

    urls = importlib.import_module(settings.ROOT_URLCONF)
    hosts = list(getattr(settings, "ALLOWED_HOSTS", []))
    debug = bool(getattr(settings, "DEBUG", False))

    def application(environ, start_response):
        from django.http import HttpResponse

        host = environ.get("HTTP_HOST", "").rpartition(":")[0] or environ.get("HTTP_HOST", "")
        allowed = hosts or (["localhost", "127.0.0.1", "[::1]"] if debug else [])
        if "*" not in allowed and host not in allowed:
            response = HttpResponse("<h1>Bad Request (400)</h1>", status=400)
        else:
            path = environ.get("PATH_INFO", "/").lstrip("/")
            view = next((v for route, v in urls.urlpatterns if route == path), None)
            response = view(environ) if view else HttpResponse("<h1>Not Found</h1>", status=404)
        start_response(
            f"{response.status_code} {HTTPStatus(response.status_code).phrase}",
            [("Content-Type", response.content_type), ("Content-Length", str(len(response.content)))],
        )
        return [response.content]

    return application
