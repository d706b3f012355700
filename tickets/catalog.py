"""Writes for the catalog: queues (one per school, made with it), categories, routing.

Split from services.py, which keeps the ticket lifecycle; services imports `route`
from here, never the other way round.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from schools.models import School
from tickets.errors import DomainError
from tickets.models import Category, Queue, Vendor


def route(*, school: School, category: Category) -> Queue:
    """A ticket lands in its category's district-wide queue, else its school's queue."""
    if category.queue is not None:
        return category.queue
    return ensure_school_queue(school)


def ensure_school_queue(school: School) -> Queue:
    # A school read with select_related("queue") (filing for one's own school) costs no query.
    if School.queue.is_cached(school) and (queue := getattr(school, "queue", None)) is not None:
        return queue
    queue, _ = Queue.objects.get_or_create(school=school, defaults={"name": school.name})
    return queue


def school_created(sender: type, instance: School, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """Every school gets its own queue the moment it exists (connected in TicketsConfig)."""
    if created and not raw:
        ensure_school_queue(instance)


def create_queue(*, name: str, school: School | None = None, description: str = "") -> Queue:
    """A district-wide team queue, or (rarely, since schools get theirs automatically) a school's."""
    name = name.strip()
    if not name:
        raise DomainError(gettext("Give the queue a name."), field="name")
    if school is not None and Queue.objects.filter(school=school).exists():
        raise DomainError(gettext("%(school)s already has its queue.") % {"school": school.name}, field="school")
    return Queue.objects.create(name=name, school=school, description=description.strip())


def update_queue(*, queue: Queue, changes: dict[str, Any]) -> Queue:
    """Rename or describe a queue. A school's own queue stays with its school."""
    if "school" in changes and changes["school"] != queue.school:
        raise DomainError(gettext("A queue cannot move between schools or district teams."), field="school")
    if "name" in changes:
        name = changes["name"].strip()
        if not name:
            raise DomainError(gettext("Give the queue a name."), field="name")
        queue.name = name
    if "description" in changes:
        queue.description = changes["description"].strip()
    queue.save()
    return queue


def delete_queue(*, queue: Queue) -> None:
    """Only an empty district-wide queue may go: tickets keep their queue, schools keep theirs."""
    if queue.school_id is not None:
        raise DomainError(gettext("A school's own queue goes only with the school."))
    if queue.tickets.exists():
        raise DomainError(gettext("This queue still holds tickets; move them first."))
    # Categories routed here fall back to the schools' own queues (SET_NULL).
    queue.delete()


def _check_category_queue(queue: Queue | None) -> None:
    if queue is not None and not queue.is_district_wide:
        raise DomainError(gettext("A category can route only to a district-wide queue."), field="queue")


def _unique_category_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """The slug of the name, with -2, -3, … added until no other category has it."""
    base = slugify(name)[: Category.SLUG_MAX_LENGTH - 4].strip("-") or "category"
    others = Category.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = set(others.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_category(
    *,
    name: str,
    slug: str = "",
    in_scope: bool = True,
    queue: Queue | None = None,
    responsible_party: str = "",
    guidance: str = "",
    vendor: Vendor | None = None,
    name_es: str = "",
    responsible_party_es: str = "",
    guidance_es: str = "",
) -> Category:
    """A new kind of request. The slug comes from the name when none is given."""
    name = name.strip()
    if not name:
        raise DomainError(gettext("Give the category a name."), field="name")
    _check_category_queue(queue)
    slug = slug.strip()
    if slug and Category.objects.filter(slug=slug).exists():
        raise DomainError(gettext("Another category already uses this slug."), field="slug")

    try:
        # A savepoint, so two directors saving the same name at once get a 400, not a broken transaction.
        with transaction.atomic():
            return Category.objects.create(
                name=name,
                slug=slug or _unique_category_slug(name),
                in_scope=in_scope,
                queue=queue,
                responsible_party=responsible_party.strip() or (vendor.name if vendor else ""),
                guidance=guidance.strip(),
                vendor=vendor,
                name_es=name_es.strip(),
                responsible_party_es=responsible_party_es.strip(),
                guidance_es=guidance_es.strip(),
            )
    except IntegrityError as exc:
        raise DomainError(gettext("Another category already uses this slug."), field="slug") from exc


CATEGORY_FIELDS = ("name", "slug", "in_scope", "queue", "responsible_party", "guidance", "vendor")
# Their Spanish twins, written by the director's category pages (the API's category keeps CATEGORY_FIELDS).
CATEGORY_SPANISH_FIELDS = ("name_es", "responsible_party_es", "guidance_es")


def update_category(*, category: Category, changes: dict[str, Any]) -> Category:
    """Change a category; an emptied slug is derived again from the (new) name."""
    unknown = set(changes) - set(CATEGORY_FIELDS) - set(CATEGORY_SPANISH_FIELDS)
    if unknown:
        raise DomainError(
            gettext("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    if "queue" in changes:
        _check_category_queue(changes["queue"])
    for field, value in changes.items():
        setattr(category, field, value.strip() if isinstance(value, str) else value)
    if not category.name:
        raise DomainError(gettext("Give the category a name."), field="name")
    if "slug" in changes:
        if not category.slug:
            category.slug = _unique_category_slug(category.name, exclude_pk=category.pk)
        elif Category.objects.exclude(pk=category.pk).filter(slug=category.slug).exists():
            raise DomainError(gettext("Another category already uses this slug."), field="slug")
    category.save()
    return category


def delete_category(*, category: Category) -> None:
    """A category that tickets were filed under stays, so their history keeps its meaning."""
    if category.tickets.exists():
        raise DomainError(gettext("Tickets were filed under this category; mark it out of scope instead."))
    category.delete()
