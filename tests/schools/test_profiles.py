import re

import pytest
from django.urls import reverse

from schools.models import Profile

pytestmark = pytest.mark.django_db


def test_a_teacher_keeps_their_own_details(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("profile")).status_code == 200
    response = client.post(
        reverse("profile"),
        {"role": "teacher", "room": "12B", "phone": "x4410", "preferred_contact": "phone", "tech_comfort": "new",
         "language": "es", "staff_comfort": "confident", "staff_note": "hacked"},
    )  # fmt: skip
    assert response.status_code == 302
    profile = Profile.objects.get(user=teacher)
    assert (profile.room, profile.tech_comfort, profile.language) == ("12B", "new", "es")
    # The staff assessment is not theirs to set, whatever the form posts.
    assert (profile.staff_comfort, profile.staff_note) == ("", "")


def test_the_language_box_shows_the_current_language_not_dashes(client, teacher):
    client.force_login(teacher)
    Profile.objects.filter(user=teacher).update(language="")
    english = client.get(reverse("profile")).content.decode()
    assert "---------" not in re.search(r'<select name="language".*?</select>', english, re.S).group(0)
    assert re.search(r'<option value="en" selected>English</option>', english)
    spanish = client.get(reverse("profile"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert re.search(r'<option value="es" selected>Español</option>', spanish)
    Profile.objects.filter(user=teacher).update(language="es")
    chosen = client.get(reverse("profile")).content.decode()
    assert re.search(r'<option value="es" selected>Español</option>', chosen)


def test_bad_profile_input_is_a_form_error(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("profile"), {"role": "wizard", "preferred_contact": "email", "room": "x" * 500})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


def test_technicians_assess_requesters_from_the_ticket_page(client, ticket, technician):
    client.force_login(technician)
    page = client.get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    assert "Update our assessment" in page
    response = client.post(
        reverse("assess", args=[ticket.requester_id]),
        {"staff_comfort": "new", "staff_note": "Walk through it on the phone", "next": f"/tickets/{ticket.pk}/"},
    )
    assert response.url == f"/tickets/{ticket.pk}/"
    profile = Profile.objects.get(user=ticket.requester)
    assert (profile.staff_comfort, profile.staff_note) == ("new", "Walk through it on the phone")
    assert profile.staff_assessed_at is not None
    assert "Walk through it on the phone" in client.get(reverse("ticket-detail", args=[ticket.pk])).content.decode()


def test_requesters_cannot_assess_anyone(client, teacher, other_teacher):
    client.force_login(teacher)
    assert client.post(reverse("assess", args=[other_teacher.pk]), {"staff_comfort": "confident"}).status_code == 404
    assert Profile.objects.get(user=other_teacher).staff_comfort == ""


def test_assessment_redirect_never_leaves_the_site(client, ticket, technician):
    client.force_login(technician)
    response = client.post(
        reverse("assess", args=[ticket.requester_id]), {"staff_comfort": "new", "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_an_unknown_level_is_refused(client, ticket, technician):
    client.force_login(technician)
    client.post(reverse("assess", args=[ticket.requester_id]), {"staff_comfort": "wizard"})
    assert Profile.objects.get(user=ticket.requester).staff_comfort == ""


def test_the_requester_panel_lists_their_last_requests_with_how_they_were_solved(client, ticket, technician, category):
    from tickets.models import Ticket

    earlier = Ticket.objects.create(
        title="Smartboard pen lost",
        description="x",
        school=ticket.school,
        queue=ticket.queue,
        category=category,
        requester=ticket.requester,
        status="closed",
        resolution="Spare pen left in the office drawer",
    )
    client.force_login(technician)
    page = client.get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    panel = re.search(r'<ul class="list-unstyled small past-tickets.*?</ul>', page, re.S).group(0)
    assert f"#{earlier.pk} Smartboard pen lost" in panel
    assert category.name in panel and "Closed" in panel
    assert "Solved: Spare pen left in the office drawer" in panel
    assert f"#{ticket.pk} " not in panel  # the ticket itself is not its own past
