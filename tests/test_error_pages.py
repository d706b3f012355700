"""Friendly 404 and 403 pages in the site's look, in both languages, with a way back."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher_client(teacher) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(teacher)
    return client


@pytest.mark.parametrize(
    ("language", "heading", "back"),
    [
        ("en", "We couldn't find that page", "Back to the start page"),
        ("es", "No encontramos esa página", "Volver a la página de inicio"),
    ],
)
def test_404_is_in_the_sites_look_with_a_way_back(teacher_client, language, heading, back):
    response = teacher_client.get("/tickets/999999999/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    page = response.content.decode()
    assert heading in page and back in page
    assert 'href="/"' in page and "navbar" in page
    assert f'<html lang="{language}' in page


def test_403_is_in_the_sites_look_with_a_way_back(teacher_client):
    # The article statistics are for directors only.
    response = teacher_client.get("/kb/stats/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Esta página no está abierta para su cuenta" in page
    assert "Volver a la página de inicio" in page


def test_404_signed_out_still_offers_the_way_back():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "Back to the start page" in response.content.decode()
