"""Pages of the people app: sign-in, the one-time school question, sign out everywhere."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from people import services
from schools.models import School
from schools.roles import SignedInRequest


class LoginView(auth_views.LoginView):
    """Django's sign-in page, with a button per configured provider.

    SSO_ONLY hides the password form; `?local=1` shows it again for break-glass accounts.
    """

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        local = self.request.GET.get("local") == "1" or self.request.method == "POST"
        context["show_password_form"] = not settings.SSO_ONLY or local
        context["local"] = local
        return context


def account_inactive(request: HttpRequest) -> HttpResponse:
    """Where allauth sends a deactivated person; the adapter usually refuses them before."""
    message = _("Your account is switched off. Ask your school office or the IT team.")
    return render(request, "people/sign_in_refused.html", {"message": message})


class SchoolChoiceForm(forms.Form):
    school = forms.ModelChoiceField(
        queryset=School.objects.order_by("name"), label=gettext_lazy("Your school"), empty_label=None
    )


@login_required
def choose_school(request: SignedInRequest) -> HttpResponse:
    """Asked once, right after a first sign-in that the roster did not know."""
    form = SchoolChoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.choose_own_school(person=request.user, school=form.cleaned_data["school"])
        return redirect("home")
    return render(request, "people/choose_school.html", {"form": form})


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """The profile page's "Sign out everywhere": every browser and API token of mine, this one too."""
    services.sign_out_everywhere(actor=request.user, person=request.user)  # type: ignore[arg-type]
    logout(request)
    messages.success(request, _("You are signed out everywhere, including here."))
    return redirect("login")
