import re
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from surveys import services as survey_services
from surveys import tasks
from surveys.models import SurveyInvitation, SurveyResponse, SurveySettings
from tests import factories
from tests.surveys.conftest import work_and_close
from tickets import services
from tickets.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")


def survey_emails():
    return [m for m in mail.outbox if "How did we do?" in m.subject]


def test_closing_records_the_invitation_and_emails_the_survey_on_commit(
    ticket, technician, teacher, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
        services.resolve_ticket(actor=technician, ticket=ticket, resolution="Fixed", self_help="Tip")
        mail.outbox.clear()
        services.close_ticket(actor=teacher, ticket=ticket)
    assert callbacks, "the send task is queued on commit"
    invitation = SurveyInvitation.objects.get(ticket=ticket)
    assert invitation.sent_at is not None
    assert invitation.closed_by == teacher
    assert len(invitation.token) >= 43  # token_urlsafe(32): 256 bits
    [email] = survey_emails()
    assert email.to == [teacher.email]
    assert ticket.title in email.subject
    html = email.alternatives[0][0]
    technician_name = technician.get_full_name()
    assert technician_name in email.body and technician_name in html
    for value in range(1, 6):
        link = f"https://helpdesk.district.example/surveys/{invitation.token}/?quality={value}"
        assert link in email.body
        assert link in html
    assert "Very poor" in email.body and "Excellent" in html


def test_no_email_leaves_before_the_close_commits(ticket, technician, teacher, django_capture_on_commit_callbacks):
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.resolve_ticket(actor=technician, ticket=ticket, resolution="Fixed")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.close_ticket(actor=teacher, ticket=ticket)
    assert SurveyInvitation.objects.filter(ticket=ticket, sent_at=None).exists()
    assert survey_emails() == []
    for callback in callbacks:
        callback()
    assert len(survey_emails()) == 1


def test_a_rolled_back_close_takes_its_invitation_with_it(ticket, technician, teacher):
    from django.db import transaction

    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.resolve_ticket(actor=technician, ticket=ticket, resolution="Fixed")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.close_ticket(actor=teacher, ticket=ticket)
        raise RuntimeError("something after the close failed")
    assert not SurveyInvitation.objects.filter(ticket=ticket).exists()


def test_reopened_and_reclosed_ticket_gets_one_survey_ever(
    ticket, technician, teacher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        work_and_close(ticket, technician)
        first_token = SurveyInvitation.objects.get(ticket=ticket).token
        services.reopen_ticket(actor=technician, ticket=ticket, reason="Came back")
        services.resolve_ticket(actor=technician, ticket=ticket, resolution="Fixed again")
        services.close_ticket(actor=technician, ticket=ticket)
    assert SurveyInvitation.objects.filter(ticket=ticket).count() == 1
    assert SurveyInvitation.objects.get(ticket=ticket).token == first_token
    assert len(survey_emails()) == 1


def test_invitation_is_not_sent_while_the_ticket_is_reopened(
    ticket, technician, teacher, django_capture_on_commit_callbacks
):
    with mock.patch.object(tasks.send_survey_invitation, "apply_async", side_effect=ConnectionError("broker down")):
        with django_capture_on_commit_callbacks(execute=True):
            work_and_close(ticket, technician)
    services.reopen_ticket(actor=technician, ticket=ticket, reason="Not fixed")
    invitation = SurveyInvitation.objects.get(ticket=ticket)
    SurveyInvitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert tasks.sweep_survey_invitations() == 0
    assert survey_emails() == []


def test_send_task_run_twice_sends_one_email(invitation):
    mail.outbox.clear()
    SurveyInvitation.objects.filter(pk=invitation.pk).update(sent_at=None, claimed_at=None)
    assert tasks.send_survey_invitation(invitation.pk) is True
    assert tasks.send_survey_invitation(invitation.pk) is False
    assert len(survey_emails()) == 1


def test_sweep_sends_an_invitation_whose_task_never_ran_exactly_once(
    ticket, technician, django_capture_on_commit_callbacks
):
    with mock.patch.object(tasks.send_survey_invitation, "apply_async", side_effect=ConnectionError("broker down")):
        with django_capture_on_commit_callbacks(execute=True):
            work_and_close(ticket, technician)
    invitation = SurveyInvitation.objects.get(ticket=ticket)
    assert invitation.sent_at is None
    mail.outbox.clear()
    # Too fresh: the task may still be on its way.
    assert tasks.sweep_survey_invitations() == 0
    SurveyInvitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    assert tasks.sweep_survey_invitations() == 1
    assert tasks.sweep_survey_invitations() == 0
    assert len(survey_emails()) == 1
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_smtp_failure_releases_the_claim_for_a_later_try(invitation):
    SurveyInvitation.objects.filter(pk=invitation.pk).update(sent_at=None, claimed_at=None, attempts=0)

    class Broken:
        def __init__(self, *args, **kwargs):
            pass

        def send_messages(self, messages):
            raise OSError("SMTP down")

    with pytest.raises(OSError):
        survey_services.deliver_invitation(invitation.pk, connection_factory=Broken)
    invitation.refresh_from_db()
    assert invitation.claimed_at is None and invitation.sent_at is None
    assert invitation.attempts == 1 and "SMTP down" in invitation.last_error
    assert survey_services.deliver_invitation(invitation.pk) is True


def test_a_stale_claim_from_a_dead_worker_is_taken_over(invitation):
    old = timezone.now() - timedelta(minutes=30)
    SurveyInvitation.objects.filter(pk=invitation.pk).update(sent_at=None, claimed_at=old, created_at=old)
    assert tasks.sweep_survey_invitations() == 1


def test_no_survey_when_the_requester_worked_their_own_ticket(technician, category):
    own = factories.TicketFactory(requester=technician, category=category, school=factories.SchoolFactory())
    work_and_close(own, technician, closer=technician)
    assert not SurveyInvitation.objects.filter(ticket=own).exists()


def test_sample_is_deterministic_by_ticket_id():
    chosen = [ticket_id for ticket_id in range(1, 2001) if survey_services.is_sampled(ticket_id, 25)]
    assert 400 < len(chosen) < 600
    assert chosen == [ticket_id for ticket_id in range(1, 2001) if survey_services.is_sampled(ticket_id, 25)]
    assert all(survey_services.is_sampled(ticket_id, 100) for ticket_id in range(1, 100))
    assert not any(survey_services.is_sampled(ticket_id, 0) for ticket_id in range(1, 100))


def test_director_sample_setting_skips_tickets_outside_it(teacher, category, technician):
    SurveySettings.objects.update_or_create(pk=1, defaults={"sample_percent": 0})
    ticket = factories.TicketFactory(requester=teacher, category=category)
    work_and_close(ticket, technician)
    assert not SurveyInvitation.objects.filter(ticket=ticket).exists()
    SurveySettings.objects.update_or_create(pk=1, defaults={"sample_percent": 100})
    ticket = factories.TicketFactory(requester=teacher, category=category)
    work_and_close(ticket, technician)
    assert SurveyInvitation.objects.filter(ticket=ticket).exists()


# --- answers ------------------------------------------------------------------------------


def test_answer_is_recorded_once_and_editable_for_twelve_hours(invitation, teacher):
    answer = survey_services.record_answer(invitation=invitation, user=teacher, timeliness=4, quality=5, learned=True)
    survey_services.record_answer(invitation=invitation, user=teacher, timeliness=3, quality=4, comment="ok")
    assert SurveyResponse.objects.filter(ticket=invitation.ticket).count() == 1
    answer.refresh_from_db()
    assert (answer.timeliness, answer.quality, answer.comment) == (3, 4, "ok")
    SurveyResponse.objects.filter(pk=answer.pk).update(answered_at=timezone.now() - timedelta(hours=13))
    with pytest.raises(survey_services.AlreadyAnswered):
        survey_services.record_answer(invitation=invitation, user=teacher, timeliness=1, quality=1)


def test_expired_survey_cannot_be_answered(invitation, teacher, settings):
    settings.SURVEY_EXPIRY_DAYS = 30
    SurveyInvitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - timedelta(days=31))
    invitation.refresh_from_db()
    with pytest.raises(survey_services.SurveyExpired):
        survey_services.record_answer(invitation=invitation, user=teacher, timeliness=4, quality=4)
    settings.SURVEY_EXPIRY_DAYS = 60  # read at call time
    survey_services.record_answer(invitation=invitation, user=teacher, timeliness=4, quality=4)


def test_the_technician_who_worked_the_ticket_cannot_rate_it(invitation, technician):
    with pytest.raises(PermissionDenied):
        survey_services.record_answer(invitation=invitation, user=technician, timeliness=5, quality=5)
    assert not SurveyResponse.objects.exists()


def test_staff_who_closed_the_ticket_cannot_rate_it(ticket, technician):
    closer = factories.TechnicianFactory()
    work_and_close(ticket, technician, closer=closer)
    invitation = SurveyInvitation.objects.get(ticket=ticket)
    with pytest.raises(PermissionDenied):
        survey_services.record_answer(invitation=invitation, user=closer, timeliness=5, quality=5)
    # The requester still can.
    survey_services.record_answer(invitation=invitation, user=ticket.requester, timeliness=5, quality=5)


@pytest.mark.parametrize("rating", [0, 6, "5"])
def test_ratings_outside_one_to_five_are_refused(invitation, teacher, rating):
    with pytest.raises(DomainError):
        survey_services.record_answer(invitation=invitation, user=teacher, timeliness=3, quality=rating)


def test_poor_quality_answer_notifies_directors_once_and_needs_follow_up(
    invitation, teacher, director, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = survey_services.record_answer(invitation=invitation, user=teacher, timeliness=3, quality=2)
        survey_services.record_answer(invitation=invitation, user=teacher, timeliness=3, quality=1)
    assert answer.needs_follow_up
    notes = [m for m in mail.outbox if m.to == [director.email]]
    assert len(notes) == 1
    assert f"#{invitation.ticket_id}" in notes[0].subject
    assert "/surveys/follow-up/" in notes[0].body


def test_asking_to_be_contacted_needs_follow_up_even_with_good_ratings(
    invitation, teacher, director, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = survey_services.record_answer(
            invitation=invitation, user=teacher, timeliness=5, quality=5, wants_contact=True
        )
    assert answer.needs_follow_up
    assert any(m.to == [director.email] for m in mail.outbox)


def test_good_answer_needs_no_follow_up(invitation, teacher, director):
    answer = survey_services.record_answer(invitation=invitation, user=teacher, timeliness=5, quality=3)
    assert not answer.needs_follow_up


def test_follow_up_records_note_who_and_when_and_only_once(invitation, teacher, director, technician):
    answer = survey_services.record_answer(invitation=invitation, user=teacher, timeliness=2, quality=1)
    with pytest.raises(PermissionDenied):
        survey_services.record_follow_up(actor=technician, response=answer, note="Called")
    with pytest.raises(DomainError):
        survey_services.record_follow_up(actor=director, response=answer, note="  ")
    survey_services.record_follow_up(actor=director, response=answer, note="Called and apologised")
    answer.refresh_from_db()
    assert answer.followed_up_by == director and answer.followed_up_at is not None
    assert answer.follow_up_note == "Called and apologised"
    with pytest.raises(DomainError):
        survey_services.record_follow_up(actor=director, response=answer, note="Again")


# --- reminders and auto-close ------------------------------------------------------------------


def test_one_reminder_after_three_business_days_if_unanswered(invitation):
    mail.outbox.clear()
    now = timezone.now()
    SurveyInvitation.objects.filter(pk=invitation.pk).update(sent_at=now - timedelta(days=2))
    assert tasks.send_survey_reminders() == 0
    SurveyInvitation.objects.filter(pk=invitation.pk).update(sent_at=now - timedelta(days=6))
    assert tasks.send_survey_reminders() == 1
    assert tasks.send_survey_reminders() == 0
    [reminder] = mail.outbox
    assert "reminder" in reminder.subject.lower()
    assert invitation.token in reminder.body


def test_reminder_waits_over_a_weekend(invitation):
    sent_friday = datetime(2026, 3, 6, 10, 0, tzinfo=CHICAGO)
    SurveyInvitation.objects.filter(pk=invitation.pk).update(sent_at=sent_friday)
    monday = datetime(2026, 3, 9, 10, 0, tzinfo=CHICAGO)
    wednesday = datetime(2026, 3, 11, 10, 0, tzinfo=CHICAGO)
    assert survey_services.reminder_candidates(now=monday + timedelta(hours=1)) == []
    assert survey_services.reminder_candidates(now=wednesday + timedelta(minutes=1)) == [invitation.pk]


def test_no_reminder_once_answered(invitation, teacher):
    survey_services.record_answer(invitation=invitation, user=teacher, timeliness=4, quality=4)
    SurveyInvitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - timedelta(days=8))
    mail.outbox.clear()
    assert tasks.send_survey_reminders() == 0
    assert mail.outbox == []


def test_survey_email_never_uses_a_request_host(invitation):
    context = survey_services.survey_email_context(invitation)
    assert all(
        re.match(r"^https://helpdesk\.district\.example/surveys/", url) for _v, _w, url in context["rating_links"]
    )


def test_record_landing_keeps_the_first_landing_and_fills_a_missing_rating(invitation):
    from surveys.services import record_landing

    assert record_landing(invitation=invitation, quality=None) is True
    invitation.refresh_from_db()
    first = invitation.landed_at
    assert first is not None and invitation.tapped_quality is None
    assert record_landing(invitation=invitation, quality=3) is True  # the rating the first landing lacked
    assert record_landing(invitation=invitation, quality=5) is False
    invitation.refresh_from_db()
    assert (invitation.landed_at, invitation.tapped_quality) == (first, 3)


@pytest.mark.parametrize(
    "age", [timedelta(days=30) - timedelta(seconds=1), timedelta(days=30), timedelta(days=30) + timedelta(seconds=1)]
)
def test_the_survey_page_and_the_reminder_agree_on_expiry(invitation, settings, age):
    """One rule (`expiry_cutoff`): an invitation still answerable is still reminded, and one
    past its days is neither, counted from when it was sent."""
    settings.SURVEY_EXPIRY_DAYS = 30
    now = timezone.now()
    SurveyInvitation.objects.filter(pk=invitation.pk).update(sent_at=now - age, created_at=now - age)
    invitation.refresh_from_db()
    answerable = not survey_services.is_expired(invitation, now=now)
    assert answerable == (age <= timedelta(days=30))
    assert (invitation.pk in survey_services.reminder_candidates(now=now)) == answerable
