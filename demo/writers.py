"""Fast row writers for the demo: COPY on PostgreSQL, bulk_create elsewhere.

Both take plain tuples in a declared column order, so the generator never builds
model instances for a million tickets. Neither calls `save()` or sends signals.
"""

import io
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection, models

BATCH_SIZE = 5000


def _escape(text: str) -> str:
    # COPY's text format: backslash escapes, tab separates, newline ends a row.
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return _escape(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return _escape(json.dumps(value))
    return str(value)


def _column(field: models.Field) -> str:
    """The table column of a concrete field (only fields without one, like relations' reverse sides, lack it)."""
    if field.column is None:
        raise RuntimeError(f"{field} has no column")
    return field.column


def _encoder(field: models.Field) -> Callable[[Any], str]:
    """A per-column encoder: the common types skip the generic dispatch."""
    if isinstance(field, (models.AutoField, models.IntegerField, models.ForeignKey)):
        return lambda v: "\\N" if v is None else str(v)
    if isinstance(field, models.DateTimeField):
        return lambda v: "\\N" if v is None else v.isoformat()
    return _copy_value


class Writer:
    """Inserts rows of one model given as tuples in `columns` (attnames) order.

    `encode` turns rows into a batch and `load` writes it: a seed's worker processes encode,
    the process holding the database connection loads. `write` is both at once.
    """

    def reserve_block(self, model: type[models.Model], count: int) -> int:
        """The first of `count` consecutive ids, none of which anyone else will be given."""
        raise NotImplementedError

    def encode(self, model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> Any:
        raise NotImplementedError

    def after_explicit_ids(self, model: type[models.Model]) -> None:
        """Rows were given ids of their own choosing (not reserved): the next id goes past them."""

    def load(self, batch: Any) -> None:
        raise NotImplementedError

    def write(self, model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> None:
        self.load(self.encode(model, columns, rows))


class OrmWriter(Writer):
    """bulk_create in batches: every backend, fine for demo sizes (SQLite)."""

    def __init__(self) -> None:
        self._next: dict[type[models.Model], int] = {}

    def reserve_block(self, model: type[models.Model], count: int) -> int:
        if model not in self._next:
            self._next[model] = (model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0) + 1
        start = self._next[model]
        self._next[model] = start + count
        return start

    def encode(self, model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> Any:
        return model, columns, rows

    def load(self, batch: Any) -> None:
        model, columns, rows = batch
        model._default_manager.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=BATCH_SIZE
        )


class PostgresCopyWriter(Writer):
    """COPY FROM STDIN through psycopg2: an order of magnitude faster than INSERT for millions of rows.
    A batch is the COPY statement and its text, so a worker process can build it without a connection."""

    def reserve_block(self, model: type[models.Model], count: int) -> int:
        # The sequence moved past the whole block in one statement (a seed owns its tables).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), nextval(pg_get_serial_sequence(%s, %s)) + %s - 1)",
                [model._meta.db_table, model._meta.pk.column] * 2 + [count],
            )
            return int(cursor.fetchone()[0]) - count + 1

    def encode(self, model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> Any:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        encoders = [_encoder(fields[name]) for name in columns]
        # Columns the generator does not know (added later by another app) get their model default.
        extra = [f for f in model._meta.concrete_fields if f.attname not in columns and not f.primary_key]
        for f in extra:
            if not f.has_default() and not f.null:
                raise RuntimeError(f"seed_demo does not know how to fill {model.__name__}.{f.attname}")
        extra_cells = [_copy_value(f.get_default()) for f in extra]
        names = [_column(fields[name]) for name in columns] + [_column(f) for f in extra]
        tail = ("\t" + "\t".join(extra_cells)) if extra_cells else ""
        buffer = io.StringIO()
        write = buffer.write
        for row in rows:
            write("\t".join([encode(value) for encode, value in zip(encoders, row, strict=True)]) + tail + "\n")
        table = connection.ops.quote_name(model._meta.db_table)
        column_list = ", ".join(connection.ops.quote_name(name) for name in names)
        return f"COPY {table} ({column_list}) FROM STDIN", buffer.getvalue()

    def after_explicit_ids(self, model: type[models.Model]) -> None:
        table, pk = model._meta.db_table, _column(model._meta.pk)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), coalesce(max({connection.ops.quote_name(pk)}), 0) + 1, false)"
                f" FROM {connection.ops.quote_name(table)}",  # noqa: S608 - the model's own table and column
                [table, pk],
            )

    def load(self, batch: Any) -> None:
        statement, text = batch
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(statement, io.StringIO(text))


def writer_for_connection() -> Writer:
    return PostgresCopyWriter() if connection.vendor == "postgresql" else OrmWriter()
