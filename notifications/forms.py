from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from notifications import preferences


class EmailPreferenceForm(forms.Form):
    """The emails a person gets, as ticked boxes; the ones left unticked are switched off."""

    wanted = forms.MultipleChoiceField(
        label=_("Emails I get"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick what you do not want by email. You can still see everything on the help desk site."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offered = preferences.topics_for(user)
        muted = preferences.muted_topics(user)
        field = self.fields["wanted"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(topic.key, topic.label) for topic in self.offered]
        field.initial = [topic.key for topic in self.offered if topic.key not in muted]

    def muted(self) -> set[str]:
        wanted = set(self.cleaned_data["wanted"])
        return {topic.key for topic in self.offered if topic.key not in wanted}
