"""Forms check shape; the services check rules and their errors are shown on the form."""

from datetime import time
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from schools.calendar import format_hours, parse_hours
from schools.models import Closure, DistrictCalendar, Profile, Rotation, School
from schools.selectors import WEEKDAY_NAMES, technicians
from schools.services import MAX_EVERY_N_WEEKS

WEEKDAY_CHOICES = [(day, _(name)) for day, name in WEEKDAY_NAMES.items()]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class RotationForm(forms.ModelForm):
    technician = forms.ModelChoiceField(queryset=technicians(), label=_("Technician"))
    school = forms.ModelChoiceField(queryset=School.objects.order_by("name"), label=_("School"))
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAY_CHOICES[:5], coerce=int, widget=forms.CheckboxSelectMultiple, label=_("Visit days")
    )
    every_n_weeks = forms.IntegerField(min_value=1, max_value=MAX_EVERY_N_WEEKS, initial=1, label=_("Every N weeks"))

    class Meta:
        model = Rotation
        fields = ["technician", "school", "weekdays", "every_n_weeks", "start_date", "end_date"]
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT}


class ClosureForm(forms.ModelForm):
    end_date = forms.DateField(required=False, widget=DATE_INPUT, help_text=_("Leave empty for a single day."))

    class Meta:
        model = Closure
        fields = ["name", "kind", "start_date", "end_date"]
        widgets = {"start_date": DATE_INPUT}


class CalendarForm(forms.ModelForm):
    """The director's calendar: opening and closing time per weekday, for term and for summer."""

    class Meta:
        model = DistrictCalendar
        fields = [
            "summer_start",
            "summer_end",
            "after_hours_policy",
            "summer_policy",
            "load_balanced_assignment",
            "sla_warning_minutes",
            "visit_horizon_weeks",
            "school_year_start_month",
        ]
        widgets = {
            "summer_start": DATE_INPUT,
            "summer_end": DATE_INPUT,
            "after_hours_policy": forms.Textarea(attrs={"rows": 3}),
            "summer_policy": forms.Textarea(attrs={"rows": 3}),
        }

    SEASONS = (("weekly_hours", _("School year")), ("summer_hours", _("Summer")))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for season, _label in self.SEASONS:
            hours = parse_hours(getattr(self.instance, season) or {}, field=season)
            for day, name in WEEKDAY_NAMES.items():
                opens, closes = hours.get(day, (None, None))
                self.fields[f"{season}_{day}_opens"] = forms.TimeField(
                    required=False, initial=opens, widget=TIME_INPUT, label=_("%(day)s opens") % {"day": _(name)}
                )
                self.fields[f"{season}_{day}_closes"] = forms.TimeField(
                    required=False, initial=closes, widget=TIME_INPUT, label=_("%(day)s closes") % {"day": _(name)}
                )

    def hour_rows(self) -> list[dict[str, Any]]:
        """For the template: per season, per weekday, the two bound fields."""
        return [
            {
                "label": label,
                "days": [
                    (_(name), self[f"{season}_{day}_opens"], self[f"{season}_{day}_closes"])
                    for day, name in WEEKDAY_NAMES.items()
                ],
            }
            for season, label in self.SEASONS
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for season, _label in self.SEASONS:
            hours: dict[int, tuple[time, time]] = {}
            for day in WEEKDAY_NAMES:
                opens, closes = data.get(f"{season}_{day}_opens"), data.get(f"{season}_{day}_closes")
                if opens is None and closes is None:
                    continue
                if opens is None or closes is None or not opens < closes:
                    self.add_error(f"{season}_{day}_closes", _("Give an opening time before the closing time."))
                    continue
                hours[day] = (opens, closes)
            data[season] = format_hours(hours)
        return data

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in [*self.Meta.fields, "weekly_hours", "summer_hours"]}


class OwnProfileForm(forms.ModelForm):
    """What teachers say about themselves, in their words."""

    class Meta:
        model = Profile
        fields = ["role", "room", "phone", "preferred_contact", "tech_comfort", "language"]
        labels = {
            "role": _("I work as"),
            "room": _("Room"),
            "phone": _("Phone or extension"),
            "preferred_contact": _("Best way to reach me"),
            "tech_comfort": _("How comfortable are you with technology?"),
            "language": _("Language for pages and emails"),
        }
        help_texts = {"tech_comfort": _("So we can explain things the way that suits you.")}


class AssessmentForm(forms.Form):
    staff_comfort = forms.ChoiceField(
        label=_("Our assessment"), choices=[("", _("Not assessed"))] + Profile.Comfort.choices, required=False
    )
    staff_note = forms.CharField(label=_("How best to help them"), max_length=300, required=False)
