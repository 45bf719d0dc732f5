from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "satupintu.learning"
    label = "learning"
    verbose_name = _("Learning")

    def ready(self) -> None:
        from satupintu.learning import receivers
        from satupintu.lrs.signals import statement_stored

        statement_stored.connect(
            receivers.statement_stored, dispatch_uid="learning.statement_stored"
        )
