"""One error vocabulary: every app's refusals are `schools.errors.DomainError`s, and the
API and the pages translate them the same way whichever app raised them."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.urls import reverse

from schools import services
from schools.errors import Conflict, DomainError, PermissionDenied
from schools.models import Visit
from surveys.dashboard.report import ReportNotReady
from surveys.services import AlreadyAnswered, SurveyExpired
from tests import factories
from tests.conftest import api_as
from tickets import errors as ticket_errors
from tickets.idempotency import KeyReused

pytestmark = pytest.mark.django_db


def test_every_apps_errors_belong_to_the_one_family():
    assert ticket_errors.DomainError is DomainError and ticket_errors.PermissionDenied is PermissionDenied
    for error in (ticket_errors.InvalidTransition, ticket_errors.StaleTicket):
        assert issubclass(error, Conflict)
    for error in (SurveyExpired, AlreadyAnswered, ReportNotReady, KeyReused, Conflict, PermissionDenied):
        assert issubclass(error, DomainError)


def test_a_domain_error_names_several_fields_and_reads_as_its_first_message():
    error = DomainError(errors={"end_date": ["Too early."], "weekdays": ["Pick one.", "Or two."]})
    assert str(error) == "Too early."
    assert error.as_field_errors() == {"end_date": ["Too early."], "weekdays": ["Pick one.", "Or two."]}
    assert error.messages == ["Too early.", "Pick one.", "Or two."]
    assert DomainError("No.", field="name").as_field_errors() == {"name": ["No."]}
    assert DomainError("No.").as_field_errors() == {"non_field_errors": ["No."]}


def test_schools_rules_raise_domain_errors_naming_the_fields(director, technician, school):
    with pytest.raises(PermissionDenied):
        services.update_calendar(actor=technician, changes={"load_balanced_assignment": True})
    with pytest.raises(DomainError) as caught:
        services.create_rotation(
            actor=director,
            technician=technician,
            school=school,
            weekdays=[9],
            every_n_weeks=20,
            start_date=date(2026, 9, 1),
        )
    assert set(caught.value.as_field_errors()) == {"weekdays", "every_n_weeks"}


def test_an_uncaught_permission_error_on_a_page_is_a_403_not_a_500(rf):
    from django.core.handlers.exception import response_for_exception

    assert issubclass(PermissionDenied, DjangoPermissionDenied)
    response = response_for_exception(rf.get("/"), PermissionDenied("Only the IT director can do that."))
    assert response.status_code == 403


def test_today_shows_a_schools_refusal_as_a_message(client, technician):
    visit = Visit.objects.create(technician=technician, school=factories.SchoolFactory(), date=date.today())
    services.complete_visit(actor=technician, visit=visit)
    client.force_login(technician)
    response = client.post(reverse("visit_check_in", args=[visit.pk]), follow=True)
    assert response.status_code == 200
    assert "This visit is already finished." in response.content.decode()


def test_the_api_answers_a_schools_refusal_with_403_and_field_errors_with_400(director, technician):
    row = api_as(technician).get("/api/calendar/").json()["results"][0]
    url = f"/api/calendar/{row['id']}/"
    assert api_as(technician).patch(url, {"summer_policy": "x"}, format="json").status_code == 403
    response = api_as(director).patch(url, {"visit_horizon_weeks": 99}, format="json")
    assert response.status_code == 400
    assert response.json() == {"visit_horizon_weeks": ["Plan between 1 and 52 weeks ahead."]}
