from satupintu.learning.views import entry, learner, manage, sessions

app_name = "learning"

urlpatterns = [
    *learner.urlpatterns,
    *sessions.urlpatterns,
    *manage.urlpatterns,
    *entry.urlpatterns,
]
