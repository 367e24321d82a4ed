"""NOT prometheus-client: the stand-in of the tests. `start_http_server(port)` serves the
metrics in text format on a daemon thread (nothing else handles signals, as in the real one)."""
__version__ = "0.21.1+stand.in"

_metrics = []


class _Metric:
    kind = "untyped"

    def __init__(self, name, documentation="", labelnames=(), **_options):
        self.name = name
        self.documentation = documentation
        self.value = 0.0
        _metrics.append(self)

    def inc(self, amount=1):
        self.value += amount

    def set(self, value):
        self.value = float(value)

    def observe(self, value):
        self.value = float(value)

    def labels(self, *_args, **_kwargs):
        return self


class Counter(_Metric):
    kind = "counter"


class Gauge(_Metric):
    kind = "gauge"


class Histogram(_Metric):
    kind = "histogram"


Summary = Histogram


def generate_latest(_registry=None):
    lines = []
    for m in _metrics:
        lines += [f"# HELP {m.name} {m.documentation}", f"# TYPE {m.name} {m.kind}", f"{m.name} {m.value}"]
    return ("\n".join(lines) + "\n").encode()


def _app(environ, start_response):
    body = generate_latest()
    start_response("200 OK", [("Content-Type", "text/plain; version=0.0.4"), ("Content-Length", str(len(body)))])
    return [body]


def start_http_server(port, addr="0.0.0.0", **_options):
    from _stand_in_servers import background_wsgi

    return background_wsgi(_app, addr, int(port))
