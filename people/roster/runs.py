"""Roster imports as recorded runs: the director's upload page and the scheduled re-import.

The same reader and plan as `import_roster` (people.roster); what this adds is the
`RosterImport` row. An upload is previewed (planned, nothing written), then applied in
a background task: the row is claimed by conditional UPDATE before the task is sent, the
task claims it again before applying, so a double click, a second tab or a task sent
twice applies once. The plan is made again when applying (the district may have changed
since the preview) and written in one transaction, all or nothing; progress goes to the
row on a connection of its own, so the page sees it while that transaction is open.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.delivery import enqueue_on_commit
from people.models import RosterImport
from people.roster import sftp
from people.roster.apply import apply_plan
from people.roster.plan import Plan, plan_import
from people.roster.read import bundle_bytes, bundle_checksum, read_bundle, zip_of
from schools.errors import DomainError
from schools.roles import is_director

logger = logging.getLogger(__name__)

MAX_ERRORS = 200
PREVIEW_KEEP = timedelta(days=1)
LOST_AFTER = timedelta(minutes=5)  # a queued import not started by then had its task lost
# An import still "applying" this long after it started had its worker die (5,000 people take
# seconds). Its changes were one transaction, so the database rolled them back: nothing changed.
STALLED_AFTER = timedelta(hours=1)
PROGRESS_EVERY = 500  # people between two progress writes


def bundle_of_upload(files: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    """A zip as uploaded, or the plain CSV pair (or OneRoster CSVs) zipped: (file name, bytes)."""
    if len(files) == 1 and not files[0][0].lower().endswith(".csv"):
        return files[0]
    by_name = {name.rsplit("/", 1)[-1].lower(): data for name, data in files}
    return " + ".join(sorted(by_name)), zip_of(by_name)


def _counts(plan: Plan) -> dict[str, int]:
    return {
        "new_schools": len(plan.new_schools),
        "changed_schools": len(plan.changed_schools),
        "new_people": len(plan.new_people),
        "changed_people": len(plan.changed_people),
        "deactivated": len(plan.leavers),
        "total": len(plan.new_people) + len(plan.changed_people) + len(plan.leavers),
    }


def _plan_of(data: bytes) -> Plan:
    try:
        return plan_import(read_bundle(io.BytesIO(data)))
    except ValueError as exc:  # not a zip, a file too large
        raise DomainError(str(exc), field="bundle") from exc


def preview_upload(*, actor: User, filename: str, data: bytes) -> tuple[RosterImport, Plan]:
    """Record the upload and plan it (a dry run). With errors the row is `refused` and keeps no bytes."""
    if not is_director(actor):
        raise PermissionDenied(_("Only a director can import the roster."))
    plan = _plan_of(data)
    refused = bool(plan.errors)
    record = RosterImport.objects.create(
        source=RosterImport.Source.UPLOAD,
        status=RosterImport.Status.REFUSED if refused else RosterImport.Status.PREVIEWED,
        filename=filename[:300],
        checksum=bundle_checksum(io.BytesIO(data)),
        data=b"" if refused else data,
        uploaded_by=actor,
        errors=[str(error) for error in plan.errors[:MAX_ERRORS]],
        finished_at=timezone.now() if refused else None,
        **_counts(plan),
    )
    return record, plan


def start_import(*, actor: User, record: RosterImport) -> RosterImport:
    """Apply a previewed upload in the background, once."""
    if not is_director(actor) or record.uploaded_by_id != actor.pk:
        raise PermissionDenied(_("Only the director who uploaded this roster can apply it."))
    if record.created_at < timezone.now() - PREVIEW_KEEP:
        raise DomainError(_("This preview is more than a day old; upload the roster again."))
    # Claim by conditional UPDATE: of two clicks, one queues the import and the other finds it queued.
    claimed = RosterImport.objects.filter(pk=record.pk, status=RosterImport.Status.PREVIEWED).update(
        status=RosterImport.Status.QUEUED
    )
    if not claimed:
        raise DomainError(_("This roster is already being imported, or was imported."))
    from people.tasks import apply_roster_import

    enqueue_on_commit(apply_roster_import, record.pk)
    record.refresh_from_db()
    return record


def run_import(import_id: int) -> RosterImport | None:
    """Apply a queued import (the task's body); None when another run has it already."""
    claimed = RosterImport.objects.filter(pk=import_id, status=RosterImport.Status.QUEUED).update(
        status=RosterImport.Status.APPLYING, started_at=timezone.now(), done=0
    )
    if not claimed:
        return None
    record = RosterImport.objects.get(pk=import_id)
    try:
        plan = _plan_of(bytes(record.data))
        if plan.errors:
            return _finish(record, RosterImport.Status.REFUSED, plan, errors=[str(e) for e in plan.errors])
        RosterImport.objects.filter(pk=record.pk).update(**_counts(plan))
        with _progress_recorder(record.pk) as progress:
            apply_plan(plan, progress=progress)
    except DomainError as error:
        return _finish(record, RosterImport.Status.REFUSED, None, errors=error.messages)
    except Exception:
        logger.exception("Roster import %s failed", import_id)
        _finish(record, RosterImport.Status.FAILED, None, errors=[_("The import stopped on an unexpected error.")])
        raise
    return _finish(record, RosterImport.Status.APPLIED, plan, errors=[])


def _finish(record: RosterImport, status: str, plan: Plan | None, *, errors: list[str]) -> RosterImport:
    counts = _counts(plan) if plan is not None else {}
    if status == RosterImport.Status.APPLIED:
        counts["done"] = counts["total"]
    RosterImport.objects.filter(pk=record.pk).update(
        status=status, finished_at=timezone.now(), errors=errors[:MAX_ERRORS], data=b"", **counts
    )
    record.refresh_from_db()
    return record


@contextmanager
def _progress_recorder(import_id: int) -> Iterator[Callable[[int, int], None] | None]:
    """Writes `done` on a second connection, which commits at once. PostgreSQL only: SQLite
    allows one writer, and the import's own transaction is that writer."""
    if connection.vendor != "postgresql":
        yield None
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    last = 0

    def record(done: int, total: int) -> None:
        nonlocal last
        if done - last < PROGRESS_EVERY and done < total:
            return
        last = done
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {RosterImport._meta.db_table} SET done = %s WHERE id = %s",  # noqa: S608 - our table name
                [done, import_id],
            )

    try:
        yield record
    finally:
        side.close()


# --- the scheduled re-import ------------------------------------------------------------------


def scheduled_import() -> RosterImport | None:
    """Import ROSTER_IMPORT_PATH (a folder or a .zip the SIS drops, or fetches it from the SIS's
    SFTP server first) if it changed since the last scheduled run; the run, its changes and its
    errors are shown on /people/import/. A refusal is recorded once while it lasts."""
    configured = getattr(settings, "ROSTER_IMPORT_PATH", "")
    if sftp.configured():
        try:
            sftp.fetch(sftp.source())
        except sftp.FetchError as exc:
            logger.warning("Roster SFTP fetch failed: %s", exc)
            return _refused(configured or settings.ROSTER_SFTP_URL, str(exc))
    if not configured:
        return None
    path = Path(configured)
    if not path.exists():
        logger.warning("ROSTER_IMPORT_PATH %s does not exist", path)
        return None
    try:
        checksum = bundle_checksum(path)
        data = bundle_bytes(path)
    except (OSError, ValueError) as exc:
        return _refused(str(path), str(exc))
    last = RosterImport.objects.filter(source=RosterImport.Source.SCHEDULED).exclude(checksum="").first()
    if last is not None and last.checksum == checksum and last.status != RosterImport.Status.FAILED:
        return None
    record = RosterImport.objects.create(
        source=RosterImport.Source.SCHEDULED,
        status=RosterImport.Status.QUEUED,
        filename=str(path)[:300],
        checksum=checksum,
        data=data,
    )
    return run_import(record.pk) or record


def _refused(where: str, error: str) -> RosterImport | None:
    """A scheduled run that could not read the roster, recorded unless the last run was the same refusal."""
    last = RosterImport.objects.filter(source=RosterImport.Source.SCHEDULED).first()
    if last is not None and last.status == RosterImport.Status.REFUSED and last.errors == [error]:
        return None
    return RosterImport.objects.create(
        source=RosterImport.Source.SCHEDULED,
        status=RosterImport.Status.REFUSED,
        filename=where[:300],
        checksum="",
        errors=[error],
        finished_at=timezone.now(),
    )


def resend_lost_imports() -> int:
    """Queued imports whose task never ran (a broker outage, a restart): send them again.
    Imports left applying by a worker that died are marked failed (nothing was changed)."""
    from people.tasks import apply_roster_import

    lost = list(
        RosterImport.objects.filter(
            status=RosterImport.Status.QUEUED, created_at__lt=timezone.now() - LOST_AFTER
        ).values_list("pk", flat=True)
    )
    for pk in lost:
        enqueue_on_commit(apply_roster_import, pk)
    # An apply whose worker died: say so, instead of "Applying" for ever.
    RosterImport.objects.filter(
        status=RosterImport.Status.APPLYING, started_at__lt=timezone.now() - STALLED_AFTER
    ).update(
        status=RosterImport.Status.FAILED,
        finished_at=timezone.now(),
        data=b"",
        errors=[
            str(
                _(
                    "The import stopped before it finished (the server was restarted); nothing was changed. Upload the roster again."
                )
            )
        ],
    )
    return len(lost)


def latest_scheduled() -> RosterImport | None:
    return RosterImport.objects.filter(source=RosterImport.Source.SCHEDULED).first()
