"""The domain errors every app raises, on the ground floor so every app can.

A service that refuses a change raises a `DomainError` (or a subclass of its own app's,
e.g. `tickets.errors.InvalidTransition`, `surveys.services.SurveyExpired`). The API
translates them once (`helpdesk.api.exception_handler`: 403, 409 or 400 with field
errors) and the pages show them as form errors or messages. Messages are translated
when raised, in the language of the request (or email) at hand.
"""

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

if TYPE_CHECKING:
    from django.forms import BaseForm


class DomainError(Exception):
    """A rule refused the change.

    `field` names the input at fault, if any; `errors` gives several fields at once
    (`{"end_date": ["..."], "weekdays": ["..."]}`), the message being the first of them.
    `http_status` is what the API answers (the bulk endpoint reports it per ticket).
    """

    http_status = 400

    def __init__(
        self, message: str = "", *, field: str | None = None, errors: dict[str, list[str]] | None = None
    ) -> None:
        if errors is None:
            errors = {field or "non_field_errors": [message]}
        elif not message:
            message = next(iter(errors.values()))[0]
        super().__init__(message)
        self.field = field
        self.errors = errors

    def as_field_errors(self) -> dict[str, list[str]]:
        return {name: [str(text) for text in texts] for name, texts in self.errors.items()}

    @property
    def messages(self) -> list[str]:
        return [str(text) for texts in self.errors.values() for text in texts]


class PermissionDenied(DomainError, DjangoPermissionDenied):
    """The actor may not do this (API: 403). Also Django's PermissionDenied, so a page
    that does not catch it answers 403, never 500."""

    http_status = 403


class Conflict(DomainError):
    """The change collides with the current state (API: 409), e.g. a visit already finished."""

    http_status = 409


def show_on_form(form: "BaseForm", error: DomainError) -> None:
    """How a page shows a refusal: each field's errors on that field of the form, the rest
    (and fields the form does not have) above it."""
    for field, errors in error.as_field_errors().items():
        form.add_error(field if field in form.fields else None, errors)
