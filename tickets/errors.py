"""Domain errors raised by services; the API and the pages each translate them once."""


class DomainError(Exception):
    """A rule refused the change. `field` names the input at fault, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    def as_field_errors(self) -> dict[str, list[str]]:
        return {self.field or "non_field_errors": [str(self)]}


class InvalidTransition(DomainError):
    """The ticket's current status does not allow the action (API: 409)."""

    def __init__(self, action: str, current: str) -> None:
        super().__init__(f"A ticket that is {current.replace('_', ' ')} cannot be {ACTION_PAST.get(action, action)}.")
        self.action = action
        self.current = current


class StaleTicket(DomainError):
    """The ticket changed since the caller read it (API: 409); nothing was overwritten."""

    def __init__(self) -> None:
        super().__init__("Someone else changed this ticket while you were editing. Reload and try again.")


class PermissionDenied(DomainError):
    """The actor can see the ticket but may not do this (API: 403)."""


ACTION_PAST = {
    "assign": "assigned",
    "start": "started",
    "wait": "put on hold",
    "resolve": "resolved",
    "close": "closed",
    "reopen": "reopened",
}
