"""Schemathesis as a signed-in organiser and a signed-in juror, over every operation of the contract.

The fuzz test of `test_fuzz_api.py` checks each answer against the schema; this one measures how far signed-in
fuzzing gets. Every operation (sign-in and sign-out excluded: they change the sessions under test) gets a few
generated requests from each role, once as generated and once with its path pointing at the demo's real
edition, round, panel and candidate, so that it passes the lookups and reaches the services. Sign-in limits
are raised for the run (the fuzzing is one client address). Thresholds:

- no server error, whoever asks and whatever they send;
- fewer than a quarter of the operations answer only 401/403 to both roles: the rest are really exercised.

Sessions are checked before each operation and signed in again if the fuzzing lost them (an organiser's
generated request may revoke the juror's card; that is a finding of the rights, not of this test).
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import asyncpg
import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from litestar.testing import TestClient
from tests.security.conftest import EDITION, ORGANISER, Demo
from tests.security.test_fuzz_api import _readable_files, api_schema

from jury.app import create_app
from jury.auth.service import issue_codes
from jury.clock import system_clock
from jury.db.queries import Database, Queries
from jury.demo.loader import DEMO_PASSWORD
from jury.settings import Settings

pytestmark = pytest.mark.slow

EXAMPLES = 3  # generated requests per operation and role (each also sent with the demo's real ids)
RAISED_LIMITS = {
    "sign_in_attempts_per_minute": 100_000,
    "sign_in_failures_per_credential": 100_000,
    "sign_in_failures_per_session": 100_000,
    "applications_per_hour": 100_000,
}


@dataclass
class Findings:
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    server_errors: list[str] = field(default_factory=list)

    def record(self, operation: str, role: str, method: str, url: str, status: int) -> None:
        self.statuses[operation][status] += 1
        if status >= 500:
            self.server_errors.append(f"{role} {method} {url} → {status}")

    def only_refused(self) -> list[str]:
        return sorted(op for op, seen in self.statuses.items() if set(seen) <= {401, 403})


def _raised(demo_settings: Settings) -> Settings:
    fields = {name for name in msgspec.structs.fields(demo_settings) for name in [name.name]}
    return msgspec.structs.replace(
        demo_settings, **{name: value for name, value in RAISED_LIMITS.items() if name in fields}
    )


def _juror_code(settings: Settings, *, edition_id: int, person_id: int) -> str:
    async def issue() -> str:
        conn = await asyncpg.connect(settings.database_url)
        try:
            db = Database(conn, Queries(settings.queries_dir), clock=system_clock)
            [card] = await issue_codes(db, edition_id=edition_id, person_ids=[person_id])
            return card.code
        finally:
            await conn.close()

    return asyncio.run(issue())


class Sessions:
    """The two signed-in clients, signed in again whenever the fuzzing logged them out."""

    def __init__(self, settings: Settings, demo: Demo) -> None:
        self.settings, self.demo = settings, demo
        self.organiser = TestClient(app=create_app(settings), raise_server_exceptions=False)
        self.juror = TestClient(app=create_app(settings), raise_server_exceptions=False)
        self.sign_ins = Counter[str]()

    def __enter__(self) -> Sessions:
        self.organiser.__enter__()
        self.juror.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.juror.__exit__(*exc)
        self.organiser.__exit__(*exc)

    def clients(self) -> dict[str, TestClient]:
        if self.organiser.get(f"/api/editions/{EDITION}/jurors", follow_redirects=False).status_code != 200:
            response = self.organiser.post("/connexion", data={"email": ORGANISER, "password": DEMO_PASSWORD})
            assert response.status_code in (200, 303) and "incorrect" not in response.text
            self.sign_ins["organiser"] += 1
        if self.juror.get("/jure/", follow_redirects=False).status_code != 200:
            code = _juror_code(self.settings, edition_id=self.demo.edition_id, person_id=self.demo.juror_id)
            response = self.juror.post("/acces", data={"code": code}, follow_redirects=False)
            assert response.status_code == 303, response.text
            self.sign_ins["juror"] += 1
        return {"organiser": self.organiser, "juror": self.juror}


@pytest.fixture(scope="module")
def sessions(demo_settings: Settings, demo: Demo) -> Iterator[Sessions]:
    with Sessions(_raised(demo_settings), demo) as opened:
        yield opened


def _real_ids(demo: Demo) -> dict[str, object]:
    return {
        "slug": EDITION,
        "round_id": demo.round_id,
        "panel_id": demo.panel_id,
        "candidate_id": demo.candidate_id,
        "person_id": demo.juror_id,
    }


def _send(client: TestClient, case) -> int:
    kwargs = case.as_transport_kwargs(base_url=str(client.base_url))
    if kwargs.get("files"):
        kwargs["files"] = _readable_files(kwargs["files"])
    return client.request(**kwargs, follow_redirects=False).status_code


def _fuzzer(operation, *, sessions: Sessions, findings: Findings, real: dict[str, object]):
    """A few generated requests for one operation, from each role, as generated and at the real ids."""
    name = f"{operation.method.upper()} {operation.path}"

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case) -> None:
        for role, client in sessions.clients().items():
            findings.record(name, role, case.method, case.formatted_path, _send(client, case))
            if case.path_parameters:
                original = dict(case.path_parameters)
                case.path_parameters = {key: real.get(key, value) for key, value in original.items()}
                findings.record(name, role, case.method, case.formatted_path, _send(client, case))
                case.path_parameters = original

    return fuzz


def test_signed_in_fuzzing_reaches_the_services_without_a_server_error(
    sessions: Sessions, demo: Demo
) -> None:
    findings = Findings()
    real = _real_ids(demo)
    operations = [result.ok() for result in api_schema().get_all_operations()]
    for operation in operations:
        _fuzzer(operation, sessions=sessions, findings=findings, real=real)()

    refused = findings.only_refused()
    print(
        f"operations={len(operations)} requests={sum(sum(c.values()) for c in findings.statuses.values())} "
        f"server_errors={len(findings.server_errors)} only_401_403={len(refused)} sign_ins={dict(sessions.sign_ins)}"
    )
    assert findings.server_errors == []
    assert len(operations) > 150
    assert len(refused) < len(operations) / 4, refused
