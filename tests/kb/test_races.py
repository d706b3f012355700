"""Counting under real concurrency: two connections, real commits."""

import threading

import pytest
from django.db import connection

from tests import factories
from tickets.errors import DomainError
from tickets.kb import services
from tickets.models import Article, ArticleVote

pytestmark = pytest.mark.django_db(transaction=True)


def _in_threads(count: int, work) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            work(index)
        except BaseException as error:  # noqa: BLE001 - collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_simultaneous_views_and_deflections_are_all_counted():
    technician = factories.TechnicianFactory()
    teachers = [factories.UserFactory() for _ in range(6)]
    article = services.create_article(actor=technician, title="Wi-Fi", body="Reconnect.")

    def work(index: int) -> None:
        services.record_view(article=article)
        services.record_deflection(actor=teachers[index], article=article, query=f"wifi {index}")

    assert _in_threads(6, work) == []
    article.refresh_from_db()
    assert (article.views, article.deflections) == (6, 6)


def test_one_person_pressing_this_solved_it_six_times_at_once_counts_once():
    technician = factories.TechnicianFactory()
    teacher = factories.UserFactory()
    article = services.create_article(actor=technician, title="Wi-Fi", body="Reconnect.")

    assert _in_threads(6, lambda index: services.record_deflection(actor=teacher, article=article)) == []
    article.refresh_from_db()
    assert article.deflections == 1


def test_simultaneous_double_click_votes_count_once():
    technician = factories.TechnicianFactory()
    teacher = factories.UserFactory()
    article = services.create_article(actor=technician, title="Wi-Fi", body="Reconnect.")

    errors = _in_threads(4, lambda index: services.vote_on_article(actor=teacher, article=article, helpful=True))
    assert len(errors) == 3  # the three losers are told they already voted
    assert all(isinstance(error, DomainError) for error in errors)
    article = Article.objects.get(pk=article.pk)
    assert article.helpful_yes == 1
    assert ArticleVote.objects.filter(article=article).count() == 1
