from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from satupintu.api import api, unknown_endpoint
from satupintu.core.views import favicon

urlpatterns = [
    path("api/v1/", api.urls),
    path("api/v1/<path:rest>", unknown_endpoint),
    path("i18n/setlang/", set_language, name="set_language"),
    path("xapi/", include("satupintu.lrs.urls")),
    path("favicon.ico", favicon, name="favicon"),
]

if settings.OIDC_ENABLED:
    urlpatterns += [path("oidc/", include("mozilla_django_oidc.urls"))]

# Pages: Indonesian at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("akun/", include("satupintu.accounts.urls")),
    path("", include("satupintu.cases.urls")),
    path("", include("satupintu.feedback.urls")),
    path("", include("satupintu.complaints.urls")),
    path("", include("satupintu.talent.urls")),
    path("", include("satupintu.learning.urls")),
    path("", include("satupintu.notifications.urls")),
    path("", include("satupintu.privacy.urls")),
    path("", include("satupintu.catalog.urls")),
    prefix_default_language=False,
)
