"""Learn in the admin.

The catalogue (courses with the competencies they build, programme steps and lessons; quiz
questions with their answers) is edited here by agency administrators for the courses their
agencies provide, and by the platform administrator for all. Sessions may be corrected here
(room, note, trainer); they are scheduled and cancelled through the HR pages, which check the
rules and tell the learners.

Records about people — enrolments, progress, quiz attempts, bookings, the JP ledger, claims
and certificates — change only through the application: the admin shows them read-only,
scoped to the agencies of the learners.
"""

import secrets

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.core.admin import AgencyScopedAdmin, ReadOnly
from satupintu.core.errors import DomainError
from satupintu.learning.models import (
    Certificate,
    Choice,
    ClassSession,
    Course,
    CourseCompetency,
    Enrolment,
    JpEntry,
    LearningClaim,
    Lesson,
    LessonProgress,
    ProgrammeStep,
    Question,
    QuizAttempt,
    SessionBooking,
)
from satupintu.learning.services.course_editing import lesson_file_check

# The agency of a learner, from a model with a ``learner`` field.
LEARNER_AGENCY = "learner__employee__agency"
# Links typed without a scheme are web addresses over https.
HTTPS_LINKS = {models.URLField: {"assume_scheme": "https"}}


class CourseCompetencyInline(admin.TabularInline):
    model = CourseCompetency
    extra = 0
    autocomplete_fields = ["competency"]


class ProgrammeStepInline(admin.TabularInline):
    model = ProgrammeStep
    fk_name = "programme"
    extra = 0
    autocomplete_fields = ["course"]
    verbose_name = _("step of this programme")
    verbose_name_plural = _("steps of this programme")


class LessonInline(admin.TabularInline):
    model = Lesson
    extra = 0
    fields = ["order", "kind", "title_id", "minutes"]
    show_change_link = True


@admin.register(Course)
class CourseAdmin(AgencyScopedAdmin):
    agency_path = "provider"
    list_display = ["code", "title_id", "modality", "jp", "provider", "is_published"]
    list_filter = ["modality", "is_published", "requires_approval", "provider"]
    search_fields = ["code", "title_id", "title_en"]
    list_select_related = ["provider"]
    filter_horizontal = ["audience_agencies", "prerequisites"]
    inlines = [CourseCompetencyInline, ProgrammeStepInline, LessonInline]
    fieldsets = [
        (None, {"fields": ["code", "modality", "jp", "provider", "is_published"]}),
        (
            _("Texts"),
            {
                "fields": [
                    "title_id",
                    "title_en",
                    "summary_id",
                    "summary_en",
                    "description_id",
                    "description_en",
                ]
            },
        ),
        (
            _("Who may join"),
            {
                "fields": [
                    "audience_agencies",
                    "audience_id",
                    "audience_en",
                    "capacity",
                    "requires_approval",
                    "prerequisites",
                ]
            },
        ),
        (_("Completion"), {"fields": ["issues_certificate", "external_activity_id"]}),
    ]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    fields = ["order", "text_id", "text_en", "is_correct"]


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = ["order", "text_id", "text_en", "competency"]
    autocomplete_fields = ["competency"]
    show_change_link = True


class LessonAdminForm(forms.ModelForm):
    """A lesson's new file is checked as on the HR pages: by its bytes, and its size. (The
    admin makes the form's Meta with the fields it shows.)"""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            try:
                lesson_file_check(upload)
            except DomainError as error:
                raise forms.ValidationError(error.detail) from None
        return upload


@admin.register(Lesson)
class LessonAdmin(AgencyScopedAdmin):
    form = LessonAdminForm
    agency_path = "course__provider"
    list_display = ["__str__", "kind", "minutes", "course"]
    list_filter = ["kind"]
    search_fields = ["title_id", "title_en", "course__code"]
    list_select_related = ["course"]
    autocomplete_fields = ["course"]
    inlines = [QuestionInline]
    formfield_overrides = HTTPS_LINKS


@admin.register(Question)
class QuestionAdmin(AgencyScopedAdmin):
    agency_path = "lesson__course__provider"
    list_display = ["__str__", "lesson", "order", "competency"]
    search_fields = ["text_id", "text_en", "lesson__course__code"]
    list_select_related = ["lesson__course", "competency"]
    autocomplete_fields = ["lesson", "competency"]
    inlines = [ChoiceInline]


class SessionBookingInline(ReadOnly, admin.TabularInline):
    model = SessionBooking
    extra = 0
    fields = ["learner", "status", "created_at", "promoted_at", "attended_at", "check_in_method"]
    readonly_fields = fields


@admin.register(ClassSession)
class ClassSessionAdmin(AgencyScopedAdmin):
    agency_path = "course__provider"
    list_display = ["course", "starts_at", "ends_at", "office", "trainer", "capacity"]
    list_filter = ["office"]
    date_hierarchy = "starts_at"
    search_fields = ["course__code", "course__title_id", "room"]
    list_select_related = ["course", "office", "trainer"]
    autocomplete_fields = ["course", "trainer"]
    readonly_fields = ["checkin_token", "cancelled_at"]
    inlines = [SessionBookingInline]
    formfield_overrides = HTTPS_LINKS

    def save_model(self, request, obj, form, change):
        if not obj.checkin_token:
            obj.checkin_token = secrets.token_urlsafe(24)
        super().save_model(request, obj, form, change)


class LearnerRecordAdmin(ReadOnly, AgencyScopedAdmin):
    """A record about a learner: read-only, scoped to the learner's agency."""

    agency_path = LEARNER_AGENCY
    show_full_result_count = False


@admin.register(Enrolment)
class EnrolmentAdmin(LearnerRecordAdmin):
    list_display = ["learner", "course", "status", "source", "progress", "created_at"]
    list_filter = ["status", "source"]
    search_fields = ["course__code", "learner__username", "learner__employee__nip"]
    list_select_related = ["learner", "course"]


@admin.register(LessonProgress)
class LessonProgressAdmin(LearnerRecordAdmin):
    agency_path = "enrolment__learner__employee__agency"
    list_display = ["enrolment", "lesson", "completed_at", "best_score"]
    list_select_related = ["enrolment__learner", "enrolment__course", "lesson__course"]


@admin.register(QuizAttempt)
class QuizAttemptAdmin(LearnerRecordAdmin):
    agency_path = "enrolment__learner__employee__agency"
    list_display = ["enrolment", "lesson", "score", "passed", "created_at"]
    list_filter = ["passed"]
    list_select_related = ["enrolment__learner", "enrolment__course", "lesson__course"]


@admin.register(SessionBooking)
class SessionBookingAdmin(LearnerRecordAdmin):
    list_display = ["learner", "session", "status", "created_at", "attended_at"]
    list_filter = ["status", "check_in_method"]
    list_select_related = ["learner", "session__course"]


@admin.register(LearningClaim)
class LearningClaimAdmin(LearnerRecordAdmin):
    list_display = ["learner", "title", "completed_on", "jp", "status"]
    list_filter = ["status"]
    exclude = ["certificate"]
    list_select_related = ["learner"]


@admin.register(JpEntry)
class JpEntryAdmin(LearnerRecordAdmin):
    list_display = ["learner", "year", "jp", "source", "key", "occurred_on"]
    list_filter = ["year", "source"]
    search_fields = ["key", "learner__username", "learner__employee__nip"]
    list_select_related = ["learner"]


@admin.register(Certificate)
class CertificateAdmin(LearnerRecordAdmin):
    list_display = ["number", "course", "holder_name", "issued_at", "revoked_at"]
    search_fields = ["number", "verification_code"]
    list_select_related = ["course"]
