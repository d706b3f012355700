"""Compare a read roster with the database: what is new, changed, deactivated, wrong.

A constant number of queries whatever the roster's size: every lookup is one query
over all the roster's keys, then dictionaries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower

from people.models import PersonRosterLink, SchoolRosterLink
from people.roster.read import Bundle, PersonRow, RowError, SchoolRow
from schools.models import School

User = get_user_model()
PERSON_FIELDS = ("first_name", "last_name", "email", "is_active", "school_id", "role")


@dataclass
class SchoolChange:
    row: SchoolRow
    school: School | None  # None: a new school
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    link: bool = False  # an existing school gets the roster's key


@dataclass
class PersonChange:
    row: PersonRow
    user_id: int | None  # None: a new person
    username: str = ""
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    link: bool = False  # an existing person gets (or changes) the roster's key


@dataclass
class Leaver:
    user_id: int
    label: str


@dataclass
class Plan:
    kind: str
    schools: list[SchoolChange] = field(default_factory=list)
    new_people: list[PersonChange] = field(default_factory=list)
    changed_people: list[PersonChange] = field(default_factory=list)
    leavers: list[Leaver] = field(default_factory=list)
    unchanged_people: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def new_schools(self) -> list[SchoolChange]:
        return [s for s in self.schools if s.school is None]

    @property
    def changed_schools(self) -> list[SchoolChange]:
        return [s for s in self.schools if s.school is not None and (s.changes or s.link)]

    @property
    def has_changes(self) -> bool:
        return bool(self.new_schools or self.changed_schools or self.new_people or self.changed_people or self.leavers)

    def summary(self) -> str:
        return (
            f"schools: {len(self.new_schools)} new, {len(self.changed_schools)} changed; "
            f"people: {len(self.new_people)} new, {len(self.changed_people)} changed, "
            f"{len(self.leavers)} deactivated, {self.unchanged_people} unchanged"
        )


def plan_import(bundle: Bundle) -> Plan:
    plan = Plan(kind=bundle.kind, errors=list(bundle.errors))
    school_ids = _plan_schools(bundle, plan)
    _plan_people(bundle, plan, school_ids)
    return plan


def _plan_schools(bundle: Bundle, plan: Plan) -> dict[str, int | None]:
    """Roster school key -> school id (None for a school the plan creates)."""
    links = dict(SchoolRosterLink.objects.values_list("sourced_id", "school_id"))
    schools = {s.pk: s for s in School.objects.all()}
    by_code = {s.code.lower(): s for s in schools.values()}
    keys: dict[str, int | None] = {}
    codes_in_roster: dict[str, int] = {}
    for row in bundle.schools:
        if row.code.lower() in codes_in_roster:
            plan.errors.append(RowError(_school_file(bundle), row.line, f"code {row.code!r} is used twice"))
            continue
        codes_in_roster[row.code.lower()] = row.line
        school = schools.get(links.get(row.sourced_id, 0)) or by_code.get(row.code.lower())
        if school is None:
            plan.schools.append(SchoolChange(row=row, school=None))
            keys[row.sourced_id] = None
            continue
        change = SchoolChange(row=row, school=school, link=links.get(row.sourced_id) != school.pk)
        if school.name != row.name:
            change.changes["name"] = (school.name, row.name)
        if school.code != row.code:
            other = by_code.get(row.code.lower())
            if other is not None and other.pk != school.pk:
                plan.errors.append(RowError(_school_file(bundle), row.line, f"code {row.code!r} belongs to {other}"))
                continue
            change.changes["code"] = (school.code, row.code)
        if bundle.kind == "plain" and school.level != row.level:
            change.changes["level"] = (school.level, row.level)
        plan.schools.append(change)
        keys[row.sourced_id] = school.pk
    if bundle.kind == "plain":
        # people.csv may name schools that schools.csv does not list but the desk knows.
        for code, school in by_code.items():
            keys.setdefault(code, school.pk)
        keys = {k.lower(): v for k, v in keys.items()}
    return keys


def _school_file(bundle: Bundle) -> str:
    return "orgs.csv" if bundle.kind == "oneroster" else "schools.csv"


def _plan_people(bundle: Bundle, plan: Plan, school_ids: dict[str, int | None]) -> None:
    links = dict(PersonRosterLink.objects.values_list("sourced_id", "user_id"))
    roster_keys = {row.sourced_id for row in bundle.people}
    emails = {row.email.lower() for row in bundle.people if row.email}
    # Each person as a row of the values() below.
    users: dict[int, Mapping[str, Any]] = {
        u["pk"]: u
        for u in User.objects.annotate(email_lower=Lower("email"))
        .filter(pk__in=[links[k] for k in roster_keys | bundle.leaving if k in links])
        .values(
            "pk", "username", "email", "first_name", "last_name", "is_active", "profile__school_id", "profile__role"
        )
    }
    by_email: dict[str, Mapping[str, Any]] = {}
    for u in (
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .values(
            "pk", "username", "email", "first_name", "last_name", "is_active", "profile__school_id", "profile__role"
        )
        .order_by("pk")
    ):
        users.setdefault(u["pk"], u)
        by_email.setdefault(u["email"].lower(), u)
    linked_user_key = {user_id: key for key, user_id in links.items()}

    seen_emails: dict[str, int] = {}
    claimed: set[int] = set()
    new_usernames: list[str] = []
    for row in bundle.people:
        if row.email:
            if row.email.lower() in seen_emails:
                plan.errors.append(
                    RowError(row.file, row.line, f"{row.email} is also on line {seen_emails[row.email.lower()]}")
                )
                continue
            seen_emails[row.email.lower()] = row.line
        school_key = row.school_sourced_id.lower() if bundle.kind == "plain" and row.school_sourced_id else None
        school_key = school_key or row.school_sourced_id
        if school_key is not None and school_key not in school_ids:
            plan.errors.append(RowError(row.file, row.line, f"no school {row.school_sourced_id!r}"))
            continue
        school_id = school_ids.get(school_key) if school_key else None
        wanted = {
            "first_name": row.first_name,
            "last_name": row.last_name,
            "email": row.email,
            "is_active": row.active,
            "school_id": school_id if school_key is None or school_id is not None else ("new", school_key),
            "role": row.role,
        }
        user = users.get(links.get(row.sourced_id, 0))
        link = False
        if user is None and row.email:
            user = by_email.get(row.email.lower())
            if user is not None:
                other_key = linked_user_key.get(user["pk"])
                if other_key is not None and other_key in roster_keys:
                    plan.errors.append(
                        RowError(row.file, row.line, f"{row.email} belongs to the roster's {other_key!r}")
                    )
                    continue
                link = True
        if user is None:
            plan.new_people.append(
                PersonChange(row=row, user_id=None, changes={k: (None, v) for k, v in wanted.items()})
            )
            new_usernames.append(row.username)
            continue
        if user["pk"] in claimed:
            plan.errors.append(RowError(row.file, row.line, f"{row.email} matches a person already on the roster"))
            continue
        claimed.add(user["pk"])
        if row.email and user["email"].lower() != row.email.lower():
            holder = by_email.get(row.email.lower())
            if holder is not None and holder["pk"] != user["pk"]:
                plan.errors.append(RowError(row.file, row.line, f"{row.email} already belongs to another person"))
                continue
        current = {
            "first_name": user["first_name"],
            "last_name": user["last_name"],
            "email": user["email"],
            "is_active": user["is_active"],
            "school_id": user["profile__school_id"],
            "role": user["profile__role"],
        }
        changes = {k: (current[k], v) for k, v in wanted.items() if current[k] != v}
        if changes or link:
            plan.changed_people.append(PersonChange(row=row, user_id=user["pk"], changes=changes, link=link))
        else:
            plan.unchanged_people += 1

    if not bundle.delta:
        gone = {key for key in links if key not in roster_keys}
    else:
        gone = set()
    gone |= bundle.leaving & set(links)
    leaver_ids = {links[key] for key in gone} - claimed
    for gone_user in (
        User.objects.filter(pk__in=leaver_ids, is_active=True).values("pk", "username", "email").order_by("pk")
    ):
        plan.leavers.append(Leaver(user_id=gone_user["pk"], label=gone_user["email"] or gone_user["username"]))
    _choose_usernames(plan, new_usernames)


def _choose_usernames(plan: Plan, candidates: list[str]) -> None:
    """Each new person gets their roster username, else their email, else a numbered one."""
    wanted = set(candidates) | {c.row.email for c in plan.new_people} | {c.row.sourced_id for c in plan.new_people}
    taken = {name.lower() for name in User.objects.filter(username__in=wanted).values_list("username", flat=True)}
    for change in plan.new_people:
        for candidate in (change.row.username, change.row.email, change.row.sourced_id):
            if candidate and candidate.lower() not in taken:
                break
        else:
            base, n = change.row.sourced_id[:140], 2
            while f"{base}-{n}".lower() in taken:
                n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate.lower())
        change.username = candidate[:150]
