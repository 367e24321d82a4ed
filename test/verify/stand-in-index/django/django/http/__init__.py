import json


class HttpResponse:
    def __init__(self, content=b"", status=200, content_type="text/html; charset=utf-8"):
        self.content = content.encode() if isinstance(content, str) else bytes(content)
        self.status_code = status
        self.content_type = content_type


class JsonResponse(HttpResponse):
    def __init__(self, data, status=200):
        super().__init__(json.dumps(data), status, "application/json")
