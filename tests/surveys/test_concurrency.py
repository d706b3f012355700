"""Two workers racing for the same invitation, on two real database connections."""

import threading

import pytest
from django.core import mail
from django.db import connection

from surveys import services as survey_services
from surveys.models import SurveyInvitation
from tests import factories
from tests.surveys.conftest import work_and_close


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_claims_send_one_email():
    teacher = factories.UserFactory(profile__school=factories.SchoolFactory())
    technician = factories.TechnicianFactory()
    ticket = factories.TicketFactory(requester=teacher)
    work_and_close(ticket, technician)  # autocommit: the eager task already sent it once
    invitation = SurveyInvitation.objects.get(ticket=ticket)
    SurveyInvitation.objects.filter(pk=invitation.pk).update(sent_at=None, claimed_at=None)
    mail.outbox.clear()

    barrier = threading.Barrier(2)
    results: list[bool] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(survey_services.deliver_invitation(invitation.pk))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(results) == [False, True]
    assert len([m for m in mail.outbox if "How did we do?" in m.subject]) == 1
