from django import template

from satupintu.notifications.selectors import notification_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The signed-in person's unread notifications, for the header."""
    user = context["request"].user
    return notification_unread_count(user=user) if user.is_authenticated else 0
