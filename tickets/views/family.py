"""Public pages for students and families: report a problem with a school device, confirm it
from the emailed link, and follow it there. No account; the rules are in tickets/family.py.

Throttled in the cache like the password reset (per address asked about and per client
address) and the survey page (wrong links per client address): a throttled visitor gets 429.
"""

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.http import require_http_methods

from schools.auth_backends import client_ip
from schools.throttle import allow_try
from tickets import family
from tickets.errors import DomainError
from tickets.models import Category, FamilyReport


class ReportForm(forms.Form):
    device = forms.CharField(
        max_length=100,
        label=gettext_lazy("Device tag or serial number"),
        help_text=gettext_lazy("The district sticker on the device, or the serial number on its bottom or back."),
    )
    description = forms.CharField(
        max_length=2000,
        label=gettext_lazy("What is wrong?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What happens, and since when. Please do not include a student's name or ID."),
    )
    email = forms.EmailField(
        label=gettext_lazy("Your email address"),
        help_text=gettext_lazy("We send a link to confirm the report and to follow it. Nothing else."),
    )


def _misses_key(request: HttpRequest) -> str:
    return f"family:link-misses:{client_ip(request)}"


def _scope_context() -> dict[str, object]:
    """What is supported off campus comes from the categories' scope (the support page's table)."""
    return {"categories": Category.objects.filter(in_scope=False).order_by("name")}


@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not allow_try(
            f"family:ip:{client_ip(request)}", getattr(settings, "HELPDESK_FAMILY_REPORTS_PER_IP_PER_HOUR", 10)
        ):
            return render(request, "tickets/family/throttled.html", status=429)
        if form.is_valid():
            email = form.cleaned_data["email"].strip().lower()
            limit = getattr(settings, "HELPDESK_FAMILY_REPORTS_PER_ADDRESS_PER_HOUR", 3)
            if not allow_try(f"family:email:{email}", limit):
                return render(request, "tickets/family/throttled.html", status=429)
            try:
                family.report_device_problem(
                    identifier=form.cleaned_data["device"],
                    description=form.cleaned_data["description"],
                    email=form.cleaned_data["email"],
                    language=get_language() or "",
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                return redirect("family-report-sent")
        status = 400
    return render(request, "tickets/family/report.html", {"form": form, **_scope_context()}, status=status)


def report_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "tickets/family/sent.html")


@require_http_methods(["GET", "HEAD", "POST"])
def follow(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the report (and asks to confirm it); only the POST confirms, so a mail
    scanner opening the link files nothing."""
    if (cache.get(_misses_key(request)) or 0) >= getattr(settings, "HELPDESK_FAMILY_LINK_MISSES_LIMIT", 20):
        return render(request, "tickets/family/throttled.html", status=429)
    found: FamilyReport | None = family.report_by_token(token)
    if found is None:
        allow_try(_misses_key(request), 10**6)
        raise Http404("No such report")
    error = None
    if request.method == "POST":
        try:
            family.confirm_report(report=found)
        except DomainError as refused:
            error = str(refused)
        else:
            return redirect("family-report-follow", token=token)
    context = {"report": found, "expired": family.is_expired(found), "error": error}
    if found.ticket is not None:
        context |= {"ticket": found.ticket, "replies": family.public_replies(found.ticket)}
    return render(request, "tickets/family/follow.html", context, status=400 if error else 200)
