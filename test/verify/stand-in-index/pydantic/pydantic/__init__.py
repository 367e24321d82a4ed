"""NOT pydantic: the stand-in of the tests. `BaseModel` takes its annotated fields as keyword
arguments (a field without a default is required), validates the types it knows (str, int,
float, bool, HttpUrl, nested models) and dumps itself; `HttpUrl` accepts only http and https
URLs with a host. Enough for an app that declares models to import and answer."""
from urllib.parse import urlsplit

__version__ = "2.10.4+stand.in"


class ValidationError(ValueError):
    pass


class HttpUrl(str):
    def __new__(cls, value):
        parts = urlsplit(str(value))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValidationError(f"Input should be a valid URL: {value!r}")
        return super().__new__(cls, value)


def Field(default=..., **_options):
    return default


def _validate(kind, value, name):
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return value if isinstance(value, kind) else kind.model_validate(value)
    if kind is HttpUrl:
        return HttpUrl(value)
    if kind in (str, int, float, bool):
        ok = isinstance(value, kind) or (kind is float and isinstance(value, int))
        if not ok or (kind is int and isinstance(value, bool)):
            raise ValidationError(f"{name}: Input should be a valid {kind.__name__}")
    return value


class BaseModel:
    model_config = {}

    @classmethod
    def _fields(cls):
        fields = {}
        for klass in reversed(cls.__mro__):
            fields.update(getattr(klass, "__annotations__", {}))
        return {k: v for k, v in fields.items() if not k.startswith("_") and k != "model_config"}

    def __init__(self, **data):
        for name, kind in self._fields().items():
            if name in data:
                value = _validate(kind, data[name], name)
            elif hasattr(type(self), name) and getattr(type(self), name) is not ...:
                value = getattr(type(self), name)
            else:
                raise ValidationError(f"{name}: Field required")
            object.__setattr__(self, name, value)

    @classmethod
    def model_validate(cls, obj):
        if not isinstance(obj, dict):
            raise ValidationError(f"Input should be a valid dictionary or instance of {cls.__name__}")
        return cls(**obj)

    def model_dump(self, mode="python", **_options):
        def dump(value):
            if isinstance(value, BaseModel):
                return value.model_dump(mode=mode)
            if isinstance(value, HttpUrl) and mode == "json":
                return str(value)
            if isinstance(value, (list, tuple)):
                return [dump(v) for v in value]
            if isinstance(value, dict):
                return {k: dump(v) for k, v in value.items()}
            return value

        return {name: dump(getattr(self, name)) for name in self._fields()}

    def __eq__(self, other):
        return type(self) is type(other) and self.model_dump() == other.model_dump()

    def __repr__(self):
        fields = ", ".join(f"{k}={v!r}" for k, v in self.model_dump().items())
        return f"{type(self).__name__}({fields})"
