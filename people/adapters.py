"""allauth hooks: the district's rules for who signs in and whom they become.

1. The provider's policy: Google hosted domain, Microsoft tenant, OIDC domains.
2. A verified email is required; it matches an existing person (case-insensitive).
3. Otherwise a new requester is made and asked once for their school.
"""

from __future__ import annotations

from typing import Any

import jwt
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from people import sso
from schools.roles import is_staff_member

User = get_user_model()


def refuse(request: HttpRequest, message: str) -> ImmediateHttpResponse:
    """The page a refused person sees, in plain words (and their language)."""
    response = render(request, "people/sign_in_refused.html", {"message": message}, status=403)
    return ImmediateHttpResponse(response)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # No self-service password sign-up: accounts come from single sign-on or the roster.
        return False

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        profile = getattr(request.user, "profile", None)
        if profile is not None and profile.school_id is None and not is_staff_member(request.user):
            return reverse("choose-school")
        return super().get_signup_redirect_url(request)

    def login(self, request: HttpRequest, user: Any) -> None:
        # allauth would pick the first backend with get_user(): axes' lockout backend, which
        # loads no one. The session belongs to the backend of password sign-in.
        user.backend = "schools.auth_backends.RoleLoadingBackend"
        super().login(request, user)

    def add_message(self, *args: Any, **kwargs: Any) -> None:
        # allauth's "Successfully signed in as …" notices: the start page speaks for itself.
        return None

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # allauth's own notices ("an account was connected") are not the desk's email.
        return None


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return True  # anyone the provider policy lets in becomes a requester

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return True  # never show allauth's sign-up form: the email is verified and new

    def send_notification_mail(self, *args: Any, **kwargs: Any) -> None:
        return None

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        provider = sociallogin.account.provider
        claims = sociallogin.account.extra_data or {}
        verified = [e.email for e in sociallogin.email_addresses if e.verified]
        app_settings = (sociallogin.provider.app.settings or {}) if sociallogin.provider.app else {}

        if provider == "google":
            if not sso.google_domain_allowed(claims, app_settings.get("allowed_domains", [])):
                raise refuse(request, self._domain_message(verified or _emails(sociallogin)))
        elif provider == "microsoft":
            if not sso.microsoft_tenant_allowed(claims, app_settings.get("tenant", "")):
                raise refuse(request, _("This Microsoft account does not belong to the school district."))
            # Inside the district's own tenant the directory's mail address is the district's word.
            for address in sociallogin.email_addresses:
                address.verified = True
            verified = [e.email for e in sociallogin.email_addresses]
        else:
            allowed = app_settings.get("allowed_domains", [])
            if not all(sso.oidc_domain_allowed(email, allowed) for email in _emails(sociallogin)):
                raise refuse(request, self._domain_message(_emails(sociallogin)))

        if not verified:
            raise refuse(
                request, _("Your sign-in service did not confirm your email address, so we cannot let you in.")
            )
        if sociallogin.is_existing:
            return
        person = User.objects.filter(email__iexact=verified[0]).order_by("-is_active", "pk").first()
        if person is not None:
            if not person.is_active:
                raise refuse(request, _("Your account is switched off. Ask your school office or the IT team."))
            sociallogin.connect(request, person)

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: dict[str, Any]) -> Any:
        user = super().populate_user(request, sociallogin, data)
        verified = [e.email for e in sociallogin.email_addresses if e.verified]
        if verified:
            user.email = verified[0]
        return user

    @staticmethod
    def _domain_message(emails: list[str]) -> str:
        if emails:
            return _(
                "%(email)s is not a school district account. Sign in with your district email address instead."
            ) % {"email": emails[0]}
        return _("This account is not a school district account. Sign in with your district email address instead.")


def _emails(sociallogin: SocialLogin) -> list[str]:
    return [e.email for e in sociallogin.email_addresses]


def microsoft_claims(id_token: str) -> dict[str, Any]:
    """The claims of the ID token Microsoft's token endpoint just returned over TLS.

    Received straight from the token endpoint, its signature need not be checked
    again (OpenID Connect Core 3.1.3.7); only the tenant (`tid`) is read.
    """
    return jwt.decode(id_token, options={"verify_signature": False})
