"""Reads of the knowledge base. Every list, detail, search, suggestion and API answer
starts from `articles_visible_to`, so a search can never show what the page refuses."""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Expression, F, Q, QuerySet, Value, When
from django.utils import translation

from schools.roles import AnyUser, is_staff_member
from tickets.models import Article, ArticleVote

SEARCH_CONFIG = "english"
# The PostgreSQL text-search configuration for each article language; the default for any other.
SEARCH_CONFIGS = {"en": "english", "es": "spanish"}
SUGGESTION_LIMIT = 5
# A title typed into the new-ticket form is a handful of words; more only slows the query.
_SUGGEST_MAX_WORDS = 12
_WORD = re.compile(r"\w+", re.UNICODE)
# Words people type in one piece that articles write hyphenated (the parser splits "Wi-Fi").
_OTHER_SPELLINGS = {"wifi": "wi-fi", "email": "e-mail"}


def _clean(text: str | None) -> str:
    # PostgreSQL refuses NUL in any string parameter; a stray one must not become a 500.
    return (text or "").replace("\x00", "").strip()


# What a requester may read, the one definition: published and meant for everyone. The
# knowledge base's pages and API (through `articles_visible_to`), the resolve form's list
# and the resolve service's check all read it.
READABLE_BY_REQUESTERS = {"status": Article.Status.PUBLISHED, "audience": Article.Audience.EVERYONE}


def articles_for_requesters() -> QuerySet[Article]:
    return Article.objects.filter(**READABLE_BY_REQUESTERS)


def is_readable_by_requesters(article: Article) -> bool:
    """`READABLE_BY_REQUESTERS` on one article in memory, without a query."""
    return all(getattr(article, name) == value for name, value in READABLE_BY_REQUESTERS.items())


def articles_visible_to(user: AnyUser) -> QuerySet[Article]:
    """Staff see every article, drafts included; requesters published articles meant for everyone."""
    if not user.is_authenticated:
        return Article.objects.none()
    if is_staff_member(user):
        return Article.objects.all()
    return articles_for_requesters()


def article_list(user: AnyUser) -> QuerySet[Article]:
    """Rows of the /kb/ page and the API list, with what each row shows joined in."""
    return articles_visible_to(user).select_related("category", "author")


def search_config(language: str) -> str:
    return SEARCH_CONFIGS.get(language, SEARCH_CONFIG)


def reader_language() -> str:
    """The active language (profile, else browser), as an article language code."""
    return (translation.get_language() or "en").split("-")[0]


def own_language_first() -> Expression:
    return Case(When(language=reader_language(), then=Value(0)), default=Value(1))


def _query_in_every_language(words: list[str], search_type: str) -> SearchQuery:
    """One query that matches an article stemmed in any of its languages' configurations:
    "contraseñas" must find a Spanish article and "printers" an English one."""
    query: SearchQuery | None = None
    spellings = [*words, *(_OTHER_SPELLINGS[w] for w in words if w in _OTHER_SPELLINGS)]
    for word in spellings:
        for config in dict.fromkeys(SEARCH_CONFIGS.values()):
            term = SearchQuery(word, search_type=search_type, config=config)
            query = term if query is None else query | term
    assert query is not None
    return query


def search_articles(articles: QuerySet[Article], text: str) -> QuerySet[Article]:
    """Full-text search on PostgreSQL (title outranks body), `icontains` elsewhere."""
    text = _clean(text)
    if not text:
        return articles
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=search_config(reader_language()))
        if reader_language() != "en":
            query |= SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        return _search_postgres(articles, query)
    return search_articles_fallback(articles, text)


def _search_postgres(articles: QuerySet[Article], query: SearchQuery) -> QuerySet[Article]:
    # Filtering on the stored vector uses the GIN index; rank reads the A/B weights
    # written by services.refresh_search_vector. The reader's own language comes first.
    return (
        articles.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query), own_language=own_language_first())
        .order_by("own_language", "-rank", "title", "id")
    )


def search_articles_fallback(articles: QuerySet[Article], text: str) -> QuerySet[Article]:
    """Databases without full-text search (the SQLite demo): every word must appear in
    the title or the body; title matches sort first."""
    words = _WORD.findall(text)[:_SUGGEST_MAX_WORDS] or [text]
    for word in words:
        articles = articles.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return articles.annotate(title_hits=_title_hits(words), own_language=own_language_first()).order_by(
        "own_language", "-title_hits", "title", "id"
    )


def _title_hits(words: list[str]) -> Expression:
    """How many of the words appear in the title: the fallback's stand-in for weight A."""
    hits: Expression = Value(0)
    for word in words:
        hits = hits + Case(When(title__icontains=word, then=Value(1)), default=Value(0))
    return hits


def suggest_articles(user: AnyUser, text: str, *, limit: int = SUGGESTION_LIMIT) -> list[Article]:
    """Articles that might answer a ticket title being typed.

    A title rarely contains every word of an article, so any word may match here
    (OR), unlike the search box (websearch: all words); ranking puts articles that
    match more words, and match them in the title, first.
    """
    words = [w for w in _WORD.findall(_clean(text).lower()) if len(w) > 1][:_SUGGEST_MAX_WORDS]
    if not words:
        return []
    articles = articles_visible_to(user).filter(status=Article.Status.PUBLISHED).select_related("category")
    if connection.vendor == "postgresql":
        return list(_search_postgres(articles, _query_in_every_language(words, "plain"))[:limit])
    any_word = Q()
    for word in words:
        any_word |= Q(title__icontains=word) | Q(body__icontains=word)
    ranked = articles.filter(any_word).annotate(title_hits=_title_hits(words), own_language=own_language_first())
    return list(ranked.order_by("own_language", "-title_hits", "title", "id")[:limit])


def has_voted(user: AnyUser, article: Article) -> bool:
    if not user.is_authenticated:
        return False
    return ArticleVote.objects.filter(article=article, user=user).exists()


def article_stats() -> QuerySet[Article]:
    """The director's table: every article with its counters, most deflections first."""
    return Article.objects.select_related("category").order_by("-deflections", "-helpful_yes", "-views", "title")
