from satupintu.learning.views import learner, manage, sessions

app_name = "learning"

urlpatterns = [*learner.urlpatterns, *sessions.urlpatterns, *manage.urlpatterns]
