"""The director's people pages: `/people/` and `/people/<id>/`.

Directors only; everyone else gets 404 (pages out of reach answer 404, PRODUCT.md).
Every change goes through people.services, the same functions `/api/people/` calls.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from people import services
from people.filters import PersonFilter
from people.selectors import Role, people_list, role_of
from schools.errors import DomainError, show_on_form
from schools.models import School
from schools.pagination import CappedPaginator, requested_page
from schools.roles import SignedInRequest, is_director

PAGE_SIZE = 50


class PersonForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    school = forms.ModelChoiceField(
        label=gettext_lazy("Home school"),
        queryset=School.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("No home school"),
    )


class CampusContactForm(forms.Form):
    school = forms.ModelChoiceField(
        label=gettext_lazy("Make them the campus contact of"), queryset=School.objects.order_by("name")
    )


def _director_or_404(request: SignedInRequest) -> None:
    if not is_director(request.user):
        raise Http404


def _person(pk: int) -> User:
    return get_object_or_404(people_list(), pk=pk)


@login_required
def person_list(request: SignedInRequest) -> HttpResponse:
    """Search and filter with the API's FilterSet; 50 a page."""
    _director_or_404(request)
    filterset = PersonFilter(request.GET or None, queryset=people_list())
    people = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    paginator = CappedPaginator(people, PAGE_SIZE, page_hint=requested_page(request.GET.get("page")))
    page = paginator.get_page(request.GET.get("page"))
    for person in page:
        person.role_label = Role(person.role_name).label
    return render(request, "people/list.html", {"filterset": filterset, "page": page})


@login_required
def person_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """Names, email, role and home school in one form; campus contact and deactivation beside it."""
    _director_or_404(request)
    person = _person(pk)
    profile = getattr(person, "profile", None)
    initial = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "role": role_of(person),
        "school": profile.school if profile else None,
    }
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {name: value for name, value in form.cleaned_data.items() if value != initial[name]}
        try:
            services.update_person(actor=request.user, person=person, changes=changes)
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("person_detail", pk=person.pk)
    context = {
        "person": person,
        "form": form,
        "contact_form": CampusContactForm(),
        "contact_for": person.contact_for_schools.order_by("name"),
    }
    return render(request, "people/detail.html", context)


@login_required
@require_POST
def person_campus_contact(request: SignedInRequest, pk: int) -> HttpResponse:
    """Name the person campus contact of a school, or (with `clear`) stop them being one."""
    _director_or_404(request)
    person = _person(pk)
    if request.POST.get("clear"):
        school = get_object_or_404(School, pk=request.POST["clear"], campus_contact=person)
        services.set_campus_contact(actor=request.user, school=school, person=None)
        messages.success(request, _("%(school)s has no campus contact now.") % {"school": school.name})
        return redirect("person_detail", pk=person.pk)
    form = CampusContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a school."))
        return redirect("person_detail", pk=person.pk)
    school = form.cleaned_data["school"]
    try:
        services.set_campus_contact(actor=request.user, school=school, person=person)
    except DomainError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Campus contact of %(school)s now.") % {"school": school.name})
    return redirect("person_detail", pk=person.pk)


@login_required
def person_active(request: SignedInRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST deactivates (or reactivates) through the service."""
    _director_or_404(request)
    person = _person(pk)
    if request.method == "POST":
        try:
            if person.is_active:
                services.deactivate_person(actor=request.user, person=person)
                messages.success(request, _("Deactivated. They can no longer sign in; their tickets stay."))
            else:
                services.reactivate_person(actor=request.user, person=person)
                messages.success(request, _("Reactivated. They can sign in again."))
        except DomainError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("person_detail", pk=person.pk)
    return render(request, "people/confirm_active.html", {"person": person})
