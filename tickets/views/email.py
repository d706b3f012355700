"""Email that needs a look: the messages the mailbox reader could not handle, for staff to
try again (after fixing what stopped them) or dismiss (dealt with another way)."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications.inbound import ledger
from schools.roles import SignedInRequest, is_staff_member
from tickets import email_in
from tickets.errors import DomainError

logger = logging.getLogger(__name__)
SHOWN = 200


def _staff_only(request: SignedInRequest) -> None:
    if not is_staff_member(request.user):
        raise Http404


@login_required
def needs_look(request: SignedInRequest) -> HttpResponse:
    _staff_only(request)
    waiting = list(ledger.needs_look()[: SHOWN + 1])
    context = {
        "waiting": waiting[:SHOWN],
        "more": len(waiting) > SHOWN,
        "shown": SHOWN,
        "folder": settings.INBOUND_EMAIL_NEEDS_LOOK_FOLDER,
    }
    return render(request, "tickets/email_needs_look.html", context)


@login_required
@require_POST
def needs_look_retry(request: SignedInRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    try:
        result = email_in.retry(actor=request.user, inbound_id=pk)
    except DomainError as exc:
        messages.error(request, exc.messages[0])
    except Exception:  # noqa: BLE001 - handling raised again: it stays listed, the page says so
        logger.exception("Retrying inbound email %s failed", pk)
        messages.error(request, _("It still could not be handled, so it stays on the list."))
    else:
        messages.success(request, _describe(result))
    return redirect("email-needs-look")


@login_required
@require_POST
def needs_look_dismiss(request: SignedInRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    try:
        ledger.dismiss(actor=request.user, inbound_id=pk)
    except DomainError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Dismissed. It is off the list."))
    return redirect("email-needs-look")


def _describe(result: email_in.Result) -> str:
    if result.outcome == ledger.Outcome.TICKET:
        return _("Filed as ticket #%(id)s.") % {"id": result.ticket_id}
    if result.outcome == ledger.Outcome.COMMENT:
        return _("Added to ticket #%(id)s.") % {"id": result.ticket_id}
    if result.outcome == ledger.Outcome.NEEDS_LOOK:
        return _("It still needs a look: %(why)s") % {"why": result.detail}
    return _("Handled: %(what)s") % {"what": result.detail}
