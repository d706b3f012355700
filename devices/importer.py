"""`import_assets`: devices from our CSV or a Google Admin Chrome devices export.

Keyed by tag (any case): a known tag is updated, a new one created. All or nothing:
every row is checked first, and any invalid row (with its line) refuses the whole
file. Reads and writes go in batches, so queries grow with batches, never with rows.

Our columns: `tag, serial, kind, model, school` (school code), `room, assigned_to`
(email), `warranty_end` (YYYY-MM-DD), and optionally `status, owner, purchased_on,
vendor`. Google's: `annotatedAssetId` (tag), `serialNumber, model, annotatedUser`
(email), `orgUnitPath` (a school's code or name as one of its parts). Students are not
people here (no student records), so a Google row whose user we do not know is
imported without a holder rather than refused, and a row without an asset ID is skipped.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import models, transaction
from django.db.models.functions import Lower, Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from devices.models import Asset, AssetAssignment, AssetImport
from schools.errors import DomainError, PermissionDenied
from schools.models import School
from schools.roles import is_director

BATCH = 1000
OURS = {"tag", "serial", "kind", "model", "school", "room", "assigned_to", "warranty_end"}
GOOGLE = {"annotatedAssetId", "serialNumber", "model", "annotatedUser", "orgUnitPath"}
OPTIONAL = {"status": Asset.Status, "owner": Asset.Owner}
FIELDS = ["serial", "kind", "model", "school_id", "room", "assigned_to_id", "warranty_end", "status", "owner"]
FIELDS += ["purchased_on", "vendor"]


class ImportRefused(Exception):
    """The file has errors; nothing was changed. `errors` are "line N: message"."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    without_holder: int = 0
    format: str = "csv"
    # The first PREVIEW tags of each kind, for the upload page's preview.
    new_tags: list[str] = field(default_factory=list)
    changed_tags: list[str] = field(default_factory=list)


PREVIEW = 100


def _date(value: str) -> date | None:
    value = value.strip()
    return date.fromisoformat(value) if value else None


def read_rows(text: str) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    """The file's format and its rows, each with its line number."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = set(reader.fieldnames or [])
    if GOOGLE <= headers:
        kind = "google"
    elif {"tag"} <= headers and headers <= OURS | set(OPTIONAL) | {"purchased_on", "vendor"}:
        kind = "csv"
    else:
        raise ImportRefused([f"line 1: unknown columns; expected {', '.join(sorted(OURS))} or a Google Admin export"])
    return kind, [(n + 2, {k: (v or "").strip() for k, v in row.items() if k}) for n, row in enumerate(reader)]


def import_assets(text: str, *, dry_run: bool = False) -> Report:
    kind, rows = read_rows(text)
    report = Report(format=kind)
    schools = {code.upper(): pk for pk, code in School.objects.values_list("pk", "code")}
    if kind == "google":
        schools |= {name.upper(): pk for pk, name in School.objects.values_list("pk", "name")}
    emails = {
        (row.get("assigned_to", "") if kind == "csv" else row.get("annotatedUser", "")).lower() for _line, row in rows
    } - {""}
    people: dict[str, int] = {}
    email_list = sorted(emails)
    users = get_user_model().objects.annotate(lower_email=Lower("email"))
    for start in range(0, len(email_list), BATCH):
        people |= dict(users.filter(lower_email__in=email_list[start : start + BATCH]).values_list("lower_email", "pk"))

    errors: list[str] = []
    wanted: dict[str, tuple[int, dict[str, Any]]] = {}
    for line, row in rows:
        values, problem = _values(kind, row, schools, people, report)
        if problem:
            errors.append(f"line {line}: {problem}")
            continue
        if values is None:
            continue
        key = values["tag"].upper()
        if key in wanted:
            errors.append(f"line {line}: tag {values['tag']} is also on line {wanted[key][0]}")
            continue
        wanted[key] = (line, values)
    if errors:
        raise ImportRefused(errors)

    with transaction.atomic():
        _apply(wanted, report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _values(
    kind: str, row: dict[str, str], schools: dict[str, int], people: dict[str, int], report: Report
) -> tuple[dict[str, Any] | None, str | None]:
    values: dict[str, Any]
    if kind == "google":
        tag = row.get("annotatedAssetId", "")
        if not tag:
            report.skipped += 1
            return None, None
        parts = [p.upper() for p in row.get("orgUnitPath", "").split("/") if p]
        school_id = next((schools[p] for p in reversed(parts) if p in schools), None)
        person = people.get(row.get("annotatedUser", "").lower())
        if person is None:
            report.without_holder += 1
        values = {"tag": tag, "serial": row.get("serialNumber", ""), "kind": Asset.Kind.CHROMEBOOK}
        values |= {"model": row.get("model", ""), "assigned_to_id": person}
        if school_id is not None:
            values["school_id"] = school_id
        return values, None
    tag = row.get("tag", "")
    if not tag:
        return None, "tag is empty"
    if len(tag) > 50:
        return None, "tag is longer than 50 characters"
    values = {"tag": tag}
    for name in ("serial", "model", "room", "vendor"):
        if name in row:
            values[name] = row[name]
    if "kind" in row:
        kind_value = (row["kind"] or "other").lower()
        if kind_value not in Asset.Kind.values:
            return None, f"kind {row['kind']!r} is not one of {', '.join(Asset.Kind.values)}"
        values["kind"] = kind_value
    for name, choices in OPTIONAL.items():
        if row.get(name):
            if row[name].lower() not in choices.values:
                return None, f"{name} {row[name]!r} is not one of {', '.join(choices.values)}"
            values[name] = row[name].lower()
    if "school" in row:
        code = row["school"].upper()
        if code and code not in schools:
            return None, f"no school has the code {row['school']!r}"
        values["school_id"] = schools.get(code)
    if "assigned_to" in row:
        email = row["assigned_to"].lower()
        if email and email not in people:
            return None, f"nobody has the email {row['assigned_to']!r} (import the roster first)"
        values["assigned_to_id"] = people.get(email)
    for name in ("warranty_end", "purchased_on"):
        if name in row:
            try:
                values[name] = _date(row[name])
            except ValueError:
                return None, f"{name} {row[name]!r} is not a date (YYYY-MM-DD)"
    for name in ("serial", "model", "room", "vendor"):
        limit = _max_length(name)
        if len(values.get(name, "")) > limit:
            return None, f"{name} is longer than {limit} characters"
    return values, None


def _max_length(name: str) -> int:
    """The length an Asset text column holds."""
    column = Asset._meta.get_field(name)
    if not isinstance(column, models.CharField) or column.max_length is None:
        raise TypeError(f"Asset.{name} is not a text column with a length")
    return column.max_length


def _apply(wanted: dict[str, tuple[int, dict[str, Any]]], report: Report) -> None:
    """Per batch of tags: one read, one bulk insert, one bulk update, and the holder history."""
    keys = list(wanted)
    now = timezone.now()
    for start in range(0, len(keys), BATCH):
        batch = keys[start : start + BATCH]
        existing = {a.upper_tag: a for a in Asset.objects.annotate(upper_tag=Upper("tag")).filter(upper_tag__in=batch)}
        new: list[Asset] = []
        changed: list[Asset] = []
        moved: list[Asset] = []
        for key in batch:
            values = wanted[key][1]
            asset: Asset | None = existing.get(key)
            if asset is None:
                asset = Asset(**values)
                new.append(asset)
                continue
            holder = (asset.assigned_to_id, asset.school_id, asset.room)
            dirty = False
            for name, value in values.items():
                if name != "tag" and getattr(asset, name) != value:
                    setattr(asset, name, value)
                    dirty = True
            if dirty:
                changed.append(asset)
                if (asset.assigned_to_id, asset.school_id, asset.room) != holder:
                    moved.append(asset)
            else:
                report.unchanged += 1
        Asset.objects.bulk_create(new, batch_size=BATCH)
        if changed:
            for asset in changed:
                asset.updated_at = now
            Asset.objects.bulk_update(changed, [*FIELDS, "updated_at"], batch_size=BATCH)
        if moved:
            AssetAssignment.objects.filter(asset__in=moved, ended_at__isnull=True).update(ended_at=now)
        history = [
            AssetAssignment(asset=a, person_id=a.assigned_to_id, school_id=a.school_id, room=a.room, started_at=now)
            for a in [*new, *moved]
            if a.assigned_to_id or a.school_id
        ]
        AssetAssignment.objects.bulk_create(history, batch_size=BATCH)
        report.created += len(new)
        report.updated += len(changed)
        report.new_tags += [a.tag for a in new[: PREVIEW - len(report.new_tags)]]
        report.changed_tags += [a.tag for a in changed[: PREVIEW - len(report.changed_tags)]]


# --- the director's upload page: preview first, then apply the same file ---------------------

UPLOAD_KEEP = timedelta(days=1)


def preview_upload(*, actor: User, filename: str, text: str) -> tuple[AssetImport, Report]:
    """Keep the uploaded file and say what importing it would do (a dry run).

    Raises `ImportRefused` (nothing kept) when the file has errors.
    """
    if not is_director(actor):
        raise PermissionDenied(_("Only a director can import devices."))
    report = import_assets(text, dry_run=True)
    upload = AssetImport.objects.create(
        filename=filename[:200], text=text, uploaded_by=actor, created=report.created, updated=report.updated
    )
    return upload, report


def apply_upload(*, actor: User, upload: AssetImport) -> Report:
    """Import a previewed file, all or nothing, once: a second "apply" (a double click, a
    second tab) finds it applied and changes nothing. The file's text is dropped once applied."""
    if not is_director(actor) or upload.uploaded_by_id != actor.pk:
        raise PermissionDenied(_("Only the director who uploaded this file can apply it."))
    if upload.uploaded_at < timezone.now() - UPLOAD_KEEP:
        raise DomainError(_("This preview is more than a day old; upload the file again."))
    with transaction.atomic():
        # Claim the upload before importing, so two simultaneous applies import once.
        claimed = AssetImport.objects.filter(pk=upload.pk, applied_at__isnull=True).update(applied_at=timezone.now())
        if not claimed:
            raise DomainError(_("This file has already been imported."))
        report = import_assets(upload.text)
        AssetImport.objects.filter(pk=upload.pk).update(text="", created=report.created, updated=report.updated)
    return report
