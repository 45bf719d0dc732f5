"""The forms of the staff pages and of claims. They keep and limit what was typed; the rules
(what a session, a claim or a decision needs) are the services'."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.learning.constants import LessonKind, Modality
from satupintu.learning.models import Course, Lesson
from satupintu.organisations.models import Agency

DATE = forms.DateInput(attrs={"type": "date", "class": "input--short"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local", "class": "input--short"}, format="%Y-%m-%dT%H:%M"
)
REASON_MAX_LENGTH = 300


def _people_choices(users) -> list[tuple[str, str]]:
    return [(str(user.pk), user.get_full_name() or user.username) for user in users]


class DecisionForm(forms.Form):
    """Approve or refuse: a request, or a claim."""

    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("approve", gettext_lazy("Approve")),
            ("refuse", gettext_lazy("Refuse")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose whether you approve or refuse.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (needed to refuse)"),
        help_text=gettext_lazy("The employee reads it."),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "refuse" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why you refuse: the employee reads it."))
        return cleaned

    @property
    def approve(self) -> bool:
        return self.cleaned_data.get("decision") == "approve"


class ClaimForm(forms.Form):
    """A claim for learning done elsewhere."""

    title = forms.CharField(
        label=gettext_lazy("What did you learn?"),
        help_text=gettext_lazy("The name of the course, training or seminar."),
        max_length=200,
        error_messages={"required": gettext_lazy("Say what you learned.")},
    )
    provider = forms.CharField(
        label=gettext_lazy("Organised by"),
        help_text=gettext_lazy("For example a university, a ministry or a professional body."),
        max_length=200,
        error_messages={"required": gettext_lazy("Say who organised it.")},
    )
    completed_on = forms.DateField(
        label=gettext_lazy("Completed on"),
        help_text=gettext_lazy("The last day of the learning: this year or last year."),
        widget=DATE,
        error_messages={
            "required": gettext_lazy("Give the date the learning ended."),
            "invalid": gettext_lazy("Enter a date such as 2025-03-14."),
        },
    )
    jp = forms.DecimalField(
        label=gettext_lazy("Lesson hours (JP)"),
        help_text=gettext_lazy(
            "As written on the certificate; one JP is 45 minutes. Between 0.5 and 200."
        ),
        max_digits=5,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "class": "input--short"}),
        error_messages={
            "required": gettext_lazy("Give the lesson hours."),
            "invalid": gettext_lazy("Enter the lesson hours as a number, such as 8 or 2.5."),
            "max_decimal_places": gettext_lazy("Give the lesson hours with at most one decimal."),
            "max_digits": gettext_lazy("A claim counts at most 200 JP."),
        },
    )
    certificate = forms.FileField(
        label=gettext_lazy("Certificate"),
        help_text=gettext_lazy("A PDF, JPEG or PNG file of at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={
            "required": gettext_lazy("Upload the certificate."),
            "empty": gettext_lazy("The certificate file is empty. Upload it again."),
        },
    )


class SessionForm(forms.Form):
    """A new session of one course."""

    starts_at = forms.DateTimeField(
        label=gettext_lazy("Starts"),
        widget=DATETIME,
        error_messages={
            "required": gettext_lazy("Give the date and time the session starts."),
            "invalid": gettext_lazy("Enter a date and time such as 2025-03-14 08:00."),
        },
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("Ends"),
        widget=DATETIME,
        error_messages={
            "required": gettext_lazy("Give the date and time the session ends."),
            "invalid": gettext_lazy("Enter a date and time such as 2025-03-14 12:00."),
        },
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Seats"),
        min_value=1,
        max_value=10_000,
        widget=forms.NumberInput(attrs={"class": "input--short"}),
        error_messages={
            "required": gettext_lazy("Give the number of seats."),
            "min_value": gettext_lazy("Give the session at least one seat."),
        },
    )
    trainer = forms.ChoiceField(label=gettext_lazy("Trainer (widyaiswara)"), required=False)
    office = forms.ChoiceField(label=gettext_lazy("Venue"), required=False)
    room = forms.CharField(label=gettext_lazy("Room"), max_length=120, required=False)
    online_url = forms.URLField(
        label=gettext_lazy("Online meeting link"),
        help_text=gettext_lazy("For a virtual classroom: the https:// address of the meeting."),
        max_length=200,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": gettext_lazy("Enter a full address such as https://…")},
    )
    jp = forms.DecimalField(
        label=gettext_lazy("Lesson hours (JP), if not the course's"),
        help_text=gettext_lazy("Leave empty to credit the course's JP for attending."),
        max_digits=5,
        decimal_places=1,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.5", "class": "input--short"}),
    )

    def __init__(self, *args, course: Course, trainers: list, offices: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.trainers = {str(user.pk): user for user in trainers}
        self.offices = {str(office.public_id): office for office in offices}
        self.fields["trainer"].choices = [("", _("Not decided yet")), *_people_choices(trainers)]
        self.fields["office"].choices = [("", _("No venue (online)"))] + [
            (str(office.public_id), office.name) for office in offices
        ]
        if course.modality == Modality.VIRTUAL:
            self.fields["online_url"].required = True
            self.fields["online_url"].error_messages["required"] = _(
                "Give the link of the online meeting."
            )
        else:
            self.fields["office"].required = True
            self.fields["office"].error_messages["required"] = _(
                "Choose the office where the class meets."
            )

    def clean(self):
        cleaned = super().clean()
        cleaned["trainer_user"] = self.trainers.get(cleaned.get("trainer") or "")
        cleaned["office_obj"] = self.offices.get(cleaned.get("office") or "")
        return cleaned


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the session cancelled?"),
        help_text=gettext_lazy("Everyone booked or waiting is told, with this reason."),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": gettext_lazy("Say why the session is cancelled: the learners read it.")
        },
    )


class AssignForm(forms.Form):
    """Assign a course: a unit head ticks employees of their units; HR type NIPs."""

    course = forms.ChoiceField(
        label=gettext_lazy("Course"),
        error_messages={"required": gettext_lazy("Choose the course to assign.")},
    )
    learners = forms.MultipleChoiceField(
        label=gettext_lazy("Employees"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    nips = forms.CharField(
        label=gettext_lazy("NIPs of the employees"),
        help_text=gettext_lazy("One 18-digit NIP per line, or separated by commas."),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        max_length=20_000,
        required=False,
    )
    due_on = forms.DateField(
        label=gettext_lazy("To finish by (optional)"),
        widget=DATE,
        required=False,
        error_messages={"invalid": gettext_lazy("Enter a date such as 2025-03-14.")},
    )

    def __init__(self, *args, courses, employees=None, by_nip: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.courses = {course.code: course for course in courses}
        self.fields["course"].choices = [("", _("Choose a course"))] + [
            (course.code, f"{course.title} ({course.get_modality_display()}, {course.jp} JP)")
            for course in courses
        ]
        self.by_nip = by_nip
        if by_nip:
            del self.fields["learners"]
        else:
            del self.fields["nips"]
            self.employees = {str(employee.user_id): employee for employee in employees or []}
            self.fields["learners"].choices = [
                (
                    str(employee.user_id),
                    f"{employee.user.get_full_name() or employee.user.username}"
                    + (f" — {employee.unit.name}" if employee.unit_id else ""),
                )
                for employee in employees or []
            ]

    def clean_course(self):
        course = self.courses.get(self.cleaned_data.get("course") or "")
        if course is None:
            raise forms.ValidationError(_("Choose the course to assign."))
        return course

    def clean_due_on(self):
        due_on = self.cleaned_data.get("due_on")
        if due_on is not None and due_on < timezone.localdate():
            raise forms.ValidationError(_("Choose a date to finish by that is today or later."))
        return due_on

    def clean_nips(self) -> list[str]:
        text = self.cleaned_data.get("nips") or ""
        nips = [part.strip() for part in text.replace(",", "\n").split() if part.strip()]
        if not nips:
            raise forms.ValidationError(_("Give the NIP of at least one employee."))
        wrong = [nip for nip in nips if not (nip.isascii() and nip.isdigit() and len(nip) == 18)]
        if wrong:
            raise forms.ValidationError(
                _("These are not 18-digit NIPs: %(nips)s") % {"nips": ", ".join(wrong[:10])}
            )
        return nips

    def clean_learners(self) -> list:
        chosen = self.cleaned_data.get("learners") or []
        if not chosen:
            raise forms.ValidationError(_("Choose at least one employee."))
        return [self.employees[value].user for value in chosen if value in self.employees]


class CourseForm(forms.ModelForm):
    """The facts of a course that HR edit on their pages (steps and quiz questions stay in
    the admin)."""

    class Meta:
        model = Course
        fields = [
            "code",
            "title_id",
            "title_en",
            "summary_id",
            "summary_en",
            "description_id",
            "description_en",
            "modality",
            "jp",
            "provider",
            "audience_agencies",
            "audience_id",
            "audience_en",
            "capacity",
            "requires_approval",
            "prerequisites",
            "issues_certificate",
            "external_activity_id",
        ]
        widgets = {
            "description_id": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 5}),
            "audience_agencies": forms.CheckboxSelectMultiple,
            "jp": forms.NumberInput(attrs={"step": "0.5", "class": "input--short"}),
            "capacity": forms.NumberInput(attrs={"class": "input--short"}),
        }

    def __init__(self, *args, providers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.fields["provider"].empty_label = _("Choose the agency that provides it")
        self.fields["audience_agencies"].queryset = Agency.objects.filter(is_active=True)
        prerequisites = Course.objects.order_by("title_id")
        if self.instance.pk:
            prerequisites = prerequisites.exclude(pk=self.instance.pk)
            # The code names the course in URLs and files: it stays.
            self.fields["code"].disabled = True
        self.fields["prerequisites"].queryset = prerequisites
        self.fields["prerequisites"].required = False
        self.fields["external_activity_id"].required = False

    def clean_external_activity_id(self):
        return (self.cleaned_data.get("external_activity_id") or "").strip() or None

    def clean_jp(self):
        jp = self.cleaned_data.get("jp")
        if jp is not None and (jp < 0 or jp > 1000):
            raise forms.ValidationError(_("Give between 0 and 1000 JP."))
        return jp


class CompetencyRowForm(forms.Form):
    """One competency the course builds, and the level."""

    competency = forms.ChoiceField(label=gettext_lazy("Competency"), required=False)
    level = forms.TypedChoiceField(
        label=gettext_lazy("Level it builds"),
        choices=[("", "—")] + [(str(level), str(level)) for level in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, competencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.competencies = {competency.code: competency for competency in competencies}
        self.fields["competency"].choices = [("", _("None"))] + [
            (competency.code, f"{competency.name} ({competency.code})")
            for competency in competencies
        ]

    def clean(self):
        cleaned = super().clean()
        code, level = cleaned.get("competency"), cleaned.get("level")
        if code and level is None:
            self.add_error("level", _("Choose the level the course builds."))
        if level is not None and not code:
            self.add_error("competency", _("Choose the competency."))
        cleaned["competency_obj"] = self.competencies.get(code or "")
        return cleaned


class LessonForm(forms.ModelForm):
    video_url = forms.URLField(
        label=capfirst(Lesson._meta.get_field("video_url").verbose_name),
        max_length=200,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Lesson
        fields = [
            "kind",
            "title_id",
            "title_en",
            "body_id",
            "body_en",
            "video_url",
            "file",
            "minutes",
            "pass_mark",
            "max_attempts",
        ]
        widgets = {
            "body_id": forms.Textarea(attrs={"rows": 8}),
            "body_en": forms.Textarea(attrs={"rows": 8}),
            "minutes": forms.NumberInput(attrs={"class": "input--short"}),
            "pass_mark": forms.NumberInput(attrs={"class": "input--short"}),
            "max_attempts": forms.NumberInput(attrs={"class": "input--short"}),
        }

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == LessonKind.VIDEO and not cleaned.get("video_url"):
            self.add_error("video_url", _("Give the link of the video."))
        video = cleaned.get("video_url") or ""
        if video and not video.startswith("https://"):
            self.add_error("video_url", _("Give the full https:// address of the video."))
        if kind == LessonKind.FILE and not (cleaned.get("file") or self.instance.file):
            self.add_error("file", _("Upload the file to download."))
        if (cleaned.get("pass_mark") or 0) > 100:
            self.add_error("pass_mark", _("The pass mark is a percentage, at most 100."))
        return cleaned


def year_choices(today: datetime.date | None = None) -> list[int]:
    """The years a compliance report may be shown for: this one and the four before."""
    year = (today or timezone.localdate()).year
    return list(range(year, year - 5, -1))


class ComplianceForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, required=False)
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), required=False)

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(str(year), str(year)) for year in year_choices()]
        self.units = {str(unit.public_id): unit for unit in units}
        self.fields["unit"].choices = [("", _("All units"))] + [
            (str(unit.public_id), f"{unit.name} — {unit.agency}") for unit in units
        ]

    def chosen(self) -> tuple[int, object]:
        """(year, unit or None); this year and every unit when the form is not valid."""
        year, unit = timezone.localdate().year, None
        if self.is_bound and self.is_valid():
            year = self.cleaned_data.get("year") or year
            unit = self.units.get(self.cleaned_data.get("unit") or "")
        return year, unit
