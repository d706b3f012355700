"""The director's roster import page: `/people/import/`, one import's progress, and its apply.

Upload, preview (people.roster.runs.preview_upload: the same reader and plan as
`manage.py import_roster`), apply in the background, follow the progress. Directors only;
everyone else gets 404.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from people.models import RosterImport
from people.roster import Plan
from people.roster.runs import bundle_of_upload, latest_scheduled, preview_upload, start_import
from schools.errors import DomainError
from schools.models import School
from schools.roles import SignedInRequest, is_director

UPLOAD_MAX_BYTES = 50 * 1024 * 1024  # 5,000 people are about 1 MB of CSV
PREVIEW_ROWS = 100
RECENT = 10
FIELD_NAMES = {
    "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"),
    "email": gettext_lazy("email"),
    "is_active": gettext_lazy("active"),
    "school_id": gettext_lazy("home school"),
    "role": gettext_lazy("role"),
    "name": gettext_lazy("name"),
    "code": gettext_lazy("code"),
    "level": gettext_lazy("level"),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe): cleans to a list."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            if not data:
                return [super().clean(None, initial)]
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


class RosterForm(forms.Form):
    roster = MultipleFileField(
        label=gettext_lazy("Roster files"),
        help_text=gettext_lazy(
            "The OneRoster .zip from your student information system, or schools.csv and people.csv together."
        ),
        widget=MultipleFileInput(attrs={"accept": ".zip,.csv,application/zip,text/csv"}),
    )

    def clean_roster(self) -> tuple[str, bytes]:
        uploads = self.cleaned_data["roster"]
        if sum(upload.size for upload in uploads) > UPLOAD_MAX_BYTES:
            raise ValidationError(_("The files are larger than 50 MB together."))
        names = [upload.name.lower() for upload in uploads]
        if len(uploads) > 1 and not all(name.endswith(".csv") for name in names):
            raise ValidationError(_("Choose one .zip, or CSV files only."))
        return bundle_of_upload([(upload.name, upload.read()) for upload in uploads])


def _director_or_404(request: SignedInRequest) -> None:
    if not is_director(request.user):
        raise Http404


def _describe(changes: dict[str, tuple[Any, Any]], schools: dict[int, str]) -> str:
    """ "home school: Adams → Lincoln, role: staff → teacher", in the reader's language."""

    def shown(name: str, value: Any) -> str:
        if name == "school_id":
            if isinstance(value, tuple):  # a school this import creates
                return str(value[1])
            return schools.get(value, "—") if value else "—"
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return str(value) if value not in (None, "") else "—"

    return ", ".join(
        f"{FIELD_NAMES.get(name, name)}: {shown(name, old)} → {shown(name, new)}"
        for name, (old, new) in changes.items()
    )


def _preview(plan: Plan) -> dict[str, Any]:
    schools = dict(School.objects.values_list("pk", "name"))
    return {
        "new_schools": plan.new_schools[:PREVIEW_ROWS],
        "changed_schools": [(c, _describe(c.changes, schools)) for c in plan.changed_schools[:PREVIEW_ROWS]],
        "new_people": plan.new_people[:PREVIEW_ROWS],
        "changed_people": [(c, _describe(c.changes, schools)) for c in plan.changed_people[:PREVIEW_ROWS]],
        "leavers": plan.leavers[:PREVIEW_ROWS],
        "unchanged": plan.unchanged_people,
        "shown": PREVIEW_ROWS,
    }


@login_required
def roster_import(request: SignedInRequest) -> HttpResponse:
    """Upload a roster and see what it would change (or every error, with file and line)."""
    _director_or_404(request)
    form = RosterForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        filename, data = form.cleaned_data["roster"]
        try:
            record, plan = preview_upload(actor=request.user, filename=filename, data=data)
        except DomainError as error:
            form.add_error("roster", error.messages)
        else:
            context["record"] = record
            if not plan.errors:
                context["preview"] = _preview(plan)
    recent = RosterImport.objects.exclude(status=RosterImport.Status.PREVIEWED).select_related("uploaded_by")
    context |= {"recent": recent[:RECENT], "scheduled": latest_scheduled()}
    return render(request, "people/import.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def roster_import_apply(request: SignedInRequest, pk: int) -> HttpResponse:
    _director_or_404(request)
    record = get_object_or_404(RosterImport, pk=pk, uploaded_by=request.user)
    try:
        start_import(actor=request.user, record=record)
    except DomainError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("roster_import_detail", pk=record.pk)


@login_required
def roster_import_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """One import: its progress while it runs (the page's script polls), then what it changed."""
    _director_or_404(request)
    record = get_object_or_404(RosterImport.objects.select_related("uploaded_by"), pk=pk)
    return render(request, "people/import_detail.html", {"record": record})


@login_required
def roster_import_progress(request: SignedInRequest, pk: int) -> JsonResponse:
    _director_or_404(request)
    record = get_object_or_404(RosterImport, pk=pk)
    return JsonResponse(
        {
            "status": record.status,
            "done": record.done,
            "total": record.total,
            "percent": record.percent,
            "in_progress": record.in_progress,
            "message": _progress_text(record),
        }
    )


def _progress_text(record: RosterImport) -> str:
    if record.status == RosterImport.Status.QUEUED:
        return _("Waiting to start…")
    if record.status == RosterImport.Status.APPLYING:
        return _("Applying: %(done)s of %(total)s people…") % {"done": record.done, "total": record.total}
    return str(record.get_status_display())
