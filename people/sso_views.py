"""Microsoft sign-in that also reads the tenant (`tid`) from the ID token.

allauth's Microsoft adapter reads the Graph profile only, which does not name the
tenant; this subclass keeps the token response's `tid` with the profile.
"""

from typing import Any

from allauth.socialaccount.providers.microsoft.views import MicrosoftGraphOAuth2Adapter
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.http import HttpRequest

from people.adapters import microsoft_claims


class DistrictMicrosoftAdapter(MicrosoftGraphOAuth2Adapter):
    def complete_login(self, request: HttpRequest, app: Any, token: Any, **kwargs: Any) -> Any:
        login = super().complete_login(request, app, token, **kwargs)
        id_token = (kwargs.get("response") or {}).get("id_token")
        if id_token:
            login.account.extra_data["tid"] = microsoft_claims(id_token).get("tid")
        return login


microsoft_login = OAuth2LoginView.adapter_view(DistrictMicrosoftAdapter)
microsoft_callback = OAuth2CallbackView.adapter_view(DistrictMicrosoftAdapter)
