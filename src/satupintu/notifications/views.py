"""The inbox page: a person's notifications, newest first; marking them read works with a
plain form (no JavaScript needed)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satupintu.core.errors import NotFound
from satupintu.notifications import selectors, services


def _inbox_url(after: str = "") -> str:
    url = reverse("notifications:inbox")
    return f"{url}?{urlencode({'after': after})}" if after else url


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The signed-in person's notifications, a page at a time."""
    after = request.GET.get("after", "")[:64]
    page = selectors.notification_inbox(user=request.user, after=after or None)
    return render(
        request,
        "notifications/inbox.html",
        {
            "notifications": page.notifications,
            "next_url": _inbox_url(str(page.next_after)) if page.next_after else "",
            "first_url": _inbox_url() if after else "",
            "after": after,
            "unread_count": selectors.notification_unread_count(user=request.user),
            "nav": "inbox",
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, public_id) -> HttpResponse:
    """Mark one notification as read, then show the same page of the inbox again."""
    try:
        notification = selectors.notification_get_for_user(user=request.user, public_id=public_id)
        services.notification_mark_read(notification=notification, user=request.user)
    except NotFound as error:
        raise Http404(error.detail) from error
    messages.success(request, _("Marked as read."))
    return redirect(_inbox_url(request.POST.get("after", "")[:64]))


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark every notification as read."""
    count = services.notification_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect(_inbox_url())
