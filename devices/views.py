"""Staff pages for devices: the list, one device, loaners, maintenance plans, and the import.

A device's tickets and vendor cases come through reverse relations (`asset.tickets`),
so this module never imports tickets.
"""

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from devices import importer, selectors, services
from devices.filters import AssetFilter
from devices.models import Asset, AssetImport, MaintenancePlan, MaintenanceTask
from schools.errors import DomainError, show_on_form
from schools.models import School
from schools.pagination import CappedPaginator, requested_page
from schools.roles import SignedInRequest, is_director, is_staff_member

PAGE_SIZE = 50
RECENT_TICKETS = 50


def _staff_or_404(request: HttpRequest) -> None:
    """Staff pages hide themselves from everyone else, as the other staff pages do."""
    if not is_staff_member(request.user):
        raise Http404


def _director_or_404(request: HttpRequest) -> None:
    if not is_director(request.user):
        raise Http404


def _errors(request: HttpRequest, error: DomainError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- devices ----------------------------------------------------------------------------


@login_required
def asset_list(request: SignedInRequest) -> HttpResponse:
    """Search by tag, serial or person; filter by school, kind, status, owner and warranty."""
    _staff_or_404(request)
    filterset = AssetFilter(request.GET or None, queryset=selectors.asset_list(request.user).order_by("tag", "pk"))
    assets = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    paginator = CappedPaginator(assets, PAGE_SIZE, page_hint=requested_page(request.GET.get("page")))
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "devices/list.html", {"filterset": filterset, "page": page})


@login_required
def asset_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """The device, every ticket on it (newest first) with its vendor cases, its warranty,
    who has it, its loans and the history of its holders."""
    _staff_or_404(request)
    asset = get_object_or_404(selectors.asset_detail(request.user), pk=pk)
    tickets = list(
        asset.tickets.select_related("requester", "assignee", "category")
        .prefetch_related("vendor_cases__vendor")
        .order_by("-created_at", "-pk")[:RECENT_TICKETS]
    )
    cases = [case for ticket in tickets for case in ticket.vendor_cases.all()]
    return render(
        request,
        "devices/detail.html",
        {
            "asset": asset,
            "tickets": tickets,
            "vendor_cases": cases,
            "warranty_days_left": asset.warranty_days_left(),
            "assignments": asset.assignments.all(),
            "loans": asset.loans.all(),
            "can_lend": asset.status == Asset.Status.LOANER,
        },
    )


# --- import ------------------------------------------------------------------------------

IMPORT_MAX_BYTES = 20 * 1024 * 1024  # 20,000 devices are about 2 MB


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "Our columns (tag, serial, kind, model, school, room, assigned_to, warranty_end) "
            "or a Google Admin Chrome devices export."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> tuple[str, str]:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        try:
            return upload.name, upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text; save it as CSV (UTF-8).")) from None


@login_required
def asset_import(request: SignedInRequest) -> HttpResponse:
    """Upload a CSV, see what it would change (or every error, with its line), then apply it."""
    _director_or_404(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        filename, text = form.cleaned_data["file"]
        try:
            upload, report = importer.preview_upload(actor=request.user, filename=filename, text=text)
        except importer.ImportRefused as refused:
            context |= {"filename": filename, "errors": refused.errors}
        else:
            context |= {"filename": filename, "upload": upload, "report": report}
    recent = AssetImport.objects.filter(applied_at__isnull=False).select_related("uploaded_by")[:10]
    return render(request, "devices/import.html", context | {"recent": recent})


@login_required
@require_POST
def asset_import_apply(request: SignedInRequest, pk: int) -> HttpResponse:
    _director_or_404(request)
    upload = get_object_or_404(AssetImport, pk=pk, uploaded_by=request.user)
    try:
        report = importer.apply_upload(actor=request.user, upload=upload)
    except importer.ImportRefused as refused:
        # The district changed between the preview and now (a school removed, a person gone).
        for error in refused.errors[:20]:
            messages.error(request, f"{upload.filename} {error}")
    except DomainError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("%(file)s imported: %(created)s devices added, %(updated)s changed.")
            % {"file": upload.filename, "created": report.created, "updated": report.updated},
        )
    return redirect("devices:import")


# --- loaners -------------------------------------------------------------------------------


class BorrowerField(forms.ModelChoiceField):
    """A person by name, with their email to tell two of the same name apart."""

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.get_username()} ({obj.email})"


class LoanForm(forms.Form):
    loaner = forms.ModelChoiceField(queryset=Asset.objects.none(), label=gettext_lazy("Loaner"))
    borrower = BorrowerField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name", "username"),
        label=gettext_lazy("Lent to"),
    )
    for_tag = forms.CharField(max_length=50, required=False, label=gettext_lazy("Their device's tag (in repair)"))
    due_back = forms.DateField(label=gettext_lazy("Due back"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(max_length=300, required=False, label=gettext_lazy("Note"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        loaner = self.fields["loaner"]
        if not isinstance(loaner, forms.ModelChoiceField):
            raise TypeError("a loan's loaner is a model choice")
        loaner.queryset = selectors.loaner_pool()

    def clean_for_tag(self) -> Asset | None:
        tag = self.cleaned_data.get("for_tag", "").strip()
        if not tag:
            return None
        asset = services.find_asset(tag=tag)
        if asset is None:
            raise ValidationError(_("No device has this tag."))
        return asset


@login_required
def loaners(request: SignedInRequest) -> HttpResponse:
    """Loaners out (overdue first), loaners on the shelf, and the form to lend one."""
    _staff_or_404(request)
    form = LoanForm(request.POST or None, initial={"due_back": timezone.localdate() + timedelta(days=14)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            loan = services.check_out_loaner(
                actor=request.user,
                loaner=data["loaner"],
                borrower=data["borrower"],
                due_back=data["due_back"],
                for_asset=data["for_tag"],
                note=data["note"],
            )
        except DomainError as error:
            _errors(request, error)
        else:
            messages.success(request, _("%(tag)s lent out.") % {"tag": loan.loaner.tag})
            return redirect("devices:loaners")
    today = timezone.localdate()
    out = list(selectors.open_loans().order_by("due_back", "pk"))
    return render(
        request,
        "devices/loaners.html",
        {
            "form": form,
            "overdue": [loan for loan in out if loan.due_back < today],
            "out": [loan for loan in out if loan.due_back >= today],
            "pool": selectors.loaner_pool()[:200],
        },
    )


@login_required
@require_POST
def loan_check_in(request: SignedInRequest, pk: int) -> HttpResponse:
    _staff_or_404(request)
    loan = get_object_or_404(selectors.open_loans(), pk=pk)
    try:
        services.check_in_loaner(actor=request.user, loan=loan)
    except DomainError as error:
        _errors(request, error)
    else:
        messages.success(request, _("%(tag)s checked in.") % {"tag": loan.loaner.tag})
    return redirect("devices:loaners")


# --- maintenance ------------------------------------------------------------------------------


class TaskNoteForm(forms.Form):
    """The note on a done or skipped task: the form refuses what the database would (a NUL byte)."""

    note = forms.CharField(max_length=MaintenanceTask._meta.get_field("note").max_length or 2000, required=False)


class PlanForm(forms.ModelForm):
    school = forms.ModelChoiceField(
        queryset=School.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("Every school"),
        label=gettext_lazy("School"),
    )

    class Meta:
        model = MaintenancePlan
        fields = ["title", "checklist", "school", "every_n_weeks", "starts_on", "active"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}), "checklist": forms.Textarea(attrs={"rows": 3})}


@login_required
def maintenance(request: SignedInRequest) -> HttpResponse:
    """Plans (the director adds them here) and the tasks coming up on visits."""
    _staff_or_404(request)
    form = PlanForm(request.POST or None, initial={"starts_on": timezone.localdate(), "every_n_weeks": 4})
    if request.method == "POST":
        _director_or_404(request)
        if form.is_valid():
            try:
                plan = services.save_plan(actor=request.user, changes=form.cleaned_data)
            except DomainError as error:
                show_on_form(form, error)
            else:
                messages.success(request, _("Plan “%(title)s” saved.") % {"title": plan.title})
                return redirect("devices:maintenance")
    today = timezone.localdate()
    upcoming = selectors.task_list().filter(
        status=MaintenanceTask.Status.PLANNED, due_on__lte=today + timedelta(weeks=4)
    )
    return render(
        request,
        "devices/maintenance.html",
        {
            "form": form if is_director(request.user) else None,
            "plans": selectors.plan_list().order_by("title", "pk"),
            "upcoming": upcoming.order_by("due_on", "school__name", "pk")[:200],
        },
    )


@login_required
@require_POST
def task_finish(request: SignedInRequest, pk: int, outcome: str) -> HttpResponse:
    """Done or skipped, from the Today page or the maintenance page; back to where it came from."""
    _staff_or_404(request)
    task = get_object_or_404(MaintenanceTask.objects.select_related("plan"), pk=pk)
    form = TaskNoteForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(errors={name: [str(text) for text in texts] for name, texts in form.errors.items()})
        services.finish_task(actor=request.user, task=task, done=outcome == "done", note=form.cleaned_data["note"])
    except DomainError as error:
        _errors(request, error)
    else:
        messages.success(request, _("“%(title)s” recorded.") % {"title": task.plan.title})
    return redirect("today" if request.POST.get("next") == "today" else "devices:maintenance")
