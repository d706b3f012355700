"""The director's school pages: `/schools/` (list and add) and `/schools/<id>/` (edit).

Directors only; everyone else gets 404. Writes go through schools.services, as
`/api/schools/` does; a new school's queue comes from tickets' post_save receiver.
The campus contact is named on the person's page (`/people/<id>/`), so this form
never lists every person in the district.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schools import services
from schools.errors import DomainError, show_on_form
from schools.models import School
from schools.roles import SignedInRequest, is_director


class SchoolForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    code = forms.CharField(label=gettext_lazy("Short code"), max_length=20, help_text=gettext_lazy("e.g. JES"))
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=School.Level.choices)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=300, required=False)


def _director_or_404(request: SignedInRequest) -> None:
    if not is_director(request.user):
        raise Http404


@login_required
def school_list(request: SignedInRequest) -> HttpResponse:
    """Every school with its campus contact; the add form below the table."""
    _director_or_404(request)
    form = SchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            school = services.create_school(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("%(school)s added, with its own queue.") % {"school": school.name})
            return redirect("school_list")
    schools = School.objects.select_related("campus_contact").order_by("name", "pk")
    return render(request, "schools/school_list.html", {"schools": schools, "form": form})


@login_required
def school_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    _director_or_404(request)
    school = get_object_or_404(School.objects.select_related("campus_contact"), pk=pk)
    initial = {name: getattr(school, name) for name in SchoolForm.base_fields}
    form = SchoolForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_school(actor=request.user, school=school, changes=form.cleaned_data)
        except DomainError as error:
            show_on_form(form, error)
            school.refresh_from_db()
        else:
            messages.success(request, _("Saved."))
            return redirect("school_list")
    return render(request, "schools/school_form.html", {"school": school, "form": form})
