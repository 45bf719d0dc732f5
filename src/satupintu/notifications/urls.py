from django.urls import path

from satupintu.notifications import views

app_name = "notifications"

urlpatterns = [
    path("kotak-masuk/", views.inbox, name="inbox"),
    path("kotak-masuk/dibaca/", views.mark_all_read, name="mark_all_read"),
    path("kotak-masuk/<uuid:public_id>/dibaca/", views.mark_read, name="mark_read"),
]
