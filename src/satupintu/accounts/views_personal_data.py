"""The "My data" page and its JSON download: everything the platform holds about the
signed-in person and the history of its processing (UU PDP: the right of access).

Only the person themselves can open them: they take no identifier of a person, so nobody,
staff included, can ask for someone else's.
"""

import json

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from satupintu.accounts import personal_data
from satupintu.core.uploads import file_headers


def _page_url(after: str = "") -> str:
    url = reverse("accounts:my_data")
    return f"{url}?{urlencode({'after': after})}#history" if after else url


@never_cache
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """The person's data by section, then a page of its processing history."""
    after = request.GET.get("after", "")[:20]
    data = personal_data.personal_data_collect(user=request.user, with_history=False)
    page = personal_data.personal_data_history(user=request.user, after=after or None)
    personal_data.personal_data_export_record(user=request.user, channel="page")
    return render(
        request,
        "accounts/my_data.html",
        {
            "data": data,
            "history": page.rows,
            "next_url": _page_url(str(page.next_after)) if page.next_after else "",
            "first_url": _page_url() if after else "",
            "nav": "profile",
        },
    )


@never_cache
@login_required
def my_data_download(request: HttpRequest) -> HttpResponse:
    """The same data and the whole history as a JSON file."""
    data = personal_data.personal_data_collect(user=request.user)
    personal_data.personal_data_export_record(user=request.user, channel="file")
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    return file_headers(response, filename=personal_data.export_file_name())
