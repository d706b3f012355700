import pytest

from tickets.kb import services
from tickets.models import Article


@pytest.fixture
def make_article(db, technician):
    """Articles are written through the service, so their search vector is real."""

    def make(**kwargs: object) -> Article:
        kwargs.setdefault("title", "How to reconnect to the classroom Wi-Fi")
        kwargs.setdefault("body", "Open **Settings**, choose *District-Staff* and sign in again.")
        return services.create_article(actor=kwargs.pop("actor", technician), **kwargs)

    return make


@pytest.fixture
def published(make_article):
    return make_article(title="Projector shows no picture", body="Press the *Input* button until HDMI 1 shows.")


@pytest.fixture
def draft(make_article):
    return make_article(title="Projector draft notes", body="Projector lamp hours.", status=Article.Status.DRAFT)


@pytest.fixture
def staff_only(make_article):
    return make_article(
        title="Projector admin password reset", body="Projector service menu.", audience=Article.Audience.STAFF
    )
