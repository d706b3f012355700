"""The queue page's bulk bar (the page's form for tickets.bulk, the same code as the API's
bulk endpoint). It checks shape only; each ticket then passes the single action's rules."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from schools.roles import staff_users
from tickets.form_options import field_of
from tickets.forms import StaffChoiceField
from tickets.models import Ticket


class BulkForm(forms.Form):
    """The queue page's bulk bar: the selected rows and one action, with that action's fields.

    The action is the submit button pressed; each action's text is required for it alone.
    """

    ACTIONS = ("assign", "start", "wait", "resolve", "close")
    # The text each action needs, as the API's serializers require it.
    REQUIRED = {"wait": "wait_reason", "resolve": "resolution"}

    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=False)
    action = forms.ChoiceField(choices=[(action, action) for action in ACTIONS])
    assignee = StaffChoiceField(
        label=_("Assign to"), queryset=staff_users(), required=False, empty_label=_("Choose a technician")
    )
    on = forms.TypedChoiceField(
        label=_("Waiting on"),
        choices=Ticket.WaitingOn.choices,
        initial=Ticket.WaitingOn.REQUESTER,
        empty_value=Ticket.WaitingOn.REQUESTER,
        required=False,
    )
    wait_reason = forms.CharField(label=_("What are they waiting for?"), max_length=2000, required=False)
    resolution = forms.CharField(
        label=_("How was it fixed? (one message for every ticket)"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    self_help = forms.CharField(
        label=_("How can they fix it themselves next time?"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    close_reason = forms.CharField(label=_("Note (optional)"), max_length=2000, required=False)
    next = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args: Any, team: list[User] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_bulk_%s")
        super().__init__(*args, **kwargs)
        if team is not None:  # the queue page's technicians, read once (the select would count, then list)
            field = field_of(self, "assignee", StaffChoiceField)
            field.choices = [("", field.empty_label or "")] + [
                (str(user.pk), field.label_from_instance(user)) for user in team
            ]
        # Any id may be posted: each is looked up in the actor's reach by tickets.bulk.
        self.fields["ids"].valid_value = lambda value: True  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what `Form.clean` returns
        if not data.get("ids"):
            raise forms.ValidationError(_("Select at least one ticket first."))
        action = data.get("action")
        if action == "assign" and not data.get("assignee"):
            self.add_error("assignee", _("Choose whom to assign them to."))
        needed = self.REQUIRED.get(action or "")
        if needed and not (data.get(needed) or "").strip():
            self.add_error(needed, _("This field is required."))
        return data

    def service_fields(self) -> dict[str, Any]:
        """The chosen action's keyword arguments for its service (tickets.bulk.BULK_ACTIONS)."""
        data = self.cleaned_data
        return {
            "assign": lambda: {"assignee": data["assignee"]},
            "start": lambda: {},
            "wait": lambda: {"reason": data["wait_reason"], "on": data["on"]},
            "resolve": lambda: {"resolution": data["resolution"], "self_help": data["self_help"]},
            "close": lambda: {"reason": data["close_reason"]},
        }[data["action"]]()
