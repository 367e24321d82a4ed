"""NOT Starlette: `Starlette(routes=[...])`, an ASGI app that answers lifespan events (running
its on_startup and on_shutdown handlers) and dispatches HTTP requests to its routes."""
import inspect

from starlette.routing import Router


class Starlette:
    def __init__(self, debug=False, routes=None, middleware=None, exception_handlers=None,
                 on_startup=None, on_shutdown=None, lifespan=None):
        self.debug = debug
        self.router = Router(routes)
        self.on_startup = list(on_startup or [])
        self.on_shutdown = list(on_shutdown or [])
        self.state = type("State", (), {})()

    @property
    def routes(self):
        return self.router.routes

    def add_route(self, path, route, methods=None, name=None, **options):
        self.router.add_route(path, route, methods=methods, name=name, **options)

    def route(self, path, methods=None, name=None, **options):
        def register(endpoint):
            self.add_route(path, endpoint, methods=methods, name=name, **options)
            return endpoint

        return register

    def mount(self, path, app, name=None):
        self.router.mount(path, app, name=name)

    async def _run(self, handlers):
        for handler in handlers:
            result = handler()
            if inspect.isawaitable(result):
                await result

    async def __call__(self, scope, receive, send):
        scope = {**scope, "app": self}
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await self._run(self.on_startup)
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await self._run(self.on_shutdown)
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        await self.router(scope, receive, send)
