"""The email preferences section of the profile page (the page itself is schools')."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import preferences
from notifications.forms import EmailPreferenceForm
from schools import services as school_services
from schools.forms import OwnProfileForm
from schools.roles import SignedInRequest


@login_required
@require_POST
def email_preferences(request: SignedInRequest) -> HttpResponse:
    form = EmailPreferenceForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            preferences.set_muted(user=request.user, muted=form.muted())
        except preferences.AllEssentialMuted as exc:
            form.add_error("wanted", exc.messages)
        else:
            messages.success(request, _("Your email choices are saved."))
            return redirect("/profile/#email")
    # The profile page again, this section showing what is wrong.
    profile = school_services.update_own_profile(user=request.user, changes={})
    context = {"form": OwnProfileForm(instance=profile), "email_form": form}
    return render(request, "schools/profile.html", context, status=400)
