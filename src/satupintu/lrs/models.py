"""Tables of the Learning Record Store.

A statement is kept whole, as the LRS stored it (the "exact" format), with the columns and
the derived rows that the Statement resource's filters need: every agent and activity that
appears in it (``StatementAgent``, ``StatementActivity``) and every statement it targets,
directly or through a chain of StatementRefs (``StatementTarget``). The derived rows are
written in the same transaction as the statement; queries never read the JSON to filter.

Derived rows are plain models rather than ``BaseModel``s: they are never addressed from
outside, and there are several per statement, so a public id of their own would only cost
an index.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import BaseModel
from satupintu.lrs.constants import ActivityRelation, AgentRelation, DocumentKind


class LrsClient(BaseModel):
    """An application that speaks xAPI to the LRS with HTTP Basic credentials.

    The key is the user name of the credentials and the name of the client's account in
    the ``authority`` of what it stores; the secret is kept only as its SHA-256 digest
    (it is 32 random bytes, so a slow password hash would add nothing but latency).
    """

    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(_("key"), max_length=40, unique=True, editable=False)
    secret_hash = models.CharField(_("secret digest"), max_length=64, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    can_write = models.BooleanField(
        _("may write"),
        default=True,
        help_text=_("Store statements and documents; without it the client may only read."),
    )
    can_define = models.BooleanField(
        _("may define activities"),
        default=True,
        help_text=_(
            "Activity definitions and verb names in its statements update the LRS's "
            "canonical definitions."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("xAPI client")
        verbose_name_plural = _("xAPI clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"


class Statement(BaseModel):
    """One stored statement. Its ``public_id`` is the statement's own id."""

    payload = models.JSONField(_("statement"))
    stored = models.DateTimeField(_("stored"))
    timestamp = models.DateTimeField(_("timestamp"))
    verb_id = models.TextField(_("verb"))
    # The id of the statement that a StatementRef object points to (voiding, comments).
    object_statement_id = models.UUIDField(_("target statement"), null=True, blank=True)
    registration = models.UUIDField(_("registration"), null=True, blank=True)
    is_voiding = models.BooleanField(_("voids another statement"), default=False)
    voided = models.BooleanField(_("voided"), default=False)
    client = models.ForeignKey(
        LrsClient,
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
    )

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        indexes = [
            # Query results: statements that are not voided, newest first, by keyset.
            models.Index(
                fields=["stored", "id"], condition=Q(voided=False), name="lrs_statement_live"
            ),
            models.Index(fields=["verb_id"], name="lrs_statement_verb"),
            models.Index(fields=["registration"], name="lrs_statement_registration"),
            models.Index(fields=["object_statement_id"], name="lrs_statement_target"),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class StatementAgent(models.Model):
    """An agent or identified group named in a statement, by the digest of its inverse
    functional identifier."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="agents")
    agent_key = models.CharField(max_length=64)
    relation = models.CharField(max_length=16, choices=AgentRelation.choices)

    class Meta:
        indexes = [models.Index(fields=["agent_key", "relation"], name="lrs_stmtagent_key")]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "agent_key", "relation"], name="lrs_stmtagent_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.relation}:{self.agent_key}"


class StatementActivity(models.Model):
    """An activity named in a statement."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="activities")
    activity_id = models.TextField()
    relation = models.CharField(max_length=16, choices=ActivityRelation.choices)

    class Meta:
        indexes = [models.Index(fields=["activity_id", "relation"], name="lrs_stmtactivity_id")]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "activity_id", "relation"], name="lrs_stmtactivity_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.relation}:{self.activity_id}"


class StatementTarget(models.Model):
    """A statement that ``statement`` targets through its StatementRef object, directly or
    through a chain of them. The target may not be stored (yet)."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="targets")
    target_id = models.UUIDField()

    class Meta:
        indexes = [models.Index(fields=["target_id"], name="lrs_stmttarget_target")]
        constraints = [
            models.UniqueConstraint(fields=["statement", "target_id"], name="lrs_stmttarget_unique")
        ]

    def __str__(self) -> str:
        return str(self.target_id)


class AttachmentPayload(BaseModel):
    """The raw data of an attachment, stored once per SHA-2 digest through the storage
    API under ``lrs/attachments/<sha2>``."""

    sha2 = models.CharField(_("SHA-2 digest"), max_length=128, unique=True)
    content_type = models.CharField(_("content type"), max_length=255)
    length = models.PositiveBigIntegerField(_("length"))
    file = models.CharField(_("file"), max_length=255)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.sha2


class Document(BaseModel):
    """A document of the State, Activity Profile or Agent Profile resource."""

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    activity_id = models.TextField(_("activity"), blank=True, default="")
    agent_key = models.CharField(_("agent"), max_length=64, blank=True, default="")
    # Empty when the document belongs to no registration, so that the unique constraint
    # holds for those too.
    registration = models.CharField(_("registration"), max_length=36, blank=True, default="")
    document_id = models.TextField(_("document id"))
    content = models.BinaryField(_("content"))
    content_type = models.CharField(_("content type"), max_length=255)
    etag = models.CharField(_("ETag"), max_length=40)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "activity_id", "agent_key", "registration", "document_id"],
                name="lrs_document_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.document_id}"


class Activity(BaseModel):
    """The LRS's canonical definition of an activity, merged from the statements of the
    clients that may define activities."""

    activity_id = models.TextField(_("activity id"), unique=True)
    definition = models.JSONField(_("definition"), default=dict, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.activity_id


class Verb(BaseModel):
    """The canonical display of a verb, merged like activity definitions."""

    verb_id = models.TextField(_("verb id"), unique=True)
    display = models.JSONField(_("display"), default=dict, blank=True)

    class Meta:
        verbose_name = _("verb")
        verbose_name_plural = _("verbs")

    def __str__(self) -> str:
        return self.verb_id


class Agent(BaseModel):
    """What the LRS knows of an agent: its identifier and the names it was given."""

    agent_key = models.CharField(_("agent key"), max_length=64, unique=True)
    identifier = models.JSONField(_("identifier"))
    names = models.JSONField(_("names"), default=list, blank=True)

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self) -> str:
        return self.agent_key
