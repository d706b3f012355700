"""Domain errors raised by services; the API and the pages each translate them once.

Messages are translated when raised, in the language of the request (or email) at hand.
"""

from django.utils.translation import gettext, pgettext_lazy


class DomainError(Exception):
    """A rule refused the change. `field` names the input at fault, if any."""

    http_status = 400  # what the API answers; the bulk endpoint reports it per ticket

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    def as_field_errors(self) -> dict[str, list[str]]:
        return {self.field or "non_field_errors": [str(self)]}


class InvalidTransition(DomainError):
    """The ticket's current status does not allow the action (API: 409)."""

    http_status = 409

    def __init__(self, action: str, current: str) -> None:
        super().__init__(
            gettext("A ticket that is %(status)s cannot be %(action)s.")
            % {"status": STATUS_WORDS.get(current, current), "action": ACTION_PAST.get(action, action)}
        )
        self.action = action
        self.current = current


class ClosedToReplies(InvalidTransition):
    """A requester replied on a closed request (API: 409): the page offers a new request about it instead."""

    def __init__(self) -> None:
        DomainError.__init__(self, gettext("This request is closed. Open a new request about it instead."))
        self.action = "comment"
        self.current = "closed"


class StaleTicket(DomainError):
    """The ticket changed since the caller read it (API: 409); nothing was overwritten."""

    http_status = 409

    def __init__(self) -> None:
        super().__init__(gettext("Someone else changed this ticket while you were editing. Reload and try again."))


class PermissionDenied(DomainError):
    """The actor can see the ticket but may not do this (API: 403)."""

    http_status = 403


# "A ticket that is <status> cannot be <action>." Context keeps these apart from other
# uses of the same English words.
ACTION_PAST = {
    "assign": pgettext_lazy("cannot be ...", "assigned"),
    "start": pgettext_lazy("cannot be ...", "started"),
    "wait": pgettext_lazy("cannot be ...", "put on hold"),
    "resolve": pgettext_lazy("cannot be ...", "resolved"),
    "close": pgettext_lazy("cannot be ...", "closed"),
    "reopen": pgettext_lazy("cannot be ...", "reopened"),
}
STATUS_WORDS = {
    "new": pgettext_lazy("a ticket that is ...", "new"),
    "assigned": pgettext_lazy("a ticket that is ...", "assigned"),
    "in_progress": pgettext_lazy("a ticket that is ...", "in progress"),
    "waiting": pgettext_lazy("a ticket that is ...", "waiting"),
    "resolved": pgettext_lazy("a ticket that is ...", "resolved"),
    "closed": pgettext_lazy("a ticket that is ...", "closed"),
}
