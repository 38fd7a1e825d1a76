"""The layer contract, checked: web → services → domain, services → db, and no cycle between folders.

Each module of `src/jury` falls in one layer, by where it sits and what it imports:

- **web**: `app`, `asgi`, the `jury.web` package and every `web.py` / `*_web.py`;
- **entry**: the processes' entry points (`cli`, `__main__`, `worker`, `runtime`, `backup.cli`) and the demo
  loader;
- **db**: the `jury.db` package (pool, named queries, migrations, the session store);
- **infrastructure**: adapters to the world other than the database (settings, logging, the clock,
  PDF rendering, file storage, e-mail, the job queue), listed in `INFRASTRUCTURE`;
- **service**: any other module that imports `jury.db`: it owns SQL and the audit event of each change;
- **domain**: everything else: pure rules, tested with plain values.

The rules: a domain module imports no web framework, driver, renderer or file-system module, and no
service, web, db or entry module; a service imports no web module; SQL runs only in services, db and
entry modules; the folders of `jury` form no import cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from fnmatch import fnmatch

from jury.settings import PROJECT_ROOT

SOURCE = PROJECT_ROOT / "src" / "jury"

WEB_PATTERNS = ("app", "asgi", "web", "web.*", "*.web", "*_web", "*.web.*", "access.guards")
ENTRY_PATTERNS = ("cli", "__main__", "worker", "runtime", "demo", "demo.*", "backup.cli")
DB_PATTERNS = ("db.*",)
INFRASTRUCTURE = (
    "settings",
    "log",
    "clock",
    "cli_options",
    "templates_digest",
    "spreadsheet",
    "pdf.*",
    "jobs.queue",
    "diplomas.render",
    "diplomas.printing",
    "diplomas.storage",
    "diplomas.mail",
    "deliberation.minutes.render",
)
"""Adapters to files, processes, SMTP and the environment: neither pure nor database services."""

IMPURE_IMPORTS = (
    "litestar",
    "asyncpg",
    "pgqueuer",
    "jinja2",
    "weasyprint",
    "os",
    "pathlib",
    "shutil",
    "subprocess",
    "socket",
    "tempfile",
    "smtplib",
    "aiosmtplib",
    "uvicorn",
    "structlog",
)
"""What a domain module must not import: frameworks, drivers, renderers, the file system, processes."""

SQL_METHODS = {"fetch", "fetchrow", "fetchval", "execute", "executemany", "copy_records_to_table"}
SQL_RECEIVERS = {"db", "conn", "connection", "database"}


def module_name(path) -> str:
    parts = list(path.relative_to(SOURCE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) or "__init__"


def read_tree() -> dict[str, str]:
    return {module_name(p): p.read_text(encoding="utf-8") for p in sorted(SOURCE.rglob("*.py"))}


PURE_PATH_NAMES = {"PurePath", "PurePosixPath", "PureWindowsPath"}
"""`pathlib`'s pure paths only compute on names (a file's extension): no file system behind them."""


def imports_of(source: str) -> list[tuple[str, int]]:
    """Modules imported, with their line: `from x import y` gives `x.y` (y may be a module or a symbol)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def impure(name: str) -> bool:
    top, _, rest = name.partition(".")
    return top in IMPURE_IMPORTS and not (top == "pathlib" and rest in PURE_PATH_NAMES)


def internal(name: str) -> str | None:
    return name.removeprefix("jury.") if name.startswith("jury.") else None


def matches(module: str, patterns) -> bool:
    return any(fnmatch(module, p) for p in patterns)


def layers(tree: Mapping[str, str]) -> dict[str, str]:
    result = {}
    for module, source in tree.items():
        if matches(module, WEB_PATTERNS):
            result[module] = "web"
        elif matches(module, ENTRY_PATTERNS):
            result[module] = "entry"
        elif matches(module, DB_PATTERNS) or module == "db":
            result[module] = "db"
        elif matches(module, INFRASTRUCTURE):
            result[module] = "infrastructure"
        elif any((internal(n) or "").split(".")[0] == "db" for n, _ in imports_of(source)):
            result[module] = "service"
        else:
            result[module] = "domain"
    return result


def resolve(name: str, tree: Mapping[str, str]) -> str | None:
    """The module of `tree` an import names (`from jury.x import y` may name module x.y or symbol y)."""
    inner = internal(name)
    while inner:
        if inner in tree:
            return inner
        inner = inner.rpartition(".")[0]
    return None


def violations(tree: Mapping[str, str]) -> list[str]:
    layer = layers(tree)
    found = []
    for module, source in tree.items():
        own = layer[module]
        for name, line in imports_of(source):
            target = resolve(name, tree)
            if own == "domain":
                if impure(name):
                    found.append(f"{module}:{line} domain imports {name.split('.')[0]}")
                elif target and layer[target] in ("web", "service", "db", "entry", "infrastructure"):
                    found.append(f"{module}:{line} domain imports the {layer[target]} module {target}")
            if own in ("service", "db", "infrastructure", "domain") and target and layer[target] == "web":
                found.append(f"{module}:{line} {own} imports the web module {target}")
            if own == "db" and target and layer[target] not in ("db", "infrastructure"):
                found.append(f"{module}:{line} db imports the {layer[target]} module {target}")
        if own in ("web", "domain", "infrastructure"):
            for node in ast.walk(ast.parse(source)):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in SQL_METHODS
                    and _receiver(node.func.value) in SQL_RECEIVERS
                ):
                    found.append(f"{module}:{node.lineno} {own} runs SQL ({node.func.attr})")
    return sorted(set(found)) + folder_cycles(tree)


def _receiver(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def folder_cycles(tree: Mapping[str, str]) -> list[str]:
    """Cycles between the top-level folders (and modules) of `jury`, each named once by its path."""
    graph: dict[str, set[str]] = {}
    for module, source in tree.items():
        folder = module.split(".")[0]
        for name, _ in imports_of(source):
            target = resolve(name, tree)
            if target and target.split(".")[0] != folder:
                graph.setdefault(folder, set()).add(target.split(".")[0])
    cycles = set()
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    cycle = path[path.index(min(path)) :] + path[: path.index(min(path))]
                    cycles.add(" → ".join([*cycle, cycle[0]]))
                elif nxt not in path:
                    stack.append((nxt, [*path, nxt]))
    return [f"folder cycle {c}" for c in sorted(cycles)]


# --- The tree as it is -----------------------------------------------------------------------------------


def test_the_tree_honours_the_layer_contract():
    assert violations(read_tree()) == []


def test_every_module_falls_in_a_layer_and_the_domain_is_not_empty():
    counts: dict[str, int] = {}
    for kind in layers(read_tree()).values():
        counts[kind] = counts.get(kind, 0) + 1
    assert set(counts) == {"web", "entry", "db", "infrastructure", "service", "domain"}
    assert counts["domain"] >= 20, counts


def test_the_pure_rules_the_issue_names_are_in_the_domain():
    layer = layers(read_tree())
    for module in (
        "contests.territory",
        "contests.eligibility",
        "results.affine",
        "french.numbers",
        "labels",
    ):
        assert layer[module] == "domain", module


# --- The contract catches what it forbids ----------------------------------------------------------------

CLEAN = {
    "app": "from jury.results import web\n",
    "results.web": "from jury.results import service\nasync def h(db):\n    return await service.page(db)\n",
    "results.service": "from jury.db.queries import Database\nfrom jury.results import ranking\n"
    "async def page(db):\n    return ranking.rank(await db.fetch('q'))\n",
    "results.ranking": "import math\ndef rank(rows):\n    return sorted(rows)\n",
    "db.queries": "import asyncpg\n",
}


def with_change(module: str, source: str) -> dict[str, str]:
    return {**CLEAN, module: source}


def test_a_clean_tree_passes():
    assert violations(CLEAN) == []


def test_a_domain_module_importing_the_driver_fails():
    tree = with_change("results.ranking", "import asyncpg\ndef rank(rows):\n    return rows\n")
    assert violations(tree) == ["results.ranking:1 domain imports asyncpg"]


def test_a_domain_module_importing_the_file_system_fails():
    tree = with_change("results.ranking", "from pathlib import Path\n")
    assert violations(tree) == ["results.ranking:1 domain imports pathlib"]
    assert violations(with_change("results.ranking", "from pathlib import PurePath\n")) == []


def test_a_service_importing_the_web_layer_fails():
    tree = with_change("results.service", CLEAN["results.service"] + "from jury.results.web import h\n")
    assert violations(tree) == ["results.service:5 service imports the web module results.web"]


def test_sql_in_a_web_handler_fails():
    tree = with_change("results.web", "async def h(db):\n    return await db.fetch('standing_round')\n")
    assert violations(tree) == ["results.web:2 web runs SQL (fetch)"]


def test_a_cycle_between_folders_fails():
    tree = {
        **CLEAN,
        "rounds.service": "from jury.db.queries import Database\nfrom jury.deliberation import service\n",
        "deliberation.service": "from jury.db.queries import Database\nfrom jury.results import service\n",
        "results.service": CLEAN["results.service"] + "from jury.rounds import service as rounds\n",
    }
    assert violations(tree) == ["folder cycle deliberation → results → rounds → deliberation"]
