from satupintu.feedback.views import performance, reports, survey

app_name = "feedback"

urlpatterns = [*survey.urlpatterns, *reports.urlpatterns, *performance.urlpatterns]
