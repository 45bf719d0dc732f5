"""Template tags of the case pages.

Load with ``{% load cases_tags %}``.
"""

from django import template

from satupintu.cases.selectors import staff_scope

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
