"""The starter knowledge base: short articles every K-12 district needs, in English and Spanish.

Each article is a Markdown file in `starter/<language>/<name>.md` with a small front
matter (`title`, `category` slug, optional `audience`). The same name in two languages
is the same article translated. The demo seeder loads them; a new district can too
(`load_starter_articles(actor=...)`), and loading twice adds nothing.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User

from tickets.kb import services
from tickets.models import Article, Category

STARTER_DIR = Path(__file__).with_name("starter")


@dataclass(frozen=True)
class StarterArticle:
    name: str
    language: str
    title: str
    category: str
    audience: str
    body: str


def _front_matter(text: str, path: Path) -> tuple[dict[str, str], str]:
    lines = text.split("\n")
    if lines[0].strip() != "---" or "---" not in (line.strip() for line in lines[1:]):
        raise ValueError(f"{path}: the article must start with a --- front matter block")
    end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    fields = {}
    for line in lines[1:end]:
        key, _sep, value = line.partition(":")
        value = value.strip()
        if len(value) > 1 and value[0] == value[-1] == '"':
            value = value[1:-1]  # quoted because it holds a colon
        fields[key.strip()] = value
    return fields, "\n".join(lines[end + 1 :]).strip()


def starter_articles() -> list[StarterArticle]:
    """Every starter article on disk, in a stable order (language, then file name)."""
    articles = []
    for language, _name in settings.LANGUAGES:
        for path in sorted((STARTER_DIR / language).glob("*.md")):
            fields, body = _front_matter(path.read_text(encoding="utf-8"), path)
            if not fields.get("title") or not body:
                raise ValueError(f"{path}: an article needs a title and a body")
            articles.append(
                StarterArticle(
                    name=path.stem,
                    language=language,
                    title=fields["title"],
                    category=fields.get("category", ""),
                    audience=fields.get("audience") or Article.Audience.EVERYONE,
                    body=body,
                )
            )
    return articles


def load_starter_articles(*, actor: User) -> int:
    """Publish the starter articles not yet present (same title and language); returns how many were added.

    Articles go through the service, so each gets its search vector in its own language.
    A category slug the district does not have leaves the article uncategorised.
    """
    categories = {c.slug: c for c in Category.objects.all()}
    existing = {
        (a.title, a.language): a for a in Article.objects.filter(title__in=[s.title for s in starter_articles()])
    }
    added = 0
    for starter in starter_articles():
        category = categories.get(starter.category)
        article = existing.get((starter.title, starter.language))
        if article is not None:
            # A re-seeded district deletes its categories (SET_NULL): give the article its new one.
            if article.category_id is None and category is not None:
                services.update_article(actor=actor, article=article, changes={"category": category})
            continue
        services.create_article(
            actor=actor,
            title=starter.title,
            body=starter.body,
            category=category,
            audience=starter.audience,
            language=starter.language,
        )
        added += 1
    return added
