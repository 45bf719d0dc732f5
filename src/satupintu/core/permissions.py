"""Who may administer what. Roles live in accounts; these helpers read them through the
user's ``roles`` relation so that every app can ask the same question the same way."""

from typing import Any

PLATFORM_ADMIN = "platform_admin"
AGENCY_ADMIN = "agency_admin"


def is_platform_admin(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.roles.filter(role=PLATFORM_ADMIN).exists()


def administered_agency_ids(user: Any) -> set[int] | None:
    """The agencies that ``user`` administers: ``None`` means every agency (a platform
    administrator); an empty set means none."""
    if is_platform_admin(user):
        return None
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return set(user.roles.filter(role=AGENCY_ADMIN).values_list("agency_id", flat=True))
