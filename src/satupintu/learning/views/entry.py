"""The header's "Manage learning" link: HR go to their pages, unit heads to their unit's."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_safe

from satupintu.learning.selectors.access import learning_access


@require_safe
@login_required
def manage_home(request: HttpRequest) -> HttpResponse:
    access = learning_access(request.user)
    if access.is_hr:
        return redirect("learning:hr_home")
    if access.is_unit_head:
        return redirect("learning:unit_home")
    raise PermissionDenied


urlpatterns = [path("kelola/pembelajaran/", manage_home, name="manage_home")]
