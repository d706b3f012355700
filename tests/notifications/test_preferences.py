"""Each person chooses which emails they get (notifications.preferences), from the profile page."""

import pytest
from django.urls import reverse

from notifications import preferences
from notifications.models import EmailPreference, OutboundEmail
from surveys.models import SurveyInvitation
from tickets import services

pytestmark = pytest.mark.django_db


def kinds_to(user) -> list[str]:
    return sorted(OutboundEmail.objects.filter(to=user.email).values_list("kind", flat=True))


def test_a_technician_keeps_assignments_and_drops_every_reply(ticket, teacher, technician, director):
    services.assign_ticket(actor=director, ticket=ticket, assignee=technician)
    services.add_comment(actor=teacher, ticket=ticket, body="Still broken")
    assert kinds_to(technician) == ["assigned", "requester_reply"]  # by default: both

    OutboundEmail.objects.all().delete()
    preferences.set_muted(user=technician, muted={"requester_reply"})
    other = services.create_ticket(
        actor=teacher,
        title="Printer",
        description="Jammed",
        category=ticket.category,
        impact="medium",
        urgency="medium",
    )
    services.assign_ticket(actor=director, ticket=other, assignee=technician)
    services.add_comment(actor=teacher, ticket=other, body="Also this")
    assert set(kinds_to(technician)) == {"assigned"}  # auto-assignment may tell them too


def test_a_switched_off_kind_is_never_recorded_for_that_person_only(ticket, teacher, other_teacher, technician):
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.add_comment(actor=technician, ticket=ticket, body="On my way")
    assert "reply" in kinds_to(teacher)
    preferences.set_muted(user=teacher, muted={"reply"})
    OutboundEmail.objects.all().delete()
    services.add_comment(actor=technician, ticket=ticket, body="Here now")
    assert "reply" not in kinds_to(teacher)
    # Someone else's choice changes nothing for another requester.
    assert preferences.wants(other_teacher, "reply")


def test_the_survey_respects_the_choice(ticket, teacher, technician):
    preferences.set_muted(user=teacher, muted={"survey"})
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.resolve_ticket(actor=technician, ticket=ticket, resolution="Fixed")
    services.close_ticket(actor=teacher, ticket=ticket)
    assert not SurveyInvitation.objects.filter(ticket=ticket).exists()


def test_the_essential_requester_emails_cannot_all_be_switched_off(teacher):
    with pytest.raises(preferences.AllEssentialMuted):
        preferences.set_muted(user=teacher, muted=set(preferences.ESSENTIAL))
    assert not EmailPreference.objects.exists()
    # Three of the four is fine.
    preferences.set_muted(user=teacher, muted=set(preferences.ESSENTIAL) - {"resolved"} | {"waiting"})
    assert preferences.wants(teacher, "resolved") and not preferences.wants(teacher, "acknowledgement")


def test_topics_not_offered_to_the_person_are_dropped(teacher):
    preferences.set_muted(user=teacher, muted={"assigned", "monthly_report", "waiting"})
    assert EmailPreference.objects.get(user=teacher).muted == ["waiting"]


def test_kinds_outside_every_topic_always_go(teacher):
    preferences.set_muted(user=teacher, muted={"acknowledgement", "reply", "waiting"})
    assert preferences.wants(teacher, "password_reset") and preferences.wants(teacher, "email_not_filed")


def test_the_profile_page_offers_each_person_their_own_topics(client, teacher, technician, director):
    client.force_login(teacher)
    page = client.get(reverse("profile")).content.decode()
    assert 'action="/profile/email/"' in page and "We received your request" in page
    assert "A request is given to you" not in page and "The monthly report" not in page
    client.force_login(technician)
    page = client.get(reverse("profile")).content.decode()
    assert "A request is given to you" in page and "The monthly report" not in page
    client.force_login(director)
    assert "The monthly report" in client.get(reverse("profile")).content.decode()


def test_saving_from_the_profile_page(client, technician):
    client.force_login(technician)
    wanted = [t.key for t in preferences.topics_for(technician) if t.key != "requester_reply"]
    response = client.post(reverse("email_preferences"), {"wanted": wanted})
    assert response.status_code == 302 and response["Location"] == "/profile/#email"
    assert EmailPreference.objects.get(user=technician).muted == ["requester_reply"]
    form = client.get(reverse("profile")).context["email_form"]
    assert "requester_reply" not in form["wanted"].value() and "assigned" in form["wanted"].value()


def test_unticking_every_essential_email_is_refused_in_plain_words(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("email_preferences"), {"wanted": ["waiting"]})
    assert response.status_code == 400
    assert "Otherwise you would never hear about your requests." in response.content.decode()
    assert not EmailPreference.objects.exists()


def test_spanish_labels(client, teacher):
    teacher.profile.language = "es"
    teacher.profile.save()
    client.force_login(teacher)
    page = client.get(reverse("profile"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Recibimos su solicitud" in page


def test_several_peoples_choices_are_read_in_one_query_and_each_keeps_their_own(
    teacher, other_teacher, technician, django_assert_num_queries
):
    preferences.set_muted(user=technician, muted={"assigned"})
    preferences.set_muted(user=other_teacher, muted={"waiting"})
    fresh = list(type(teacher).objects.filter(pk__in=[teacher.pk, other_teacher.pk, technician.pk]).order_by("pk"))
    with django_assert_num_queries(1):
        preferences.load_muted([*fresh, None])
    by_pk = {user.pk: user for user in fresh}
    with django_assert_num_queries(0):
        assert not preferences.wants(by_pk[technician.pk], "assigned")
        assert not preferences.wants(by_pk[other_teacher.pk], "waiting")
        assert preferences.wants(by_pk[teacher.pk], "waiting")  # no preference row: everything goes
        assert preferences.wants(by_pk[other_teacher.pk], "reply")
    with django_assert_num_queries(0):
        preferences.load_muted(fresh)  # read already: nothing more to ask
