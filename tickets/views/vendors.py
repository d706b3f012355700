"""Pages for vendor escalation: send a ticket out, record its return, the turnaround table."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from schools.roles import SignedInRequest, is_director, is_staff_member
from tickets import selectors, vendors
from tickets.errors import DomainError
from tickets.models import Vendor, VendorCase


class EscalateForm(forms.Form):
    vendor = forms.ModelChoiceField(queryset=Vendor.objects.all())
    case_number = forms.CharField(max_length=100)
    note = forms.CharField(max_length=2000, required=False)


class ReturnedForm(forms.Form):
    note = forms.CharField(max_length=500, required=False)


class VendorForm(forms.ModelForm):
    class Meta:
        model = Vendor
        fields = ["name", "contact", "contract_reference", "turnaround_days"]


def _staff_only(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise Http404


@login_required
@require_POST
def escalate(request: SignedInRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    ticket = get_object_or_404(selectors.tickets_visible_to(request.user), pk=pk)
    form = EscalateForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("ticket-detail", pk=ticket.pk)
    try:
        case = vendors.escalate_to_vendor(actor=request.user, ticket=ticket, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Sent to {case.vendor.name} (case {case.case_number}). The ticket now waits.")
    return redirect("ticket-detail", pk=ticket.pk)


@login_required
@require_POST
def case_returned(request: SignedInRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    case = get_object_or_404(VendorCase.objects.select_related("ticket", "vendor"), pk=pk)
    form = ReturnedForm(request.POST)
    if not form.is_valid():
        for error in form.errors["note"]:
            messages.error(request, str(error))
        return redirect("ticket-detail", pk=case.ticket_id)
    try:
        vendors.vendor_returned(actor=request.user, case=case, note=form.cleaned_data["note"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Back from {case.vendor.name}; work resumed.")
    return redirect("ticket-detail", pk=case.ticket_id)


@login_required
def vendor_list(request: SignedInRequest) -> HttpResponse:
    """The director's vendor list and turnaround table; adding a vendor is a POST here."""
    if not is_director(request.user):
        raise DjangoPermissionDenied
    form = VendorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            vendor = vendors.save_vendor(changes=form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, f"Added {vendor.name}.")
            return redirect("vendors")
    return render(request, "tickets/vendors/list.html", {"rows": vendors.turnaround_table(), "form": form})
