"""The one error type that services raise; pages and the API turn it into a clear message."""


class DomainError(Exception):
    """A rule of the domain refused the request.

    ``code`` is a stable machine code (``not_found``, ``invalid``, ``conflict``,
    ``forbidden``); ``detail`` is a translated message for the person. ``extra`` adds
    fields to the API's answer (the id of a draft that was kept, say).
    """

    status = 400

    def __init__(
        self, detail: str, *, code: str = "invalid", status: int | None = None, errors=None
    ):
        super().__init__(detail)
        self.detail = detail
        self.code = code
        if status is not None:
            self.status = status
        self.errors = errors or []
        self.extra: dict = {}


class NotFound(DomainError):
    status = 404

    def __init__(self, detail: str, *, code: str = "not_found"):
        super().__init__(detail, code=code)


class Forbidden(DomainError):
    status = 403

    def __init__(self, detail: str, *, code: str = "forbidden"):
        super().__init__(detail, code=code)


class Conflict(DomainError):
    status = 409

    def __init__(self, detail: str, *, code: str = "conflict"):
        super().__init__(detail, code=code)
