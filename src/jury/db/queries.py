"""Named SQL queries loaded from `sql/queries/*.sql`, in the aiosql file format.

A block starts with `-- name: verb_noun`; the comment lines after it document the query. Parameters are
written `:snake_case` and rewritten to asyncpg's `$n` once, at load time, so no SQL text lives in Python.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import asyncpg
import msgspec

from jury.clock import Clock

_NAME = re.compile(r"^--\s*name:\s*([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)
# :name but not ::cast, and not inside single-quoted strings (handled by splitting on quotes).
_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


class Query(msgspec.Struct, frozen=True):
    name: str
    sql: str
    params: tuple[str, ...]

    def args(self, values: Mapping[str, Any]) -> list[Any]:
        unknown = set(values) - set(self.params)
        if unknown:
            raise TypeError(f"query {self.name}: unexpected parameters {sorted(unknown)}")
        missing = [p for p in self.params if p not in values]
        if missing:
            raise TypeError(f"query {self.name}: missing parameters {missing}")
        return [values[p] for p in self.params]


def _compile(name: str, text: str) -> Query:
    params: list[str] = []

    def number(match: re.Match[str]) -> str:
        param = match.group(1)
        if param not in params:
            params.append(param)
        return f"${params.index(param) + 1}"

    # Documentation lines go first: an apostrophe in a French comment must not look like a string literal.
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    parts = text.split("'")
    for i in range(0, len(parts), 2):  # even parts are outside string literals
        parts[i] = _PARAM.sub(number, parts[i])
    return Query(name=name, sql="'".join(parts).strip(), params=tuple(params))


class Queries:
    """All named queries of the project; `queries.name` or `queries["name"]`."""

    def __init__(self, directory: Path) -> None:
        self._by_name: dict[str, Query] = {}
        for path in sorted(directory.glob("*.sql")):
            text = path.read_text(encoding="utf-8")
            matches = list(_NAME.finditer(text))
            for i, match in enumerate(matches):
                end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
                name = match.group(1)
                if name in self._by_name:
                    raise ValueError(f"query {name} defined twice ({path.name})")
                self._by_name[name] = _compile(name, text[match.end() : end])

    def __getitem__(self, name: str) -> Query:
        return self._by_name[name]

    def __getattr__(self, name: str) -> Query:
        try:
            return self._by_name[name]
        except KeyError:
            raise AttributeError(name) from None

    def names(self) -> list[str]:
        return sorted(self._by_name)


class Database:
    """A connection, the named queries and the clock: what every service function receives.

    Services stay free of SQL text and of pool handling; the web layer opens one transaction per request.
    The clock is the caller's: a query that names `:now` gets `clock()` unless the service passes its own,
    so SQL never reads the server's time behind the caller's back.

    `audit_key` is the secret of the audit chain's HMACs (`jury.db.audit_key`), chosen by the entry point
    like the clock. Without it (a bare connection in a test or a tool) events get the public hash
    of the old scheme, which `jury audit verify` refuses after the migration that introduced the key.

    `after_commit` (the web layer's per-request transactions give a list; None elsewhere): work a service
    leaves for right after the transaction commits, run by the web layer before the answer is sent. The
    audit trail uses it to record events without the chain's lock and seal them just after the commit
    (`jury.audit.service`), so concurrent requests do not wait for each other's commits. `pool` is where
    `conn` came from (web requests): that work runs once `conn` is back in it, and acquires a connection
    only where it needs one.
    """

    def __init__(
        self,
        conn: asyncpg.Connection,
        queries: Queries,
        *,
        clock: Clock,
        audit_key: bytes | None = None,
        after_commit: list[Callable[[Database], Awaitable[Any]]] | None = None,
        pool: asyncpg.Pool | None = None,
    ) -> None:
        self.conn = conn
        self.q = queries
        self.clock = clock
        self.audit_key = audit_key
        self.after_commit = after_commit
        self.pool = pool

    def now(self) -> dt.datetime:
        return self.clock()

    def _args(self, query: Query, params: dict[str, Any]) -> list[Any]:
        if "now" in query.params and "now" not in params:
            params["now"] = self.clock()
        return query.args(params)

    async def fetch(self, name: str, **params: Any) -> list[asyncpg.Record]:
        query = self.q[name]
        return await self.conn.fetch(query.sql, *self._args(query, params))

    async def fetchrow(self, name: str, **params: Any) -> asyncpg.Record | None:
        query = self.q[name]
        return await self.conn.fetchrow(query.sql, *self._args(query, params))

    async def fetchval(self, name: str, **params: Any) -> Any:
        query = self.q[name]
        return await self.conn.fetchval(query.sql, *self._args(query, params))

    async def execute(self, name: str, **params: Any) -> str:
        query = self.q[name]
        return await self.conn.execute(query.sql, *self._args(query, params))

    async def executemany(self, name: str, rows: list[Mapping[str, Any]]) -> None:
        query = self.q[name]
        await self.conn.executemany(query.sql, [self._args(query, dict(r)) for r in rows])

    def transaction(self):
        return self.conn.transaction()


async def fetch_as(db: Database, name: str, *, row_type: type, **params: Any) -> list[Any]:
    """The named query's rows converted to `row_type` (a msgspec Struct), validated on the way."""
    return [msgspec.convert(dict(row), row_type) for row in await db.fetch(name, **params)]
