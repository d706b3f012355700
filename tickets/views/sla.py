"""The director's page for SLA targets (`/calendar/targets/`); the API has the same rule."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from schools.roles import SignedInRequest, is_director
from tickets.errors import DomainError
from tickets.models import PRIORITY_RANK, SlaTarget
from tickets.sla import update_sla_target
from tickets.sla.clock import MAX_TARGET_VALUE, MIN_TARGET_VALUE

BOUNDS = {"min": MIN_TARGET_VALUE, "max": MAX_TARGET_VALUE}


class SlaTargetForm(forms.ModelForm):
    # Shape only: the bounds are update_sla_target's, so the page and the API say the same
    # (the input's min/max, read from there, only spare a round trip).
    response_value = forms.IntegerField(label="Reply within", widget=forms.NumberInput(attrs=BOUNDS))
    resolution_value = forms.IntegerField(label="Fix within", widget=forms.NumberInput(attrs=BOUNDS))

    class Meta:
        model = SlaTarget
        fields = ["response_value", "response_unit", "resolution_value", "resolution_unit"]
        labels = {"response_unit": "unit", "resolution_unit": "unit"}


@login_required
def sla_targets(request: SignedInRequest) -> HttpResponse:
    """One form per priority, most urgent first; each saves on its own."""
    if not is_director(request.user):
        raise DjangoPermissionDenied
    targets = sorted(SlaTarget.objects.all(), key=lambda target: -PRIORITY_RANK[target.priority])
    forms_by_priority = []
    for target in targets:
        bound = request.method == "POST" and request.POST.get("priority") == target.priority
        form = SlaTargetForm(request.POST if bound else None, instance=target, prefix=target.priority)
        if bound and form.is_valid():
            try:
                update_sla_target(actor=request.user, target=target, changes=form.cleaned_data)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(request, f"Targets for {target.get_priority_display().lower()} priority saved.")
                return redirect("sla_targets")
        forms_by_priority.append((target, form))
    return render(request, "tickets/sla_targets.html", {"forms": forms_by_priority})
