"""Names fixed by the xAPI 1.0.3 specification, and the choices of the LRS's tables."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The version this LRS implements, sent in every response's X-Experience-API-Version.
XAPI_VERSION = "1.0.3"
# The versions named by the About resource: the latest patch first.
XAPI_VERSIONS = ["1.0.3", "1.0.2", "1.0.1", "1.0.0"]
# What a statement says when it was sent without a version.
STATEMENT_VERSION = "1.0.0"

VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
SIGNATURE_CONTENT_TYPE = "application/octet-stream"
SIGNATURE_ALGORITHMS = {"RS256": "sha256", "RS384": "sha384", "RS512": "sha512"}

# The length of the hexadecimal SHA-2 digests an attachment's "sha2" may hold.
SHA2_LENGTHS = {56: "sha224", 64: "sha256", 96: "sha384", 128: "sha512"}

# The longest IRI (in UTF-8 bytes) the LRS keeps: identifiers are indexed, and an index
# entry has a size limit.
IRI_MAX_BYTES = 2048
# The longest document id (stateId, profileId), in UTF-8 bytes.
DOCUMENT_ID_MAX_BYTES = 255


class DocumentKind(models.TextChoices):
    STATE = "state", _("State")
    ACTIVITY_PROFILE = "activity_profile", _("Activity profile")
    AGENT_PROFILE = "agent_profile", _("Agent profile")


class AgentRelation(models.TextChoices):
    """Where in a statement an agent or group appears. A group's members are recorded
    with the group's relation, so that a filter on an agent finds the groups it is in."""

    ACTOR = "actor", _("Actor")
    OBJECT = "object", _("Object")
    AUTHORITY = "authority", _("Authority")
    INSTRUCTOR = "instructor", _("Instructor")
    TEAM = "team", _("Team")
    SUB_ACTOR = "sub_actor", _("Actor of a sub-statement")
    SUB_OBJECT = "sub_object", _("Object of a sub-statement")
    SUB_INSTRUCTOR = "sub_instructor", _("Instructor of a sub-statement")
    SUB_TEAM = "sub_team", _("Team of a sub-statement")


class ActivityRelation(models.TextChoices):
    """Where in a statement an activity appears."""

    OBJECT = "object", _("Object")
    PARENT = "parent", _("Parent")
    GROUPING = "grouping", _("Grouping")
    CATEGORY = "category", _("Category")
    OTHER = "other", _("Other")
    SUB_OBJECT = "sub_object", _("Object of a sub-statement")
    SUB_CONTEXT = "sub_context", _("Context of a sub-statement")


# The relations the plain "agent" and "activity" filters look at; with related_agents or
# related_activities every relation counts.
AGENT_DIRECT = [AgentRelation.ACTOR, AgentRelation.OBJECT]
ACTIVITY_DIRECT = [ActivityRelation.OBJECT]
