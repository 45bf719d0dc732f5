from django.urls import path, register_converter

from satupintu.catalog import views


class ServiceCodeConverter:
    """``<agency code>.<service code>``; anything else is not a service page (404)."""

    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+(?:-[a-z0-9]+)*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ServiceCodeConverter, "service_code")

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("layanan/", views.service_list, name="services"),
    path("layanan/<service_code:code>/", views.service_detail, name="service"),
    path("peristiwa/<slug:code>/", views.life_event_detail, name="life_event"),
    path("instansi/", views.agency_list, name="agencies"),
    path("instansi/<slug:code>/", views.agency_detail, name="agency"),
]
