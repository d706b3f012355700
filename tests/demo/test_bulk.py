"""bulk_load: the seed sets indexes and foreign keys aside on empty tables and puts back exactly what was there."""

import importlib

import pytest
from django.db import IntegrityError, connection

from demo.bulk import bulk_load
from demo.seed import seed_district
from surveys.models import DailyTicketStats, SurveyInvitation, SurveyResponse
from tests import factories
from tickets.models import Comment, Ticket, TicketEvent

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="bulk_load changes nothing elsewhere"),
]

SEEDED = (Ticket, Comment, TicketEvent, SurveyInvitation, SurveyResponse, DailyTicketStats)
PERFORMANCE_INDEXES = importlib.import_module("tickets.migrations.0007_performance_indexes").INDEXES


def schema(*models) -> set[tuple]:
    """Every index and constraint on the models' tables, as PostgreSQL itself writes them out."""
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT 'index', c.relname, pg_get_indexdef(i.indexrelid), i.indisvalid AND i.indisready
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid::regclass::text = ANY(%(tables)s)
            UNION ALL
            SELECT 'constraint', conname, pg_get_constraintdef(oid), convalidated
            FROM pg_constraint WHERE conrelid::regclass::text = ANY(%(tables)s)
            """,
            {"tables": tables},
        )
        return set(cursor.fetchall())


def names(rows: set[tuple]) -> set[str]:
    return {row[1] for row in rows}


def test_seeding_leaves_every_index_and_constraint_as_the_migrations_built_them():
    before = schema(*SEEDED)
    assert set(PERFORMANCE_INDEXES) <= names(before)
    assert {"ticket_title_trgm", "tickets_ticket_requester_id_2072a2f2_fk_auth_user_id"} <= names(before)

    seed_district(schools=2, tickets=80, seed=2)

    assert Ticket.objects.count() == 80 and SurveyInvitation.objects.exists() and DailyTicketStats.objects.exists()
    assert schema(*SEEDED) == before


def test_an_empty_table_loads_without_its_secondary_indexes_and_foreign_keys():
    before = schema(Ticket)
    with bulk_load(Ticket):
        during = names(schema(Ticket))
        assert not {"ticket_title_trgm", "ticket_description_trgm", "ticket_resolved_at", "ticket_requester"} & during
        assert not any("_fk_" in name for name in during)
        # The primary key stays, and partial indexes (few rows, and an exact rebuild is not guaranteed).
        assert {"tickets_ticket_pkey", "ticket_open_school_priority"} <= during
    assert schema(Ticket) == before


def test_a_table_with_rows_keeps_its_indexes_and_foreign_keys(teacher, category):
    factories.TicketFactory(requester=teacher, category=category)
    before = schema(Ticket)
    with bulk_load(Ticket):
        assert schema(Ticket) == before


def test_foreign_keys_are_still_checked_and_a_failed_load_puts_everything_back(teacher, category):
    ticket = factories.TicketFactory(requester=teacher, category=category)
    before = schema(Comment)
    with pytest.raises(IntegrityError), bulk_load(Comment):
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO tickets_comment (ticket_id, author_id, body, internal, created_at) "
                "VALUES (%s, %s, 'orphan', false, now())",
                [ticket.pk + 1000, teacher.pk],
            )
    assert schema(Comment) == before
    assert not Comment.objects.exists()
