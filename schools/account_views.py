"""Password reset: Django's views, with links built from SITE_URL and a throttle.

The email's link never comes from the request's Host header (a forged Host would
otherwise send the victim a link to the attacker's site carrying a valid token).
The throttle is per address asked about and per client address, in the cache: a
throttled address still sees "check your email", so the page tells no one which
addresses have accounts.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy

from schools.auth_backends import client_ip

HOUR = 3600


def _allow(key: str, limit: int) -> bool:
    """Count one more try under `key` this hour; False once `limit` is passed."""
    cache.add(key, 0, timeout=HOUR)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=HOUR)
        count = 1
    return count <= limit


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _allow(f"pwreset:ip:{client_ip(request)}", settings.HELPDESK_PASSWORD_RESET_PER_IP_PER_HOUR):
            form = self.get_form()
            return self.render_to_response(self.get_context_data(form=form, throttled=True), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        if _allow(f"pwreset:email:{email}", settings.HELPDESK_PASSWORD_RESET_PER_ADDRESS_PER_HOUR):
            form.save(
                use_https=self.request.is_secure(),
                token_generator=self.token_generator,
                from_email=self.from_email,
                email_template_name=self.email_template_name,
                subject_template_name=self.subject_template_name,
                request=self.request,
                html_email_template_name=self.html_email_template_name,
                # Links come from SITE_URL, never from the Host header.
                domain_override=settings.SITE_URL.split("://", 1)[-1],
                extra_email_context={"site_url": settings.SITE_URL},
            )
        return HttpResponseRedirect(self.get_success_url())
