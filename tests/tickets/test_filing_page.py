"""Filing a request on the new-request page: the form, its token, its refusals, its files."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.tickets.pages import (
    JARGON,
    client_for,
    filing_data,
    messages_of,
    new_form_token,
    visible_text,
)
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


# --- filing --------------------------------------------------------------------


def test_new_request_form_speaks_plainly(teacher, category):
    out = factories.CategoryFactory(
        in_scope=False, name="Home internet", responsible_party="Your provider", guidance="Call your provider."
    )
    response = client_for(teacher).get(reverse("ticket-new"))
    html = response.content.decode()
    assert response.status_code == 200
    for label in (
        "What&#x27;s wrong?",
        "Tell us what happened",
        "What is it about?",
        "How much does it affect your class?",
        "How soon do you need it?",
        "Do you need it by a date?",
        "Only me — I can work around it",
        "Right now — I&#x27;m stuck",
    ):
        assert label in html
    # Out-of-scope categories are explained, not offered.
    assert f'<option value="{out.pk}"' not in html
    assert f'<option value="{category.pk}"' in html
    assert "Call your provider." in html and "Your provider" in html
    assert "Requester&#x27;s username" not in html
    for word in JARGON:
        assert word not in visible_text(response)


def test_teacher_files_a_request(teacher, category, django_capture_on_commit_callbacks):
    client = client_for(teacher)
    data = filing_data(category, form_token=new_form_token(client), asset_tag="JES-1234")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ticket-new"), data, follow=True)
    ticket = Ticket.objects.get()
    assert response.redirect_chain[-1][0] == reverse("ticket-detail", args=[ticket.pk])
    assert f"We got it — request #{ticket.pk}." in messages_of(response)
    assert (ticket.requester, ticket.school, ticket.priority) == (teacher, teacher.profile.school, "high")
    assert ticket.asset_tag == "JES-1234"


def test_double_submit_files_one_ticket(teacher, category):
    client = client_for(teacher)
    data = filing_data(category, form_token=new_form_token(client))
    first = client.post(reverse("ticket-new"), data)
    second = client.post(reverse("ticket-new"), data, follow=True)
    ticket = Ticket.objects.get()
    assert first.url == reverse("ticket-detail", args=[ticket.pk])
    assert second.redirect_chain[-1][0] == reverse("ticket-detail", args=[ticket.pk])
    assert f"We already got this one — request #{ticket.pk}." in messages_of(second)


def test_form_without_an_issued_token_is_refused(teacher, category):
    client = client_for(teacher)
    new_form_token(client)
    response = client.post(reverse("ticket-new"), filing_data(category, form_token="f" * 32))
    assert response.status_code == 200
    assert "This form is out of date." in response.content.decode()
    assert not Ticket.objects.exists()
    # The re-shown form carries a fresh token that works.
    fresh = response.context["form"].data["form_token"]
    assert client.post(reverse("ticket-new"), filing_data(category, form_token=fresh)).status_code == 302
    assert Ticket.objects.count() == 1


def test_two_forms_in_two_tabs_both_file(teacher, category):
    client = client_for(teacher)
    first, second = new_form_token(client), new_form_token(client)
    client.post(reverse("ticket-new"), filing_data(category, form_token=first, title="One"))
    client.post(reverse("ticket-new"), filing_data(category, form_token=second, title="Two"))
    assert set(Ticket.objects.values_list("title", flat=True)) == {"One", "Two"}


def test_out_of_scope_category_is_refused_with_its_guidance(teacher):
    out = factories.CategoryFactory(in_scope=False, guidance="Call your internet provider; we cannot help at home.")
    client = client_for(teacher)
    response = client.post(reverse("ticket-new"), filing_data(out, form_token=new_form_token(client)))
    assert response.status_code == 200
    assert "Call your internet provider; we cannot help at home." in response.context["form"].errors["category"]
    assert not Ticket.objects.exists()


def test_missing_fields_and_oversized_input_are_form_errors(teacher, category):
    client = client_for(teacher)
    token = new_form_token(client)
    response = client.post(reverse("ticket-new"), {"form_token": token})
    assert response.status_code == 200
    assert {"title", "description", "category", "impact", "urgency"} <= set(response.context["form"].errors)
    huge = filing_data(
        category, form_token=token, title="x" * 5000, description="y" * 30000, asset_tag="z" * 500, impact="extreme"
    )
    response = client.post(reverse("ticket-new"), huge)
    assert response.status_code == 200
    assert {"title", "description", "asset_tag", "impact"} <= set(response.context["form"].errors)
    assert not Ticket.objects.exists()


def test_needed_by_in_the_past_is_refused(teacher, category):
    client = client_for(teacher)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        reverse("ticket-new"), filing_data(category, form_token=new_form_token(client), needed_by=yesterday)
    )
    assert "needed_by" in response.context["form"].errors


def test_requester_without_a_school_gets_a_form_error(category):
    homeless = factories.UserFactory()
    client = client_for(homeless)
    response = client.post(reverse("ticket-new"), filing_data(category, form_token=new_form_token(client)))
    assert response.status_code == 200
    assert "Choose the school this is for." in response.context["form"].non_field_errors()


def test_requester_cannot_file_for_someone_else(teacher, other_teacher, category):
    client = client_for(teacher)
    data = filing_data(category, form_token=new_form_token(client), requester=other_teacher.username)
    client.post(reverse("ticket-new"), data)
    assert Ticket.objects.get().requester == teacher


def test_technician_files_on_behalf_of_a_teacher(technician, teacher, category):
    client = client_for(technician)
    page = client.get(reverse("ticket-new"))
    assert "Requester&#x27;s username or email" in page.content.decode()
    data = filing_data(category, form_token=page.context["form"].initial["form_token"], requester=teacher.email)
    response = client.post(reverse("ticket-new"), data)
    ticket = Ticket.objects.get()
    assert response.url == reverse("ticket-detail", args=[ticket.pk])
    assert (ticket.requester, ticket.school) == (teacher, teacher.profile.school)


def test_technician_filing_for_an_unknown_person_gets_a_form_error(technician, category):
    client = client_for(technician)
    response = client.post(
        reverse("ticket-new"), filing_data(category, form_token=new_form_token(client), requester="nobody-here")
    )
    assert "requester" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_anonymous_cannot_file(client, category):
    response = client.post(reverse("ticket-new"), filing_data(category, form_token="x"))
    assert response.status_code == 302
    assert not Ticket.objects.exists()


# --- files with a new request ------------------------------------------------------------

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_request_can_bring_a_screenshot(teacher, category, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = client_for(teacher)
    data = filing_data(category, form_token=new_form_token(client))
    data["files"] = [SimpleUploadedFile("screen.png", PNG_BYTES, content_type="image/png")]
    response = client.post(reverse("ticket-new"), data)
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert [a.original_name for a in ticket.attachments.all()] == ["screen.png"]


def test_a_bad_file_refuses_the_request_with_a_message_and_saves_nothing(teacher, category, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = client_for(teacher)
    data = filing_data(category, form_token=new_form_token(client))
    data["files"] = [SimpleUploadedFile("evil.svg", b"<svg onload=alert(1)>", content_type="image/svg+xml")]
    response = client.post(reverse("ticket-new"), data)
    assert response.status_code == 200
    assert "PNG" in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_request_says_whose_device_it_is(teacher, category):
    client = client_for(teacher)
    data = filing_data(category, form_token=new_form_token(client), device_owner="personal")
    assert client.post(reverse("ticket-new"), data).status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.device_owner == "personal"
    page = client.get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    assert "what we help with on personal devices" in page
