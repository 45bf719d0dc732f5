"""Background work of notifications (thin: each task calls a service)."""

from django_tasks import task

from satupintu.notifications.services import notification_email


@task()
def send_notification_email(*, notification_id: int) -> bool:
    """E-mail one notification to its recipient; safe to run twice (it sends once)."""
    return notification_email(notification_id=notification_id)
