"""/api/articles/ per API.md: signed-in users read, staff write, requesters never see staff or draft articles."""

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.conftest import api_as
from tickets.models import Article

URL = "/api/articles/"


def test_anonymous_callers_are_refused(published):
    assert APIClient().get(URL).status_code in (401, 403)


def test_list_fields_and_rendered_body(teacher, make_article, category):
    article = make_article(
        title="Wi-Fi", body="Try [the portal](https://portal.example) <script>x()</script>", category=category
    )
    response = api_as(teacher).get(URL)
    assert response.status_code == 200
    assert response.data["count"] == 1
    (row,) = response.data["results"]
    assert {"id", "title", "body", "body_html", "category", "audience"} <= set(row)
    assert (row["id"], row["category"], row["audience"]) == (article.pk, category.pk, "everyone")
    assert row["body"] == article.body
    assert '<a href="https://portal.example" rel="noopener noreferrer">the portal</a>' in row["body_html"]
    assert "script" not in row["body_html"]


def test_requesters_never_see_staff_or_draft_articles(teacher, published, draft, staff_only):
    client = api_as(teacher)
    assert [row["id"] for row in client.get(URL).data["results"]] == [published.pk]
    assert client.get(f"{URL}{draft.pk}/").status_code == 404
    assert client.get(f"{URL}{staff_only.pk}/").status_code == 404
    assert client.get(URL, {"search": "projector"}).data["count"] == 1
    assert client.get(URL, {"audience": "staff"}).data["count"] == 0


def test_staff_see_every_article(technician, published, draft, staff_only):
    assert api_as(technician).get(URL).data["count"] == 3


def test_search_matches_title_and_body_title_first(teacher, make_article):
    body_hit = make_article(title="Sound", body="Check the projector cable.")
    title_hit = make_article(title="Projector will not start", body="Hold power.")
    make_article(title="Email", body="Nothing.")
    response = api_as(teacher).get(URL, {"search": "projector"})
    assert [row["id"] for row in response.data["results"]] == [title_hit.pk, body_hit.pk]


def test_requesters_cannot_write(teacher, published):
    client = api_as(teacher)
    assert client.post(URL, {"title": "x", "body": "y"}, format="json").status_code == 403
    assert client.patch(f"{URL}{published.pk}/", {"title": "x"}, format="json").status_code == 403
    assert client.delete(f"{URL}{published.pk}/").status_code == 403
    assert Article.objects.get().title == published.title


def test_writes_to_an_article_out_of_reach_answer_404(teacher, staff_only):
    assert api_as(teacher).patch(f"{URL}{staff_only.pk}/", {"title": "x"}, format="json").status_code == 404


def test_staff_create_with_only_title_and_body(technician):
    response = api_as(technician).post(URL, {"title": "Reset a Chromebook", "body": "Hold **Esc**."}, format="json")
    assert response.status_code == 201
    assert response.data["audience"] == "everyone"
    assert response.data["category"] is None
    assert response.data["body_html"] == "<p>Hold <strong>Esc</strong>.</p>"
    article = Article.objects.get(pk=response.data["id"])
    assert article.author == technician


def test_created_articles_are_searchable(technician, teacher):
    api_as(technician).post(
        URL, {"title": "Chromebook hinge", "body": "Cracked hinges go to the depot."}, format="json"
    )
    assert api_as(teacher).get(URL, {"search": "depot"}).data["count"] == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": "y"}, "title"),
        ({"title": "x"}, "body"),
        ({"title": "   ", "body": "y"}, "title"),
        ({"title": "x" * 201, "body": "y"}, "title"),
        ({"title": "x", "body": "y" * 50001}, "body"),
        ({"title": "x", "body": "y", "audience": "parents"}, "audience"),
        ({"title": "x", "body": "y", "status": "archived"}, "status"),
        ({"title": "x", "body": "y", "category": 999999}, "category"),
        ({"title": "x", "body": "y", "category": "printers"}, "category"),
        ({"title": "x\x00", "body": "y"}, "title"),
    ],
)
def test_bad_input_answers_400_with_field_errors(technician, payload, field):
    response = api_as(technician).post(URL, payload, format="json")
    assert response.status_code == 400
    assert field in response.data
    assert not Article.objects.exists()


def test_bad_filters_answer_400(teacher, published):
    assert api_as(teacher).get(URL, {"category": "abc"}).status_code == 400


def test_search_with_nul_or_operators_does_not_fail(teacher, published):
    client = api_as(teacher)
    for text in ["projector\x00", '"unbalanced', "a & | ! ( ) :*"]:
        assert client.get(URL, {"search": text}).status_code == 200


def test_staff_update_and_delete(technician, teacher, published):
    client = api_as(technician)
    response = client.patch(f"{URL}{published.pk}/", {"audience": "staff"}, format="json")
    assert response.status_code == 200 and response.data["audience"] == "staff"
    assert api_as(teacher).get(f"{URL}{published.pk}/").status_code == 404
    assert client.delete(f"{URL}{published.pk}/").status_code == 204
    assert not Article.objects.exists()


def test_patch_with_bad_value_is_400_and_changes_nothing(technician, published):
    response = api_as(technician).patch(f"{URL}{published.pk}/", {"title": "", "body": "new"}, format="json")
    assert response.status_code == 400
    assert Article.objects.get().body == published.body


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize("user_fixture", ["teacher", "technician"])
def test_list_query_count_does_not_grow(
    request, make_article, category, count, user_fixture, django_assert_num_queries
):
    for n in range(count):
        make_article(title=f"Tip {n}", body=f"Body {n}", category=category if n % 2 else None)
    # A fresh user object: the fixture's may already carry its groups from writing the articles.
    user = User.objects.get(pk=request.getfixturevalue(user_fixture).pk)
    client = api_as(user)
    # 1 the user's groups (role check), 2 count, 3 the page with category and author joined.
    with django_assert_num_queries(3):
        response = client.get(URL)
    assert response.data["count"] == count


@pytest.mark.parametrize("count", [1, 30])
def test_search_query_count_does_not_grow(teacher, make_article, count, django_assert_num_queries):
    for n in range(count):
        make_article(title=f"Printer tip {n}", body="x")
    client = api_as(teacher)
    # 1 groups (role check), 2 count, 3 the page of matches.
    with django_assert_num_queries(3):
        response = client.get(URL, {"search": "printer"})
    assert response.data["count"] == count
