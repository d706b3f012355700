"""A help article written into a message, and the link it becomes where the desk shows it.

A technician links an article from the composer: the reply carries plain text, the article's
title and its full address (`link_text`), so the email a teacher reads works in any mail
program. Wherever the desk draws such text as HTML (the conversation, the fix and its tip,
the reply and resolved emails, the survey pages) `with_article_links` escapes it and makes
each address of one of the desk's own articles a link. The link's target is built from the
article's number alone, so text someone typed can never choose where a link goes; any other
address stays text.
"""

import functools
import re

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# How an article reads inside a reply: "Connect to the projector: https://…/kb/12/".
LINK_TEXT = "{title}: {url}"


def _path_prefix() -> str:
    """The article page's path up to its number ("/kb/")."""
    return reverse("kb:detail", args=[0]).removesuffix("0/")


def _address(number: str) -> str:
    return f"{settings.SITE_URL}{_path_prefix()}{number}/"


def article_url(pk: int) -> str:
    """The article's full address, as the emails write it."""
    return _address(str(pk))


def link_text(*, title: str, pk: int) -> str:
    return LINK_TEXT.format(title=title, url=article_url(pk))


def link_template() -> str:
    """`link_text` with `{title}` and `{id}` left to fill: the composer's script fills them in the browser."""
    return LINK_TEXT.format(title="{title}", url=_address("{id}"))


@functools.lru_cache(maxsize=4)
def _pattern(site_url: str, prefix: str) -> re.Pattern[str]:
    # Matched in the escaped text: the address as escaping writes it, then the number.
    return re.compile(re.escape(escape(f"{site_url}{prefix}")) + r"(\d{1,10})/")


def with_article_links(text: str, *, base: str = "") -> SafeString:
    """`text` escaped, each address of one of the desk's articles made a link to that article:
    on a page a path (`base` empty), in an email the full address (`base` the site's)."""
    prefix = _path_prefix()
    href = escape(base) + prefix
    escaped = escape(text)
    return mark_safe(  # noqa: S308  (every part is escaped text, or the path and a number matched as digits)
        _pattern(settings.SITE_URL, prefix).sub(lambda match: f'<a href="{href}{match[1]}/">{match[0]}</a>', escaped)
    )
