"""Attachments: checked by content and name, stored under random names, served only as downloads
to people who may see the ticket (internal notes' files to staff only), the same through page and API."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import api_as
from tickets import attachments, services
from tickets.errors import DomainError, PermissionDenied
from tickets.models import Attachment, TicketEvent

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
GIF = b"GIF89a\x01\x00\x01\x00" + b"\x00" * 20
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 30
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
TEXT = b"Error 0x80070005 on login\nTried twice.\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("screen.png", PNG, "image/png"),
        ("photo.JPG", JPEG, "image/jpeg"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("anim.gif", GIF, "image/gif"),
        ("shot.webp", WEBP, "image/webp"),
        ("manual.pdf", PDF, "application/pdf"),
        ("error.txt", TEXT, "text/plain"),
        ("install.log", "Ünïcødé log line\n".encode(), "text/plain"),
    ],
)
def test_allowed_files_are_stored_with_the_type_their_bytes_declare(name, content, expected, teacher, ticket):
    # The browser's claimed type is ignored: text/html here changes nothing.
    [attachment] = attachments.add_attachments(
        actor=teacher, ticket=ticket, uploads=[upload(name, content, "text/html")]
    )
    assert attachment.content_type == expected
    assert attachment.size == len(content)
    assert attachment.original_name == name


@pytest.mark.parametrize(
    "name, content",
    [
        ("drawing.svg", SVG),
        ("drawing.png", SVG),  # an SVG wearing a PNG name
        ("page.html", HTML),
        ("page.txt", HTML),  # markup wearing a text name
        ("page.txt", b"  \n<html><body>hi</body></html>"),
        ("notes.txt", b"plain words then <script>alert(1)</script>"),
        ("screen.html", PNG),  # right bytes, wrong name
        ("screen.png.html", PNG),
        ("screen", PNG),  # no extension at all
        ("screen.pdf", PNG),  # extension of another allowed type
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 20),
        ("binary.txt", b"abc\x00\x01\x02def"),
        ("empty.txt", b""),
    ],
)
def test_disallowed_files_are_refused_and_nothing_is_stored(name, content, teacher, ticket, settings):
    with pytest.raises(DomainError) as refused:
        attachments.add_attachments(actor=teacher, ticket=ticket, uploads=[upload(name, content, "image/png")])
    assert refused.value.field == "file"
    assert not Attachment.objects.exists()
    media = settings.MEDIA_ROOT
    assert not os.path.exists(media) or not any(files for _, _, files in os.walk(media))


def test_size_limit_comes_from_the_setting(teacher, ticket, settings):
    settings.HELPDESK_ATTACHMENT_MAX_BYTES = 1024
    attachments.add_attachments(actor=teacher, ticket=ticket, uploads=[upload("ok.txt", b"a" * 1024)])
    with pytest.raises(DomainError, match="too big"):
        attachments.add_attachments(actor=teacher, ticket=ticket, uploads=[upload("big.txt", b"a" * 1025)])


def test_default_size_limit_is_ten_megabytes(settings):
    from helpdesk import settings as project_settings

    assert project_settings.HELPDESK_ATTACHMENT_MAX_BYTES == 10 * 1024 * 1024


def test_one_bad_file_refuses_the_whole_upload(teacher, ticket):
    with pytest.raises(DomainError):
        attachments.add_attachments(actor=teacher, ticket=ticket, uploads=[upload("a.png", PNG), upload("b.svg", SVG)])
    assert not Attachment.objects.exists()


def test_too_many_files_at_once_are_refused(teacher, ticket, settings):
    settings.HELPDESK_ATTACHMENTS_PER_UPLOAD = 2
    with pytest.raises(DomainError, match="at most 2"):
        attachments.add_attachments(actor=teacher, ticket=ticket, uploads=[upload(f"{n}.png", PNG) for n in range(3)])


def test_stored_name_is_random_and_under_media_root_not_static(teacher, ticket, settings):
    [attachment] = attachments.add_attachments(
        actor=teacher, ticket=ticket, uploads=[upload("../../static/js/app.js.png", PNG)]
    )
    stored = attachment.file.path
    assert stored.startswith(str(settings.MEDIA_ROOT))
    assert "app.js" not in stored and ".." not in attachment.file.name
    assert attachment.original_name == "app.js.png"
    [second] = attachments.add_attachments(actor=teacher, ticket=ticket, uploads=[upload("app.js.png", PNG)])
    assert second.file.name != attachment.file.name


def test_names_lose_control_characters_and_paths():
    assert attachments.clean_name("C:\\Users\\me\\Desktop\\shot.png") == "shot.png"
    assert attachments.clean_name("evil\r\nX-Injected: yes.png") == "evilX-Injected: yes.png"
    assert attachments.clean_name("...") == "file"


def test_attaching_is_recorded_on_the_history(teacher, ticket):
    attachments.add_attachments(actor=teacher, ticket=ticket, uploads=[upload("screen.png", PNG)])
    event = ticket.events.latest("id")
    assert (event.kind, event.actor, event.data["attachments"]) == ("updated", teacher, ["screen.png"])


def test_people_who_cannot_see_the_ticket_cannot_attach(other_teacher, ticket):
    with pytest.raises(PermissionDenied):
        attachments.add_attachments(actor=other_teacher, ticket=ticket, uploads=[upload("a.png", PNG)])


def test_files_go_on_your_own_comments_only(teacher, technician, ticket):
    reply = services.add_comment(actor=technician, ticket=ticket, body="Send a screenshot please")
    with pytest.raises(DomainError):
        attachments.add_attachments(actor=teacher, ticket=ticket, uploads=[upload("a.png", PNG)], comment=reply)
    mine = services.add_comment(actor=teacher, ticket=ticket, body="Here it is")
    [attachment] = attachments.add_attachments(
        actor=teacher, ticket=ticket, uploads=[upload("a.png", PNG)], comment=mine
    )
    assert attachment.comment == mine


# --- the page -------------------------------------------------------------------


def _internal_note_file(technician, ticket):
    note = services.add_comment(actor=technician, ticket=ticket, body="Admin password is on the sticky", internal=True)
    [attachment] = attachments.add_attachments(
        actor=technician, ticket=ticket, uploads=[upload("sticky.png", PNG)], comment=note
    )
    return attachment


def test_teacher_uploads_through_the_page_and_downloads_as_attachment(client, teacher, ticket):
    client.force_login(teacher)
    response = client.post(
        reverse("ticket-attachment-upload", args=[ticket.pk]),
        {"files": [upload("screen.png", PNG), upload("error.txt", TEXT)]},
    )
    assert response.status_code == 302
    first, second = Attachment.objects.order_by("id")
    download = client.get(reverse("ticket-attachment", args=[ticket.pk, first.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"] == 'attachment; filename="screen.png"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert "default-src 'none'" in download["Content-Security-Policy"]
    text = client.get(reverse("ticket-attachment", args=[ticket.pk, second.pk]))
    assert text["Content-Type"].startswith("text/plain")


def test_a_refused_upload_through_the_page_is_a_message_not_an_error(client, teacher, ticket):
    client.force_login(teacher)
    response = client.post(
        reverse("ticket-attachment-upload", args=[ticket.pk]), {"files": [upload("x.svg", SVG)]}, follow=True
    )
    assert response.status_code == 200
    assert "PNG, JPEG, GIF, WebP" in response.content.decode()
    assert not Attachment.objects.exists()


def test_upload_without_a_file_is_a_message(client, teacher, ticket):
    client.force_login(teacher)
    response = client.post(reverse("ticket-attachment-upload", args=[ticket.pk]), {}, follow=True)
    assert response.status_code == 200
    assert not Attachment.objects.exists()


def test_upload_url_refuses_get(client, teacher, ticket):
    client.force_login(teacher)
    assert client.get(reverse("ticket-attachment-upload", args=[ticket.pk])).status_code == 405


def test_other_requester_gets_404_for_upload_and_download(client, teacher, other_teacher, ticket):
    [attachment] = attachments.add_attachments(actor=teacher, ticket=ticket, uploads=[upload("a.png", PNG)])
    client.force_login(other_teacher)
    assert client.get(reverse("ticket-attachment", args=[ticket.pk, attachment.pk])).status_code == 404
    response = client.post(reverse("ticket-attachment-upload", args=[ticket.pk]), {"files": [upload("b.png", PNG)]})
    assert response.status_code == 404
    assert Attachment.objects.count() == 1


def test_anonymous_download_redirects_to_login(client, teacher, ticket):
    [attachment] = attachments.add_attachments(actor=teacher, ticket=ticket, uploads=[upload("a.png", PNG)])
    response = client.get(reverse("ticket-attachment", args=[ticket.pk, attachment.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_file_is_reachable_only_under_its_own_ticket(client, teacher, category, ticket):
    from tests.factories import TicketFactory

    mine_too = TicketFactory(requester=teacher, category=category)
    [attachment] = attachments.add_attachments(actor=teacher, ticket=ticket, uploads=[upload("a.png", PNG)])
    client.force_login(teacher)
    assert client.get(reverse("ticket-attachment", args=[mine_too.pk, attachment.pk])).status_code == 404


def test_internal_note_files_are_staff_only(client, teacher, technician, campus_contact, ticket):
    attachment = _internal_note_file(technician, ticket)
    url = reverse("ticket-attachment", args=[ticket.pk, attachment.pk])
    for requester in (teacher, campus_contact):
        client.force_login(requester)
        assert client.get(url).status_code == 404
        assert attachment.original_name not in client.get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
        assert api_as(requester).get(f"/api/tickets/{ticket.pk}/attachments/").json() == []
        events = api_as(requester).get(f"/api/tickets/{ticket.pk}/events/").json()["results"]
        assert "sticky.png" not in str(events)
    client.force_login(technician)
    assert client.get(url).status_code == 200


def test_partials_list_the_visible_files_with_download_links(rf, teacher, technician, ticket):
    from django.template.loader import render_to_string

    attachments.add_attachments(actor=teacher, ticket=ticket, uploads=[upload("<img src=x onerror=alert(1)>.png", PNG)])
    _internal_note_file(technician, ticket)
    request = rf.get("/")
    request.user = teacher
    html = render_to_string("tickets/attachments/_list.html", {"ticket": ticket}, request=request)
    assert "&lt;img src=x onerror=alert(1)&gt;.png" in html and "<img" not in html
    assert "sticky.png" not in html
    assert reverse("ticket-attachment-upload", args=[ticket.pk]) in html
    assert 'enctype="multipart/form-data"' in html and 'name="files"' in html
    request.user = technician
    assert "sticky.png" in render_to_string("tickets/attachments/_list.html", {"ticket": ticket}, request=request)


# --- the API --------------------------------------------------------------------


def test_api_upload_list_and_download(teacher, ticket):
    api = api_as(teacher)
    response = api.post(
        f"/api/tickets/{ticket.pk}/attachments/", {"file": [upload("shot.png", PNG)]}, format="multipart"
    )
    assert response.status_code == 201, response.content
    [created] = response.json()
    assert (created["original_name"], created["content_type"], created["size"]) == ("shot.png", "image/png", len(PNG))
    listed = api.get(f"/api/tickets/{ticket.pk}/attachments/").json()
    assert [row["id"] for row in listed] == [created["id"]]
    download = api.get(created["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]


@pytest.mark.parametrize(
    "payload",
    [
        {"file": [upload("x.svg", SVG)]},
        {"file": [upload("x.html", HTML)]},
        {"file": [upload("x.png", HTML)]},
        {"file": "not a file"},
        {},
        {"file": [upload("a.png", PNG)], "comment": "abc"},
        {"file": [upload("a.png", PNG)], "comment": 99999999},
    ],
)
def test_api_refuses_bad_uploads_with_400(payload, teacher, ticket):
    response = api_as(teacher).post(f"/api/tickets/{ticket.pk}/attachments/", payload, format="multipart")
    assert response.status_code == 400, response.content
    assert not Attachment.objects.exists()


def test_api_refuses_oversized_upload_with_400(teacher, ticket, settings):
    settings.HELPDESK_ATTACHMENT_MAX_BYTES = 100
    response = api_as(teacher).post(
        f"/api/tickets/{ticket.pk}/attachments/", {"file": [upload("a.txt", b"a" * 101)]}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in response.json()


def test_api_json_body_is_refused_not_500(teacher, ticket):
    response = api_as(teacher).post(f"/api/tickets/{ticket.pk}/attachments/", {"file": "x"}, format="json")
    assert response.status_code == 415


def test_api_out_of_reach_is_404(other_teacher, teacher, technician, ticket):
    attachment = _internal_note_file(technician, ticket)
    api = api_as(other_teacher)
    assert api.get(f"/api/tickets/{ticket.pk}/attachments/").status_code == 404
    assert (
        api.post(
            f"/api/tickets/{ticket.pk}/attachments/", {"file": [upload("a.png", PNG)]}, format="multipart"
        ).status_code
        == 404
    )
    requester = api_as(teacher)
    assert requester.get(f"/api/tickets/{ticket.pk}/attachments/{attachment.pk}/").status_code == 404
    assert requester.get(f"/api/tickets/{ticket.pk}/attachments/{attachment.pk}/download/").status_code == 404
    assert requester.get("/api/tickets/abc/attachments/").status_code == 404
    assert requester.get(f"/api/tickets/{10**30}/attachments/").status_code == 404


def test_api_list_query_count_does_not_grow_with_files(teacher, ticket, django_assert_num_queries):
    for n in range(5):
        attachments.add_attachments(actor=teacher, ticket=ticket, uploads=[upload(f"{n}.png", PNG)])
    # A fresh user object: the role check's cached groups would hide a query.
    api = api_as(type(teacher).objects.get(pk=teacher.pk))
    # 1 roles (groups, campus contact), 2 the tickets they follow, 3 the ticket through the
    # selector, 4 the attachments with their joins
    with django_assert_num_queries(4):
        response = api.get(f"/api/tickets/{ticket.pk}/attachments/")
    assert len(response.json()) == 5


def test_upload_field_partial_accepts_only_allowed_extensions():
    from django.template.loader import render_to_string

    html = render_to_string("tickets/attachments/_upload_field.html")
    assert 'accept=".png,.jpg,.jpeg,.gif,.webp,.pdf,.txt,.log"' in html
    assert ".svg" not in html and "10 MB" in html


def test_stream_helper_is_never_inline(teacher, ticket):
    [attachment] = attachments.add_attachments(
        actor=teacher, ticket=ticket, uploads=[upload("a.pdf", io.BytesIO(PDF).read())]
    )
    from tickets.views.attachments import download_response

    response = download_response(attachment)
    assert response["Content-Disposition"].startswith("attachment;")
    assert TicketEvent.objects.filter(ticket=ticket, kind="updated").exists()
