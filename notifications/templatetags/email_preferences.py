"""`{% email_preferences_section %}`: the email choices on the profile page, which is schools'
(below notifications: it cannot import this app, but its template can load the tag)."""

from typing import Any

from django import template

from notifications.forms import EmailPreferenceForm

register = template.Library()


@register.inclusion_tag("notifications/_preferences.html", takes_context=True)
def email_preferences_section(context: dict[str, Any]) -> dict[str, Any]:
    form = context.get("email_form") or EmailPreferenceForm(user=context["request"].user)
    return {"email_form": form, "csrf_token": context.get("csrf_token")}
