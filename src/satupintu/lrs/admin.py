"""The xAPI clients in the admin, for platform administrators.

A client's secret is shown once, on the page that answers its creation, and never again:
the LRS keeps only its digest. A client is deactivated rather than deleted, so that the
statements it stored keep their authority.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from satupintu.core.admin import PlatformAdminOnly
from satupintu.lrs.models import LrsClient
from satupintu.lrs.services import lrs_client_create, lrs_client_deactivate


class ClientCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("Which application uses these credentials, for example the course player."),
    )
    read_only = forms.BooleanField(
        label=_("Read only"),
        required=False,
        help_text=_("The client may read statements and documents but store nothing."),
    )


@admin.register(LrsClient)
class LrsClientAdmin(PlatformAdminOnly):
    list_display = ["name", "key", "is_active", "can_write", "can_define", "created_at"]
    list_filter = ["is_active", "can_write"]
    search_fields = ["name", "key"]
    fields = ["name", "key", "is_active", "can_write", "can_define", "created_by", "created_at"]
    readonly_fields = ["key", "is_active", "created_by", "created_at"]
    actions = ["deactivate"]

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ClientCreateForm(request.POST or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Issue xAPI credentials"),
            "form": form,
        }
        if request.method == "POST" and form.is_valid():
            client, secret = lrs_client_create(
                name=form.cleaned_data["name"],
                can_write=not form.cleaned_data["read_only"],
                actor=request.user,
            )
            context.update(
                title=_("Credentials issued"), client=client, credentials=f"{client.key}:{secret}"
            )
            return TemplateResponse(request, "admin/lrs/lrsclient/issued.html", context)
        return TemplateResponse(request, "admin/lrs/lrsclient/issue.html", context)

    @admin.action(description=_("Deactivate the selected clients"))
    def deactivate(self, request, queryset):
        count = 0
        for client in queryset.filter(is_active=True):
            lrs_client_deactivate(client=client, actor=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d client was deactivated.",
                "%(count)d clients were deactivated.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
