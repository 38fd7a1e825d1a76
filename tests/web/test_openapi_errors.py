"""The schema documents the refusals that do not come from the handler: guards, unknown ids, validation, size.

Read from the application's own schema (as /schema/openapi.json serves it), so that a new route inherits the
rules and cannot go undocumented; a small app checks the rules themselves.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import msgspec
import pytest
from litestar import Litestar, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody
from litestar.routes import HTTPRoute
from litestar.serialization import encode_json

from jury.access.guards import requires_organiser, requires_sign_in
from jury.app import create_app
from jury.settings import load_settings
from jury.web.errors import answers_html_for
from jury.web.openapi_errors import (
    BODY_REFUSED,
    NOTHING_TO_LOOK_UP,
    document_error_responses,
    error_responses,
)

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _schema(app: Litestar) -> dict[str, Any]:
    return json.loads(encode_json(app.openapi_schema.to_schema()))


@pytest.fixture(scope="module")
def jury_app() -> Litestar:
    return create_app(load_settings({}, database_url="postgresql://unused/unused"))


@pytest.fixture(scope="module")
def schema(jury_app: Litestar) -> dict[str, Any]:
    return _schema(jury_app)


def _operations(app: Litestar):
    """(route, handler, method, path in the schema) for every operation the schema shows."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            for method in handler.http_methods:
                yield route, handler, method, route.path_format


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _assert_error_body(schema: dict[str, Any], response: dict[str, Any], *, where: str) -> None:
    """A JSON error answer has at least the common code and French message."""
    body = _resolve(schema, response["content"]["application/json"]["schema"])
    assert body.get("type") == "object", where
    assert {"status_code", "detail"} <= set(body.get("required", [])), where
    assert body["properties"]["status_code"]["type"] == "integer", where
    assert body["properties"]["detail"]["type"] == "string", where


def test_the_schema_has_operations(jury_app: Litestar) -> None:
    assert len(list(_operations(jury_app))) > 50


def test_every_guarded_operation_documents_401_and_403(jury_app: Litestar, schema: dict[str, Any]) -> None:
    for _, handler, method, path in _operations(jury_app):
        if not handler.resolve_guards():
            continue
        responses = schema["paths"][path][method.lower()]["responses"]
        for status in ("401", "403"):
            assert status in responses, f"{method} {path} does not document {status}"
            _assert_error_body(schema, responses[status], where=f"{method} {path} {status}")


def test_unguarded_operations_do_not_document_401(jury_app: Litestar, schema: dict[str, Any]) -> None:
    for _, handler, method, path in _operations(jury_app):
        if not handler.resolve_guards():
            assert "401" not in schema["paths"][path][method.lower()]["responses"], f"{method} {path}"


def test_every_unsafe_operation_documents_the_cross_origin_refusal(
    jury_app: Litestar, schema: dict[str, Any]
) -> None:
    for _, _, method, path in _operations(jury_app):
        if method in UNSAFE:
            responses = schema["paths"][path][method.lower()]["responses"]
            assert "403" in responses, f"{method} {path}"
            _assert_error_body(schema, responses["403"], where=f"{method} {path} 403")


def test_every_operation_with_a_path_parameter_documents_404(
    jury_app: Litestar, schema: dict[str, Any]
) -> None:
    looked_up = 0
    for route, handler, method, path in _operations(jury_app):
        responses = schema["paths"][path][method.lower()]["responses"]
        if route.path_parameters and not handler.opt.get(NOTHING_TO_LOOK_UP):
            looked_up += 1
            assert "404" in responses, f"{method} {path} does not document 404"
            _assert_error_body(schema, responses["404"], where=f"{method} {path} 404")
        elif not route.path_parameters:
            assert "404" not in responses, f"{method} {path} has nothing to look up"
    assert looked_up > 40


def test_a_sign_in_code_in_the_path_is_refused_not_missing(schema: dict[str, Any]) -> None:
    responses = schema["paths"]["/acces/{code}"]["get"]["responses"]
    assert "404" not in responses
    assert set(responses["422"]["content"]) == {"text/html"}  # the form again, with the reason
    assert "303" in responses and "200" not in responses


def test_operations_with_a_body_document_400_and_413(jury_app: Litestar, schema: dict[str, Any]) -> None:
    for _, _, method, path in _operations(jury_app):
        operation = schema["paths"][path][method.lower()]
        if "requestBody" in operation:
            for status in ("400", "413"):
                assert status in operation["responses"], f"{method} {path} does not document {status}"
                _assert_error_body(schema, operation["responses"][status], where=f"{method} {path} {status}")
        else:
            assert "413" not in operation["responses"], f"{method} {path} takes no body"


def test_validation_errors_are_documented_with_our_body_not_litestars(schema: dict[str, Any]) -> None:
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            bad = operation["responses"].get("400")
            if bad is not None:
                body = _resolve(schema, bad["content"]["application/json"]["schema"])
                assert "extra" not in body["properties"], f"{method.upper()} {path}"
                assert "errors" in body["properties"], f"{method.upper()} {path}"


def test_the_common_error_body(schema: dict[str, Any]) -> None:
    body = schema["components"]["schemas"]["ErrorBody"]
    assert set(body["properties"]) == {"status_code", "detail", "errors"}
    field_error = _resolve(schema, body["properties"]["errors"]["items"])
    assert {"field", "message"} <= set(field_error["required"])


def test_every_error_answer_documents_a_body(schema: dict[str, Any]) -> None:
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    where = f"{method.upper()} {path} {status}"
                    assert response.get("content"), where
                    if "application/json" in response["content"]:
                        _assert_error_body(schema, response, where=where)


def test_pages_document_their_html_errors_and_the_api_only_json(schema: dict[str, Any]) -> None:
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                if int(status) < 400:
                    continue
                where = f"{method.upper()} {path} {status}"
                if answers_html_for(path):
                    assert "text/html" in response["content"], where
                else:
                    assert set(response["content"]) == {"application/json"}, where


def test_redirects_have_no_body(schema: dict[str, Any]) -> None:
    redirects = 0
    for item in schema["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                if 300 <= int(status) < 400:
                    redirects += 1
                    assert not response.get("content")
    assert redirects > 5


def test_service_refusals_are_declared_where_the_service_raises_them(schema: dict[str, Any]) -> None:
    """A sample of routes whose service refuses a state (409) or a value (422): the rules cannot know these."""
    expected = {
        ("post", "/api/rounds/{round_id}/status"): {"409", "422"},
        ("post", "/api/rounds/{round_id}/overrides"): {"422"},
        ("post", "/api/rounds/{round_id}/routing"): {"409", "422"},
        ("post", "/api/rounds/{round_id}/advance"): {"409", "422"},
        ("put", "/api/rounds/{round_id}/standings/method"): {"409", "422"},
        ("post", "/organisation/rounds/{round_id}/classement/publier"): {"409", "422"},
        ("post", "/organisation/rounds/{round_id}/affectations/ajout"): {"409", "422"},
    }
    for (method, path), statuses in expected.items():
        assert statuses <= set(schema["paths"][path][method]["responses"]), f"{method.upper()} {path}"


# --- The rules, on an app of their own -------------------------------------------------------------------


class Thing(msgspec.Struct):
    name: str


@get("/things/{thing_id:int}", guards=[requires_organiser], sync_to_thread=False)
def read_thing(thing_id: int) -> Thing:
    return Thing(name=str(thing_id))


@get("/things", sync_to_thread=False)
def list_things() -> list[Thing]:
    return []


@post(
    "/api/things",
    guards=[requires_sign_in],
    responses=error_responses({409: "Déjà là.", 403: "Réservé au propriétaire."}),
    sync_to_thread=False,
)
def add_thing(data: JSONBody[Thing]) -> Thing:
    return data


@pytest.fixture(scope="module")
def small_schema() -> dict[str, Any]:
    app = Litestar(route_handlers=[read_thing, list_things, add_thing])
    document_error_responses(app)
    return _schema(app)


def _statuses(schema: dict[str, Any], path: str, method: str) -> set[str]:
    return set(schema["paths"][path][method]["responses"])


def test_rules_on_a_guarded_page_with_an_id(small_schema: dict[str, Any]) -> None:
    responses = small_schema["paths"]["/things/{thing_id}"]["get"]["responses"]
    assert set(responses) == {"200", "400", "401", "403", "404"}
    assert set(responses["404"]["content"]) == {"application/json", "text/html"}


def test_rules_on_an_open_page_without_parameters(small_schema: dict[str, Any]) -> None:
    assert _statuses(small_schema, "/things", "get") == {"200"}


def test_rules_on_an_api_post_with_a_body_and_its_own_refusals(small_schema: dict[str, Any]) -> None:
    responses = small_schema["paths"]["/api/things"]["post"]["responses"]
    assert set(responses) == {"201", "400", "401", "403", "409", "413", "422"}
    assert responses["422"]["description"] == BODY_REFUSED  # a body its type refuses
    assert responses["403"]["description"] == "Réservé au propriétaire."  # the route's own words win
    assert all(set(responses[s]["content"]) == {"application/json"} for s in ("400", "401", "403", "409"))


@post(
    "/things/form",
    responses=error_responses({422: "Le formulaire, avec ses refus."}, page=True),
    status_code=303,
    sync_to_thread=False,
)
def submit_thing(data: Annotated[Thing, Body(media_type=RequestEncodingType.URL_ENCODED)]) -> None:
    return None


def test_a_page_form_documents_its_refusals_and_its_types_as_one_422() -> None:
    """The page's own refusal is the page (HTML); a body its type refuses is the error page, JSON to clients
    that do not ask for HTML: the one 422 says both, and documenting again does not say it twice."""
    for _ in range(2):
        app = Litestar(route_handlers=[submit_thing])
        document_error_responses(app)
        refused = _schema(app)["paths"]["/things/form"]["post"]["responses"]["422"]
        assert (
            refused["description"]
            == f"Le formulaire, avec ses refus. Ou : {BODY_REFUSED[0].lower()}{BODY_REFUSED[1:]}"
        )
        assert set(refused["content"]) == {"application/json", "text/html"}


def test_documenting_twice_changes_nothing() -> None:
    """Standalone handlers are shared by every app built in a process: documenting must be idempotent."""
    first = Litestar(route_handlers=[read_thing, list_things, add_thing])
    document_error_responses(first)
    second = Litestar(route_handlers=[read_thing, list_things, add_thing])
    document_error_responses(second)
    assert _schema(first) == _schema(second)
