"""The director's category pages: `/categories/` (list and add) and `/categories/<id>/` (edit).

Directors only; everyone else gets 404. Writes go through tickets.catalog, as
`/api/categories/` does, so the two refuse the same things with the same words.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schools.roles import SignedInRequest, is_director
from tickets import catalog
from tickets.errors import DomainError
from tickets.models import Category, Queue, Vendor


class CategoryForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    slug = forms.SlugField(
        label=gettext_lazy("Short name in links"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Leave empty to make one from the name."),
    )
    in_scope = forms.BooleanField(label=gettext_lazy("The IT team handles this"), required=False, initial=True)
    queue = forms.ModelChoiceField(
        label=gettext_lazy("Send to team queue"),
        queryset=Queue.objects.filter(school__isnull=True).order_by("name"),
        required=False,
        empty_label=gettext_lazy("Each school's own queue"),
    )
    responsible_party = forms.CharField(label=gettext_lazy("Who is responsible"), max_length=200, required=False)
    vendor = forms.ModelChoiceField(
        label=gettext_lazy("Outside company"),
        queryset=Vendor.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("None"),
    )
    guidance = forms.CharField(
        label=gettext_lazy("What to tell the requester when the IT team does not handle it"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    # Spanish readers see these; an empty one shows the English above (schools.translated).
    name_es = forms.CharField(
        label=gettext_lazy("Name in Spanish"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Leave empty to show the English name."),
    )
    responsible_party_es = forms.CharField(
        label=gettext_lazy("Who is responsible, in Spanish"), max_length=200, required=False
    )
    guidance_es = forms.CharField(
        label=gettext_lazy("What to tell the requester, in Spanish"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


def _director_or_404(request: SignedInRequest) -> None:
    if not is_director(request.user):
        raise Http404


def _show_error(form: forms.Form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


@login_required
def category_list(request: SignedInRequest) -> HttpResponse:
    """Every category with where it goes; the add form below the table."""
    _director_or_404(request)
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            category = catalog.create_category(**form.cleaned_data)
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("%(category)s added.") % {"category": category.name})
            return redirect("category_list")
    categories = Category.objects.select_related("queue", "vendor").order_by("name", "pk")
    return render(request, "tickets/category_list.html", {"categories": categories, "form": form})


@login_required
def category_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    _director_or_404(request)
    category = get_object_or_404(Category, pk=pk)
    initial = {name: getattr(category, name) for name in CategoryForm.base_fields}
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            catalog.update_category(category=category, changes=form.cleaned_data)
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("category_list")
    return render(request, "tickets/category_form.html", {"category": category, "form": form})
