"""The director's import page: upload, preview (new, changed, errors with file and line), apply once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from devices.models import Asset, AssetImport
from tests import factories

HEADER = "tag,serial,kind,model,school,room,assigned_to,warranty_end\n"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(client: Client, text: str, name: str = "devices.csv", encoding: str = "utf-8"):
    return client.post("/assets/import/", {"file": SimpleUploadedFile(name, text.encode(encoding), "text/csv")})


@pytest.fixture
def jefferson(db):
    return factories.SchoolFactory(code="JEF")


def test_preview_shows_new_and_changed_and_changes_nothing(director, jefferson):
    factories.AssetFactory(tag="OKC-1", room="1", school=jefferson)
    text = HEADER + "okc-1,,laptop,,JEF,14,,\nOKC-2,,projector,Epson,JEF,Gym,,\n"
    page = _upload(_client(director), text)
    assert page.status_code == 200
    report = page.context["report"]
    assert (report.created, report.updated, report.new_tags, report.changed_tags) == (1, 1, ["OKC-2"], ["OKC-1"])
    html = page.content.decode()
    assert "Preview of devices.csv" in html and "Apply this import" in html
    assert Asset.objects.count() == 1 and Asset.objects.get().room == "1"


def test_apply_imports_the_previewed_file_once(director, jefferson):
    client = _client(director)
    page = _upload(client, HEADER + "OKC-1,,laptop,,JEF,12,,\nOKC-2,,laptop,,JEF,12,,\n")
    upload = page.context["upload"]
    response = client.post(f"/assets/import/{upload.pk}/apply/", follow=True)
    assert "devices.csv imported: 2 devices added, 0 changed." in response.content.decode()
    assert set(Asset.objects.values_list("tag", flat=True)) == {"OKC-1", "OKC-2"}
    upload.refresh_from_db()
    assert upload.applied_at is not None and upload.text == "" and upload.created == 2
    again = client.post(f"/assets/import/{upload.pk}/apply/", follow=True)
    assert "already been imported" in again.content.decode()
    assert Asset.objects.count() == 2


def test_errors_name_the_file_and_line_and_offer_no_apply(director, jefferson):
    page = _upload(_client(director), HEADER + "OKC-1,,laptop,,JEF,,,\nOKC-2,,toaster,,NOPE,,,\n", "fall.csv")
    html = page.content.decode()
    assert "fall.csv line 3: kind &#x27;toaster&#x27;" in html
    assert "Apply this import" not in html
    assert AssetImport.objects.count() == 0 and Asset.objects.count() == 0


def test_reads_a_google_export_with_a_byte_order_mark(director, jefferson):
    text = "\ufeffannotatedAssetId,serialNumber,model,annotatedUser,orgUnitPath\nOKC-7,5CG7,HP 11,,/Students/JEF\n"
    page = _upload(_client(director), text)
    assert page.context["report"].format == "google" and page.context["report"].new_tags == ["OKC-7"]


def test_a_file_that_is_not_utf8_is_a_form_error_not_a_500(director, jefferson):
    page = _upload(_client(director), HEADER + "OKC-É,,laptop,,JEF,,,\n", encoding="latin-1")
    assert page.status_code == 200
    assert "not UTF-8" in page.content.decode()


def test_only_the_director_who_uploaded_applies_and_others_do_not_see_the_page(
    director, technician, teacher, jefferson
):
    upload = _upload(_client(director), HEADER + "OKC-1,,laptop,,JEF,,,\n").context["upload"]
    for user in (technician, teacher):
        assert _client(user).get("/assets/import/").status_code == 404
        assert _client(user).post(f"/assets/import/{upload.pk}/apply/").status_code == 404
    other_director = factories.DirectorFactory()
    assert _client(other_director).post(f"/assets/import/{upload.pk}/apply/").status_code == 404
    assert Asset.objects.count() == 0


def test_a_file_that_no_longer_fits_the_district_is_refused_whole_at_apply(director, jefferson):
    client = _client(director)
    upload = _upload(client, HEADER + "OKC-1,,laptop,,JEF,,,\n").context["upload"]
    jefferson.delete()
    response = client.post(f"/assets/import/{upload.pk}/apply/", follow=True)
    assert "devices.csv line 2: no school has the code" in response.content.decode()
    upload.refresh_from_db()
    assert upload.applied_at is None and Asset.objects.count() == 0
