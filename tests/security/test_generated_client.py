"""A typed client generated from the schema with openapi-python-client keeps every model, and type-checks.

Issue 19: two structs named `DesignSummary` (and two `JurorView`) made Litestar qualify both names, and the
generator dropped every model referring to them — `StandingView` and `Publication` among them — so a
generated client could not parse the standings. Here the client is generated from the schema the application
serves, and mypy checks a call to the standings against it (and refuses a wrong one, so it really checks).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from litestar.serialization import encode_json

from jury.app import create_app
from jury.settings import load_settings

pytestmark = pytest.mark.slow

GENERATOR = Path(sys.executable).with_name("openapi-python-client")

STANDINGS_CALL = """\
from client import Client
from client.api.classements import api_rounds_round_id_standings_current as current
from client.api.classements import api_rounds_round_id_standings_published_published as published
from client.models import Publication, StandingView


def standings(base_url: str) -> list[StandingView]:
    answer = current.sync(1, client=Client(base_url=base_url), panel=2)
    if isinstance(answer, list):
        return answer
    return []


def head(base_url: str) -> str | None:
    answer = published.sync(1, client=Client(base_url=base_url))
    if isinstance(answer, Publication) and isinstance(answer.audit_head, str):
        return answer.audit_head
    return None
"""

WRONG_CALL = """\
from client import Client
from client.api.classements import api_rounds_round_id_standings_current as current

current.sync("premier", client=Client(base_url="http://localhost"))
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("client")
    app = create_app(load_settings({}, database_url="postgresql://unused/unused"))
    (workdir / "openapi.json").write_bytes(encode_json(app.openapi_schema.to_schema()))
    result = subprocess.run(
        [str(GENERATOR), "generate", "--path", "openapi.json", "--meta", "none", "--output-path", "client"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Unable to process schema" not in result.stdout, result.stdout
    return workdir


def _mypy(workdir: Path, source: str) -> subprocess.CompletedProcess[str]:
    (workdir / "call.py").write_text(source)
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--warn-unreachable", "--no-incremental", "call.py"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_generated_client_keeps_the_standings_models(generated: Path) -> None:
    models = {path.stem for path in (generated / "client" / "models").glob("*.py")}
    assert {
        "standing_view",
        "publication",
        "design_summary",
        "plan_design",
        "juror_view",
        "plan_juror",
    } <= models
    view = (generated / "client" / "models" / "standing_view.py").read_text()
    assert "class StandingView" in view and "DesignSummary" in view


def test_a_standings_call_type_checks_against_the_generated_client(generated: Path) -> None:
    result = _mypy(generated, STANDINGS_CALL)
    assert result.returncode == 0, result.stdout


def test_a_wrong_standings_call_does_not(generated: Path) -> None:
    result = _mypy(generated, WRONG_CALL)
    assert result.returncode == 1 and 'Argument 1 to "sync" has incompatible type "str"' in result.stdout


def test_the_schema_the_client_is_generated_from_is_the_served_one(generated: Path) -> None:
    schema = json.loads((generated / "openapi.json").read_text())
    assert "/api/rounds/{round_id}/standings" in schema["paths"]
