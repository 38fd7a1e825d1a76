"""Request bodies are documented as strictly as they are checked, and a body its type refuses is a 422.

Issue 19 found operations whose schema was looser than their validation (`RoundCreate.kind: str` where the
service takes six values; lengths, bounds, lists of values only in the service): the fuzzing and any client
generated from the contract never knew them. The request types now carry those single-value rules (msgspec
`Meta` bounds and lengths, `Literal` lists), the services keep the rules that need the database or the whole
body. This module checks both halves:

- the contract: each listed operation's schema still shows its constraints, each list of values equals the
  list the service checks against, and every operation taking a typed body documents its 422;
- the answers, through HTTP and PostgreSQL: an unknown value, an out-of-range number or a blank name gets a
  422 in the services' error shape (`status_code`, `detail`, `errors`), naming the field in French (listing
  the accepted values), with nothing written; a body that cannot be read at all stays a 400.
"""

from __future__ import annotations

import json
from typing import Any, get_args

import asyncpg
import pytest
from litestar.serialization import encode_json
from tests.security.conftest import EDITION, ORGANISER, Demo, organiser_client

from jury.app import create_app
from jury.contests.contest_setup import CANDIDATE_KINDS
from jury.contests.edition_lifecycle import STATUSES
from jury.contests.grid_rules import PRIZE_KINDS, REQUIRED_FIELD_CHOICES
from jury.results.method_names import MethodName
from jury.results.normalise import METHODS
from jury.rounds.quota import MAX_QUOTA, SCOPES
from jury.rounds.setup import KINDS, MAX_ROUNDS
from jury.settings import load_settings

ROUNDS = "/api/editions/{slug}/rounds"
ROUND = "/api/rounds/{round_id}"
EDITION_API = "/api/editions/{slug}"

# (method, path, property path in the request body, what its schema must say). A path step "[]" is a list's
# items; "|" picks the variant of a union that has the property (a body taking a list or an object).
CONSTRAINED: list[tuple[str, str, str, dict[str, Any]]] = [
    ("post", ROUNDS, "kind", {"enum": list(KINDS)}),
    ("post", ROUNDS, "name", {"minLength": 1, "maxLength": 200, "pattern": r"\S"}),
    ("post", ROUNDS, "position", {"minimum": 1, "maximum": MAX_ROUNDS}),
    ("post", ROUNDS, "advance_count", {"minimum": 0, "maximum": MAX_QUOTA}),
    ("post", ROUNDS, "wildcards", {"minimum": 0, "maximum": MAX_QUOTA}),
    ("post", ROUNDS, "quota_scope", {"enum": list(SCOPES)}),
    ("post", ROUNDS, "method", {"enum": list(METHODS)}),
    ("patch", ROUND, "advance_count", {"minimum": 0, "maximum": MAX_QUOTA}),
    ("patch", ROUND, "quota_scope", {"enum": list(SCOPES)}),
    ("patch", ROUND, "method", {"enum": list(METHODS)}),
    ("post", ROUND + "/panels", "name", {"minLength": 1, "maxLength": 200}),
    ("post", ROUND + "/panels", "venue", {"maxLength": 300}),
    ("put", ROUND + "/standings/method", "method", {"enum": list(METHODS)}),
    ("post", EDITION_API + "/status", "status", {"enum": list(STATUSES)}),
    ("post", "/api/contests", "candidate_kind", {"enum": list(CANDIDATE_KINDS)}),
    ("post", "/api/contests", "slug", {"minLength": 1, "maxLength": 60}),
    ("post", "/api/contests/{contest}/editions", "year", {"minimum": 2000, "maximum": 2100}),
    ("post", "/api/contests/{contest}/editions", "retention_months", {"minimum": 1, "maximum": 120}),
    ("patch", EDITION_API, "budget_eur", {"minimum": 0}),
    ("patch", EDITION_API, "max_company_age_years", {"minimum": 1, "maximum": 100}),
    ("patch", EDITION_API, "theme", {"maxLength": 500}),
    ("put", EDITION_API + "/prizes", "|prizes.[].kind", {"enum": list(PRIZE_KINDS)}),
    ("put", EDITION_API + "/prizes", "|prizes.[].place", {"minimum": 1, "maximum": 3}),
    ("put", EDITION_API + "/prizes", "|prizes.[].amount_eur", {"minimum": 0, "maximum": 100_000_000}),
    ("put", EDITION_API + "/prizes", "|prizes.[].max_winners", {"minimum": 1, "maximum": 1000}),
    ("put", EDITION_API + "/categories/{code}/criteria", "|criteria", {"minItems": 1}),
    ("put", EDITION_API + "/categories/{code}/criteria", "|criteria.[].weight", {"exclusiveMinimum": 0}),
    ("put", EDITION_API + "/eligibility", "required_fields.[]", {"enum": list(REQUIRED_FIELD_CHOICES)}),
    ("put", EDITION_API + "/eligibility", "max_request_eur", {"minimum": 0}),
    ("put", EDITION_API + "/eligibility", "max_company_age_years", {"minimum": 1, "maximum": 200}),
    # Constraints already there before issue 19, kept.
    ("put", "/api/jure/feuilles/{round_id}/{candidate_id}", "version", {"minimum": 0}),
    ("put", "/api/jure/feuilles/{round_id}/{candidate_id}", "status", {"enum": ["draft", "submitted"]}),
    ("post", "/api/rounds/{round_id}/ballots", "candidate_ids", {"minItems": 2}),
    ("post", "/api/rounds/{round_id}/status", "to", {"enum": ["open", "deliberation", "closed"]}),
]


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    app = create_app(load_settings({}, database_url="postgresql://unused/unused"))
    return json.loads(encode_json(app.openapi_schema.to_schema()))


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _variants(schema: dict[str, Any], node: dict[str, Any]) -> list[dict[str, Any]]:
    node = _resolve(schema, node)
    options = node.get("oneOf") or node.get("anyOf")
    return [v for option in options for v in _variants(schema, option)] if options else [node]


def _property(schema: dict[str, Any], method: str, path: str, where: str) -> dict[str, Any]:
    body = schema["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    node = _resolve(schema, body)
    for step in where.lstrip("|").split("."):
        candidates = _variants(schema, node) if where.startswith("|") or step == "[]" else [node]
        if step == "[]":
            node = _resolve(schema, next(c for c in candidates if "items" in c)["items"])
        else:
            node = next(c for c in candidates if step in c.get("properties", {}))["properties"][step]
    return node


def _says(node: dict[str, Any], key: str) -> Any:
    """A constraint of a property, whether Litestar put it on the property or on its non-null variant."""
    if key in node:
        return node[key]
    return next((v[key] for v in node.get("oneOf", []) if key in v), None)


@pytest.mark.parametrize(("method", "path", "where", "expected"), CONSTRAINED, ids=lambda v: str(v))
def test_listed_operations_keep_their_constraints_in_the_contract(
    schema: dict[str, Any], method: str, path: str, where: str, expected: dict[str, Any]
) -> None:
    node = _property(schema, method, path, where)
    shown = {key: _says(node, key) for key in expected}
    if "enum" in expected:
        shown["enum"] = sorted(shown["enum"] or [])
        expected = {**expected, "enum": sorted(expected["enum"])}
    assert shown == expected


def test_the_method_type_lists_the_engines_methods() -> None:
    assert get_args(MethodName) == METHODS


def test_every_operation_taking_a_typed_body_documents_its_422(schema: dict[str, Any]) -> None:
    missing = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content and "422" not in operation["responses"]:
                missing.append(f"{method.upper()} {path}")
            elif "422" in operation["responses"] and "application/json" in content:
                refused = operation["responses"]["422"]
                assert "application/json" in refused["content"], f"{method.upper()} {path}"
    assert missing == []


# --- The answers, through HTTP and PostgreSQL ------------------------------------------------------------


async def _events(demo: Demo) -> int:
    conn = await asyncpg.connect(demo.settings.database_url)
    try:
        return await conn.fetchval("select count(*) from audit_events")
    finally:
        await conn.close()


def _refusals(demo: Demo) -> list[tuple[str, str, Any, str, str]]:
    """(method, path, body, field named, message) for bodies the types refuse."""
    rnd = f"/api/rounds/{demo.round_id}"
    return [
        (
            "POST",
            f"/api/editions/{EDITION}/rounds",
            {"kind": "quart", "name": "Quarts de finale"},
            "kind",
            "Valeur non reconnue : 'quart' ; valeurs admises : committee, eligibility, final, preselection, "
            "semi_final, tasting.",
        ),
        (
            "POST",
            f"/api/editions/{EDITION}/rounds",
            {"kind": "final", "name": "Finale bis", "advance_count": -1},
            "advance_count",
            "La valeur doit être supérieure ou égale à 0.",
        ),
        (
            "PATCH",
            rnd,
            {"wildcards": MAX_QUOTA + 1},
            "wildcards",
            "La valeur doit être inférieure ou égale à 10000.",
        ),
        ("POST", f"{rnd}/panels", {"name": "   "}, "name", "Texte obligatoire : il ne peut pas être vide."),
        (
            "PUT",
            f"{rnd}/standings/method",
            {"method": "magique"},
            "method",
            "Valeur non reconnue : 'magique' ; valeurs admises : "
            "additive, affine, affine-huber, median, raw, trimmed, zscore.",
        ),
        (
            "POST",
            f"/api/editions/{EDITION}/status",
            {"status": "current"},
            "status",
            "Valeur non reconnue : 'current' ; valeurs admises : "
            "applications, archived, decided, judging, preparing.",
        ),
        (
            "PATCH",
            f"/api/editions/{EDITION}",
            {"retention_months": 0},
            "retention_months",
            "La valeur doit être supérieure ou égale à 1.",
        ),
        (
            "PUT",
            f"/api/editions/{EDITION}/prizes",
            {"prizes": [{"code": "or", "name": "Prix d'or", "kind": "gold"}]},
            "prizes[0].kind",
            "Valeur non reconnue : 'gold' ; valeurs admises : "
            "category, cohort, label, laureate, podium, special, territorial.",
        ),
        (
            "PUT",
            f"/api/editions/{EDITION}/prizes",
            [{"code": "bronze", "name": "Bronze", "kind": "podium", "place": 4}],
            "[0].place",
            "La valeur doit être inférieure ou égale à 3.",
        ),
    ]


async def test_bodies_their_types_refuse_get_a_422_naming_the_field_and_write_nothing(demo: Demo) -> None:
    before = await _events(demo)
    client = await organiser_client(demo.settings, ORGANISER)
    try:
        for method, path, body, field, message in _refusals(demo):
            response = await client.request(method, path, json=body)
            assert response.status_code == 422, (method, path, response.text)
            assert response.json() == {
                "status_code": 422,
                "detail": "Données invalides.",
                "errors": [{"field": field, "message": message}],
            }, (method, path)
    finally:
        await client.__aexit__(None, None, None)
    assert await _events(demo) == before


async def test_every_field_the_type_refuses_is_named_at_once(demo: Demo) -> None:
    """msgspec stops at the first refusal; the answer walks the body and names each one."""
    client = await organiser_client(demo.settings, ORGANISER)
    try:
        response = await client.post(
            f"/api/editions/{EDITION}/rounds",
            json={"kind": "demi", "name": " ", "wildcards": -1, "couleur": "bleu"},
        )
    finally:
        await client.__aexit__(None, None, None)
    assert response.status_code == 422
    assert [(e["field"], e["message"][:26]) for e in response.json()["errors"]] == [
        ("kind", "Valeur non reconnue : 'dem"),
        ("name", "Texte obligatoire : il ne "),
        ("wildcards", "La valeur doit être supéri"),
        ("couleur", "Champ inconnu."),
    ]


async def test_a_page_form_its_type_refuses_is_a_french_422_page(demo: Demo) -> None:
    client = await organiser_client(demo.settings, ORGANISER)
    try:
        response = await client.post(
            f"/organisation/rounds/{demo.round_id}/classement/methode",
            data={"method": "magique"},
            headers={"accept": "text/html"},
        )
    finally:
        await client.__aexit__(None, None, None)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "Valeur non reconnue : &#39;magique&#39; ; valeurs admises : additive, affine" in response.text


async def test_an_unreadable_body_stays_a_400(demo: Demo) -> None:
    client = await organiser_client(demo.settings, ORGANISER)
    try:
        response = await client.post(
            f"/api/editions/{EDITION}/rounds",
            content=b'{"kind": "final",',
            headers={"content-type": "application/json"},
        )
    finally:
        await client.__aexit__(None, None, None)
    assert response.status_code == 400
    assert response.json()["detail"] == "Corps de requête illisible : rien n'a été enregistré."
