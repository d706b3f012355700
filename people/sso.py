"""Single sign-on: which providers the environment switched on, and who each may let in.

`providers_from_env` builds allauth's SOCIALACCOUNT_PROVIDERS (settings.py calls it);
the `*_allowed` checks are plain functions of the provider's claims so they can be
tested without a provider. The adapter (people.adapters) applies them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

GOOGLE = "google"
MICROSOFT = "microsoft"
OIDC = "oidc"  # the generic OpenID Connect app's provider_id (ClassLink, Clever, Okta, Keycloak…)

GOOGLE_ORIGIN = "https://accounts.google.com"
MICROSOFT_ORIGIN = "https://login.microsoftonline.com"


def _domains(value: str) -> list[str]:
    return [d.strip().lower().lstrip("@") for d in value.split(",") if d.strip()]


def providers_from_env(env: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """allauth's provider settings for each provider whose variables are set; none is on by default."""
    providers: dict[str, dict[str, Any]] = {}
    if env.get("SSO_GOOGLE_CLIENT_ID"):
        domains = _domains(env.get("SSO_GOOGLE_DOMAINS", ""))
        providers["google"] = {
            "APPS": [
                {
                    "client_id": env["SSO_GOOGLE_CLIENT_ID"],
                    "secret": env.get("SSO_GOOGLE_CLIENT_SECRET", ""),
                    "settings": {"allowed_domains": domains},
                }
            ],
            "SCOPE": ["openid", "profile", "email"],
            # `hd` only narrows Google's account chooser; the hosted-domain claim is checked on return.
            "AUTH_PARAMS": {"hd": domains[0]} if len(domains) == 1 else {"prompt": "select_account"},
            "OAUTH_PKCE_ENABLED": True,
        }
    if env.get("SSO_MICROSOFT_CLIENT_ID"):
        providers["microsoft"] = {
            "APPS": [
                {
                    "client_id": env["SSO_MICROSOFT_CLIENT_ID"],
                    "secret": env.get("SSO_MICROSOFT_CLIENT_SECRET", ""),
                    # The district's own tenant endpoint: other directories are not even asked.
                    "settings": {"tenant": env.get("SSO_MICROSOFT_TENANT", "").strip() or "organizations"},
                }
            ],
            "SCOPE": ["openid", "email", "profile", "User.Read"],
            "OAUTH_PKCE_ENABLED": True,
        }
    if env.get("SSO_OIDC_ISSUER") and env.get("SSO_OIDC_CLIENT_ID"):
        providers["openid_connect"] = {
            "APPS": [
                {
                    "provider_id": OIDC,
                    "name": env.get("SSO_OIDC_NAME", "") or "single sign-on",
                    "client_id": env["SSO_OIDC_CLIENT_ID"],
                    "secret": env.get("SSO_OIDC_CLIENT_SECRET", ""),
                    "settings": {
                        "server_url": env["SSO_OIDC_ISSUER"].rstrip("/"),
                        "oauth_pkce_enabled": True,
                        "allowed_domains": _domains(env.get("SSO_OIDC_DOMAINS", "")),
                    },
                }
            ],
            "OAUTH_PKCE_ENABLED": True,
        }
    return providers


def provider_origins(providers: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Where the sign-in buttons' forms redirect: the CSP's form-action must allow them."""
    origins = []
    if "google" in providers:
        origins.append(GOOGLE_ORIGIN)
    if "microsoft" in providers:
        origins.append(MICROSOFT_ORIGIN)
    for app in providers.get("openid_connect", {}).get("APPS", []):
        parts = urlsplit(app["settings"]["server_url"])
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def google_domain_allowed(claims: Mapping[str, Any], allowed_domains: list[str]) -> bool:
    """A Google account may sign in only from one of the district's Workspace domains.

    Google names the Workspace in the `hd` claim (absent for personal gmail.com
    accounts); the email's own domain is not enough, since anyone can make a
    Google account for any address.
    """
    hosted = str(claims.get("hd") or "").lower()
    return bool(hosted) and hosted in [d.lower() for d in allowed_domains]


def microsoft_tenant_allowed(claims: Mapping[str, Any], tenant: str) -> bool:
    """An Entra ID account may sign in only from the district's tenant (`tid` claim)."""
    tid = str(claims.get("tid") or "").strip().lower()
    return bool(tid) and tid == tenant.strip().lower()


def oidc_domain_allowed(email: str, allowed_domains: list[str]) -> bool:
    """The generic provider is the district's own; SSO_OIDC_DOMAINS narrows it further when set."""
    return not allowed_domains or email_domain(email) in [d.lower() for d in allowed_domains]
