from django.urls import path

from satupintu.accounts import views, views_personal_data, views_second_factor

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("daftar/", views.signup, name="signup"),
    path("profil/", views.profile, name="profile"),
    path("persetujuan/<uuid:public_id>/tarik/", views.consent_withdraw, name="consent_withdraw"),
    path("privasi/", views.privacy, name="privacy"),
    path("profil/data-saya/", views_personal_data.my_data, name="my_data"),
    path("profil/data-saya/unduh/", views_personal_data.my_data_download, name="my_data_download"),
    path("dua-langkah/", views_second_factor.second_factor_verify, name="second_factor_verify"),
    path(
        "dua-langkah/pasang/", views_second_factor.second_factor_setup, name="second_factor_setup"
    ),
    path(
        "dua-langkah/kode-pemulihan/",
        views_second_factor.recovery_codes,
        name="recovery_codes",
    ),
    path(
        "profil/dua-langkah/",
        views_second_factor.second_factor_manage,
        name="second_factor_manage",
    ),
]
