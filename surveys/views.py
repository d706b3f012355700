"""Pages: the survey a closing email links to (no sign-in), and the director's follow-up list and export.

GET never records anything: mail scanners follow every link in an email, so the
rating links only preselect a rating; the answer is the form's POST.
"""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schools.auth_backends import client_ip
from schools.errors import DomainError, PermissionDenied
from schools.roles import SignedInRequest, is_director
from surveys import selectors, services
from surveys.filters import SurveyResponseFilter
from surveys.forms import FollowUpForm, SurveyForm, preselected_rating
from surveys.models import SurveyInvitation, SurveyResponse
from tickets.csv import stream_rows

# --- misses are throttled per client address ----------------------------------------------
# A token carries 256 random bits, so guessing one is no threat: a valid link always works,
# whatever its client did before. Only misses are counted, per real client address (behind
# the TLS proxy, the one the proxy saw; schools.auth_backends.client_ip), and only misses slow
# down: past the limit a wrong link answers 429 instead of 404 until the window ends.


def _miss_key(request: HttpRequest) -> str:
    return f"surveys:token-misses:{client_ip(request) or ''}"


def _throttled(request: HttpRequest) -> bool:
    limit = getattr(settings, "SURVEY_TOKEN_MISSES_LIMIT", 20)
    return (cache.get(_miss_key(request)) or 0) >= limit


def _count_miss(request: HttpRequest) -> None:
    window = getattr(settings, "SURVEY_TOKEN_MISSES_WINDOW_SECONDS", 600)
    key = _miss_key(request)
    if cache.add(key, 1, timeout=window):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)


class _Miss(Exception):
    """A link that names no survey: 404, or 429 for a client past its misses."""


def _invitation_or_miss(request: HttpRequest, token: str) -> SurveyInvitation:
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        if not _throttled(request):
            _count_miss(request)
            raise Http404("No such survey")
        raise _Miss
    return invitation


def _yes_no(value: bool | None) -> str:
    """An optional yes/no answer as the form and the CSV spell it; blank when not given."""
    return "" if value is None else ("yes" if value else "no")


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, f"surveys/{template}", context, status=status)


# --- the survey -------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = _invitation_or_miss(request, token)
    except _Miss:
        return _page(request, "throttled.html", {}, status=429)
    ticket = invitation.ticket
    context: dict[str, Any] = {"invitation": invitation, "ticket": ticket}
    if not services.may_answer(request.user, invitation):
        return _page(request, "forbidden.html", context, status=403)
    answer = SurveyResponse.objects.filter(invitation=invitation).first()
    context["answer"] = answer
    if answer is not None and not services.can_edit(answer):
        return _page(request, "answered.html", context)
    if answer is None and services.is_expired(invitation):
        return _page(request, "expired.html", context, status=410)

    status = 200
    if request.method == "POST":
        form = SurveyForm(request.POST)
        if form.is_valid():
            try:
                services.record_answer(invitation=invitation, user=request.user, **form.cleaned_data)
            except PermissionDenied:
                return _page(request, "forbidden.html", context, status=403)
            except services.SurveyExpired:
                return _page(request, "expired.html", context, status=410)
            except services.AlreadyAnswered:
                return _page(request, "answered.html", context)
            except DomainError as error:
                form.add_error(error.field, str(error))
            else:
                return redirect("survey-thanks", token=token)
        status = 400
    elif answer is not None:
        form = SurveyForm(
            initial={
                "timeliness": answer.timeliness,
                "quality": answer.quality,
                "learned": _yes_no(answer.learned),
                "comment": answer.comment,
                "wants_contact": answer.wants_contact,
            }
        )
    else:
        # Only a rating from the email's link (now, or on an earlier visit) is preselected;
        # with one, timeliness starts at the same rating so one press answers both.
        tapped = preselected_rating(request.GET.get("quality")) or invitation.tapped_quality
        form = SurveyForm(initial={"quality": tapped, "timeliness": tapped})
        context["tapped"] = tapped
    context["form"] = form
    context["editable_until"] = answer.answered_at + services.EDIT_WINDOW if answer else None
    return _page(request, "survey.html", context, status=status)


@require_POST
def landed(request: HttpRequest, token: str) -> HttpResponse:
    """The page's script says a browser (not a mail scanner's fetch) opened the survey."""
    try:
        invitation = _invitation_or_miss(request, token)
    except _Miss:
        return HttpResponse(status=429)
    try:
        services.record_landing(invitation=invitation, quality=preselected_rating(request.POST.get("quality")))
    except DomainError:
        return HttpResponse(status=400)
    return HttpResponse(status=204)


@require_GET
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = _invitation_or_miss(request, token)
    except _Miss:
        return _page(request, "throttled.html", {}, status=429)
    answer = SurveyResponse.objects.filter(invitation=invitation).first()
    if answer is None:
        return redirect("survey", token=token)
    context: dict[str, Any] = {"invitation": invitation, "ticket": invitation.ticket, "answer": answer}
    context["editable"] = services.can_edit(answer) and services.may_answer(request.user, invitation)
    return _page(request, "thanks.html", context)


# --- the director's pages -----------------------------------------------------------------------


def _require_director(request: HttpRequest) -> None:
    if not is_director(request.user):
        raise DjangoPermissionDenied(_("Only the IT director can see this page."))


@login_required
@require_GET
def follow_up_list(request: SignedInRequest) -> HttpResponse:
    _require_director(request)
    return _page(
        request,
        "follow_up.html",
        {
            "open": selectors.open_follow_ups(),
            "done": selectors.recent_follow_ups(),
            "form": FollowUpForm(),
        },
    )


@login_required
@require_POST
def record_follow_up(request: SignedInRequest, pk: int) -> HttpResponse:
    _require_director(request)
    answer = get_object_or_404(SurveyResponse, pk=pk, needs_follow_up=True)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.record_follow_up(actor=request.user, response=answer, note=form.cleaned_data["note"])
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Follow-up recorded for request #%(id)s.") % {"id": answer.ticket_id})
    else:
        messages.error(request, _("Say how you followed up."))
    return redirect("survey-follow-up")


CSV_COLUMNS = [
    "id",
    "ticket",
    "school",
    "technician",
    "category",
    "timeliness",
    "quality",
    "learned",
    "wants_contact",
    "comment",
    "answered_at",
]


@login_required
@require_GET
def responses_csv(request: SignedInRequest) -> HttpResponse | StreamingHttpResponse:
    _require_director(request)
    filterset = SurveyResponseFilter(request.GET, queryset=selectors.responses_for_directors())
    if not filterset.is_valid():
        return HttpResponse(str(filterset.errors.as_text()), status=400, content_type="text/plain; charset=utf-8")

    def rows() -> Iterator[list[object]]:
        for answer in filterset.qs.iterator(chunk_size=2000):
            ticket = answer.ticket
            yield [
                answer.pk,
                ticket.pk,
                ticket.school.name,
                (ticket.assignee.get_full_name() or ticket.assignee.get_username()) if ticket.assignee else "",
                ticket.category.name,
                answer.timeliness,
                answer.quality,
                _yes_no(answer.learned),
                "yes" if answer.wants_contact else "no",
                answer.comment,
                timezone.localtime(answer.answered_at).isoformat(),
            ]

    response = StreamingHttpResponse(stream_rows(CSV_COLUMNS, rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="survey-answers.csv"'
    return response
