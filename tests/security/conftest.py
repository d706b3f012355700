import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploaded files land in a throwaway directory, never in the repo's media/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def campus_contact(school):
    contact = factories.UserFactory(profile__school=school)
    school.campus_contact = contact
    school.save(update_fields=["campus_contact"])
    return contact


@pytest.fixture
def outside_school(db):
    return factories.SchoolFactory()


@pytest.fixture
def outside_teacher(outside_school):
    return factories.UserFactory(profile__school=outside_school)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fuzz: schemathesis against the API schema (bounded, runs in CI)")
