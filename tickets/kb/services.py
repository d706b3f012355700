"""Every write to the knowledge base.

Pages, the API and any future command call these. Counters change only through
`F()` updates (never read-modify-write), so concurrent views, votes and deflections
are all counted; edits save with `update_fields` so they never write back a stale
counter. A refused change raises a `DomainError` and changes nothing.
"""

from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.postgres.search import SearchVector
from django.db import IntegrityError, connection, transaction
from django.db.models import Choices, F
from django.utils import timezone
from django.utils.translation import gettext as _

from schools.roles import is_staff_member
from tickets.errors import DomainError, PermissionDenied
from tickets.kb.selectors import search_config
from tickets.models import Article, ArticleVote, Category, Deflection, Ticket

EDITABLE_FIELDS = ("title", "body", "category", "audience", "status", "language")
QUERY_MAX_LENGTH = Deflection._meta.get_field("query").max_length


def _require_staff(actor: User) -> None:
    if not is_staff_member(actor):
        raise PermissionDenied(_("Only the help desk team can write articles."))


def _clean_text(value: str, *, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    return value


def _check_choice(value: str, choices: type[Choices], *, field: str) -> None:
    if value not in choices.values:
        raise DomainError(_("Choose one of the offered values."), field=field)


def _check_language(value: str) -> None:
    if value not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose one of the offered values."), field="language")


def refresh_search_vector(article: Article) -> None:
    """Recompute the stored search vector: title weighs A, body B (PostgreSQL only),
    stemmed in the article's own language.

    Done in SQL from the saved row, so it always matches what is stored; on other
    databases search uses `icontains` and the column stays empty.
    """
    if connection.vendor != "postgresql":
        return
    config = search_config(article.language)
    Article.objects.filter(pk=article.pk).update(
        search_vector=SearchVector("title", weight="A", config=config) + SearchVector("body", weight="B", config=config)
    )


def create_article(
    *,
    actor: User,
    title: str,
    body: str,
    category: Category | None = None,
    audience: str = Article.Audience.EVERYONE,
    status: str = Article.Status.PUBLISHED,
    language: str = "en",
    source_ticket: Ticket | None = None,
) -> Article:
    """Write a new article (staff only)."""
    _require_staff(actor)
    title = _clean_text(title, field="title", message=_("Give the article a title."))
    body = _clean_text(body, field="body", message=_("Write the article first."))
    _check_choice(audience, Article.Audience, field="audience")
    _check_choice(status, Article.Status, field="status")
    _check_language(language)
    with transaction.atomic():
        article = Article.objects.create(
            title=title,
            body=body,
            category=category,
            audience=audience,
            status=status,
            language=language,
            author=actor,
            source_ticket=source_ticket,
        )
        refresh_search_vector(article)
    return article


def update_article(*, actor: User, article: Article, changes: dict[str, Any]) -> Article:
    """Edit an article's text, category, audience or status (staff only)."""
    _require_staff(actor)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s.") % ", ".join(sorted(unknown)))
    if "title" in changes:
        changes["title"] = _clean_text(changes["title"], field="title", message=_("Give the article a title."))
    if "body" in changes:
        changes["body"] = _clean_text(changes["body"], field="body", message=_("Write the article first."))
    if "audience" in changes:
        _check_choice(changes["audience"], Article.Audience, field="audience")
    if "status" in changes:
        _check_choice(changes["status"], Article.Status, field="status")
    if "language" in changes:
        _check_language(changes["language"])
    changed = [field for field, value in changes.items() if getattr(article, field) != value]
    if not changed:
        return article
    for field in changed:
        setattr(article, field, changes[field])
    with transaction.atomic():
        article.save(update_fields=[*changed, "updated_at"])
        if {"title", "body", "language"} & set(changed):
            refresh_search_vector(article)
    return article


def record_view(*, article: Article) -> None:
    """Count one view, race-free."""
    Article.objects.filter(pk=article.pk).update(views=F("views") + 1)


def vote_on_article(*, actor: User, article: Article, helpful: bool) -> ArticleVote:
    """Record "Was this helpful?": once per user per article.

    The unique constraint decides, not a prior SELECT, so two simultaneous clicks
    still count once; the counter moves only when the vote row was inserted.
    """
    try:
        with transaction.atomic():
            vote = ArticleVote.objects.create(article=article, user=actor, helpful=helpful)
            counter = "helpful_yes" if helpful else "helpful_no"
            Article.objects.filter(pk=article.pk).update(**{counter: F(counter) + 1})
    except IntegrityError:
        raise DomainError(_("You have already told us whether this article helped.")) from None
    return vote


def record_deflection(*, actor: User, article: Article, query: str = "") -> Deflection:
    """ "This solved it": the requester found the answer and filed nothing.

    Counted once per person, article and district day: pressing it again (or posting it in a
    loop) returns the day's row and leaves the self-help figures alone. Another day is
    another problem solved, so it counts again.
    """
    with transaction.atomic():
        # The article's row lock serializes two clicks, so both cannot find "not yet today".
        Article.objects.select_for_update().filter(pk=article.pk).first()
        today = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
        already = Deflection.objects.filter(article=article, user=actor, created_at__gte=today).first()
        if already is not None:
            return already
        deflection = Deflection.objects.create(
            article=article, user=actor, query=(query or "").strip()[:QUERY_MAX_LENGTH]
        )
        Article.objects.filter(pk=article.pk).update(deflections=F("deflections") + 1)
    return deflection


def draft_article_from_ticket(*, actor: User, ticket: Ticket) -> Article:
    """Turn a resolution into a draft article, so the fix can teach the next person.

    The draft takes the ticket's title, its resolution and its "next time" tip, never
    the description (it may name people or devices). Asking twice returns the
    existing draft rather than a duplicate.
    """
    _require_staff(actor)
    resolution = (ticket.resolution or "").strip()
    if not resolution:
        raise DomainError(_("This request has no resolution to turn into an article yet."), field="ticket")
    with transaction.atomic():
        # Lock the ticket so two clicks cannot both find "no draft yet".
        Ticket.objects.select_for_update(of=("self",)).filter(pk=ticket.pk).first()
        existing = Article.objects.filter(source_ticket=ticket).order_by("id").first()
        if existing is not None:
            return existing
        sections = [f"## {_('How it was fixed')}\n\n{resolution}"]
        tip = (ticket.self_help or "").strip()
        if tip:
            sections.append(f"## {_('Next time')}\n\n{tip}")
        return create_article(
            actor=actor,
            title=ticket.title,
            body="\n\n".join(sections),
            category=ticket.category,
            status=Article.Status.DRAFT,
            source_ticket=ticket,
        )


def delete_article(*, actor: User, article: Article) -> None:
    """Remove an article with its votes and deflection rows (staff only)."""
    _require_staff(actor)
    article.delete()
