"""Loading empty tables fast on PostgreSQL: set their secondary indexes and foreign keys aside, load, put them back.

At a million tickets, keeping some twenty ticket indexes (two of them trigram GIN)
up to date row by row, and checking each foreign key of each row one at a time when
the chunk commits, cost more than the COPY itself. Building an index once over the
loaded rows is one sort, and re-adding a foreign key checks every row in one join,
so nothing goes unchecked. This is the PostgreSQL manual's advice for populating a
database ("Remove indexes", "Remove foreign key constraints").

Indexes and constraints come back from their own catalog definitions
(`pg_get_indexdef`, `pg_get_constraintdef`) under the same names, so the schema
afterwards is exactly the one the migrations built. The drop, the load and the
rebuild are one transaction: a seed that fails or is interrupted rolls back to the
tables as they were. Until it commits, other sessions wait on these tables (and on
the tables their foreign keys point to); a seed replaces the whole district anyway.

Only empty tables are treated this way (a fresh database, or after `--flush`);
others load row by row as before. Primary-key, unique and partial indexes always stay.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, models, transaction

# Secondary indexes that no constraint owns. Unique ones stay, so a duplicate fails at once. Partial ones stay
# too: they hold few rows (open tickets), and PostgreSQL prints an `IN` list in their WHERE back in another
# (equivalent) form, so rebuilt from their definition they would no longer be exactly the migration's.
_INDEXES = """
    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
    FROM pg_index i
    WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND i.indpred IS NULL AND i.indisvalid AND i.indisready
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
    ORDER BY 1
"""
_FOREIGN_KEYS = """
    SELECT conname, pg_get_constraintdef(oid)
    FROM pg_constraint
    WHERE conrelid = %s::regclass AND contype = 'f'
    ORDER BY conname
"""


@contextmanager
def bulk_load(*targets: type[models.Model]) -> Iterator[None]:
    """Within the block, the empty tables among `targets` keep only their unique and partial indexes, no foreign keys.

    On PostgreSQL the block runs in one transaction whenever a table was set aside;
    elsewhere, or when every table already has rows, it changes nothing.
    """
    if connection.vendor != "postgresql":
        yield
        return
    empty = [model._meta.db_table for model in targets if not model._default_manager.exists()]
    if not empty:
        yield
        return
    with transaction.atomic():
        restore = _set_aside(empty)
        yield
        with connection.cursor() as cursor:
            for statement in restore:
                cursor.execute(statement)


def _set_aside(tables: list[str]) -> list[str]:
    """Drop the tables' secondary indexes and foreign keys; return the statements that recreate them."""
    quote = connection.ops.quote_name
    restore = []
    with connection.cursor() as cursor:
        # A table with deferred checks still pending cannot be altered (in tests, the district created a moment
        # earlier in the same transaction): run them now, then defer again as Django's constraints are.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in tables:
            cursor.execute(_INDEXES, [quote(table)])
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {name}")  # regclass text: already quoted
                restore.append(definition)
            cursor.execute(_FOREIGN_KEYS, [quote(table)])
            for name, definition in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                restore.append(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
    return restore
