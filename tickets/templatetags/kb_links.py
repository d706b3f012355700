"""`{{ text|article_links }}`: message text with the desk's own article addresses made links
(tickets/kb/links.py); an email passes its `site_url` so each link is a full address."""

from django import template
from django.utils.safestring import SafeString

from tickets.kb.links import link_template, with_article_links

register = template.Library()


@register.filter
def article_links(text: str | None, base: str = "") -> SafeString:
    return with_article_links(text or "", base=base)


@register.simple_tag
def article_link_template() -> str:
    """How an article's link reads in a message, `{title}` and `{id}` left for the composer's script."""
    return link_template()
