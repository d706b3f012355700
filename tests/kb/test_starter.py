"""The starter knowledge base: complete in both languages, idempotent, and found by what teachers type."""

import pytest
from django.utils import translation

from demo.district import CATEGORIES
from tickets.kb import selectors
from tickets.kb.starter import load_starter_articles, starter_articles
from tickets.models import Article, Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def starter(director):
    for slug in ("av", "network", "account", "printer", "device", "software", "phone"):
        Category.objects.get_or_create(slug=slug, defaults={"name": CATEGORIES[slug][0]})
    load_starter_articles(actor=director)


def test_at_least_25_articles_each_in_english_and_spanish():
    names = {"en": set(), "es": set()}
    for article in starter_articles():
        names[article.language].add(article.name)
    assert len(names["en"]) >= 25
    assert names["en"] == names["es"]


def test_every_starter_category_is_one_the_district_has():
    assert {a.category for a in starter_articles()} <= {*CATEGORIES, ""}


def test_loading_twice_adds_nothing_the_second_time(director):
    first = load_starter_articles(actor=director)
    assert first == len(starter_articles()) == Article.objects.count()
    assert load_starter_articles(actor=director) == 0
    assert Article.objects.count() == first


def test_loading_again_restores_a_category_lost_to_a_reseed(director):
    load_starter_articles(actor=director)
    category = Category.objects.create(slug="av", name="A/V")
    load_starter_articles(actor=director)
    article = Article.objects.get(title='Projector or display says "No signal"')
    assert article.category == category
    assert article.status == Article.Status.PUBLISHED and article.audience == Article.Audience.EVERYONE


@pytest.mark.parametrize(
    ("typed", "expected_title"),
    [
        ("projector no signal", 'Projector or display says "No signal"'),
        ("wifi", "Connect to the district Wi-Fi (wifi)"),
        ("password", "Reset your district password"),
        ("chromebook won't charge", "Chromebook won't charge"),
        ("paper jam", "Clearing a paper jam"),
    ],
)
def test_english_suggestions_for_what_teachers_type(starter, teacher, typed, expected_title):
    with translation.override("en"):
        suggested = selectors.suggest_articles(teacher, typed)
    assert expected_title in [a.title for a in suggested]
    assert all(a.language == "en" for a in suggested[:1])


@pytest.mark.parametrize(
    ("typed", "expected_title"),
    [
        ("olvidé mi contraseña", "Restablecer su contraseña del distrito"),
        ("el proyector no tiene señal", 'El proyector o la pantalla dice "Sin señal" (No signal)'),
        ("wifi", "Conectarse al Wi-Fi del distrito (wifi)"),
    ],
)
def test_spanish_suggestions_come_first_for_a_spanish_reader(starter, teacher, typed, expected_title):
    with translation.override("es"):
        suggested = selectors.suggest_articles(teacher, typed)
    assert suggested[0].language == "es"
    assert expected_title in [a.title for a in suggested]
