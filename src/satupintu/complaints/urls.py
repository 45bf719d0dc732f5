from satupintu.complaints.views import complainant, staff

app_name = "complaints"

urlpatterns = [*complainant.urlpatterns, *staff.urlpatterns]
