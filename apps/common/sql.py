"""Helpers for the few reads written in plain SQL (apps/exposure/sql.py, apps/budget/selectors.py)."""

from decimal import Decimal

from django.db import connection


def sql_rows(sql: str, params: list | dict) -> list[dict]:
    """Run a parameterised query and return its rows as dicts keyed by column name."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [col[0] for col in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def as_decimal(value) -> Decimal | None:
    """Money summed in SQL: PostgreSQL returns a Decimal, SQLite a float or an int."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))
