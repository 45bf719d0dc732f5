from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "satupintu.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from satupintu.accounts.services import user_language_remember

        def remember_language(sender, request, user, **kwargs):
            user_language_remember(user=user, language=getattr(request, "LANGUAGE_CODE", ""))

        user_logged_in.connect(remember_language, dispatch_uid="satupintu.accounts.language")
