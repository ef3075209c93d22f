"""Bulk loading with PostgreSQL COPY: rows are tuples for the columns named, and every
other concrete column gets its field default, so new model fields need no change here."""

import contextlib
import datetime as dt
import io
import json
import time
import uuid

from django.db import connection
from django.utils import timezone


def _text(value) -> str:
    """One value in COPY's text format. The common types are tested first, by exact
    type (a bool is not an int here): this runs tens of millions of times at 1M."""
    kind = type(value)
    if kind is str:
        return _escaped(value)
    if kind is int:
        return str(value)
    if value is None:
        return r"\N"
    if kind is bool:
        return "t" if value else "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return _escaped(json.dumps(value))
    if isinstance(value, dt.timedelta):
        return f"{value.total_seconds()} seconds"
    if isinstance(value, uuid.UUID):
        return str(value)
    return _escaped(str(value))


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n").replace("\r", " ")


class Copier:
    """COPY rows into one model's table in chunks."""

    def __init__(self, model, columns: list[str], chunk: int = 50_000):
        self.model, self.chunk = model, chunk
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.given = columns
        now = timezone.now()
        self.defaults = []
        for name, field in fields.items():
            if name in columns or (field.primary_key and name not in columns):
                continue
            if field.has_default():
                default = field.get_default()
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                default = now
            elif field.null:
                default = None
            else:
                default = ""
            self.defaults.append((field.column, _text(default)))
        self.columns = [fields[c].column for c in columns] + [c for c, _ in self.defaults]
        self.tail = "".join("\t" + v for _, v in self.defaults)
        self.buffer = io.StringIO()
        self.pending = 0
        self.count = 0

    def add(self, row: tuple) -> None:
        self.buffer.write("\t".join([_text(v) for v in row]) + self.tail + "\n")
        self.pending += 1
        if self.pending >= self.chunk:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        self.buffer.seek(0)
        table = self.model._meta.db_table
        columns = ", ".join(f'"{c}"' for c in self.columns)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f'COPY "{table}" ({columns}) FROM STDIN', self.buffer)
        self.count += self.pending
        self.buffer, self.pending = io.StringIO(), 0


def reset_sequence(model) -> None:
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk}'), "
            f'COALESCE((SELECT MAX("{pk}") FROM "{table}"), 1))'
        )


def next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT COALESCE(MAX("{model._meta.pk.column}"), 0) + 1 FROM "{model._meta.db_table}"'
        )
        return cursor.fetchone()[0]


@contextlib.contextmanager
def without_secondary_indexes(models, log=print):
    """Drop the tables' indexes that back no constraint, load, then build them again:
    one sort per index instead of an index insertion per row, which at 10,000,000
    referrals (several GB of indexes, far beyond shared_buffers) was most of the load.
    The indexes behind primary keys and unique constraints stay, so every row is still
    checked as it arrives. Inside the loading transaction: a failed load keeps them."""
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c
                WHERE c.conindid = format('%%I.%%I', i.schemaname, i.indexname)::regclass
              )
            ORDER BY i.indexname
            """,
            [tables],
        )
        dropped = cursor.fetchall()
        for name, _ in dropped:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    began = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for _, definition in dropped:
            cursor.execute(definition)
        cursor.execute("RESET maintenance_work_mem")
    log(f"  {len(dropped)} indexes built again ({time.monotonic() - began:.0f}s)")
