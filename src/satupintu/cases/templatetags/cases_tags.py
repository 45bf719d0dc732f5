"""Template tags of the case pages.

Load with ``{% load cases_tags %}``.
"""

from django import template
from django.db.models import CharField, Q, Value

from satupintu.accounts.constants import Role
from satupintu.accounts.models import EmployeeProfile, RoleAssignment
from satupintu.cases.selectors import STAFF_ROLES, staff_scope

register = template.Library()

# Stands for "is an employee" beside the role names in the header's one query.
EMPLOYEE = "employee"


@register.simple_tag(takes_context=True)
def works_cases(context) -> bool:
    """``{% works_cases as officer %}``: whether the signed-in person is an officer or a
    supervisor, and so has a queue of cases.

    ``staff_scope`` keeps its answer on the user object, so the pages that ask again in the
    same request cost no further query.
    """
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return user is not None and not staff_scope(user).empty


@register.simple_tag(takes_context=True)
def work_lists(context) -> dict[str, bool]:
    """``{% work_lists as work %}``: the work lists of the signed-in person, for the header —
    ``work.cases``, the officers' queue; ``work.partner``, a partner organisation's tasks;
    ``work.learning``, an employee's learning; ``work.teaching``, a trainer's sessions;
    ``work.learning_staff``, the learning of others that an HR officer or a unit head manages;
    ``work.complaints``, the complaint coordinator's queue.

    One query at most: the person's roles and whether they are an employee, together.
    """
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated or not user.is_active:
        return dict.fromkeys(
            ("cases", "partner", "learning", "teaching", "learning_staff", "complaints"), False
        )
    cached = getattr(user, "_satupintu_work_lists", None)
    if cached is not None:
        return cached
    learning_roles = (Role.TRAINER, Role.HR, Role.UNIT_HEAD)
    roles = set(
        RoleAssignment.objects.filter(
            Q(role__in=(*STAFF_ROLES, *learning_roles, Role.COMPLAINT_COORDINATOR))
            | Q(role=Role.PARTNER, partner__is_active=True),
            user=user,
        )
        .values_list("role", flat=True)
        .union(
            EmployeeProfile.objects.filter(user=user)
            .annotate(kind=Value(EMPLOYEE, output_field=CharField()))
            .values_list("kind", flat=True)
        )
    )
    answer = {
        "cases": bool(roles & set(STAFF_ROLES)),
        "partner": Role.PARTNER in roles,
        "learning": EMPLOYEE in roles,
        "teaching": Role.TRAINER in roles,
        "learning_staff": bool(roles & {Role.HR, Role.UNIT_HEAD}),
        "complaints": Role.COMPLAINT_COORDINATOR in roles,
    }
    user._satupintu_work_lists = answer
    return answer
