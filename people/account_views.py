"""Password reset: Django's views, with the email sent through the outbox and a throttle.

The request only records that a reset was asked for the address
(notifications.password_reset): the same work whether or not it has an account,
no email sent inside the request, one email per address per few minutes. The
link is made by the worker from SITE_URL, never from the request's Host header
(a forged Host would otherwise send the victim a link to the attacker's site
carrying a valid token). Per client address the requests are throttled in the
cache (429); every accepted request sees "check your email", so the page tells
no one which addresses have accounts.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy

from notifications import password_reset
from schools.auth_backends import client_ip
from schools.throttle import allow_try


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not allow_try(f"pwreset:ip:{client_ip(request)}", settings.HELPDESK_PASSWORD_RESET_PER_IP_PER_HOUR):
            form = self.get_form()
            return self.render_to_response(self.get_context_data(form=form, throttled=True), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # Recorded for the outbox whether or not the address has an account: the worker
        # looks it up and makes the link when it sends (notifications.password_reset).
        password_reset.request_reset(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())
