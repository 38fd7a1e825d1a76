from pathlib import Path

import pytest

from jury.db.queries import Queries, _compile
from jury.settings import PROJECT_ROOT


def test_named_parameters_become_positional_once_each():
    query = _compile("q", "select :a, :b::int, ':c', :a")
    assert query.sql == "select $1, $2::int, ':c', $1"
    assert query.params == ("a", "b")
    assert query.args({"a": 1, "b": 2}) == [1, 2]


def test_missing_and_unexpected_parameters_are_errors():
    query = _compile("q", "select :a")
    with pytest.raises(TypeError, match="missing"):
        query.args({})
    with pytest.raises(TypeError, match="unexpected"):
        query.args({"a": 1, "z": 2})


def test_duplicate_query_names_are_refused(tmp_path: Path):
    (tmp_path / "a.sql").write_text("-- name: same\nselect 1\n")
    (tmp_path / "b.sql").write_text("-- name: same\nselect 2\n")
    with pytest.raises(ValueError, match="defined twice"):
        Queries(tmp_path)


async def test_every_query_prepares_against_the_migrated_schema(db):
    queries = Queries(PROJECT_ROOT / "sql" / "queries")
    assert queries.names()
    for name in queries.names():
        await db.conn.prepare(queries[name].sql)


def test_every_query_is_used_by_the_code():
    source = "\n".join(p.read_text() for p in (PROJECT_ROOT / "src").rglob("*.py"))
    queries = Queries(PROJECT_ROOT / "sql" / "queries")
    unused = [name for name in queries.names() if f'"{name}"' not in source and f".{name}." not in source]
    assert unused == []


def same_text(queries: Queries) -> list[list[str]]:
    """Groups of named queries whose SQL is the same once spaces and case are folded."""
    groups: dict[str, list[str]] = {}
    for name in queries.names():
        groups.setdefault(" ".join(queries[name].sql.lower().split()), []).append(name)
    return [names for names in groups.values() if len(names) > 1]


def test_no_statement_is_written_twice_under_two_names(tmp_path: Path):
    assert same_text(Queries(PROJECT_ROOT / "sql" / "queries")) == []
    (tmp_path / "a.sql").write_text("-- name: one\nselect id from t where x = :x\n")
    (tmp_path / "b.sql").write_text("-- name: two\nSELECT id\n  FROM t WHERE x = :x\n")
    assert same_text(Queries(tmp_path)) == [["one", "two"]]
