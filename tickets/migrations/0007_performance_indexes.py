"""Indexes for the ticket lists at district and state scale (issue 8), PostgreSQL only.

Written as SQL rather than `Meta.indexes` because two of them are trigram indexes over
UPPER(...) expressions (what `icontains` compiles to) that SQLite, the demo database,
cannot build; the model state is unchanged, so `makemigrations --check` stays quiet.
Built CONCURRENTLY so deploying on a busy million-row table never blocks writes.

- ticket_title_trgm, ticket_description_trgm: `search` (title or description contains
  a word) uses a bitmap of the two instead of reading every ticket when the word is rare.
- ticket_open_school_priority: a school's open tickets in queue order (priority, then
  newest, then id), read straight off the index, the technician's first page.
- ticket_resolved_at: the metrics backlog (not resolved, or resolved after the range),
  so a summary over one school year need not read every ticket ever filed.
"""

from django.db import migrations

OPEN = "('new', 'assigned', 'in_progress', 'waiting')"
INDEXES = {
    "ticket_title_trgm": "USING gin (UPPER(title) gin_trgm_ops)",
    "ticket_description_trgm": "USING gin (UPPER(description) gin_trgm_ops)",
    "ticket_open_school_priority": (
        f"(school_id, priority_rank DESC, created_at DESC, id DESC) WHERE status IN {OPEN}"
    ),
    "ticket_resolved_at": "(resolved_at)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON tickets_ticket {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("tickets", "0006_attachments")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
