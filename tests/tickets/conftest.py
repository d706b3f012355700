"""Fixtures of the ticket tests: the people and tickets the pages and the API are tried with."""

import pytest

from tests import factories
from tickets import services


@pytest.fixture
def campus_contact(school):
    contact = factories.UserFactory(profile__school=school)
    school.campus_contact = contact
    school.save()
    return contact


@pytest.fixture
def outside_teacher(db):
    return factories.UserFactory(profile__school=factories.SchoolFactory())


@pytest.fixture
def resolved_ticket(ticket, technician):
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    return services.resolve_ticket(
        actor=technician, ticket=ticket, resolution="Replaced the lamp.", self_help="Check the power strip first."
    )
