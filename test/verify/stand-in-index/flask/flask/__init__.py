"""NOT Flask: the stand-in of the tests. `Flask()` records routes from its decorators and is a
WSGI app answering them (str, bytes, dict as JSON, a Response such as `jsonify(...)` makes, or a
(body, status) tuple)."""
import json
from http import HTTPStatus

__version__ = "3.1.0+stand.in"


class Response:
    def __init__(self, response=b"", status=200, mimetype="text/html"):
        self.data = response.encode() if isinstance(response, str) else bytes(response)
        self.status_code = status
        self.mimetype = mimetype


def jsonify(*args, **kwargs):
    """As Flask's: one argument as it is, several as a list, keywords as an object."""
    if args and kwargs:
        raise TypeError("jsonify() behavior undefined when passed both args and kwargs")
    data = args[0] if len(args) == 1 else list(args) if args else kwargs
    return Response(json.dumps(data) + "\n", mimetype="application/json")


class Flask:
    def __init__(self, import_name, **options):
        self.import_name = import_name
        self.options = options
        self.routes = []
        self.config = {}

    def route(self, rule, methods=("GET",), **_options):
        def register(view):
            self.routes.append((rule, {m.upper() for m in methods} | {"HEAD"}, view))
            return view

        return register

    def get(self, rule, **options):
        return self.route(rule, ("GET",), **options)

    def post(self, rule, **options):
        return self.route(rule, ("POST",), **options)

    def run(self, host="127.0.0.1", port=5000, debug=None, **_options):
        from flask.cli import serve

        serve(self, host, int(port), bool(debug))

    def __call__(self, environ, start_response):
        status, body, kind = 404, b"<h1>Not Found</h1>", "text/html"
        for rule, methods, view in self.routes:
            if rule != environ.get("PATH_INFO", "/"):
                continue
            if environ["REQUEST_METHOD"] not in methods:
                status, body = 405, b"<h1>Method Not Allowed</h1>"
                continue
            result, status = view(), None
            if isinstance(result, tuple):
                result, status = result[0], result[1]
            if isinstance(result, Response):
                body, kind = result.data, result.mimetype
                status = status or result.status_code
            elif isinstance(result, (dict, list)):
                body, kind = json.dumps(result).encode(), "application/json"
            else:
                body = result.encode() if isinstance(result, str) else bytes(result)
            status = status or 200
            break
        start_response(f"{status} {HTTPStatus(status).phrase}", [("Content-Type", kind), ("Content-Length", str(len(body)))])
        return [body]
