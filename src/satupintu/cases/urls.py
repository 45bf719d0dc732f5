from satupintu.cases.views import citizen, life_events, officer, partner, verification

app_name = "cases"

urlpatterns = [
    *citizen.urlpatterns,
    *life_events.urlpatterns,
    *officer.urlpatterns,
    *partner.urlpatterns,
    *verification.urlpatterns,
]
