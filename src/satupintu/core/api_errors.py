"""The documented shape of the JSON API's errors, for operations whose app has no schemas of
its own for them (``satupintu.api`` gives every error this shape)."""

from ninja import Schema
from pydantic import Field


class Problem(Schema):
    path: str
    message: str


class ErrorOut(Schema):
    """The one shape of every error."""

    detail: str
    code: str
    errors: list[Problem] | None = Field(
        None, description="Each input that is wrong, with what is wrong with it."
    )


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The documented error answers of an operation: ``statuses``, each in the one shape."""
    return dict.fromkeys(statuses, ErrorOut)
