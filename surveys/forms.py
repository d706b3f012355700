"""Shapes only; the rules live in surveys.services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.services import RATING_WORDS

RATING_CHOICES = [(value, word) for value, word in RATING_WORDS.items()]
TRUE_WORDS = {"yes", "true", "1", "on"}
FALSE_WORDS = {"no", "false", "0", "off"}


class YesNoField(forms.ChoiceField):
    """A yes/no radio pair that also accepts the booleans API.md allows (`learned`)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[("yes", _("Yes")), ("no", _("No"))], required=False, **kwargs)

    def to_python(self, value: Any) -> str:
        text = str(value).strip().lower() if value not in (None, "") else ""
        if text in TRUE_WORDS:
            return "yes"
        if text in FALSE_WORDS:
            return "no"
        return text

    def clean(self, value: Any) -> bool | None:
        text = super().clean(value)
        return {"yes": True, "no": False}.get(text)


class SurveyForm(forms.Form):
    timeliness = forms.TypedChoiceField(
        label=_("How quickly was your request handled?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose how quickly we helped, from 1 to 5.")},
    )
    quality = forms.TypedChoiceField(
        label=_("How well was your problem solved?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose how well we solved it, from 1 to 5.")},
    )
    learned = YesNoField(
        label=_("I learned how to handle this next time"), widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    comment = forms.CharField(
        label=_("Anything you'd like to tell us? (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    wants_contact = forms.BooleanField(
        label=_("I'd like someone to contact me"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class FollowUpForm(forms.Form):
    note = forms.CharField(label=_("How did you follow up?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


def preselected_rating(raw: str | None) -> int | None:
    """A rating from the email's link (?quality=N), only if it is a valid one."""
    if raw and raw.isdigit() and int(raw) in RATING_WORDS:
        return int(raw)
    return None
