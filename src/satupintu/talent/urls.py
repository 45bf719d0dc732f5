"""The competency pages (see ``talent.views``)."""

from satupintu.talent.views import urlpatterns  # noqa: F401

app_name = "talent"
