"""Writing a roster plan: all or nothing, in batches, never deleting anyone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from people.models import PersonRosterLink, SchoolRosterLink
from people.roster.plan import PersonChange, Plan, plan_import
from people.roster.read import RowError, read_bundle
from people.services import end_sessions_of
from schools.models import Profile, School

User = get_user_model()
BATCH = 1000
Progress = Callable[[int, int], None]


class RosterInvalid(Exception):
    """The roster has errors: nothing was changed. `errors` name file and line."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors[:20]))
        self.errors = errors


def import_roster(path: Path | IO[bytes], *, dry_run: bool = False, progress: Progress | None = None) -> Plan:
    """Read, plan and (unless dry_run) apply a roster; raises RosterInvalid on any bad row."""
    plan = plan_import(read_bundle(path))
    if plan.errors:
        raise RosterInvalid(plan.errors)
    if not dry_run:
        apply_plan(plan, progress=progress)
    return plan


def apply_plan(plan: Plan, *, progress: Progress | None = None) -> Plan:
    """Write the plan in one transaction; a constant number of queries per 1,000 people."""
    if plan.errors:
        raise RosterInvalid(plan.errors)
    total = len(plan.new_people) + len(plan.changed_people) + len(plan.leavers)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    with transaction.atomic():
        school_ids = _apply_schools(plan)
        _create_people(plan, school_ids, advance)
        _change_people(plan, school_ids, advance)
        leaver_ids = [leaver.user_id for leaver in plan.leavers]
        for start in range(0, len(leaver_ids), BATCH):
            batch = leaver_ids[start : start + BATCH]
            User.objects.filter(pk__in=batch).update(is_active=False)
            end_sessions_of(user_ids=batch)
            advance(len(batch))
    return plan


def _apply_schools(plan: Plan) -> dict[str, int]:
    """Schools are few: each is saved on its own, so its queue is made with it (the post_save hook)."""
    ids: dict[str, int] = {}
    for change in plan.schools:
        row = change.row
        school = change.school
        if school is None:
            school = School.objects.create(name=row.name, code=row.code, level=row.level, address=row.address)
            SchoolRosterLink.objects.create(school=school, sourced_id=row.sourced_id)
        else:
            if change.changes:
                for name, (_old, new) in change.changes.items():
                    setattr(school, name, new)
                school.save(update_fields=list(change.changes))
            if change.link:
                SchoolRosterLink.objects.filter(school=school).delete()
                SchoolRosterLink.objects.update_or_create(sourced_id=row.sourced_id, defaults={"school": school})
        ids[row.sourced_id.lower() if plan.kind == "plain" else row.sourced_id] = school.pk
    return ids


def _school_id(value: object, school_ids: dict[str, int]) -> int | None:
    if isinstance(value, tuple):  # ("new", key): a school this import creates
        return school_ids[value[1]]
    return value  # type: ignore[return-value]


def _create_people(plan: Plan, school_ids: dict[str, int], advance: Callable[[int], None]) -> None:
    for start in range(0, len(plan.new_people), BATCH):
        batch = plan.new_people[start : start + BATCH]
        users = User.objects.bulk_create(
            [
                User(
                    username=change.username,
                    email=change.row.email,
                    first_name=change.row.first_name,
                    last_name=change.row.last_name,
                    is_active=change.row.active,
                    # They sign in through single sign-on; a director may send a reset link.
                    password=make_password(None),
                )
                for change in batch
            ]
        )
        Profile.objects.bulk_create(
            [
                Profile(
                    user=user, school_id=_school_id(change.changes["school_id"][1], school_ids), role=change.row.role
                )
                for user, change in zip(users, batch, strict=True)
            ]
        )
        PersonRosterLink.objects.bulk_create(
            [
                PersonRosterLink(user=user, sourced_id=change.row.sourced_id)
                for user, change in zip(users, batch, strict=True)
            ]
        )
        advance(len(batch))


def _user_id(change: PersonChange) -> int:
    """The person a change of someone already known applies to (only new people have none)."""
    if change.user_id is None:
        raise AssertionError(f"a change of a known person without one: {change.row.sourced_id}")
    return change.user_id


def _change_people(plan: Plan, school_ids: dict[str, int], advance: Callable[[int], None]) -> None:
    for start in range(0, len(plan.changed_people), BATCH):
        batch = plan.changed_people[start : start + BATCH]
        ids = [_user_id(change) for change in batch]
        users = User.objects.in_bulk(ids)
        profiles = {p.user_id: p for p in Profile.objects.filter(user_id__in=ids)}
        user_fields: set[str] = set()
        profile_fields: set[str] = set()
        new_profiles = []
        for change, user_id in zip(batch, ids, strict=True):
            user = users[user_id]
            profile = profiles.get(user_id)
            if profile is None:
                profile = Profile(user=user)
                new_profiles.append(profile)
            for name, (_old, new) in change.changes.items():
                if name == "school_id":
                    profile.school_id = _school_id(new, school_ids)
                    profile_fields.add("school")
                elif name == "role":
                    profile.role = new
                    profile_fields.add("role")
                else:
                    setattr(user, name, new)
                    user_fields.add(name)
        if user_fields:
            User.objects.bulk_update(users.values(), sorted(user_fields))
        if profile_fields:
            Profile.objects.bulk_update([p for p in profiles.values()], sorted(profile_fields))
        if new_profiles:
            Profile.objects.bulk_create(new_profiles)
        relinked = [change for change in batch if change.link]
        if relinked:
            PersonRosterLink.objects.filter(user_id__in=[_user_id(c) for c in relinked]).delete()
            PersonRosterLink.objects.bulk_create(
                [PersonRosterLink(user_id=_user_id(c), sourced_id=c.row.sourced_id) for c in relinked]
            )
        turned_off = [_user_id(c) for c in batch if c.changes.get("is_active", (None, True))[1] is False]
        if turned_off:
            end_sessions_of(user_ids=turned_off)
        advance(len(batch))
