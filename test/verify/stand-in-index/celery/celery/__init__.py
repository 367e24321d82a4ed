"""NOT Celery: the stand-in of the tests. `Celery()` records tasks; `celery -A APP worker`
imports the app, says where its broker would be (none is reached) and waits for tasks until
SIGTERM, which is a warm shutdown: exit code 0, as with Celery."""
__version__ = "5.4.0+stand.in"


class Celery:
    def __init__(self, main=None, broker=None, backend=None, **options):
        self.main = main
        self.conf = {"broker_url": broker, "result_backend": backend, **options}
        self.tasks = {}

    def task(self, *args, **_options):
        def register(fn):
            self.tasks[f"{fn.__module__}.{fn.__name__}"] = fn
            return fn

        if len(args) == 1 and callable(args[0]):
            return register(args[0])
        return register

    def config_from_object(self, _obj, **_options):
        return None

    def autodiscover_tasks(self, *_args, **_options):
        return None


shared_task = Celery().task
