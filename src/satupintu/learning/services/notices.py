"""In-app notices of Learn: a learner is told when a seat frees up for them, when a session
is cancelled, when their unit head decides on a request, when they are assigned a course, and
when HR decides on a claim.

A notice names the course, a date and what happened; it is written in the recipient's
language and links to a page that checks who asks. Each has a deduplication key, so that a
notice sent again (a retried transaction) is kept once.
"""

from collections.abc import Callable

from django.urls import reverse
from django.utils import translation

from satupintu.notifications.models import Notification
from satupintu.notifications.selectors import recipient_language
from satupintu.notifications.services import notification_send


def learner_notify(
    *,
    recipient,
    kind: str,
    key: str,
    render: Callable[[], tuple[str, str]],
    url_name: str = "learning:home",
    url_args: tuple = (),
) -> Notification | None:
    """Put a notice in ``recipient``'s inbox; ``render`` gives (title, body) in the active
    language, which is the recipient's while it runs. ``key`` deduplicates."""
    with translation.override(recipient_language(recipient)):
        title, body = render()
        link = reverse(url_name, args=url_args)
    return notification_send(
        recipient=recipient,
        kind=f"learning.{kind}",
        title=title,
        body=body,
        link=link,
        dedup_key=f"learning:{kind}:{key}:{recipient.pk}"[:200],
    )
