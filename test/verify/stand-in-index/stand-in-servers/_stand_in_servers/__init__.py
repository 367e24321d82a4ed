"""NOT a real package: the HTTP serving shared by the stand-in web servers of the tests.

One request per connection (`connection: close`), no keep-alive, no lifespan events, no
websockets: enough for a health request. Whether SIGTERM stops the server (exit 0) is the
caller's choice, since that is where the real servers differ.
"""
import asyncio
import importlib
import os
import signal
import socketserver
import sys
import threading
import traceback
from http import HTTPStatus
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


def import_from_string(spec):
    """`module:attribute` (dotted attribute allowed), importing from the working directory as
    the real servers do."""
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise ValueError(f'Import string "{spec}" must be in format "<module>:<attribute>".')
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())
    obj = importlib.import_module(module_name)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def _reason(status):
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


async def _asgi_connection(app, reader, writer, host, port):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        writer.close()
        return
    lines = head.decode("latin-1").split("\r\n")
    method, target, version = (lines[0].split(" ", 2) + ["", ""])[:3]
    headers = []
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers.append((name.strip().lower().encode("latin-1"), value.strip().encode("latin-1")))
    length = int(dict(headers).get(b"content-length", b"0") or 0)
    body = await reader.readexactly(length) if length else b""
    path, _, query = target.partition("?")
    peer = writer.get_extra_info("peername") or ("", 0)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": version.removeprefix("HTTP/") or "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("latin-1"),
        "query_string": query.encode("latin-1"),
        "root_path": "",
        "headers": headers,
        "client": (peer[0], peer[1]),
        "server": (host, port),
    }
    response = {"status": 500, "headers": [], "body": b""}
    requested = False

    async def receive():
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            response["status"] = message["status"]
            response["headers"] = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            response["body"] += message.get("body", b"")

    try:
        await app(scope, receive, send)
    except Exception:
        traceback.print_exc()
        response.update(status=500, headers=[], body=b"Internal Server Error")
    status = response["status"]
    out = [f"HTTP/1.1 {status} {_reason(status)}".encode()]
    for name, value in response["headers"]:
        if name.lower() not in (b"content-length", b"connection"):
            out.append(name + b": " + value)
    out.append(b"content-length: " + str(len(response["body"])).encode())
    out.append(b"connection: close")
    writer.write(b"\r\n".join(out) + b"\r\n\r\n" + response["body"])
    print(f'{peer[0]}:{peer[1]} - "{method} {target} HTTP/1.1" {status}', file=sys.stderr, flush=True)
    try:
        await writer.drain()
    finally:
        writer.close()


def serve_asgi(app, host, port, started, stopping=None):
    """Serve an ASGI app until SIGTERM or SIGINT (the ASGI servers all stop on both), then return."""

    async def main():
        server = await asyncio.start_server(
            lambda r, w: _asgi_connection(app, r, w, host, port), host, port
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        print(started, file=sys.stderr, flush=True)
        async with server:
            await stop.wait()
        if stopping:
            print(stopping, file=sys.stderr, flush=True)

    asyncio.run(main())


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _Handler(WSGIRequestHandler):
    def log_message(self, format, *args):
        sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))


def serve_wsgi(app, host, port, started, stop_on_sigterm, stopping=None):
    """Serve a WSGI app. With `stop_on_sigterm` False nothing handles SIGTERM, as in the
    development servers without their reloader: as PID 1 the process then ignores it."""
    httpd = make_server(host, port, app, server_class=_ThreadingServer, handler_class=_Handler)
    if stop_on_sigterm:
        signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=httpd.shutdown).start())
    print(started, file=sys.stderr, flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    httpd.server_close()
    if stopping:
        print(stopping, file=sys.stderr, flush=True)


def background_wsgi(app, host, port):
    """A WSGI server on a daemon thread (prometheus-client's start_http_server)."""
    httpd = make_server(host, port, app, server_class=_ThreadingServer, handler_class=_Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    return httpd, thread


def split_host_port(bind, default_port):
    """`host:port`, `:port`, `port` or `host` (gunicorn's and runserver's forms)."""
    if bind.startswith("unix:"):
        raise ValueError(f"{bind}: unix sockets are not stood in for")
    if bind.isdigit():
        return "127.0.0.1", int(bind)
    host, sep, port = bind.rpartition(":")
    if not sep:
        return bind, default_port
    return (host.strip("[]") or "0.0.0.0"), int(port)
