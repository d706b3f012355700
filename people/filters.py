"""One FilterSet for `/people/` and `/api/people/`, so the page and the API filter alike."""

import django_filters
from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from people.selectors import Role, matching
from schools.models import School


class PersonFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Name, username or email"))
    role = django_filters.ChoiceFilter(choices=Role.choices, field_name="role_name", label=_("Role"))
    school = django_filters.ModelChoiceFilter(
        queryset=School.objects.all(), field_name="profile__school", label=_("Home school")
    )
    is_active = django_filters.BooleanFilter(
        label=_("Active"),
        widget=forms.Select(choices=[("", _("Everyone")), ("true", _("Active")), ("false", _("Deactivated"))]),
    )

    class Meta:
        model = User
        fields = ["search", "role", "school", "is_active"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return matching(queryset, value)
