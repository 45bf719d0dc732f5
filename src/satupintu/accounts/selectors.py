"""Reads of accounts."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from satupintu.accounts.models import (
    BusinessProfile,
    CitizenProfile,
    EmployeeProfile,
    RoleAssignment,
    User,
)


@dataclass
class Profile:
    """What a signed-in person may see about themselves."""

    user: User
    citizen: CitizenProfile | None = None
    employee: EmployeeProfile | None = None
    roles: list[RoleAssignment] = field(default_factory=list)


def profile_get(*, user: User) -> Profile:
    """The signed-in ``user``'s own profile: citizen details, employee details and roles."""
    found = (
        User.objects.select_related("citizen", "employee__agency", "employee__unit")
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=RoleAssignment.objects.select_related(
                    "agency", "unit", "partner"
                ).order_by("role", "id"),
            )
        )
        .get(pk=user.pk)
    )
    return Profile(
        user=found,
        citizen=getattr(found, "citizen", None),
        employee=getattr(found, "employee", None),
        roles=list(found.roles.all()),
    )


def business_list_for_representative(*, user: User):
    """The businesses ``user`` may act for."""
    return BusinessProfile.objects.filter(representatives=user).order_by("name")


def business_get_for_representative(*, user: User, public_id) -> BusinessProfile | None:
    """The business with ``public_id`` if ``user`` represents it, else None."""
    return business_list_for_representative(user=user).filter(public_id=public_id).first()
