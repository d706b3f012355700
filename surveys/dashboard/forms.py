"""Shapes only: the dashboard's period and filters, and the goals of a school year."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import School
from schools.roles import staff_users
from surveys import metrics
from surveys.models import Goal
from tickets.models import Category


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class DashboardFilterForm(forms.Form):
    PERIODS = [
        ("school_year", _("This school year")),
        ("last_30", _("Last 30 days")),
        ("custom", _("Custom range")),
    ]
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[metrics.within_range],
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}), validators=[metrics.within_range]
    )
    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.order_by("name"), required=False, empty_label=_("All schools")
    )
    technician = StaffChoiceField(
        label=_("Technician"), queryset=get_user_model().objects.none(), required=False, empty_label=_("Everyone")
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.order_by("name"), required=False, empty_label=_("All categories")
    )
    interval = forms.ChoiceField(
        label=_("Trend by"), choices=[("week", _("Week")), ("month", _("Month"))], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        technician = self.fields["technician"]
        assert isinstance(technician, StaffChoiceField)  # the field declared above
        technician.queryset = staff_users(include_inactive=True)
        # Styled like every other form's boxes (and as wide as their column on a phone).
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} w-100"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        today = timezone.localdate()
        period = data.get("period") or ("custom" if data.get("date_from") or data.get("date_to") else "school_year")
        data["period"] = period
        if period == "last_30":
            data["date_from"], data["date_to"] = today - timedelta(days=29), today
        elif period == "school_year":
            data["date_from"], data["date_to"] = metrics.default_range(today)
        else:
            date_to = data.get("date_to") or today
            date_from = data.get("date_from") or metrics.default_range(date_to)[0]
            problem = metrics.range_error(date_from, date_to)
            if problem:
                self.add_error("date_from", problem)
            data["date_from"], data["date_to"] = date_from, date_to
        data["interval"] = data.get("interval") or default_interval(data["date_from"], data["date_to"])
        return data

    def show_what_is_drawn(self) -> None:
        """Bind the period, dates and trend interval actually used, so the boxes say what the page shows.

        Without this a first visit (no query) rendered "Week" in the trend box above charts
        drawn by month, and empty dates above a school year's figures.
        """
        data = self.data.copy() if hasattr(self.data, "copy") else dict(self.data)
        for name in ("period", "interval"):
            data[name] = self.cleaned_data[name]
        for name in ("date_from", "date_to"):
            data[name] = self.cleaned_data[name].isoformat()
        self.data = data

    def to_filters(self) -> metrics.Filters:
        return metrics.Filters.from_cleaned(self.cleaned_data)


def default_interval(date_from: date, date_to: date) -> str:
    return "week" if (date_to - date_from).days <= 120 else "month"


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = [
            "school_year",
            "quality_satisfaction_pct",
            "timeliness_satisfaction_pct",
            "first_response_hours",
            "resolution_hours",
            "sla_met_pct",
        ]
        labels = {
            "school_year": _("School year"),
            "quality_satisfaction_pct": _("Quality satisfaction goal (%)"),
            "timeliness_satisfaction_pct": _("Timeliness satisfaction goal (%)"),
            "first_response_hours": _("First response goal (hours)"),
            "resolution_hours": _("Resolution goal (hours)"),
            "sla_met_pct": _("SLA met goal (%)"),
        }
