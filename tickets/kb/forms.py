"""Shapes only; the rules (who may write, what a draft is) live in tickets/kb/services.py.

Plain forms rather than ModelForms: a ModelForm writes the cleaned values onto the
instance while validating, which would hide the changes from `update_article`.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tickets.models import Article, Category

TITLE_MAX = Article._meta.get_field("title").max_length
BODY_MAX = Article._meta.get_field("body").max_length


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Article"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown: **bold**, *italic*, lists with -, links as [words](https://…), ## for headings."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.order_by("name"), required=False, empty_label=_("General")
    )
    audience = forms.ChoiceField(label=_("Who may read it"), choices=Article.Audience.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en", required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Article.Status.choices,
        help_text=_("Drafts are visible to the help desk team only."),
    )

    def clean_language(self) -> str:
        # Left out (an older form, a script), the article is English, as before languages existed.
        return self.cleaned_data.get("language") or "en"

    @classmethod
    def initial_from(cls, article: Article) -> dict[str, Any]:
        return {
            field: getattr(article, field) for field in ("title", "body", "category", "audience", "status", "language")
        }


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the articles"), max_length=200, required=False)


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda value: value == "yes")


class SolvedForm(forms.Form):
    # What the requester had typed as the title; longer text is cut, not refused.
    q = forms.CharField(required=False, max_length=2000)
