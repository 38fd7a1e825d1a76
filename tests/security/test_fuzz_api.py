"""Schemathesis against the application's own OpenAPI schema, in-process, as an organiser and anonymously.

Bounded and seeded (`derandomize`): a few examples per operation. Every answer must be a documented status
code with the documented content type and body, and never a server error. No status is let through: the
schema documents what each route can answer (`jury.web.openapi_errors` derives the guards', lookups' and
validation's refusals; routes declare their services' 409/422). Redirects are not followed: the 303 of a
form is its answer, and the page it leads to belongs to another operation.
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

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
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
        _send_and_check(client, case)


def _send_and_check(client: TestClient, case):
    kwargs = case.as_transport_kwargs(base_url=str(client.base_url))
    if kwargs.get("files"):
        kwargs["files"] = _readable_files(kwargs["files"])
    # A redirect is the answer under test: following it would check the next page against this operation.
    response = client.request(**kwargs, follow_redirects=False)
    response.request.read()  # multipart bodies are streamed; the checks read the request back
    case.validate_response(response, checks=CHECKS)
    return response


# Answers that a few generated examples seldom provoke, checked against the same schema and checks.


def test_an_oversized_body_is_a_documented_413(fuzz_clients: dict[str, TestClient], demo_settings: Settings):
    reason = "x" * (demo_settings.max_upload_bytes + 1)
    case = schema["/api/rounds/{round_id}/status"]["POST"].Case(
        path_parameters={"round_id": 1}, body={"to": "open", "reason": reason}
    )
    assert _send_and_check(fuzz_clients["organiser"], case).status_code == 413


def test_a_cross_origin_form_is_a_documented_403(fuzz_clients: dict[str, TestClient]) -> None:
    case = schema["/organisation/rounds/{round_id}/classement/publier"]["POST"].Case(
        path_parameters={"round_id": 1}, headers={"Origin": "https://ailleurs.example"}
    )
    response = _send_and_check(fuzz_clients["organiser"], case)
    assert response.status_code == 403 and response.headers["content-type"].startswith("application/json")


def test_a_browser_gets_documented_error_pages(fuzz_clients: dict[str, TestClient]) -> None:
    anonymous = schema["/organisation/editions/{slug}"]["GET"].Case(
        path_parameters={"slug": "made-in-92-2025"}, headers={"Accept": "text/html"}
    )
    assert (
        _send_and_check(fuzz_clients["anonymous"], anonymous).headers["content-type"].startswith("text/html")
    )
    unknown = schema["/organisation/rounds/{round_id}/classement"]["GET"].Case(
        path_parameters={"round_id": 2_000_000}, headers={"Accept": "text/html"}
    )
    response = _send_and_check(fuzz_clients["organiser"], unknown)
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
