from django.urls import path

from satupintu.privacy.views import breaches, officer, person

app_name = "privacy"

urlpatterns = [
    # The person, from "Data saya".
    path("akun/profil/data-saya/permintaan/", person.my_requests, name="my_requests"),
    path(
        "akun/profil/data-saya/permintaan/baru/<slug:kind>/",
        person.request_new,
        name="request_new",
    ),
    path("akun/profil/data-saya/permintaan/<str:tracking>/", person.my_request, name="my_request"),
    # The data protection officer (Pejabat Pelindungan Data Pribadi).
    path("ppdp/permintaan/", officer.queue, name="queue"),
    path("ppdp/permintaan/<str:tracking>/", officer.request_detail, name="request"),
    path(
        "ppdp/permintaan/<str:tracking>/koreksi/", officer.request_correct, name="request_correct"
    ),
    path("ppdp/permintaan/<str:tracking>/hapus/", officer.request_erase, name="request_erase"),
    path("ppdp/permintaan/<str:tracking>/tolak/", officer.request_refuse, name="request_refuse"),
    path("ppdp/insiden/", breaches.breaches, name="breaches"),
    path("ppdp/insiden/baru/", breaches.breach_new, name="breach_new"),
    path("ppdp/insiden/<str:tracking>/", breaches.breach_detail, name="breach"),
    path("ppdp/insiden/<str:tracking>/ubah/", breaches.breach_edit, name="breach_edit"),
    path(
        "ppdp/insiden/<str:tracking>/pemberitahuan/", breaches.breach_notify, name="breach_notify"
    ),
    path("ppdp/insiden/<str:tracking>/surat/", breaches.breach_notice, name="breach_notice"),
]
