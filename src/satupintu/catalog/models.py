from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from satupintu.core.language import Localised, pick
from satupintu.core.models import BaseModel
from satupintu.organisations.models import Agency, Unit


class Category(Localised, models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name_id

    @property
    def name(self) -> str:
        return self.localised("name")


class Service(Localised, BaseModel):
    """A service in the catalogue. Its content lives in its versions; the columns here are the
    current version's, copied for listing and filtering."""

    code = models.CharField(_("code"), max_length=130, unique=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="services"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="services"
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), blank=True, related_name="services"
    )
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    summary_id = models.TextField(_("summary (Indonesian)"))
    summary_en = models.TextField(_("summary (English)"))
    current_version = models.ForeignKey(
        "ServiceVersion",
        verbose_name=_("current version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(
        _("offered"), default=True, help_text=_("Withdrawn services keep their versions and cases.")
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name_id"]
        indexes = [models.Index(fields=["is_active", "agency", "name_id"])]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("catalog:service", args=[self.code])

    @property
    def name(self) -> str:
        return self.localised("name")

    @property
    def summary(self) -> str:
        return self.localised("summary")


class ServiceVersion(models.Model):
    """One immutable version of a service's definition. A changed definition makes a new
    version; open cases keep the version they started on."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    source_path = models.CharField(_("source file"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("loaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("service version")
        verbose_name_plural = _("service versions")
        ordering = ["service", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "number"], name="catalog_serviceversion_number"
            ),
            models.UniqueConstraint(
                fields=["service", "content_hash"], name="catalog_serviceversion_hash"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.code} v{self.number}"

    def text(self, *path: str) -> str:
        """A bilingual text of the definition in the active language."""
        node = self.definition
        for key in path:
            node = node.get(key, {}) if isinstance(node, dict) else {}
        return pick(node or None)


class LifeEvent(Localised, BaseModel):
    """A moment in a person's life that bundles services of several agencies."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    summary_id = models.TextField(_("summary (Indonesian)"))
    summary_en = models.TextField(_("summary (English)"))
    services = models.ManyToManyField(
        Service, verbose_name=_("services"), blank=True, related_name="life_events"
    )
    current_version = models.ForeignKey(
        "LifeEventVersion",
        verbose_name=_("current version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("catalog:life_event", args=[self.code])

    @property
    def name(self) -> str:
        return self.localised("name")

    @property
    def summary(self) -> str:
        return self.localised("summary")


class LifeEventVersion(models.Model):
    life_event = models.ForeignKey(
        LifeEvent, verbose_name=_("life event"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    source_path = models.CharField(_("source file"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("loaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("life event version")
        verbose_name_plural = _("life event versions")
        ordering = ["life_event", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["life_event", "number"], name="catalog_lifeeventversion_number"
            ),
            models.UniqueConstraint(
                fields=["life_event", "content_hash"], name="catalog_lifeeventversion_hash"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.life_event.code} v{self.number}"


class SearchEntry(models.Model):
    """The search terms of one service in one language, analysed (normalised, stemmed),
    rebuilt on every catalogue load. Each process builds its in-memory search index from
    these rows, never from the definitions (``catalog.search``)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="search_entries")
    language = models.CharField(max_length=2)
    # Terms per field, from the most to the least weighty, separated by spaces; the title
    # has one line for the name and one for each synonym.
    title_terms = models.TextField(blank=True)
    summary_terms = models.TextField(blank=True)
    # requirements, product and procedure
    body_terms = models.TextField(blank=True)
    # the agency's names and code
    agency_terms = models.TextField(blank=True)
    # The words before stemming, for typo tolerance and completion of a word being typed.
    words = models.TextField(blank=True)
    # A hash of the texts and the analysis that made this entry: an unchanged service keeps it.
    source_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["service", "language"], name="catalog_searchentry_once")
        ]

    def __str__(self) -> str:
        return f"{self.service_id}:{self.language}"


class CatalogRevision(models.Model):
    """A counter bumped by every load that changes the catalogue, so that each process can
    tell whether what it derived from the catalogue (the search index) is still current."""

    number = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField(auto_now=True)
    # Changed by every rebuild of the search entries, even one that repeats a number after a
    # rolled-back load, so that no process keeps searching entries that are gone.
    search_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("catalogue revision")
        verbose_name_plural = _("catalogue revisions")

    def __str__(self) -> str:
        return str(self.number)
