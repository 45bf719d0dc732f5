"""The xAPI resources, outside the language prefix: /xapi/statements and the rest. A
trailing slash is accepted too, since some clients add one."""

from django.urls import re_path

from satupintu.lrs.views import documents, resources, statements
from satupintu.lrs.views.protocol import unknown_resource

app_name = "lrs"

urlpatterns = [
    re_path(r"^statements/?$", statements.statements, name="statements"),
    re_path(r"^activities/state/?$", documents.state, name="state"),
    re_path(r"^activities/profile/?$", documents.activity_profile, name="activity_profile"),
    re_path(r"^activities/?$", resources.activities, name="activities"),
    re_path(r"^agents/profile/?$", documents.agent_profile, name="agent_profile"),
    re_path(r"^agents/?$", resources.agents, name="agents"),
    re_path(r"^about/?$", resources.about, name="about"),
    re_path(r"^(?P<rest>.*)$", unknown_resource, name="unknown"),
]
