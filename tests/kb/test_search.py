"""Search and suggestions: PostgreSQL full-text with the icontains fallback, always within visibility."""

import pytest
from django.db import connection
from django.utils import translation

from tickets.errors import DomainError
from tickets.kb import selectors, services
from tickets.models import Article


def _titles(articles) -> list[str]:
    return [article.title for article in articles]


def test_title_match_outranks_body_match(make_article, teacher):
    body_hit = make_article(title="Classroom sound", body="If the printer shows an error, check the cable.")
    title_hit = make_article(title="Printer shows an error", body="Turn it off and on.")
    results = list(selectors.search_articles(selectors.articles_visible_to(teacher), "printer error"))
    assert [a.pk for a in results] == [title_hit.pk, body_hit.pk]
    assert results[0].rank > results[1].rank


def test_search_uses_websearch_syntax_and_stemming(make_article, teacher):
    make_article(title="Printers jam when paper is damp", body="Fan the paper first.")
    make_article(title="Printer toner is low", body="Order toner through the office.")
    visible = selectors.articles_visible_to(teacher)
    assert _titles(selectors.search_articles(visible, "printers")) == [
        "Printer toner is low",
        "Printers jam when paper is damp",
    ]
    assert _titles(selectors.search_articles(visible, "printer -toner")) == ["Printers jam when paper is damp"]
    assert _titles(selectors.search_articles(visible, '"toner is low"')) == ["Printer toner is low"]


def test_search_requires_every_word_of_the_query(make_article, teacher):
    make_article(title="Printer jam", body="Open tray 2.")
    make_article(title="Projector lamp", body="Call us.")
    assert _titles(selectors.search_articles(selectors.articles_visible_to(teacher), "printer lamp")) == []


def test_search_follows_edits_because_the_service_refreshes_the_vector(make_article, teacher, technician):
    article = make_article(title="Smartboard", body="Calibrate the pens.")
    visible = selectors.articles_visible_to(teacher)
    assert list(selectors.search_articles(visible, "stylus")) == []
    services.update_article(actor=technician, article=article, changes={"body": "Calibrate the stylus."})
    assert [a.pk for a in selectors.search_articles(visible, "stylus")] == [article.pk]


def test_search_input_with_operators_and_nul_bytes_does_not_fail(make_article, teacher):
    make_article(title="Printer", body="x")
    visible = selectors.articles_visible_to(teacher)
    for text in ['"unbalanced', "a & | ! ( ) : * <->", "-", "printer\x00"]:
        list(selectors.search_articles(visible, text))  # must not raise


def test_search_never_shows_drafts_or_staff_articles_to_requesters(published, draft, staff_only, teacher, technician):
    assert _titles(selectors.search_articles(selectors.articles_visible_to(teacher), "projector")) == [published.title]
    assert set(_titles(selectors.search_articles(selectors.articles_visible_to(technician), "projector"))) == {
        published.title,
        draft.title,
        staff_only.title,
    }


def test_fallback_matches_title_or_body_and_puts_title_matches_first(make_article, teacher):
    body_hit = make_article(title="Audio", body="The Printer needs paper.")
    title_hit = make_article(title="PRINTER offline", body="Check the cable.")
    make_article(title="Email", body="Nothing relevant.")
    results = selectors.search_articles_fallback(selectors.articles_visible_to(teacher), "printer")
    assert [a.pk for a in results] == [title_hit.pk, body_hit.pk]


def test_fallback_requires_every_word(make_article, teacher):
    both = make_article(title="Printer jam", body="Open tray two.")
    make_article(title="Printer toner", body="Order more.")
    results = selectors.search_articles_fallback(selectors.articles_visible_to(teacher), "printer tray")
    assert [a.pk for a in results] == [both.pk]


def test_fallback_keeps_visibility(published, draft, staff_only, teacher):
    results = selectors.search_articles_fallback(selectors.articles_visible_to(teacher), "projector")
    assert [a.pk for a in results] == [published.pk]


def test_other_databases_take_the_fallback_path(monkeypatch, make_article, teacher):
    article = make_article(title="Chromebook charger", body="Check the light.")
    monkeypatch.setattr(connection, "vendor", "sqlite")
    # "charg" would not match as a full-text word; as a substring it does, proving the fallback ran.
    assert [a.pk for a in selectors.search_articles(selectors.articles_visible_to(teacher), "charg")] == [article.pk]
    assert [a.pk for a in selectors.suggest_articles(teacher, "my charg broke")] == [article.pk]


def test_search_vector_is_left_empty_on_other_databases(monkeypatch, make_article):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    article = make_article(title="Chromebook", body="x")
    monkeypatch.undo()
    assert Article.objects.get(pk=article.pk).search_vector is None


def test_suggestions_match_any_word_of_a_typed_title(make_article, teacher):
    jam = make_article(title="Clear a paper jam", body="Open the side door.")
    toner = make_article(title="Replace the toner", body="Printer toner lives in the supply closet.")
    make_article(title="Reset your password", body="Use the portal.")
    suggested = selectors.suggest_articles(teacher, "The printer has a paper jam again")
    assert [a.pk for a in suggested] == [jam.pk, toner.pk]


def test_suggestions_are_capped_and_exclude_drafts_and_staff_articles(
    make_article, draft, staff_only, teacher, technician
):
    for n in range(7):
        make_article(title=f"Projector tip {n}", body="Projector help.")
    for user in (teacher, technician):
        suggested = selectors.suggest_articles(user, "projector")
        assert len(suggested) == selectors.SUGGESTION_LIMIT
        assert {a.status for a in suggested} == {Article.Status.PUBLISHED}
    assert staff_only.pk not in [a.pk for a in selectors.suggest_articles(teacher, "projector admin password")]


@pytest.mark.parametrize("text", ["", "   ", "a", "!!!", "\x00"])
def test_suggestions_for_empty_or_wordless_text_are_empty(make_article, teacher, text):
    make_article(title="A", body="a")
    assert selectors.suggest_articles(teacher, text) == []


def test_spanish_article_is_stemmed_in_spanish_and_found_by_an_inflected_word(make_article, teacher):
    article = make_article(
        title="Restablecer la contraseña", body="Use el enlace de contraseñas olvidadas.", language="es"
    )
    assert [a.pk for a in selectors.suggest_articles(teacher, "olvidé mis contraseñas")] == [article.pk]


def test_suggestions_put_the_readers_language_first(make_article, teacher):
    english = make_article(title="Wi-Fi keeps dropping", body="Forget the network and join District-Staff again.")
    spanish = make_article(title="El Wi-Fi se desconecta", body="Olvide la red y vuelva a unirse.", language="es")
    with translation.override("es"):
        assert [a.pk for a in selectors.suggest_articles(teacher, "wifi")] == [spanish.pk, english.pk]
    with translation.override("en"):
        assert [a.pk for a in selectors.suggest_articles(teacher, "wifi")] == [english.pk, spanish.pk]


def test_an_unknown_language_is_refused(make_article):
    with pytest.raises(DomainError):
        make_article(language="xx")
