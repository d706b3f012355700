"""/people/import/: upload, preview, apply in the background, follow; and the scheduled re-import."""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

from people.models import RosterImport
from people.roster import runs
from people.tasks import scheduled_roster_import
from schools.models import School
from tests import factories
from tests.people.roster_files import district, oneroster, org, user, zipped

pytestmark = pytest.mark.django_db
User = get_user_model()


def _zip_upload(tmp_path: Path, orgs: list[dict], users: list[dict], name: str = "roster.zip") -> SimpleUploadedFile:
    folder = oneroster(tmp_path / name.replace(".", "-"), orgs, users)
    target = zipped(folder, tmp_path / name)
    return SimpleUploadedFile(name, target.read_bytes(), content_type="application/zip")


def _director_client(director) -> Client:
    client = Client()
    client.force_login(director)
    return client


def test_only_directors_reach_the_import_pages(client, technician, teacher, director):
    for user_ in (technician, teacher):
        client.force_login(user_)
        assert client.get("/people/import/").status_code == 404
    client.force_login(director)
    page = client.get("/people/import/")
    assert page.status_code == 200 and "Import the roster" in page.content.decode()
    assert 'href="/people/import/"' in page.content.decode()  # the menu entry


def test_preview_shows_new_changed_and_deactivated_and_changes_nothing(
    tmp_path, director, django_capture_on_commit_callbacks
):
    orgs = [org("org-1", "Adams Elementary", identifier="ADA"), org("org-2", "Lincoln High", identifier="LHS")]
    client = _director_client(director)
    first = _zip_upload(tmp_path, orgs, [
        user("u-1", "ann.lee@district.example", "org-1"),
        user("u-2", "bob.ray@district.example", "org-1"),
    ])  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post("/people/import/", {"roster": first})
        record = RosterImport.objects.get()
        client.post(f"/people/import/{record.pk}/apply/")
    assert User.objects.filter(roster_link__isnull=False, is_active=True).count() == 2

    second = _zip_upload(tmp_path, orgs, [
        user("u-1", "ann.lee@district.example", "org-2"),  # moved to Lincoln
        user("u-3", "cy.fox@district.example", "org-2"),  # new
    ], name="second.zip")  # fmt: skip
    page = client.post("/people/import/", {"roster": second})
    html = page.content.decode()
    assert page.status_code == 200
    assert "cy.fox@district.example" in html  # new
    assert "ann.lee@district.example" in html and "Adams Elementary → Lincoln High" in html  # changed
    assert "bob.ray@district.example" in html  # deactivated
    assert "Apply this import" in html
    preview = RosterImport.objects.get(filename="second.zip")
    assert (preview.status, preview.new_people, preview.changed_people, preview.deactivated) == ("previewed", 1, 1, 1)
    # Nothing changed yet.
    assert not User.objects.filter(email="cy.fox@district.example").exists()
    assert User.objects.get(email="bob.ray@district.example").is_active


def test_apply_runs_in_the_background_all_at_once_and_the_page_shows_what_changed(
    tmp_path, director, django_capture_on_commit_callbacks
):
    orgs, users = district(3, 40)
    client = _director_client(director)
    client.post("/people/import/", {"roster": _zip_upload(tmp_path, orgs, users)})
    record = RosterImport.objects.get()
    assert record.status == "previewed" and record.data
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer = client.post(f"/people/import/{record.pk}/apply/")
    # Recorded (queued) before the task is sent; the task is sent on commit.
    assert answer.status_code == 302 and answer["Location"] == f"/people/import/{record.pk}/"
    record.refresh_from_db()
    assert record.status == "queued" and len(callbacks) == 1
    waiting = client.get(f"/people/import/{record.pk}/").content.decode()
    assert "Waiting to start" in waiting and "js/roster-import.js" in waiting
    assert client.get(f"/people/import/{record.pk}/progress/").json()["in_progress"] is True
    callbacks[0]()  # the task runs (eagerly under pytest)
    record.refresh_from_db()
    assert (record.status, record.new_people, record.done, record.total, record.data) == ("applied", 40, 40, 40, b"")
    assert User.objects.filter(roster_link__isnull=False).count() == 40
    state = client.get(f"/people/import/{record.pk}/progress/").json()
    assert state == {
        "status": "applied",
        "done": 40,
        "total": 40,
        "percent": 100,
        "in_progress": False,
        "message": "Applied",
    }
    done = client.get(f"/people/import/{record.pk}/").content.decode()
    assert "40 new people" in done and "js/roster-import.js" not in done
    # A second click (or a second tab) applies nothing more.
    client.post(f"/people/import/{record.pk}/apply/")
    assert RosterImport.objects.get().status == "applied"


def test_the_task_applies_once_however_often_it_is_sent(tmp_path, director):
    orgs, users = district(1, 3)
    record, _plan = runs.preview_upload(
        actor=director, filename="r.zip", data=_zip_upload(tmp_path, orgs, users).read()
    )
    RosterImport.objects.filter(pk=record.pk).update(status="queued")
    assert runs.run_import(record.pk).status == "applied"
    assert runs.run_import(record.pk) is None


def test_errors_name_file_and_line_and_nothing_can_be_applied(tmp_path, director):
    orgs = [org("org-1", "Adams Elementary")]
    users = [user("u-1", "ann.lee@district.example", "org-1"), user("u-2", "not-an-email", "org-9")]
    client = _director_client(director)
    page = client.post("/people/import/", {"roster": _zip_upload(tmp_path, orgs, users)})
    html = page.content.decode()
    assert "Nothing imported" in html and "users.csv, line 3:" in html
    assert "Apply this import" not in html
    record = RosterImport.objects.get()
    assert record.status == "refused" and record.data == b"" and record.errors
    assert client.post(f"/people/import/{record.pk}/apply/").status_code == 302
    assert RosterImport.objects.get().status == "refused" and not User.objects.filter(email="ann.lee@district.example")


def test_the_plain_csv_pair_can_be_uploaded_together(tmp_path, director, school, django_capture_on_commit_callbacks):
    schools_csv = "code,name,level\nMMS,Mesa Middle,middle\n"
    people_csv = f"email,first_name,last_name,role,school\na.b@district.example,A,B,teacher,MMS\nc.d@district.example,C,D,staff,{school.code}\n"
    client = _director_client(director)
    files = [
        SimpleUploadedFile("schools.csv", schools_csv.encode(), content_type="text/csv"),
        SimpleUploadedFile("people.csv", people_csv.encode(), content_type="text/csv"),
    ]
    page = client.post("/people/import/", {"roster": files})
    assert "a.b@district.example" in page.content.decode() and "Mesa Middle" in page.content.decode()
    record = RosterImport.objects.get()
    assert record.filename == "people.csv + schools.csv" and record.new_people == 2 and record.new_schools == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/people/import/{record.pk}/apply/")
    assert User.objects.get(email="a.b@district.example").profile.school.code == "MMS"


def test_not_a_zip_is_a_form_error_not_a_500(director):
    client = _director_client(director)
    page = client.post("/people/import/", {"roster": SimpleUploadedFile("roster.zip", b"not a zip")})
    assert page.status_code == 400 and "folder or a .zip" in page.content.decode()
    assert RosterImport.objects.count() == 0


def test_only_the_uploader_applies_a_preview(tmp_path, director):
    orgs, users = district(1, 2)
    record, _plan = runs.preview_upload(
        actor=director, filename="r.zip", data=_zip_upload(tmp_path, orgs, users).read()
    )
    other = _director_client(factories.DirectorFactory())
    assert other.post(f"/people/import/{record.pk}/apply/").status_code == 404
    assert RosterImport.objects.get().status == "previewed"


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_while_the_import_transaction_is_open(tmp_path, director, monkeypatch):
    """The page polls `done` while the one transaction runs: it is written on a second connection."""
    if connection.vendor != "postgresql":
        pytest.skip("progress is recorded on PostgreSQL only")
    monkeypatch.setattr(runs, "PROGRESS_EVERY", 1)
    monkeypatch.setattr("people.roster.apply.BATCH", 5)
    orgs, users = district(2, 12)
    record, _plan = runs.preview_upload(
        actor=director, filename="r.zip", data=_zip_upload(tmp_path, orgs, users).read()
    )
    RosterImport.objects.filter(pk=record.pk).update(status="queued")
    seen: list[int] = []
    original = runs._progress_recorder

    def spying(import_id):
        context = original(import_id)

        class Wrapped:
            def __enter__(self):
                record_progress = context.__enter__()

                def both(done: int, total: int) -> None:
                    record_progress(done, total)
                    # Read from a third connection: what the page's request would see now.
                    from django.db import DEFAULT_DB_ALIAS, connections

                    reader = connections.create_connection(DEFAULT_DB_ALIAS)
                    with reader.cursor() as cursor:
                        cursor.execute("SELECT done FROM people_rosterimport WHERE id = %s", [import_id])
                        seen.append(cursor.fetchone()[0])
                    reader.close()

                return both

            def __exit__(self, *exc):
                return context.__exit__(*exc)

        return Wrapped()

    monkeypatch.setattr(runs, "_progress_recorder", spying)
    assert runs.run_import(record.pk).status == "applied"
    assert seen == [5, 10, 12]


# --- the scheduled re-import --------------------------------------------------------------------


def test_scheduled_import_applies_a_changed_drop_once(tmp_path, settings):
    folder = oneroster(tmp_path / "drop", *district(2, 5))
    settings.ROSTER_IMPORT_PATH = str(folder)
    assert scheduled_roster_import() == "applied"
    run = RosterImport.objects.get()
    assert (run.source, run.new_people, run.new_schools) == ("scheduled", 5, 2)
    assert User.objects.filter(roster_link__isnull=False).count() == 5
    # Unchanged: nothing recorded, nothing done.
    assert scheduled_roster_import() == "unchanged" and RosterImport.objects.count() == 1
    # Changed: one person left.
    orgs, users = district(2, 5)
    oneroster(folder, orgs, users[1:])
    assert scheduled_roster_import() == "applied"
    latest = RosterImport.objects.first()
    assert latest.deactivated == 1 and not User.objects.get(email=users[0]["email"]).is_active


def test_scheduled_import_reads_a_zip_and_shows_its_errors_on_the_page(tmp_path, settings, director):
    orgs, users = district(1, 2)
    users.append(user("u-bad", "bad@district.example", "org-missing"))
    settings.ROSTER_IMPORT_PATH = str(zipped(oneroster(tmp_path / "drop", orgs, users), tmp_path / "drop.zip"))
    assert scheduled_roster_import() == "refused"
    assert not User.objects.filter(email="bad@district.example").exists()
    html = _director_client(director).get("/people/import/").content.decode()
    assert "Refused: errors in the files" in html
    run = RosterImport.objects.get()
    detail = _director_client(director).get(f"/people/import/{run.pk}/").content.decode()
    assert "users.csv, line 5:" in detail  # after the header, two people and a student


def test_scheduled_import_does_nothing_unset(settings):
    settings.ROSTER_IMPORT_PATH = ""
    assert scheduled_roster_import() == "unchanged" and RosterImport.objects.count() == 0


def test_a_queued_import_whose_task_was_lost_is_sent_again(tmp_path, director, django_capture_on_commit_callbacks):
    orgs, users = district(1, 2)
    record, _plan = runs.preview_upload(
        actor=director, filename="r.zip", data=_zip_upload(tmp_path, orgs, users).read()
    )
    RosterImport.objects.filter(pk=record.pk).update(status="queued", created_at=record.created_at.replace(year=2020))
    with django_capture_on_commit_callbacks(execute=True):
        assert runs.resend_lost_imports() == 1
    assert RosterImport.objects.get().status == "applied"


def test_an_import_left_applying_by_a_dead_worker_is_marked_failed_and_changes_nothing(tmp_path, director):
    orgs, users = district(1, 2)
    record, _plan = runs.preview_upload(
        actor=director, filename="r.zip", data=_zip_upload(tmp_path, orgs, users).read()
    )
    people_before = get_user_model().objects.count()
    recent = timezone.now() - timedelta(minutes=10)
    RosterImport.objects.filter(pk=record.pk).update(status="applying", started_at=recent)
    runs.resend_lost_imports()
    assert RosterImport.objects.get().status == "applying"  # still within the hour: maybe still working
    RosterImport.objects.filter(pk=record.pk).update(started_at=timezone.now() - timedelta(hours=2))
    runs.resend_lost_imports()
    stalled = RosterImport.objects.get()
    assert stalled.status == "failed" and not stalled.in_progress and "nothing was changed" in stalled.errors[0]
    assert get_user_model().objects.count() == people_before
    html = _director_client(director).get(f"/people/import/{stalled.pk}/").content.decode()
    assert "Upload the roster again" in html


def test_bundle_checksum_ignores_how_the_files_are_zipped(tmp_path):
    folder = oneroster(tmp_path / "r", *district(1, 2))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in sorted(folder.iterdir(), reverse=True):
            archive.write(file, f"other/{file.name}")
    from people.roster.read import bundle_checksum

    assert bundle_checksum(folder) == bundle_checksum(io.BytesIO(buffer.getvalue()))
    assert School.objects.count() == 0
