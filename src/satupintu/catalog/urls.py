from django.urls import path

from satupintu.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("layanan/", views.service_list, name="services"),
    path("layanan/<str:code>/", views.service_detail, name="service"),
    path("peristiwa/<slug:code>/", views.life_event_detail, name="life_event"),
    path("instansi/", views.agency_list, name="agencies"),
    path("instansi/<slug:code>/", views.agency_detail, name="agency"),
]
