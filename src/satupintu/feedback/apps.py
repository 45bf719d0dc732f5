from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "satupintu.feedback"
    label = "feedback"
    verbose_name = _("Satisfaction surveys (IKM)")

    def ready(self) -> None:
        from satupintu.cases.signals import case_closed
        from satupintu.feedback.receivers import invite_when_case_closed

        case_closed.connect(invite_when_case_closed, dispatch_uid="feedback.invite_on_close")
