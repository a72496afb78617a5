"""Forms of the projects app: project filters and edits, progress scores, forum meetings and the
import upload. Every form uses the NHS.UK pack (``forms_nhsuk``)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from involvement import access
from involvement.access import Role
from projects.forms_nhsuk import NHSForm, NHSModelForm
from projects.models import (
    IHI_SCORES,
    AimReached,
    Directorate,
    ForumMeeting,
    Level,
    MeetingStatus,
    ProgressScore,
    Project,
    ProjectStatus,
)

# A whole trust's involvement history (120,000 rows) is about 5.5 MB.
MAX_IMPORT_MB = 20
MAX_IMPORT_BYTES = MAX_IMPORT_MB * 1024 * 1024


class ProjectFilterForm(NHSForm):
    """The project list's filters: a GET form, so a filtered list is a link that can be shared."""

    form_method = "get"
    submit_label = "Apply filters"

    q = forms.CharField(
        label="Title or Life QI id",
        required=False,
        max_length=200,
        help_text="Part of the title, or the whole Life QI id",
    )
    directorate = forms.ModelChoiceField(
        queryset=Directorate.objects.all(), required=False, empty_label="All directorates"
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *ProjectStatus.choices], required=False)
    level = forms.TypedChoiceField(
        label="Current level",
        choices=[("", "Any level"), *Level.choices],
        required=False,
        coerce=int,
        empty_value=None,
    )

    def filter(self, projects):
        if not self.is_valid():
            return projects
        data = self.cleaned_data
        if data["q"]:
            projects = projects.search(data["q"])
        if data["directorate"]:
            projects = projects.filter(directorate=data["directorate"])
        if data["status"]:
            projects = projects.filter(status=data["status"])
        if data["level"] is not None:
            projects = projects.filter(current_level=data["level"])
        return projects


class LeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


def project_leads():
    return (
        get_user_model()
        .objects.filter(groups__name=Role.LEAD, is_active=True)
        .order_by("first_name", "last_name", "username")
    )


class ProjectForm(NHSModelForm):
    """Create or edit a project. What the user may choose (directorates, the lead) comes from
    the access rules; the co-production gate is checked by ``services.project_save``."""

    submit_label = "Save project"

    class Meta:
        model = Project
        fields = [
            "title",
            "lifeqi_id",
            "directorate",
            "lead",
            "lead_name",
            "aim",
            "start_date",
            "end_date",
            "status",
            "aim_reached",
            "coproduction_plan",
        ]
        widgets = {
            "status": forms.RadioSelect,
            "aim_reached": forms.RadioSelect,
            "aim": forms.Textarea(attrs={"rows": 3}),
            "coproduction_plan": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"lead_name": "Project lead's name (if they have no account)"}
        help_texts = {
            "end_date": "Leave empty while the project runs",
            "aim_reached": "Once the project has ended",
            "status": "A project leaves draft once it has a service user or carer on its team, "
            "or a co-production plan signed off by a PPL of its directorate.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        project = self.instance
        directorates = access.directorates_for_new_project(user)
        if project.pk:
            directorates = directorates | Directorate.objects.filter(pk=project.directorate_id)
        self.fields["directorate"].queryset = directorates.distinct().order_by("name")
        self.fields["directorate"].empty_label = "Choose a directorate"
        if access.can_choose_project_lead(user, project if project.pk else None):
            leads = project_leads()
            if project.lead_id:
                # The current lead stays choosable even if they left the project lead group.
                leads = leads | get_user_model().objects.filter(pk=project.lead_id)
            self.fields["lead"] = LeadChoiceField(
                queryset=leads.distinct(),
                required=False,
                empty_label="No account (name below)",
                label="Project lead",
                help_text=Project._meta.get_field("lead").help_text,
            )
        else:
            # A project lead starting or editing their project stays its lead.
            del self.fields["lead"]
            del self.fields["lead_name"]
        self.fields["aim_reached"].choices = [
            (AimReached.YES, "Yes"),
            (AimReached.NO, "No"),
            (AimReached.NOT_RECORDED, "Not recorded"),
        ]
        self.fields["status"].choices = ProjectStatus.choices

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_lifeqi_id(self):
        value = (self.cleaned_data.get("lifeqi_id") or "").strip()
        return value or None


class ProgressScoreForm(NHSModelForm):
    submit_label = "Add progress score"

    class Meta:
        model = ProgressScore
        fields = ["score", "date"]
        widgets = {"score": forms.RadioSelect}
        labels = {"score": "Progress score (IHI scale)", "date": "Date of the score"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].choices = [(value, label) for value, label in IHI_SCORES]
        self.fields["date"].initial = timezone.localdate()


class ForumMeetingForm(NHSModelForm):
    submit_label = "Save meeting"

    class Meta:
        model = ForumMeeting
        fields = ["date", "status", "cancellation_announced_on", "note"]
        widgets = {"status": forms.RadioSelect}
        labels = {"date": "Date of the meeting", "note": "Note (optional)"}
        help_texts = {
            "cancellation_announced_on": "Only for a cancelled meeting: the day people were told",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = MeetingStatus.choices
        self.fields["cancellation_announced_on"].required = False

    def clean(self):
        cleaned = super().clean()
        date = cleaned.get("date")
        announced = cleaned.get("cancellation_announced_on")
        if date and announced and announced > date:
            self.add_error(
                "cancellation_announced_on",
                "The cancellation cannot be announced after the meeting's date.",
            )
        return cleaned


class ImportUploadForm(NHSForm):
    submit_label = "Upload and preview"

    file = forms.FileField(
        label="CSV file",
        help_text="Comma-separated values, UTF-8 (with or without BOM) or Excel's CSV; up to "
        f"{MAX_IMPORT_MB} MB",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The name first (a clear answer for a workbook chosen by mistake); the content is then
        # checked whatever the name says (imports.check_is_text).
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(
                "Choose a CSV file (its name ends in .csv). In Excel, choose File → Save As → "
                "“CSV UTF-8 (Comma delimited)”."
            )
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB: the limit is {MAX_IMPORT_MB} MB. "
                "Split it into smaller files and import them one after another."
            )
        return upload
