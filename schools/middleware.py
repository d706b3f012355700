"""Project middleware.

QueryCountHeaderMiddleware: an optional response header with the number of SQL
queries a request made. Switched on by the QUERY_COUNT_HEADER setting (the benchmark
does), so the benchmark can report queries per request from outside the server process.

ProfileLanguageMiddleware: pages in the user's language (Profile.language).
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class QueryCountHeaderMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response


SESSION_KEY = "profile_language"


def remember_profile_language(sender: type, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On sign-in, copy Profile.language into the session: pages then cost no extra query."""
    profile = getattr(user, "profile", None)
    request.session[SESSION_KEY] = getattr(profile, "language", "") or ""


# Connected when this module is first imported (settings load the middleware at startup).
user_logged_in.connect(remember_profile_language, dispatch_uid="helpdesk-profile-language")


class ProfileLanguageMiddleware:
    """Speak the user's language: their profile setting, else what LocaleMiddleware chose.

    LocaleMiddleware (earlier in the chain, before authentication) already picked the
    language cookie or the browser's Accept-Language. This runs after
    AuthenticationMiddleware and lets a signed-in user's `Profile.language` win. The
    profile's value is copied into the session at sign-in (one query then, none per page),
    so a change made elsewhere (the admin) applies from the next sign-in.

    The footer switcher posts to Django's set_language view, which only sets a cookie; for
    a signed-in user the choice is saved on the profile and in the session here too, so it
    follows them to other browsers and into their emails. A signed-out visitor opening a
    survey link gets the requester's language unless they chose one with the switcher.
    """

    SURVEY_VIEWS = {"survey", "survey-thanks"}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self._profile_language(request)
        if language:
            self._activate(request, language)
        response = self.get_response(request)
        self._remember_choice(request, response)
        response.headers["Content-Language"] = translation.get_language()
        return response

    def process_view(self, request: HttpRequest, view: Callable, args: tuple, kwargs: dict[str, Any]) -> None:
        match = request.resolver_match
        if match is None or match.view_name not in self.SURVEY_VIEWS:
            return
        if request.user.is_authenticated or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            return
        from surveys.selectors import invitation_by_token

        invitation = invitation_by_token(kwargs.get("token", ""))
        profile = getattr(invitation.ticket.requester, "profile", None) if invitation else None
        if profile is not None and profile.language:
            self._activate(request, profile.language)

    @staticmethod
    def _profile_language(request: HttpRequest) -> str:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return ""
        if SESSION_KEY not in request.session:  # signed in before this middleware existed
            remember_profile_language(type(user), request, user)
        return request.session[SESSION_KEY]

    @staticmethod
    def _activate(request: HttpRequest, language: str) -> None:
        if translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()

    @staticmethod
    def _remember_choice(request: HttpRequest, response: HttpResponse) -> None:
        cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
        user = getattr(request, "user", None)
        if cookie is None or user is None or not user.is_authenticated:
            return
        language = cookie.value
        if language in dict(settings.LANGUAGES):
            from schools.models import Profile

            Profile.objects.filter(user=user).exclude(language=language).update(language=language)
            request.session[SESSION_KEY] = language
