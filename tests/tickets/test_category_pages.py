"""The director's `/categories/` pages, for each role, and equal to `/api/categories/`."""

import pytest

from tests import factories
from tests.conftest import api_as
from tickets.models import Category

pytestmark = pytest.mark.django_db

FIELDS = {"name": "Smart boards", "in_scope": "on", "responsible_party": "District IT"}


@pytest.mark.parametrize("who", ["teacher", "technician"])
def test_category_pages_answer_404_to_non_directors(client, request, who, category):
    client.force_login(request.getfixturevalue(who))
    for path in ("/categories/", f"/categories/{category.pk}/"):
        assert client.get(path).status_code == 404
        assert client.post(path, FIELDS).status_code == 404
    assert not Category.objects.filter(name="Smart boards").exists()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/categories/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_director_lists_categories(client, director, category):
    client.force_login(director)
    page = client.get("/categories/").content.decode()
    assert f'href="/categories/{category.pk}/"' in page and 'href="/categories/"' in page


def test_adding_through_the_page_equals_the_api(client, director):
    team = factories.QueueFactory()
    client.force_login(director)
    assert client.post("/categories/", {**FIELDS, "queue": team.pk}).status_code == 302
    api_body = {"name": "Smart boards", "in_scope": True, "responsible_party": "District IT", "queue": team.pk}
    assert api_as(director).post("/api/categories/", api_body, format="json").status_code == 201
    rows = api_as(director).get("/api/categories/?page_size=100").json()["results"]
    by_page, by_api = [row for row in rows if row["name"] == "Smart boards"]
    assert {by_page["slug"], by_api["slug"]} == {"smart-boards", "smart-boards-2"}
    for row in (by_page, by_api):
        row.pop("id"), row.pop("slug")
    assert by_page == by_api


def test_editing_marks_a_category_out_of_scope(client, director, category):
    client.force_login(director)
    assert client.get(f"/categories/{category.pk}/").status_code == 200
    response = client.post(
        f"/categories/{category.pk}/", {"name": category.name, "slug": category.slug, "guidance": "Call the vendor."}
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.in_scope is False and category.guidance == "Call the vendor."


def test_a_school_queue_is_refused_alike_on_the_page_and_in_the_api(client, director, school):
    school_queue = school.queue
    client.force_login(director)
    # The form offers only team queues, so a school's queue is not a valid choice here.
    response = client.post("/categories/", {**FIELDS, "queue": school_queue.pk})
    assert response.status_code == 200 and not Category.objects.filter(name="Smart boards").exists()
    api = api_as(director).post("/api/categories/", {"name": "Smart boards", "queue": school_queue.pk}, format="json")
    assert api.status_code == 400


def test_a_taken_slug_is_a_form_error_from_the_service(client, director, category):
    client.force_login(director)
    response = client.post("/categories/", {**FIELDS, "slug": category.slug})
    assert response.status_code == 200
    assert "Another category already uses this slug." in response.content.decode()


def test_spanish_texts_are_written_on_the_page_and_shown_to_spanish_readers(client, director, teacher):
    client.force_login(director)
    body = {
        **FIELDS,
        "name": "Home hotspot",
        "in_scope": "",
        "guidance": "Ask the front office.",
        "name_es": "Punto de acceso en casa",
        "guidance_es": "Pregunte en la oficina de la escuela.",
    }
    assert client.post("/categories/", body).status_code == 302
    category = Category.objects.get(name="Home hotspot")
    assert (category.name_es, category.guidance_es) == (
        "Punto de acceso en casa",
        "Pregunte en la oficina de la escuela.",
    )
    spanish = client.get("/support/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Punto de acceso en casa" in spanish and "Pregunte en la oficina de la escuela." in spanish
    english = client.get("/support/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Home hotspot" in english and "Punto de acceso" not in english
    # The API's category keeps its fields: the Spanish texts are the pages' own.
    row = next(r for r in api_as(director).get("/api/categories/").json()["results"] if r["id"] == category.pk)
    assert "name_es" not in row


def test_a_category_without_spanish_shows_its_english_name_to_spanish_readers(client, category):
    Category.objects.filter(pk=category.pk).update(name="Smart boards", name_es="")
    spanish = client.get("/support/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Smart boards" in spanish


def test_the_category_choice_reads_in_the_readers_language(client, teacher, category):
    Category.objects.filter(pk=category.pk).update(name="Printer", name_es="Impresora")
    teacher.profile.language = "es"
    teacher.profile.save()
    client.force_login(teacher)
    page = client.get("/tickets/new/").content.decode()
    assert ">Impresora<" in page and ">Printer<" not in page
