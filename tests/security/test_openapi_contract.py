"""The OpenAPI contract covers every route the application serves, form posts included, with unique names.

Read from the schema the application serves (as /schema/openapi.json encodes it). A route left out of the
schema is invisible to the fuzzing and to any generated client, so leaving one out must fail here; so must a
form post that documents no form body, and two structs sharing a component name (Litestar then names them
after their modules, and openapi-python-client drops every model that refers to them).
"""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec
import pytest
from litestar import Litestar, post
from litestar.params import JSONBody
from litestar.routes import HTTPRoute
from litestar.serialization import encode_json

from jury.app import create_app
from jury.contests.edition_lifecycle import STATUSES
from jury.settings import load_settings
from jury.web.openapi_errors import document_error_responses
from jury.web.openapi_forms import form_body

# Served by Litestar itself (the schema and its viewers) or as files: not operations of the API.
NOT_OPERATIONS = ("/schema", "/static/")
# Every served route is documented: nothing may wait here.
PENDING: set[tuple[str, str]] = set()
# Routes that take the request for something other than a body.
NO_BODY = {("POST", "/deconnexion")}  # clears the session
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


@pytest.fixture(scope="module")
def jury_app() -> Litestar:
    return create_app(load_settings({}, database_url="postgresql://unused/unused"))


@pytest.fixture(scope="module")
def schema(jury_app: Litestar) -> dict[str, Any]:
    return json.loads(encode_json(jury_app.openapi_schema.to_schema()))


def _served_operations(app: Litestar):
    """(method, path as the schema spells it, handler) for every route the app answers, schema or not."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(NOT_OPERATIONS):
            continue
        for handler in route.route_handlers:
            for method in sorted(handler.http_methods - {"HEAD", "OPTIONS"}):
                yield method, route.path_format, handler


def test_every_served_route_is_in_the_contract(jury_app: Litestar, schema: dict[str, Any]) -> None:
    served = list(_served_operations(jury_app))
    missing = [
        f"{method} {path}"
        for method, path, _ in served
        if method.lower() not in schema["paths"].get(path, {}) and (method, path) not in PENDING
    ]
    assert missing == []
    assert len(served) > 150


def test_the_routes_once_left_out_are_in_the_contract(schema: dict[str, Any]) -> None:
    """Issue 19 found these outside the schema: diplomas, links, votes, ballots, decisions, qualification,
    the procès-verbal and the juror's forms."""
    expected = {
        ("post", "/organisation/editions/{slug}/diplomes/generer"),
        ("post", "/organisation/editions/{slug}/diplomes/{diploma_id}/revoquer"),
        ("post", "/organisation/editions/{slug}/diplomes/liens"),
        ("post", "/organisation/editions/{slug}/diplomes/liens/{link_id}/revoquer"),
        ("get", "/diplome/{token}/pdf"),
        ("get", "/verifier/{code}"),
        ("post", "/deliberation/scrutins/{ballot_id}/vote"),
        ("post", "/deliberation/scrutins/{ballot_id}/cloture"),
        ("get", "/organisation/rounds/{round_id}/qualification"),
        ("get", "/organisation/rounds/{round_id}/panels/{panel_id}/proces-verbal.pdf"),
        ("post", "/jure/feuilles/{round_id}/{candidate_id}"),
        ("post", "/jure/tours/{round_id}/conflits"),
    }
    assert {(m, p) for m, p in expected if m not in schema["paths"].get(p, {})} == set()


def test_every_form_post_documents_its_form_body(jury_app: Litestar, schema: dict[str, Any]) -> None:
    """A handler that takes the request on an unsafe method reads its form: the schema must say which."""
    undocumented = []
    for method, path, handler in _served_operations(jury_app):
        if method == "GET" or (method, path) in NO_BODY | PENDING:
            continue
        parameters = handler.parsed_fn_signature.parameters
        if "request" not in parameters or "data" in parameters:
            continue  # no request read, or a body Litestar decodes and documents itself
        operation = schema["paths"].get(path, {}).get(method.lower(), {})
        if not FORM_TYPES & set(operation.get("requestBody", {}).get("content", {})):
            undocumented.append(f"{method} {path}")
    assert undocumented == []


def _form_schema(schema: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    content = schema["paths"][path][method]["requestBody"]["content"]
    return content["application/x-www-form-urlencoded"]["schema"]


def test_form_bodies_are_as_strict_as_their_reading(schema: dict[str, Any]) -> None:
    revoke = _form_schema(schema, "post", "/organisation/editions/{slug}/diplomes/{diploma_id}/revoquer")
    assert revoke["required"] == ["reason"]
    assert revoke["properties"]["reason"] == {"type": "string", "minLength": 1, "pattern": r"\S"}
    links = _form_schema(schema, "post", "/organisation/editions/{slug}/diplomes/liens")
    assert links["properties"]["days"]["minimum"] == 1 and links["properties"]["days"]["maximum"] == 3650
    assert links["properties"]["diploma_id"]["type"] == "array"
    move = _form_schema(schema, "post", "/organisation/editions/{slug}/etat")
    assert sorted(move["properties"]["status"]["enum"]) == sorted(STATUSES)
    sheet = _form_schema(schema, "post", "/jure/feuilles/{round_id}/{candidate_id}")
    assert sheet["properties"]["action"]["enum"] == ["draft", "submit"]
    assert set(sheet["patternProperties"]) == {"^value-[0-9]+$", "^comment-[0-9]+$"}
    declarations = _form_schema(schema, "post", "/jure/tours/{round_id}/conflits")
    assert declarations["patternProperties"]["^choice-[0-9]+$"]["enum"] == ["none", "conflict"]


def test_form_posts_document_what_a_body_may_answer(schema: dict[str, Any]) -> None:
    """400 (unreadable body) and 413 (too large) come with any body, a read form's too."""
    responses = schema["paths"]["/jure/feuilles/{round_id}/{candidate_id}"]["post"]["responses"]
    assert {"303", "400", "401", "403", "404", "409", "413", "422"} <= set(responses)
    assert set(responses["422"]["content"]) == {"text/html"}  # the sheet again, with the refusals


def test_component_names_are_unique(schema: dict[str, Any]) -> None:
    """Litestar names two structs of the same name after their modules (`results_models_JurorView`)."""
    qualified = [name for name in schema["components"]["schemas"] if re.match(r"^[a-z]+_", name)]
    assert qualified == []


def test_two_structs_of_one_name_are_caught() -> None:
    """The rule above on a small app: two `Summary` structs make module-qualified names."""
    first = msgspec.defstruct("Summary", [("a", int)], module="one.models")
    second = msgspec.defstruct("Summary", [("b", str)], module="two.models")

    def one(data):  # annotations set below: the structs are local values
        return None

    def two(data):
        return None

    one.__annotations__ = {"data": JSONBody[first], "return": None}
    two.__annotations__ = {"data": JSONBody[second], "return": None}
    one, two = post("/one", sync_to_thread=False)(one), post("/two", sync_to_thread=False)(two)
    app = Litestar(route_handlers=[one, two])
    names = set(app.openapi_schema.to_schema()["components"]["schemas"])
    assert names == {"one_models_Summary", "two_models_Summary"}


class _Form(msgspec.Struct):
    name: str
    count: int | None = None


@post(
    "/things/form", opt=form_body(_Form, dynamic={"^extra-[0-9]+$": {"type": "string"}}), sync_to_thread=False
)
def _read_form_itself() -> None:
    return None


def test_a_form_read_by_the_handler_is_documented_as_a_form() -> None:
    app = Litestar(route_handlers=[_read_form_itself])
    document_error_responses(app)
    operation = json.loads(encode_json(app.openapi_schema.to_schema()))["paths"]["/things/form"]["post"]
    body = operation["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    assert body == {
        "type": "object",
        "properties": {"name": {"type": "string"}, "count": {"type": "integer"}},  # never null in a form
        "required": ["name"],
        "patternProperties": {"^extra-[0-9]+$": {"type": "string"}},
    }
    assert {"400", "413"} <= set(operation["responses"])
