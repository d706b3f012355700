"""`manage.py import_assets`: our CSV and Google's export, keyed by tag, all or nothing."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devices import importer
from devices.models import Asset, AssetAssignment
from tests import factories

HEADER = "tag,serial,kind,model,school,room,assigned_to,warranty_end\n"


@pytest.fixture
def district(db):
    school = factories.SchoolFactory(code="JEF", name="Jefferson Elementary")
    teacher = factories.UserFactory(email="Ana.Ruiz@district.example")
    return school, teacher


def _write(tmp_path, text: str, name: str = "devices.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_imports_our_csv_and_records_holders(tmp_path, district, capsys):
    school, teacher = district
    path = _write(
        tmp_path,
        HEADER
        + "OKC-1,5CD1,chromebook,Dell 3110,jef,12,ana.ruiz@district.example,2027-06-30\n"
        + "OKC-2,5CD2,projector,Epson,JEF,Gym,,\n",
    )
    call_command("import_assets", path)
    one = Asset.objects.get(tag="OKC-1")
    assert (one.school, one.room, one.assigned_to, one.warranty_end) == (school, "12", teacher, date(2027, 6, 30))
    assert one.kind == "chromebook" and Asset.objects.get(tag="OKC-2").assigned_to is None
    assert AssetAssignment.objects.filter(asset=one, person=teacher, ended_at__isnull=True).exists()
    assert "2 devices were added" in capsys.readouterr().out


def test_a_second_run_changes_nothing_and_a_changed_row_updates_by_tag_any_case(tmp_path, district, capsys):
    path = _write(tmp_path, HEADER + "OKC-1,5CD1,laptop,Latitude,JEF,12,,\n")
    call_command("import_assets", path)
    call_command("import_assets", path)
    assert "0 devices were added, 0 changed, 1 unchanged" in capsys.readouterr().out
    call_command("import_assets", _write(tmp_path, HEADER + "okc-1,5CD1,laptop,Latitude,JEF,14,,\n", "b.csv"))
    asset = Asset.objects.get()
    assert asset.tag == "OKC-1" and asset.room == "14"
    rooms = list(AssetAssignment.objects.order_by("started_at", "pk").values_list("room", "ended_at"))
    assert [r for r, _ in rooms] == ["12", "14"] and rooms[0][1] is not None and rooms[1][1] is None


def test_any_invalid_row_refuses_the_whole_file_naming_file_and_line(tmp_path, district):
    path = _write(
        tmp_path,
        HEADER + "OKC-1,5CD1,laptop,,JEF,,,\n" + "OKC-2,5CD2,toaster,,JEF,,,\n" + "OKC-3,,laptop,,NOPE,,,2027-13-01\n",
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_assets", path)
    message = str(refused.value)
    assert f"{path} line 3: kind 'toaster'" in message
    assert f"{path} line 4: no school has the code 'NOPE'" in message
    assert Asset.objects.count() == 0


def test_unknown_person_duplicate_tag_and_bad_date_are_errors(tmp_path, district):
    path = _write(
        tmp_path,
        HEADER
        + "OKC-1,,laptop,,JEF,,nobody@district.example,\n"
        + "OKC-2,,laptop,,JEF,,,30/06/2027\n"
        + "OKC-3,,laptop,,JEF,,,\n"
        + "okc-3,,laptop,,JEF,,,\n",
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_assets", path)
    message = str(refused.value)
    assert "line 2: nobody has the email" in message
    assert "line 3: warranty_end '30/06/2027' is not a date" in message
    assert "line 5: tag okc-3 is also on line 4" in message


def test_dry_run_says_what_would_change_and_changes_nothing(tmp_path, district, capsys):
    call_command("import_assets", _write(tmp_path, HEADER + "OKC-1,5CD1,laptop,,JEF,,,\n"), dry_run=True)
    assert "1 devices would be added" in capsys.readouterr().out
    assert Asset.objects.count() == 0 and AssetAssignment.objects.count() == 0


def test_reads_a_google_admin_chrome_export(tmp_path, district):
    school, teacher = district
    text = (
        "deviceId,serialNumber,status,model,annotatedAssetId,annotatedUser,orgUnitPath,lastSync\n"
        "a1,5CG001,ACTIVE,HP Chromebook 11 G9,OKC-100,ana.ruiz@district.example,/Staff/JEF,2026-09-01\n"
        "a2,5CG002,ACTIVE,HP Chromebook 11 G9,OKC-101,student123@students.district.example,"
        "/Students/Jefferson Elementary/Grade 3,2026-09-01\n"
        "a3,5CG003,ACTIVE,HP Chromebook 11 G9,,,/Students,2026-09-01\n"
    )
    report = importer.import_assets(text)
    assert (report.format, report.created, report.skipped, report.without_holder) == ("google", 2, 1, 1)
    staff, student = Asset.objects.order_by("tag")
    assert (staff.kind, staff.serial, staff.school, staff.assigned_to) == ("chromebook", "5CG001", school, teacher)
    assert (student.school, student.assigned_to) == (school, None)  # no student records


def test_unknown_columns_are_refused(tmp_path, district):
    with pytest.raises(CommandError, match="unknown columns"):
        call_command("import_assets", _write(tmp_path, "name,price\nx,1\n"))


def test_queries_per_batch_do_not_grow_with_rows(district, monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 10)

    def queries(rows: int, offset: int) -> int:
        text = HEADER + "".join(f"T-{offset + n},S{n},laptop,,JEF,,ana.ruiz@district.example,\n" for n in range(rows))
        with CaptureQueriesContext(connection) as captured:
            importer.import_assets(text)
        return len(captured.captured_queries)

    one_batch = queries(10, 0)
    three_batches = queries(30, 100)
    # Fixed reads (schools, people) plus the same few statements per batch.
    per_batch = (three_batches - one_batch) / 2
    assert per_batch == int(per_batch) and per_batch <= 4
    assert Asset.objects.count() == 40
