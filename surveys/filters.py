"""One FilterSet for survey answers: the API list and the CSV export share it."""

from datetime import date

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from schools.models import School
from surveys.metrics import local_bounds, within_range
from surveys.models import SurveyResponse
from tickets.models import Category


class SurveyResponseFilter(django_filters.FilterSet):
    school = django_filters.ModelChoiceFilter(field_name="ticket__school", queryset=School.objects.all())
    technician = django_filters.ModelChoiceFilter(
        field_name="ticket__assignee", queryset=get_user_model().objects.all()
    )
    category = django_filters.ModelChoiceFilter(field_name="ticket__category", queryset=Category.objects.all())
    # Dates are the district's calendar days, not UTC days.
    date_from = django_filters.DateFilter(method="filter_date_from", validators=[within_range])
    date_to = django_filters.DateFilter(method="filter_date_to", validators=[within_range])

    class Meta:
        model = SurveyResponse
        fields = ["school", "technician", "category", "date_from", "date_to"]

    def filter_date_from(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        start, _end = local_bounds(value, value)
        return queryset.filter(answered_at__gte=start)

    def filter_date_to(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        _start, end = local_bounds(value, value)
        return queryset.filter(answered_at__lt=end)
