"""What the pages of unit heads and HR share: guards, context and paging."""

from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from satupintu.core.pages import pages_for
from satupintu.learning.selectors.access import learning_access

COMPETENCY_ROWS_EXTRA = 3

unit_heads_only = pages_for(
    lambda user: learning_access(user).is_unit_head,
    gettext_lazy("These pages are for the heads of units."),
)
hr_only = pages_for(
    lambda user: learning_access(user).is_hr,
    gettext_lazy("These pages are for human resources."),
)


def _base(request: HttpRequest, area: str) -> dict:
    """What every staff page needs: the person's access (for the links between the staff
    pages), the header's current item and the staff area ("unit" or "hr")."""
    return {"access": learning_access(request.user), "nav": "learning_staff", "staff_area": area}


def _person(user) -> str:
    return user.get_full_name() or user.username


def _page_urls(request: HttpRequest, page, *, param: str = "after", **keep) -> dict:
    """The links of a keyset-paged list: next page, and back to the first."""
    params = {key: value for key, value in keep.items() if value}
    base = request.path + ("?" + urlencode(params) if params else "")
    joiner = "&" if params else "?"
    return {
        "next_url": f"{base}{joiner}{urlencode({param: page.next_cursor})}"
        if page.has_next
        else "",
        "first_url": base if request.GET.get(param) else "",
    }


def _safe_back(request: HttpRequest, default: str) -> str:
    target = (request.POST.get("next") or "")[:300]
    return target if target.startswith("/") and not target.startswith("//") else default
