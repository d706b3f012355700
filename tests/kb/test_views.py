"""The knowledge base pages for each role."""

import pytest
from django.test import Client

from tickets import services as ticket_services
from tickets.kb import services
from tickets.models import Article, Deflection, Ticket


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


# --- /kb/ ----------------------------------------------------------------------


def test_kb_needs_sign_in(client):
    response = client.get("/kb/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_requester_sees_only_published_articles_for_everyone(as_user, teacher, published, draft, staff_only):
    response = as_user(teacher).get("/kb/")
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [published]
    assert draft.title not in response.content.decode()
    assert staff_only.title not in response.content.decode()


def test_staff_see_drafts_and_staff_articles_marked(as_user, technician, published, draft, staff_only):
    response = as_user(technician).get("/kb/")
    assert set(response.context["page"].object_list) == {published, draft, staff_only}
    html = response.content.decode()
    assert "Draft" in html and "Help desk team only" in html


def test_articles_are_listed_by_category(as_user, teacher, make_article, category):
    make_article(title="Uncategorised tip")
    make_article(title="Categorised tip", category=category)
    html = as_user(teacher).get("/kb/").content.decode()
    assert f">{category.name}</h2>" in html and ">General</h2>" in html
    assert html.index("General") < html.index("Uncategorised tip") < html.index(category.name)


def test_search_box_finds_and_ranks(as_user, teacher, make_article):
    body_hit = make_article(title="Sound", body="Check the projector cable.")
    title_hit = make_article(title="Projector will not start", body="Hold power.")
    response = as_user(teacher).get("/kb/", {"q": "projector"})
    assert list(response.context["page"].object_list) == [title_hit, body_hit]


def test_overlong_search_is_a_form_error_not_a_crash(as_user, teacher, published):
    response = as_user(teacher).get("/kb/", {"q": "x" * 500})
    assert response.status_code == 200
    assert response.context["form"].errors


def _one_article_per(count, make_article, category):
    for n in range(count):
        make_article(title=f"Tip {n}", body=f"Body {n}", category=category if n % 2 else None)


@pytest.mark.parametrize("count", [1, 30])
def test_kb_list_query_count_does_not_grow(as_user, teacher, make_article, category, count, django_assert_num_queries):
    _one_article_per(count, make_article, category)
    client = as_user(teacher)
    # 1 session, 2 user with their groups (role check), 3 count, 4 the page with categories joined.
    with django_assert_num_queries(4):
        response = client.get("/kb/")
    assert len(response.context["page"].object_list) == count


@pytest.mark.parametrize("count", [1, 30])
def test_kb_search_query_count_does_not_grow(
    as_user, technician, make_article, category, count, django_assert_num_queries
):
    _one_article_per(count, make_article, category)
    client = as_user(technician)
    # 1 session, 2 user with their groups (role check), 3 count, 4 the page of matches.
    with django_assert_num_queries(4):
        response = client.get("/kb/", {"q": "tip"})
    assert len(response.context["page"].object_list) == count


# --- /kb/<id>/ -----------------------------------------------------------------


def test_article_page_renders_sanitized_markdown(as_user, teacher, make_article):
    article = make_article(title="Links", body="**Bold** [bad](javascript:alert(1)) <img src=x onerror=alert(1)>")
    html = as_user(teacher).get(f"/kb/{article.pk}/").content.decode()
    assert "<strong>Bold</strong>" in html
    assert "javascript:" not in html and "onerror" not in html


def test_requester_gets_404_for_drafts_and_staff_articles(as_user, teacher, draft, staff_only):
    client = as_user(teacher)
    assert client.get(f"/kb/{draft.pk}/").status_code == 404
    assert client.get(f"/kb/{staff_only.pk}/").status_code == 404


def test_staff_can_open_drafts(as_user, technician, draft):
    assert as_user(technician).get(f"/kb/{draft.pk}/").status_code == 200


def test_requester_views_are_counted_staff_views_are_not(as_user, teacher, technician, published):
    as_user(teacher).get(f"/kb/{published.pk}/")
    as_user(teacher).get(f"/kb/{published.pk}/")
    as_user(technician).get(f"/kb/{published.pk}/")
    published.refresh_from_db()
    assert published.views == 2


# --- voting --------------------------------------------------------------------


def test_voting_is_post_only(as_user, teacher, published):
    response = as_user(teacher).get(f"/kb/{published.pk}/vote/", {"helpful": "yes"})
    assert response.status_code == 405
    published.refresh_from_db()
    assert published.helpful_yes == 0


def test_a_vote_counts_once_per_user(as_user, teacher, published):
    client = as_user(teacher)
    first = client.post(f"/kb/{published.pk}/vote/", {"helpful": "yes"})
    second = client.post(f"/kb/{published.pk}/vote/", {"helpful": "no"})
    assert first.status_code == second.status_code == 302
    published.refresh_from_db()
    assert (published.helpful_yes, published.helpful_no) == (1, 0)
    page = client.get(f"/kb/{published.pk}/").content.decode()
    assert "Was this helpful?" not in page
    assert "Thank you for telling us" in page


def test_a_bad_vote_value_is_a_400(as_user, teacher, published):
    assert as_user(teacher).post(f"/kb/{published.pk}/vote/", {"helpful": "maybe"}).status_code == 400
    published.refresh_from_db()
    assert (published.helpful_yes, published.helpful_no) == (0, 0)


def test_no_vote_on_an_article_out_of_reach(as_user, teacher, draft):
    assert as_user(teacher).post(f"/kb/{draft.pk}/vote/", {"helpful": "yes"}).status_code == 404


# --- suggestions while filing ------------------------------------------------------


def test_suggestions_fragment_lists_matching_articles(as_user, teacher, published):
    response = as_user(teacher).get("/kb/suggest/", {"q": "the projector is blank"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # a fragment, not a page
    assert f'href="/kb/{published.pk}/"' in html
    assert f'data-kb-solved="/kb/{published.pk}/solved/"' in html
    assert "<form" not in html  # it is inserted inside the ticket form
    assert response["Cache-Control"] == "private, no-store"


def test_suggestions_escape_article_titles(as_user, teacher, make_article):
    make_article(title='Projector <img src=x onerror="alert(1)">', body="x")
    html = as_user(teacher).get("/kb/suggest/", {"q": "projector"}).content.decode()
    assert "<img" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_suggestions_never_offer_drafts_or_staff_articles_to_requesters(as_user, teacher, draft, staff_only):
    html = as_user(teacher).get("/kb/suggest/", {"q": "projector admin password draft notes"}).content.decode()
    assert draft.title not in html and staff_only.title not in html
    assert html.strip() == ""


def test_suggestions_are_capped_at_five(as_user, teacher, make_article):
    for n in range(8):
        make_article(title=f"Projector tip {n}", body="x")
    html = as_user(teacher).get("/kb/suggest/", {"q": "projector"}).content.decode()
    assert html.count("data-kb-solved=") == 5


def test_suggestions_need_sign_in_without_redirecting(client, published):
    response = client.get("/kb/suggest/", {"q": "projector"})
    assert response.status_code == 403
    assert response.content == b""


# --- "This solved it" --------------------------------------------------------------


def test_this_solved_it_records_a_deflection_and_files_nothing(as_user, teacher, published):
    response = as_user(teacher).post(
        f"/kb/{published.pk}/solved/", {"q": "projector blank"}, headers={"X-Requested-With": "fetch"}
    )
    assert response.status_code == 200
    assert "Glad that helped — no request was filed." in response.content.decode()
    published.refresh_from_db()
    assert published.deflections == 1
    assert Deflection.objects.get().query == "projector blank"
    assert not Ticket.objects.exists()


def test_this_solved_it_without_javascript_redirects_with_the_message(as_user, teacher, published):
    response = as_user(teacher).post(f"/kb/{published.pk}/solved/", {"q": "x"}, follow=True)
    assert "Glad that helped — no request was filed." in response.content.decode()
    assert Deflection.objects.count() == 1


def test_this_solved_it_is_post_only_and_needs_a_visible_article(as_user, teacher, published, staff_only):
    client = as_user(teacher)
    assert client.get(f"/kb/{published.pk}/solved/").status_code == 405
    assert client.post(f"/kb/{staff_only.pk}/solved/").status_code == 404
    assert not Deflection.objects.exists()


def test_this_solved_it_checks_csrf(teacher, published):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(teacher)
    assert strict.post(f"/kb/{published.pk}/solved/", {"q": "x"}).status_code == 403
    assert not Deflection.objects.exists()


# --- writing articles ----------------------------------------------------------------


def test_requesters_cannot_open_the_writing_pages(as_user, teacher, published):
    client = as_user(teacher)
    assert client.get("/kb/new/").status_code == 403
    assert (
        client.post("/kb/new/", {"title": "x", "body": "y", "audience": "everyone", "status": "published"}).status_code
        == 403
    )
    assert client.get(f"/kb/{published.pk}/edit/").status_code == 403
    assert Article.objects.count() == 1


def test_staff_write_an_article(as_user, technician, category):
    response = as_user(technician).post(
        "/kb/new/",
        {
            "title": "Reset a Chromebook",
            "body": "Hold **Esc + Refresh**.",
            "category": category.pk,
            "audience": "everyone",
            "status": "published",
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/kb/{article.pk}/"
    assert (article.title, article.category, article.author) == ("Reset a Chromebook", category, technician)


def test_writing_form_shows_errors_for_bad_input(as_user, technician):
    response = as_user(technician).post(
        "/kb/new/", {"title": "", "body": "y", "audience": "aliens", "status": "published"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "audience"}
    assert not Article.objects.exists()


def test_staff_edit_an_article_and_search_follows(as_user, technician, teacher, published):
    response = as_user(technician).post(
        f"/kb/{published.pk}/edit/",
        {
            "title": "Projector shows no picture",
            "body": "Check the HDMI dongle.",
            "audience": "everyone",
            "status": "published",
        },
    )
    assert response.status_code == 302
    found = as_user(teacher).get("/kb/", {"q": "dongle"}).context["page"].object_list
    assert list(found) == [published]


def test_edit_form_is_prefilled(as_user, technician, published):
    response = as_user(technician).get(f"/kb/{published.pk}/edit/")
    assert response.status_code == 200
    assert response.context["form"].initial["title"] == published.title


# --- resolution → draft article --------------------------------------------------


def _resolve(ticket, technician):
    return ticket_services.resolve_ticket(
        actor=technician,
        ticket=ticket,
        resolution="Replaced the HDMI cable.",
        self_help="Check the cable is pushed in.",
    )


def test_staff_turn_a_resolution_into_a_draft_and_land_on_its_edit_page(as_user, technician, ticket):
    ticket = _resolve(ticket, technician)
    response = as_user(technician).post(f"/kb/from-ticket/{ticket.pk}/")
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/kb/{article.pk}/edit/"
    assert article.status == Article.Status.DRAFT and article.source_ticket_id == ticket.pk
    assert "Replaced the HDMI cable." in article.body


def test_from_ticket_is_post_only_and_staff_only(as_user, technician, teacher, ticket):
    ticket = _resolve(ticket, technician)
    assert as_user(technician).get(f"/kb/from-ticket/{ticket.pk}/").status_code == 405
    assert as_user(teacher).post(f"/kb/from-ticket/{ticket.pk}/").status_code == 403
    assert not Article.objects.exists()


def test_from_ticket_for_a_missing_ticket_is_404(as_user, technician):
    assert as_user(technician).post("/kb/from-ticket/999999/").status_code == 404


def test_from_an_unresolved_ticket_goes_back_with_a_message(as_user, technician, ticket):
    response = as_user(technician).post(f"/kb/from-ticket/{ticket.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/tickets/{ticket.pk}/"
    assert not Article.objects.exists()


# --- director's numbers --------------------------------------------------------------


def test_director_sees_article_numbers(as_user, director, teacher, published):
    services.record_view(article=published)
    services.vote_on_article(actor=teacher, article=published, helpful=True)
    services.record_deflection(actor=teacher, article=published)
    services.record_deflection(actor=director, article=published)
    response = as_user(director).get("/kb/stats/")
    assert response.status_code == 200
    (row,) = response.context["articles"]
    assert (row.views, row.helpful_yes, row.helpful_no, row.deflections) == (1, 1, 0, 2)
    html = response.content.decode()
    assert '<td class="text-end">2</td>' in html


def test_stats_are_for_directors_only(as_user, technician, teacher):
    assert as_user(technician).get("/kb/stats/").status_code == 403
    assert as_user(teacher).get("/kb/stats/").status_code == 403


@pytest.mark.parametrize("count", [1, 30])
def test_stats_query_count_does_not_grow(as_user, director, make_article, category, count, django_assert_num_queries):
    _one_article_per(count, make_article, category)
    client = as_user(director)
    # 1 session, 2 user with their groups (role check), 3 the articles with categories joined.
    with django_assert_num_queries(3):
        client.get("/kb/stats/")
