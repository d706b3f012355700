"""Linking a help article from the composer (support as teaching: the teacher gets the
step-by-step page, not only the fix), and the desk's own article addresses drawn as links
wherever a message is shown; the script's side is in tests/browser/test_composer.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import OutboundEmail
from tests.tickets.pages import client_for
from tickets import services
from tickets.kb import links
from tickets.models import Article, Comment, Ticket
from tickets.templatetags.ticket_history import conversation_item

pytestmark = pytest.mark.django_db

SITE = "https://helpdesk.district.example"  # tests/conftest.py sets SITE_URL to it


def comment_url(ticket: Ticket) -> str:
    return reverse("ticket-comment", args=[ticket.pk])


@pytest.fixture
def article(db) -> Article:
    return Article.objects.create(title="Connect to the projector", body="1. Plug in the HDMI cable.")


def test_the_link_is_the_title_and_the_full_address(article):
    assert links.link_text(title=article.title, pk=article.pk) == f"Connect to the projector: {SITE}/kb/{article.pk}/"
    assert links.link_template() == f"{{title}}: {SITE}/kb/{{id}}/"


def test_the_picker_offers_the_articles_a_requester_can_open(technician, ticket, article):
    Article.objects.create(title="Draft about lamps", body="x", status=Article.Status.DRAFT)
    Article.objects.create(title="Server room codes", body="x", audience=Article.Audience.STAFF)
    response = client_for(technician).get(reverse("ticket-detail", args=[ticket.pk]))
    field = response.context["comment_form"]["article"]
    offered = [label for value, label in field.field.choices if value != ""]
    assert offered == ["Connect to the projector"]
    html = response.content.decode()
    assert 'name="insert_article"' in html and f'data-article-link="{{title}}: {SITE}/kb/{{id}}/"' in html


def test_insert_without_script_adds_the_link_after_what_was_typed_and_sends_nothing(technician, ticket, article):
    response = client_for(technician).post(
        comment_url(ticket),
        {"body": "Here is how, for next time:", "kind": "reply", "article": article.pk, "insert_article": "1"},
    )
    assert response.status_code == 200
    form = response.context["comment_form"]
    assert form["body"].value() == f"Here is how, for next time:\n\nConnect to the projector: {SITE}/kb/{article.pk}/"
    assert form["article"].value() == ""  # the picker is ready for another
    assert not Comment.objects.exists()


def test_insert_with_no_article_chosen_says_so_and_keeps_what_was_typed(technician, ticket):
    response = client_for(technician).post(
        comment_url(ticket), {"body": "Half a reply", "kind": "reply", "article": "", "insert_article": "1"}
    )
    assert response.status_code == 200
    form = response.context["comment_form"]
    assert form.errors["article"] == ["Choose a help article first."]
    assert form["body"].value() == "Half a reply"
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "hidden",
    [{"status": Article.Status.DRAFT}, {"audience": Article.Audience.STAFF}],
    ids=["draft", "staff-only"],
)
def test_an_article_the_requester_cannot_open_is_refused_with_a_message(technician, ticket, hidden):
    other = Article.objects.create(title="Not for teachers", body="x", **hidden)
    response = client_for(technician).post(
        comment_url(ticket), {"body": "Typed", "kind": "reply", "article": other.pk, "insert_article": "1"}
    )
    assert response.status_code == 200
    assert "article" in response.context["comment_form"].errors
    assert "Not for teachers:" not in response.content.decode()
    assert not Comment.objects.exists()


def test_an_article_chosen_but_not_inserted_goes_with_the_message(technician, ticket, article):
    client_for(technician).post(
        comment_url(ticket), {"body": "Try this next time.", "kind": "reply", "article": article.pk}
    )
    assert Comment.objects.get().body == f"Try this next time.\n\nConnect to the projector: {SITE}/kb/{article.pk}/"


def test_an_article_already_in_the_message_is_not_added_twice(technician, ticket, article):
    body = f"See {SITE}/kb/{article.pk}/ for the steps."
    client_for(technician).post(comment_url(ticket), {"body": body, "kind": "reply", "article": article.pk})
    assert Comment.objects.get().body == body


def test_the_picker_costs_the_ticket_page_no_query_of_its_own(technician, ticket, article):
    # The resolve form's article list is read once for both selects.
    client = client_for(technician)
    client.get(reverse("ticket-detail", args=[ticket.pk]))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("ticket-detail", args=[ticket.pk]))
    article_reads = [q["sql"] for q in queries.captured_queries if 'FROM "tickets_article"' in q["sql"]]
    assert len(article_reads) == 1


# --- drawn as links ------------------------------------------------------------------------------


def test_the_conversation_links_the_desks_own_article_addresses_and_nothing_else(ticket, technician, article):
    body = (
        f"Steps: {SITE}/kb/{article.pk}/\n"
        f"Not ours: https://elsewhere.example/kb/{article.pk}/\n"
        "<script>alert(1)</script> & friends"
    )
    comment = services.add_comment(actor=technician, ticket=ticket, body=body)
    html = str(conversation_item(comment))
    assert f'<a href="/kb/{article.pk}/">{SITE}/kb/{article.pk}/</a>' in html
    assert html.count("<a ") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends" in html and "<script>" not in html


def test_an_address_with_markup_around_it_cannot_choose_the_links_target(ticket, technician):
    comment = services.add_comment(
        actor=technician, ticket=ticket, body=f'{SITE}/kb/7/"onmouseover="alert(1) and {SITE}/kb/x/'
    )
    html = str(conversation_item(comment))
    assert f'<a href="/kb/7/">{SITE}/kb/7/</a>&quot;onmouseover=&quot;alert(1)' in html
    assert html.count("<a ") == 1


def test_the_reply_email_links_the_article_by_its_full_address(ticket, technician, article):
    services.add_comment(actor=technician, ticket=ticket, body=links.link_text(title=article.title, pk=article.pk))
    email = OutboundEmail.objects.get(kind="reply")
    assert f'<a href="{SITE}/kb/{article.pk}/">{SITE}/kb/{article.pk}/</a>' in email.body_html
    assert f"Connect to the projector: {SITE}/kb/{article.pk}/" in email.body_text


def test_the_fix_and_its_tip_link_the_article_on_the_page_and_in_the_email(ticket, technician, teacher, article):
    address = f"{SITE}/kb/{article.pk}/"
    services.resolve_ticket(
        actor=technician, ticket=ticket, resolution=f"Cable swapped, see {address}", self_help=f"Next time: {address}"
    )
    html = client_for(teacher).get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    assert html.count(f'<a href="/kb/{article.pk}/">{address}</a>') == 2
    email = OutboundEmail.objects.get(kind="resolved")
    assert email.body_html.count(f'<a href="{address}">{address}</a>') == 2


def test_the_survey_thanks_page_links_the_tip(client, ticket, technician, article):
    from surveys.models import SurveyInvitation

    address = f"{SITE}/kb/{article.pk}/"
    services.resolve_ticket(actor=technician, ticket=ticket, resolution="Done", self_help=f"Next time: {address}")
    services.close_ticket(actor=technician, ticket=ticket)
    invitation = SurveyInvitation.objects.get(ticket=ticket)
    answer = {"timeliness": "4", "quality": "5", "learned": "yes", "comment": ""}
    response = client.post(reverse("survey", kwargs={"token": invitation.token}), answer, follow=True)
    assert f'Next time: <a href="/kb/{article.pk}/">{address}</a>' in response.content.decode()
