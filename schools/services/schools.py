"""Creating and changing schools."""

from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from schools.errors import DomainError
from schools.models import School
from schools.services.visits import _require_director

SCHOOL_FIELDS = ("name", "code", "level", "address", "campus_contact")


def _check_school(school: School) -> None:
    """The rules a school's fields follow, on the page and in the API alike."""
    errors: dict[str, list[str]] = {}
    if not school.name:
        errors["name"] = [gettext("Give the school a name.")]
    if not school.code:
        errors["code"] = [gettext("Give the school a short code, e.g. JES.")]
    elif School.objects.exclude(pk=school.pk).filter(code__iexact=school.code).exists():
        errors["code"] = [gettext("Another school already uses this code.")]
    if school.level not in School.Level.values:
        errors["level"] = [gettext("Choose elementary, middle, high or other.")]
    if school.campus_contact is not None and not school.campus_contact.is_active:
        errors["campus_contact"] = [gettext("A deactivated person cannot be a campus contact.")]
    if errors:
        raise DomainError(errors=errors)


def _save_school(school: School) -> School:
    _check_school(school)
    try:
        # A savepoint: two directors saving the same code at once get a form error, not a 500.
        with transaction.atomic():
            school.save()
    except IntegrityError as exc:
        raise DomainError(errors={"code": [gettext("Another school already uses this code.")]}) from exc
    return school


def create_school(
    *,
    actor: User,
    name: str,
    code: str,
    level: str = School.Level.ELEMENTARY,
    address: str = "",
    campus_contact: User | None = None,
) -> School:
    """A new school; its queue comes with it (tickets' `school_created` post_save receiver)."""
    _require_director(actor)
    school = School(
        name=name.strip(), code=code.strip(), level=level, address=address.strip(), campus_contact=campus_contact
    )
    return _save_school(school)


def update_school(*, actor: User, school: School, changes: dict[str, Any]) -> School:
    """Change a school's name, code, level, address or campus contact."""
    _require_director(actor)
    unknown = set(changes) - set(SCHOOL_FIELDS)
    if unknown:
        raise DomainError(errors={name: [gettext("This field cannot be changed.")] for name in sorted(unknown)})
    for field, value in changes.items():
        setattr(school, field, value.strip() if isinstance(value, str) else value)
    return _save_school(school)
