"""The LRS's settings, with their defaults.

Each is read from Django's settings, else from the environment variable of the same name,
so that operators can set them either way:

SATUPINTU_LRS_MAX_REQUEST_MB   the largest request body, attachments included (default 10)
SATUPINTU_LRS_PAGE_SIZE        the most statements in one answer, also for limit=0 (100)
SATUPINTU_LRS_CORS_ORIGINS     comma-separated origins whose pages may call the LRS from a
                               browser, or "*" (default: none)
"""

import os

from django.conf import settings


def _value(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, "") or default
    return value


def max_request_bytes() -> int:
    return int(float(_value("SATUPINTU_LRS_MAX_REQUEST_MB", "10")) * 1024 * 1024)


def page_size() -> int:
    return max(int(_value("SATUPINTU_LRS_PAGE_SIZE", "100")), 1)


def cors_origins() -> list[str]:
    value = _value("SATUPINTU_LRS_CORS_ORIGINS", "")
    if isinstance(value, list | tuple):
        return list(value)
    return [item.strip() for item in value.split(",") if item.strip()]
