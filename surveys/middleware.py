"""SurveyLanguageMiddleware: a survey link opened signed out speaks the requester's language."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from schools.middleware import activate_language
from surveys.selectors import invitation_by_token


class SurveyLanguageMiddleware:
    """After schools.middleware.ProfileLanguageMiddleware: a signed-out visitor opening a
    survey link gets the requester's `Profile.language`, unless they chose a language with
    the switcher (the cookie). That middleware's Content-Language header, set on the way
    out, reports the language chosen here."""

    SURVEY_VIEWS = {"survey", "survey-thanks"}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable, args: tuple, kwargs: dict[str, Any]) -> None:
        match = request.resolver_match
        if match is None or match.view_name not in self.SURVEY_VIEWS:
            return
        if request.user.is_authenticated or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            return
        invitation = invitation_by_token(kwargs.get("token", ""))
        profile = getattr(invitation.ticket.requester, "profile", None) if invitation else None
        if profile is not None and profile.language:
            activate_language(request, profile.language)
