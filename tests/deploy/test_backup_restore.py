"""The backup restores: seed a real PostgreSQL database, back it up with the script the
docker-compose `backup` service runs, restore it with the documented command into a new
database, and find every ticket, comment, event and survey answer there, unchanged."""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest

REPO = Path(__file__).resolve().parents[2]
TABLES = ["tickets_ticket", "tickets_comment", "tickets_ticketevent", "surveys_surveyresponse"]

server_url = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not server_url.startswith(("postgres://", "postgresql://")) or not shutil.which("pg_dump"),
    reason="needs DATABASE_URL on PostgreSQL and pg_dump/pg_restore",
)


def database_url(name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(scheme="postgres", path=f"/{name}"))


def admin(sql: str) -> None:
    connection = psycopg2.connect(database_url("postgres"))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Per table: row count and an md5 of every row's text in id order."""
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            result = {}
            for table in TABLES:
                cursor.execute(
                    f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM {table} t"
                )
                result[table] = cursor.fetchone()
            return result
    finally:
        connection.close()


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    base = urlsplit(server_url).path.lstrip("/") or "helpdesk"
    names = [f"{base}_backup_source", f"{base}_backup_restored"]
    for name in names:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin(f'CREATE DATABASE "{name}"')
    yield database_url(names[0]), database_url(names[1])
    for name in names:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(command: list[str], **env: str) -> str:
    result = subprocess.run(
        command,
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_a_nightly_backup_restores_every_ticket_comment_event_and_answer(databases, tmp_path):
    source, restored = databases
    manage = [sys.executable, "manage.py"]
    run([*manage, "migrate", "--noinput", "-v0"], DATABASE_URL=source)
    run([*manage, "seed_demo", "--schools", "3", "--tickets", "200", "--seed", "21"], DATABASE_URL=source)
    media = tmp_path / "media"
    (media / "attachments").mkdir(parents=True)
    (media / "attachments" / "screenshot.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    backups = tmp_path / "backups"

    run(["sh", "deploy/backup.sh"], DATABASE_URL=source, BACKUP_DIR=str(backups), MEDIA_DIR=str(media))

    dumps = sorted(backups.glob("helpdesk-*.dump"))
    tarballs = sorted(backups.glob("helpdesk-*-media.tar.gz"))
    assert len(dumps) == 1 and len(tarballs) == 1, list(backups.iterdir())
    restored_media = tmp_path / "restored-media"
    run(
        ["sh", "deploy/restore.sh", str(dumps[0]), str(tarballs[0])],
        DATABASE_URL=restored,
        MEDIA_DIR=str(restored_media),
    )

    expected = fingerprint(source)
    assert all(count > 0 for count, _ in expected.values()), expected
    assert fingerprint(restored) == expected
    assert (restored_media / "attachments" / "screenshot.png").read_bytes() == (
        media / "attachments" / "screenshot.png"
    ).read_bytes()
    # The restored database is a working one: Django finds no migration left to apply.
    plan = run([*manage, "migrate", "--plan"], DATABASE_URL=restored)
    assert "No planned migration operations." in plan


def test_backups_older_than_the_kept_days_are_deleted(databases, tmp_path):
    source, _ = databases
    backups = tmp_path / "backups"
    backups.mkdir()
    old = backups / "helpdesk-20200101T013000Z.dump"
    old.write_bytes(b"old")
    os.utime(old, (0, 0))
    unrelated = backups / "notes.txt"
    unrelated.write_text("kept")
    os.utime(unrelated, (0, 0))

    run(["sh", "deploy/backup.sh"], DATABASE_URL=source, BACKUP_DIR=str(backups), BACKUP_KEEP_DAYS="3")

    names = sorted(path.name for path in backups.iterdir())
    assert old.name not in names and "notes.txt" in names
    assert len([name for name in names if name.endswith(".dump")]) == 1
