"""Reads of accounts."""

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from satupintu.accounts.models import (
    BusinessProfile,
    CitizenProfile,
    Consent,
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
    # Whether they ever decided on a consent to read registries (the profile shows them).
    has_consents: bool = False


def profile_get(*, user: User) -> Profile:
    """The signed-in ``user``'s own profile: citizen details, employee details, roles, and
    whether they have consents to show."""
    found = (
        User.objects.select_related("citizen", "employee__agency", "employee__unit")
        .annotate(has_consents=Exists(Consent.objects.filter(user_id=OuterRef("pk"))))
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
        has_consents=found.has_consents,
    )


def business_list_for_representative(*, user: User):
    """The businesses ``user`` may act for."""
    return BusinessProfile.objects.filter(representatives=user).order_by("name")


def business_get_for_representative(*, user: User, public_id) -> BusinessProfile | None:
    """The business with ``public_id`` if ``user`` represents it, else None."""
    return business_list_for_representative(user=user).filter(public_id=public_id).first()


def consent_list_for_user(*, user: User) -> QuerySet[Consent]:
    """``user``'s own consents and declines, newest first."""
    return Consent.objects.filter(user_id=user.pk).order_by("-decided_at", "-id")


def consent_current(*, user: User, purpose_code: str) -> Consent | None:
    """``user``'s newest decision for ``purpose_code`` if it is a consent still in force
    (granted, not withdrawn); None if they declined, withdrew or were never asked."""
    newest = consent_list_for_user(user=user).filter(purpose_code=purpose_code).first()
    return newest if newest is not None and newest.is_active else None


# The most consents in force that the profile reads: far more than there are purposes.
CONSENTS_READ = 200


@dataclass
class ConsentOverview:
    """What the profile page shows of a person's consents: every consent in force (each can
    be withdrawn), and the latest earlier decisions, each with ``replaced`` set when a later
    decision for the same purpose ended it rather than a withdrawal."""

    active: list[Consent]
    earlier: list[Consent]
    replaced: set[int] = field(default_factory=set)


def consent_overview(*, user: User, earlier: int = 20) -> ConsentOverview:
    """``user``'s consents in force and their ``earlier`` latest other decisions, in one
    query whatever their number. (A person has at most one consent in force per purpose, so
    the consents in force are few; ``CONSENTS_READ`` bounds the read all the same.)"""
    in_force = Case(
        When(granted=True, withdrawn_at__isnull=True, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    consents = list(
        consent_list_for_user(user=user)
        .annotate(in_force=in_force)
        .order_by("-in_force", "-decided_at", "-id")[: CONSENTS_READ + earlier]
    )
    active = [consent for consent in consents if consent.in_force]
    past = [consent for consent in consents if not consent.in_force][:earlier]
    decided = {(consent.purpose_code, consent.decided_at) for consent in consents}
    replaced = {
        consent.pk
        for consent in past
        if consent.withdrawn_at is not None
        and (consent.purpose_code, consent.withdrawn_at) in decided
    }
    return ConsentOverview(active=active, earlier=past, replaced=replaced)


def consent_get_for_user(*, user: User, public_id) -> Consent | None:
    """``user``'s consent with ``public_id``, or None (also when it is someone else's)."""
    return consent_list_for_user(user=user).filter(public_id=public_id).first()


def user_username_for_login(*, login: str) -> str | None:
    """The username of the account that a sign-in name finds (a username or an e-mail
    address, in any case, as the sign-in backend looks it up), or None."""
    return (
        User.objects.filter(Q(username__iexact=login) | Q(email__iexact=login))
        .values_list("username", flat=True)
        .first()
    )
