"""The knowledge base: articles, votes and deflections; behaviour in tickets/kb/."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets.models.catalog import Category
from tickets.models.ticket import Ticket


class Article(models.Model):
    """A self-help article: Markdown written by the desk, shown sanitized to requesters.

    The counters are only ever changed with `F()` updates (see tickets/kb/services.py),
    and edits save with `update_fields`, so a page view racing an edit loses nothing.
    `search_vector` is maintained by the service after every write; it stays empty on
    SQLite, where search falls back to `icontains`.
    """

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        STAFF = "staff", _("Help desk team only")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), max_length=50000, help_text=_("Markdown."))
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles", verbose_name=_("category")
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    # The language the article is written in: readers see their own language's articles first.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    source_ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles", editable=False
    )
    search_vector = SearchVectorField(null=True, editable=False)
    views = models.PositiveIntegerField(default=0, editable=False)
    helpful_yes = models.PositiveIntegerField(default=0, editable=False)
    helpful_no = models.PositiveIntegerField(default=0, editable=False)
    deflections = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["status", "audience"], name="article_visibility")]
        # The GIN index on search_vector is created by migration 0002 on PostgreSQL only,
        # so the SQLite demo can still migrate.

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ArticleVote(models.Model):
    """One "Was this helpful?" answer per user per article; the unique constraint enforces it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="one_vote_per_user_per_article")]

    def __str__(self) -> str:
        return f"{'yes' if self.helpful else 'no'} on {self.article_id}"


class Deflection(models.Model):
    """A request that was never filed because an article solved it ("This solved it")."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="deflection_rows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    query = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["article", "created_at"], name="deflection_article")]

    def __str__(self) -> str:
        return f"Deflection to {self.article_id}"
