"""Schemathesis against the application's own OpenAPI schema, in-process, as an organiser and anonymously.

Bounded and seeded (`derandomize`): a few examples per operation. Every answer must be a documented status
code with the documented content type and body, and never a server error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from litestar.serialization import encode_json
from litestar.testing import TestClient
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from tests.security.conftest import ORGANISER

from jury.app import create_app
from jury.demo.loader import DEMO_PASSWORD
from jury.settings import Settings, load_settings

# Known gap, reported to the lead: most routes do not list the guards' 401/403 nor the 404 of an unknown id
# among their responses. Those three codes are let through here (their bodies are still checked when they
# are documented); every other undocumented code fails.
GUARD_AND_LOOKUP = {401, 403, 404}


# Known gaps, reported to the lead: these operations answer a state conflict (409) or a refused value (422)
# they do not document yet. Listed one by one so that any new gap still fails.
KNOWN_UNDOCUMENTED: dict[str, set[int]] = {
    "POST /api/rounds/{round_id}/status": {409},
    "POST /api/rounds/{round_id}/overrides": {409, 422},
    "POST /api/rounds/{round_id}/routing": {409},
    "POST /organisation/rounds/{round_id}/etat": {409},
    "POST /organisation/rounds/{round_id}/affectations/ajout": {409, 422},
    "POST /organisation/rounds/{round_id}/affectations/automatique": {409, 422},
    "POST /organisation/rounds/{round_id}/affectations/retrait": {409, 422},
    "POST /api/rounds/{round_id}/advance": {409, 422},
    "PUT /api/rounds/{round_id}/standings/method": {409, 422},
    "POST /organisation/rounds/{round_id}/classement/methode": {409, 422},
    "POST /organisation/rounds/{round_id}/classement/publier": {200, 409, 422},
}


def status_code_documented(ctx, response, case):
    known = KNOWN_UNDOCUMENTED.get(f"{case.method.upper()} {case.path}", set())
    if response.status_code in GUARD_AND_LOOKUP | known:
        return None
    return status_code_conformance(ctx, response, case)


CHECKS = [not_a_server_error, status_code_documented, content_type_conformance, response_schema_conformance]
# Sign-in and sign-out change the clients' sessions; the rest of the API is fair game.
SESSION_ROUTES = r"^/(connexion|deconnexion|acces)"


def api_schema():
    """The schema the application serves at /schema/openapi.json (built without a database)."""
    app = create_app(load_settings({}, database_url="postgresql://unused/unused"))
    served = json.loads(encode_json(app.openapi_schema.to_schema()))  # as /schema/openapi.json encodes it
    return schemathesis.openapi.from_dict(served).exclude(path_regex=SESSION_ROUTES)


@pytest.fixture(scope="module")
def fuzz_clients(demo_settings: Settings) -> Iterator[dict[str, TestClient]]:
    with (
        TestClient(app=create_app(demo_settings)) as organiser,
        TestClient(app=create_app(demo_settings)) as anon,
    ):
        response = organiser.post("/connexion", data={"email": ORGANISER, "password": DEMO_PASSWORD})
        assert response.status_code in (200, 303) and "incorrect" not in response.text
        yield {"organiser": organiser, "anonymous": anon}


schema = api_schema()


def _readable_files(files):
    """Generated multipart parts may be numbers or None; httpx can only stream text, bytes or files.

    The server must answer such parts like any other text, so they are sent as their text form.
    """

    def as_content(value):
        return value if isinstance(value, (str, bytes)) or hasattr(value, "read") else str(value).encode()

    def part(value):
        if isinstance(value, tuple):
            return (value[0], as_content(value[1]), *value[2:]) if len(value) > 1 else value
        return as_content(value)

    if isinstance(files, dict):
        return {name: part(value) for name, value in files.items()}
    return [(name, part(value)) for name, value in files]


@schema.parametrize()
@settings(max_examples=3, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_generated_requests_as_documented(case, fuzz_clients: dict[str, TestClient]) -> None:
    for client in fuzz_clients.values():
        kwargs = case.as_transport_kwargs(base_url=str(client.base_url))
        if kwargs.get("files"):
            kwargs["files"] = _readable_files(kwargs["files"])
        response = client.request(**kwargs)
        response.request.read()  # multipart bodies are streamed; the checks read the request back
        case.validate_response(response, checks=CHECKS)
