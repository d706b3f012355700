"""The knowledge base's writes: who may write, counting that survives races, resolution → draft."""

import pytest

from tickets import services as ticket_services
from tickets.errors import DomainError, PermissionDenied
from tickets.kb import services
from tickets.models import Article, ArticleVote, Deflection, Ticket


def test_requesters_cannot_write_articles(teacher):
    with pytest.raises(PermissionDenied):
        services.create_article(actor=teacher, title="Mine", body="Text")
    assert not Article.objects.exists()


def test_requesters_cannot_edit_articles(published, teacher):
    with pytest.raises(PermissionDenied):
        services.update_article(actor=teacher, article=published, changes={"title": "Hacked"})
    assert Article.objects.get(pk=published.pk).title == "Projector shows no picture"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"title": "  ", "body": "x"}, "title"),
        ({"title": "x", "body": "\n"}, "body"),
        ({"title": "x", "body": "y", "audience": "parents"}, "audience"),
        ({"title": "x", "body": "y", "status": "archived"}, "status"),
    ],
)
def test_create_refuses_bad_input_naming_the_field(technician, kwargs, field):
    with pytest.raises(DomainError) as caught:
        services.create_article(actor=technician, **kwargs)
    assert caught.value.field == field


def test_create_records_author_and_defaults(technician):
    article = services.create_article(actor=technician, title=" Title ", body="Body")
    assert (article.title, article.author, article.audience, article.status) == (
        "Title",
        technician,
        Article.Audience.EVERYONE,
        Article.Status.PUBLISHED,
    )


def test_update_refuses_fields_that_are_not_editable(published, technician):
    with pytest.raises(DomainError):
        services.update_article(actor=technician, article=published, changes={"views": 1000})
    assert Article.objects.get(pk=published.pk).views == 0


def test_an_edit_never_writes_back_a_stale_counter(published, technician):
    stale = Article.objects.get(pk=published.pk)  # loaded by the edit page
    services.record_view(article=published)  # a teacher reads it meanwhile
    services.record_view(article=published)
    services.update_article(actor=technician, article=stale, changes={"title": "Projector: no picture"})
    fresh = Article.objects.get(pk=published.pk)
    assert (fresh.title, fresh.views) == ("Projector: no picture", 2)


def test_a_user_votes_once_per_article(published, teacher, other_teacher):
    services.vote_on_article(actor=teacher, article=published, helpful=True)
    with pytest.raises(DomainError):
        services.vote_on_article(actor=teacher, article=published, helpful=False)
    services.vote_on_article(actor=other_teacher, article=published, helpful=False)
    published.refresh_from_db()
    assert (published.helpful_yes, published.helpful_no) == (1, 1)
    assert ArticleVote.objects.filter(article=published).count() == 2


def test_deflections_are_counted_and_recorded_with_the_query(published, teacher, other_teacher):
    services.record_deflection(actor=teacher, article=published, query="  projector blank screen ")
    services.record_deflection(actor=other_teacher, article=published, query="x" * 500)
    published.refresh_from_db()
    assert published.deflections == 2
    rows = list(Deflection.objects.filter(article=published).order_by("id").values_list("user", "query"))
    assert rows[0] == (teacher.pk, "projector blank screen")
    assert rows[1][0] == other_teacher.pk and len(rows[1][1]) == 200


def test_a_deflection_files_no_ticket(published, teacher):
    services.record_deflection(actor=teacher, article=published, query="projector")
    assert not Ticket.objects.exists()


def _resolved(ticket: Ticket, technician, *, self_help: str = "Press Input until HDMI 1 shows.") -> Ticket:
    return ticket_services.resolve_ticket(
        actor=technician,
        ticket=ticket,
        resolution="The input was set to VGA; switched it to HDMI 1.",
        self_help=self_help,
    )


def test_a_resolution_becomes_a_draft_article(ticket, technician):
    ticket = _resolved(ticket, technician)
    article = services.draft_article_from_ticket(actor=technician, ticket=ticket)
    assert article.status == Article.Status.DRAFT
    assert article.source_ticket == ticket
    assert article.title == ticket.title
    assert article.category == ticket.category
    assert article.author == technician
    assert "switched it to HDMI 1" in article.body
    assert "Press Input until HDMI 1 shows." in article.body
    # The description may name people or rooms: it stays out of the draft.
    assert ticket.description not in article.body


def test_a_draft_without_a_tip_has_only_the_fix(ticket, technician):
    ticket = _resolved(ticket, technician, self_help="")
    article = services.draft_article_from_ticket(actor=technician, ticket=ticket)
    assert "Next time" not in article.body
    assert "switched it to HDMI 1" in article.body


def test_asking_twice_returns_the_same_draft(ticket, technician):
    ticket = _resolved(ticket, technician)
    first = services.draft_article_from_ticket(actor=technician, ticket=ticket)
    second = services.draft_article_from_ticket(actor=technician, ticket=ticket)
    assert first.pk == second.pk
    assert Article.objects.count() == 1


def test_an_unresolved_ticket_cannot_become_an_article(ticket, technician):
    with pytest.raises(DomainError):
        services.draft_article_from_ticket(actor=technician, ticket=ticket)
    assert not Article.objects.exists()


def test_a_requester_cannot_turn_their_ticket_into_an_article(ticket, technician, teacher):
    ticket = _resolved(ticket, technician)
    with pytest.raises(PermissionDenied):
        services.draft_article_from_ticket(actor=teacher, ticket=ticket)
    assert not Article.objects.exists()


def test_deleting_needs_staff(published, teacher, technician):
    with pytest.raises(PermissionDenied):
        services.delete_article(actor=teacher, article=published)
    services.delete_article(actor=technician, article=published)
    assert not Article.objects.exists()
