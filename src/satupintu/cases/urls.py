from satupintu.cases.views import citizen, officer, verification

app_name = "cases"

urlpatterns = [*citizen.urlpatterns, *officer.urlpatterns, *verification.urlpatterns]
