"""Forms for the ticket pages. They check shape only; the rules live in tickets.services."""

import copy
import functools
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schools.models import School
from schools.roles import staff_users
from tickets.compose import THEN_RESOLVE, THEN_WAIT_REQUESTER, THEN_WAIT_THIRD_PARTY
from tickets.followers import follower_candidates
from tickets.form_options import ReadOnce, field_of, options_from, options_read_once
from tickets.kb.selectors import articles_for_requesters
from tickets.models import Category, Impact, SavedReply, Ticket, Urgency

# The teacher-facing words for impact and urgency (PRODUCT.md: no jargon for requesters).
IMPACT_CHOICES = [
    (Impact.LOW, _("Only me — I can work around it")),
    (Impact.MEDIUM, _("It slows my class or a few people down")),
    (Impact.HIGH, _("My class or the school can't work")),
]
URGENCY_CHOICES = [
    (Urgency.LOW, _("This week is fine")),
    (Urgency.MEDIUM, _("Today or tomorrow")),
    (Urgency.HIGH, _("Right now — I'm stuck")),
]
SERVICE_MODE_CHOICES = [("", _("Not decided")), *Ticket.ServiceMode.choices]


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class TicketCreateForm(forms.Form):
    title = forms.CharField(
        label=_("What's wrong?"),
        max_length=200,
        help_text=_("A few words, e.g. “Projector in room 12 won't turn on”."),
    )
    description = forms.CharField(
        label=_("Tell us what happened"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What were you doing, what did you see, and what have you tried?"),
    )
    # Accepts any category so an out-of-scope pick reaches the service, which says who
    # handles it instead; __init__ offers only the in-scope ones in the select.
    category = forms.ModelChoiceField(label=_("What is it about?"), queryset=Category.objects.all())
    impact = forms.ChoiceField(
        label=_("How much does it affect your class?"), choices=IMPACT_CHOICES, widget=forms.RadioSelect
    )
    urgency = forms.ChoiceField(label=_("How soon do you need it?"), choices=URGENCY_CHOICES, widget=forms.RadioSelect)
    needed_by = forms.DateField(
        label=_("Do you need it by a date?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional."),
    )
    asset_tag = forms.CharField(
        label=_("Device or asset tag"),
        max_length=50,
        required=False,
        help_text=_("Optional: the number on the sticker, if there is one."),
    )
    device_owner = forms.ChoiceField(
        label=_("Whose device is it?"),
        choices=[
            ("district", _("The district's")),
            ("personal", _("My own (personal)")),
            ("", _("Not about a device")),
        ],
        required=False,
        widget=forms.RadioSelect,
        help_text=_("For personal devices we help with district Wi-Fi, accounts and apps; repairs are up to you."),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every category, read once if the form is shown: the select offers those in scope and
        # the page says who handles the others (`out_of_scope`). A valid POST costs one
        # category query, the field's own lookup of the posted id.
        self._categories = functools.cache(lambda: list(Category.objects.all()))
        field_of(self, "category", forms.ChoiceField).choices = functools.cache(
            lambda: [("", _("Choose one")), *((c.pk, str(c)) for c in self._categories() if c.in_scope)]
        )
        # Only the help desk team files on someone's behalf or for another school.
        self.staff = staff
        if staff:
            self.fields["requester"] = forms.CharField(
                label=_("Requester's username or email"),
                max_length=254,
                required=False,
                help_text=_("Leave empty to file it as yourself."),
            )
            self.fields["school"] = forms.ModelChoiceField(
                label=_("School"),
                queryset=School.objects.all(),
                required=False,
                help_text=_("Leave empty for the requester's own school."),
            )
            options_read_once(field_of(self, "school", forms.ModelChoiceField), "name")

    def out_of_scope(self) -> list[Category]:
        """The categories someone else handles, for the page to say who (from the select's query)."""
        return [category for category in self._categories() if not category.in_scope]

    def clean_requester(self) -> User | None:
        value = (self.cleaned_data.get("requester") or "").strip()
        if not value:
            return None
        user = (
            get_user_model()
            .objects.filter(Q(username__iexact=value) | Q(email__iexact=value))
            .order_by("-is_active", "pk")
            .first()
        )
        if user is None:
            raise forms.ValidationError(_("Nobody with that username or email."))
        return user


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your message"), max_length=20000, widget=forms.Textarea(attrs={"rows": 3}))
    internal = forms.BooleanField(label=_("Internal note (only staff see it)"), required=False)


class ComposerForm(CommentForm):
    """The staff composer: a reply or an internal note (a clear switch; what is chosen is
    what is saved), optionally a saved reply to insert, and what else happens on send."""

    KIND_REPLY, KIND_NOTE = "reply", "note"
    kind = forms.ChoiceField(
        label=_("Send as"),
        choices=[(KIND_REPLY, _("Reply to the requester")), (KIND_NOTE, _("Internal note"))],
        initial=KIND_REPLY,
        required=False,
        widget=forms.RadioSelect,
    )
    then = forms.ChoiceField(label=_("And then"), required=False)
    reason = forms.CharField(
        label=_("What is it waiting for?"),
        max_length=2000,
        required=False,
        help_text=_("Needed to put it on hold; the requester is told."),
    )
    saved_reply = forms.TypedChoiceField(label=_("Saved reply"), coerce=int, required=False, empty_value=None)
    # A help article to link in the message: the ones a requester can open.
    article = forms.ModelChoiceField(
        label=_("Help article"),
        queryset=articles_for_requesters(),
        required=False,
        empty_label=_("Choose a help article"),
    )

    def __init__(
        self,
        *args: Any,
        actions: Sequence[str] = (),
        replies: Iterable[SavedReply] | None = None,
        articles: ReadOnce | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "id_composer_%s")
        super().__init__(*args, **kwargs)
        # The tip: the resolve form's own field, so "required as the resolve form requires it" holds by construction.
        self.fields["self_help"] = copy.deepcopy(ResolveForm.base_fields["self_help"])
        self.fields["self_help"].required = False
        self.fields["body"].required = False  # empty only to insert a saved reply; the service refuses an empty send
        then = [("", _("Keep the status"))]
        if "wait" in actions:
            then += [
                (THEN_WAIT_REQUESTER, _("Wait for the requester's answer")),
                (THEN_WAIT_THIRD_PARTY, _("Wait for a part or another company")),
            ]
        if "resolve" in actions:
            then.append((THEN_RESOLVE, _("Mark fixed (the message is the fix)")))
        field_of(self, "then", forms.ChoiceField).choices = then
        # Listed only if drawn (a POST that sends does not query them).
        field_of(self, "saved_reply", forms.ChoiceField).choices = functools.cache(
            lambda: [
                ("", _("Choose a saved reply")),
                *((r.pk, r.title) for r in (replies if replies is not None else [])),
            ]
        )
        article = field_of(self, "article", forms.ModelChoiceField)
        if articles is None:
            options_read_once(article, "title")
        else:  # the page's resolve form lists the same articles: one read for both selects
            options_from(article, lambda: [("", article.empty_label), *(o for o in articles if o[0] != "")])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what `Form.clean` returns
        kind = data.get("kind") or (self.KIND_NOTE if data.get("internal") else self.KIND_REPLY)
        data["kind"] = kind
        data["internal"] = kind == self.KIND_NOTE
        if (
            data.get("then") == THEN_RESOLVE
            and ResolveForm.base_fields["self_help"].required
            and not data.get("self_help")
        ):
            self.add_error("self_help", _("Say how they can fix it themselves next time."))
        return data


class AssignForm(forms.Form):
    assignee = StaffChoiceField(label=_("Technician"), queryset=staff_users(), empty_label=None)

    def __init__(self, *args: Any, team: list[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The rendered select walks its choices more than once; list them once (validation
        # still looks the posted id up in the queryset). The ticket page passes the `team`
        # it already read (tickets.followers.people_beside).
        field = field_of(self, "assignee", StaffChoiceField)
        people = field.queryset if team is None else team
        if people is not None:  # the field always has its queryset (staff_users), but the type allows None
            field.choices = [(user.pk, field.label_from_instance(user)) for user in people]


class FollowerForm(forms.Form):
    follower = StaffChoiceField(label=_("Add a follower"), queryset=get_user_model().objects.none())

    def __init__(self, *args: Any, ticket: Ticket, choices: list[User] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_follow_%s")
        super().__init__(*args, **kwargs)
        # Staff and the people of the ticket's school; listed only if drawn (the ticket page
        # passes those it already read, tickets.followers.people_beside).
        field = field_of(self, "follower", StaffChoiceField)
        candidates = follower_candidates(ticket)
        field.queryset = candidates
        field.choices = functools.cache(
            lambda: [
                ("", _("Choose a person")),
                *((u.pk, field.label_from_instance(u)) for u in (candidates if choices is None else choices)),
            ]
        )


class MergeForm(forms.Form):
    target = forms.CharField(
        label=_("Merge into ticket number"),
        max_length=20,
        help_text=_("This ticket is closed as a duplicate; its messages are copied there."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_merge_%s")
        super().__init__(*args, **kwargs)

    def clean_target(self) -> int:
        value = self.cleaned_data["target"].strip().lstrip("#").strip()
        if not (value.isascii() and value.isdigit()) or len(value) > 12:
            raise forms.ValidationError(_("Enter a ticket number, like #123."))
        return int(value)


class _OwnIds(forms.Form):
    """Forms drawn side by side on the ticket page each with a `reason` field: ids prefixed
    per form (id_wait_reason, id_close_reason, ...) so every label points at its own box.
    The field names, and so what is posted, stay the same."""

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class WaitForm(_OwnIds):
    id_prefix = "wait"
    reason = forms.CharField(label=_("What is it waiting for?"), max_length=2000)
    # Not required: a form posted without it waits on the requester, as the API's default does.
    on = forms.TypedChoiceField(
        label=_("Waiting on"),
        choices=Ticket.WaitingOn.choices,
        initial=Ticket.WaitingOn.REQUESTER,
        empty_value=Ticket.WaitingOn.REQUESTER,
        required=False,
        widget=forms.RadioSelect,
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How was it fixed?"), max_length=20000, widget=forms.Textarea(attrs={"rows": 3})
    )
    self_help = forms.CharField(
        label=_("How can they fix it themselves next time?"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    self_help_article = forms.ModelChoiceField(
        label=_("Self-help article to send with it (optional)"),
        queryset=articles_for_requesters(),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options_read_once(field_of(self, "self_help_article", forms.ModelChoiceField), "title")

    def article_options(self) -> ReadOnce:
        """The articles' options as this form reads them (once), for another select on the same page."""
        options = field_of(self, "self_help_article", forms.ModelChoiceField).choices
        assert isinstance(options, ReadOnce)  # set in __init__
        return options


class CloseForm(_OwnIds):
    id_prefix = "close"
    reason = forms.CharField(label=_("Note (optional)"), max_length=2000, required=False)


class ReopenForm(_OwnIds):
    id_prefix = "reopen"
    reason = forms.CharField(label=_("What is still wrong?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class TriageForm(forms.Form):
    """The staff-editable fields of services.EDITABLE_FIELDS, plus the version the page was built from."""

    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all())
    impact = forms.ChoiceField(label=_("Impact"), choices=Impact.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    service_mode = forms.ChoiceField(label=_("Service mode"), choices=SERVICE_MODE_CHOICES, required=False)
    asset_tag = forms.CharField(label=_("Asset tag"), max_length=50, required=False)
    device_owner = forms.ChoiceField(
        label=_("Device owner"), choices=[("", "—"), *Ticket.DeviceOwner.choices], required=False
    )
    needed_by = forms.DateField(
        label=_("Needed by"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.all())
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options_read_once(field_of(self, "category", forms.ModelChoiceField), "name", "name_es")
        options_read_once(field_of(self, "school", forms.ModelChoiceField), "name")

    @classmethod
    def for_ticket(cls, ticket: Ticket) -> "TriageForm":
        return cls(
            initial={
                "category": ticket.category_id,
                "impact": ticket.impact,
                "urgency": ticket.urgency,
                "service_mode": ticket.service_mode or "",
                "asset_tag": ticket.asset_tag,
                "device_owner": ticket.device_owner,
                "needed_by": ticket.needed_by,
                "school": ticket.school_id,
                "version": ticket.version,
            }
        )

    def changes(self) -> dict[str, object]:
        data = {field: self.cleaned_data[field] for field in self.fields if field != "version"}
        data["service_mode"] = data["service_mode"] or None
        return data
