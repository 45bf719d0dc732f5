"""Answers to a service's form: what the applicant is asked, and checking what they gave.

(First version: the engine that renders and checks every field type is being built.)
"""

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class FieldError:
    path: str
    message: str


def applicant_context(*, user, business=None) -> dict[str, Any]:
    """What rules in definitions may read about the applicant."""
    profile = getattr(user, "citizen", None)
    today = date.today()
    age = None
    if profile is not None:
        born = profile.birth_date
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    context: dict[str, Any] = {
        "applicant": {
            "kind": "business" if business else "citizen",
            "age": age,
            "sex": profile.sex if profile else None,
            "region": (profile.region_code[:4] if profile and profile.region_code else None),
        }
    }
    if business is not None:
        context["business"] = {
            "legal_form": business.legal_form,
            "nib": business.nib,
            "region": business.region_code[:4],
        }
    return {
        key: {k: v for k, v in value.items() if v is not None} for key, value in context.items()
    }


def validate_answers(*, definition: dict, answers: dict, context: dict, submission=None):
    return dict(answers), []
