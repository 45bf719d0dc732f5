"""Template tags of the case pages.

Load with ``{% load cases_tags %}``.
"""

from django import template
from django.db.models import Q

from satupintu.accounts.constants import Role
from satupintu.accounts.models import RoleAssignment
from satupintu.cases.selectors import STAFF_ROLES, staff_scope

register = template.Library()


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
    ``work.cases``, the officers' queue, and ``work.partner``, a partner organisation's tasks.

    It costs what ``works_cases`` alone cost: nothing when the page already asked the
    selectors (their answers are kept on the user object), else one query for both. On an
    officer's page, which knows only the staff scope, a person who is also a partner's
    volunteer sees the partner link on their other pages.
    """
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated or not user.is_active:
        return {"cases": False, "partner": False}
    # What the selectors already found during this request, if they were asked.
    scope = getattr(user, "_satupintu_staff_scope", None)
    partners = getattr(user, "_satupintu_partner_ids", None)
    if scope is not None:
        return {"cases": not scope.empty, "partner": bool(partners)}
    if partners is not None:
        return {"cases": not staff_scope(user).empty, "partner": bool(partners)}
    roles = set(
        RoleAssignment.objects.filter(
            Q(role__in=STAFF_ROLES) | Q(role=Role.PARTNER, partner__is_active=True), user=user
        ).values_list("role", flat=True)
    )
    return {"cases": bool(roles & set(STAFF_ROLES)), "partner": Role.PARTNER in roles}
