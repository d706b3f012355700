"""One FilterSet for the device list: the `/assets/` page and `/api/assets/` share it."""

from datetime import timedelta

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from devices.models import WARRANTY_ENDING_DAYS, Asset
from devices.selectors import search_assets
from schools.models import School


class AssetFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Tag, serial or person"), max_length=200)
    school = django_filters.ModelChoiceFilter(queryset=School.objects.all(), label=_("School"))
    kind = django_filters.MultipleChoiceFilter(choices=Asset.Kind.choices, label=_("Kind"))
    status = django_filters.MultipleChoiceFilter(choices=Asset.Status.choices, label=_("Status"))
    assigned_to = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all(), label=_("Person"))
    owner = django_filters.ChoiceFilter(choices=Asset.Owner.choices, label=_("Owner"))
    warranty = django_filters.ChoiceFilter(
        choices=[("active", _("Active")), ("ending", _("Ending within 90 days")), ("expired", _("Expired"))],
        method="filter_warranty",
        label=_("Warranty"),
    )
    ordering = django_filters.OrderingFilter(
        fields=(("tag", "tag"), ("warranty_end", "warranty_end"), ("updated_at", "updated_at"), ("id", "id"))
    )

    class Meta:
        model = Asset
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet[Asset], name: str, value: str) -> QuerySet[Asset]:
        return search_assets(queryset, value)

    def filter_warranty(self, queryset: QuerySet[Asset], name: str, value: str) -> QuerySet[Asset]:
        today = timezone.localdate()
        soon = today + timedelta(days=WARRANTY_ENDING_DAYS)
        if value == "expired":
            return queryset.filter(warranty_end__lt=today)
        if value == "ending":
            return queryset.filter(warranty_end__gte=today, warranty_end__lte=soon)
        if value == "active":
            return queryset.filter(warranty_end__gt=soon)
        return queryset
