"""ProfileLanguageMiddleware: pages in the user's language (Profile.language)."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from schools.models import Profile

SESSION_KEY = "profile_language"


def remember_profile_language(sender: type, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On sign-in, copy Profile.language into the session: pages then cost no extra query."""
    profile = getattr(user, "profile", None)
    request.session[SESSION_KEY] = getattr(profile, "language", "") or ""


def activate_language(request: HttpRequest, language: str) -> None:
    """Speak `language` for the rest of this request, if the site has it."""
    if translation.check_for_language(language):
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


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
    survey link gets the requester's language (surveys.middleware.SurveyLanguageMiddleware,
    after this one) unless they chose one with the switcher.
    """

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
        activate_language(request, language)

    @staticmethod
    def _remember_choice(request: HttpRequest, response: HttpResponse) -> None:
        cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
        user = getattr(request, "user", None)
        if cookie is None or user is None or not user.is_authenticated:
            return
        language = cookie.value
        if language in dict(settings.LANGUAGES):
            Profile.objects.filter(user=user).exclude(language=language).update(language=language)
            request.session[SESSION_KEY] = language
