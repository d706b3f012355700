"""The tickets app's domain errors, subclasses of the one family in `schools.errors`
(re-exported here, so `from tickets.errors import DomainError` keeps working)."""

from django.utils.translation import gettext, pgettext_lazy

from schools.errors import Conflict, DomainError, PermissionDenied

__all__ = ["ClosedToReplies", "Conflict", "DomainError", "InvalidTransition", "PermissionDenied", "StaleTicket"]


class InvalidTransition(Conflict):
    """The ticket's current status does not allow the action (API: 409)."""

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


class StaleTicket(Conflict):
    """The ticket changed since the caller read it (API: 409); nothing was overwritten."""

    def __init__(self) -> None:
        super().__init__(gettext("Someone else changed this ticket while you were editing. Reload and try again."))


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
