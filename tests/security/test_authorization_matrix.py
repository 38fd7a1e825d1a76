"""Issue 7: every route of the application, asked by every kind of visitor, answers as ROUTE_POLICY says.

Routes come from the application's own route table, so a new route without a line in ROUTE_POLICY fails
`test_every_route_has_a_policy`. Refusals must not carry the edition's names or e-mails.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient
from tests.security.conftest import (
    EDITION,
    ORGANISER,
    OTHER_ORGANISER,
    Demo,
    anonymous_client,
    juror_client,
    organiser_client,
)

from jury.app import create_app
from jury.settings import load_settings

# Audiences: "public" (anyone), "link" (anyone holding a secret token or code), "organisers" (any organiser,
# who sees only their own contests there), "signed-in" (anyone signed in, who sees only their own panels),
# "organiser" (organisers of the edition's contest), "juror" (a juror signed in on a tablet of the edition,
# on their own sheets), "panel" (organisers of the contest and members of the panel), "chair" (organisers of
# the contest and the panel's chair), "panel-after-deliberation" (organisers; members once the round is in
# deliberation; the matrix uses an open round, so only organisers).
ROUTE_POLICY: dict[str, str] = {
    "GET /": "public",
    "GET /healthz": "public",
    "GET /api/contests": "public",
    "GET /api/editions/{slug}": "public",
    "GET /api/editions/{slug}/rounds": "public",
    "POST /api/editions/{slug}/rounds": "organiser",
    "PATCH /api/rounds/{round_id}": "organiser",
    "DELETE /api/rounds/{round_id}": "organiser",
    "POST /api/rounds/{round_id}/panels": "organiser",
    "GET /api/editions/{slug}/grid": "organiser",
    "PUT /api/editions/{slug}/categories/{code}/criteria": "organiser",
    "PUT /api/editions/{slug}/prizes": "organiser",
    "PUT /api/editions/{slug}/eligibility": "organiser",
    "GET /organisation/editions/{slug}/tours": "organiser",
    "POST /organisation/editions/{slug}/tours": "organiser",
    "POST /organisation/rounds/{round_id}/reglage": "organiser",
    "POST /organisation/rounds/{round_id}/suppression": "organiser",
    "POST /organisation/rounds/{round_id}/jurys": "organiser",
    "GET /organisation/editions/{slug}/grille": "organiser",
    "POST /organisation/editions/{slug}/grille/criteres": "organiser",
    "POST /organisation/editions/{slug}/grille/prix": "organiser",
    "POST /organisation/editions/{slug}/grille/eligibilite": "organiser",
    "GET /api/editions/{slug}/candidates": "organiser",
    "GET /api/editions/{slug}/jurors": "organiser",
    "GET /organisation": "organisers",
    "GET /organisation/editions/{slug}": "organiser",
    "GET /organisation/editions/{slug}/candidats": "organiser",
    "GET /organisation/editions/{slug}/jures": "organiser",
    "POST /api/editions/{slug}/candidates": "organiser",
    "GET /api/candidates/{candidate_id}": "organiser",
    "PATCH /api/candidates/{candidate_id}": "organiser",
    "POST /api/candidates/{candidate_id}/withdrawal": "organiser",
    "POST /api/candidates/{candidate_id}/eligibility-override": "organiser",
    "GET /organisation/editions/{slug}/candidats/nouveau": "organiser",
    "POST /organisation/editions/{slug}/candidats/nouveau": "organiser",
    "GET /organisation/candidats/{candidate_id}": "organiser",
    "POST /organisation/candidats/{candidate_id}": "organiser",
    "POST /organisation/candidats/{candidate_id}/retrait": "organiser",
    "POST /organisation/candidats/{candidate_id}/derogation": "organiser",
    "POST /api/editions/{slug}/imports/{kind}": "organiser",
    "GET /organisation/editions/{slug}/import": "organiser",
    "POST /organisation/editions/{slug}/import": "organiser",
    "GET /organisation/editions/{slug}/import/modele/{kind}": "organiser",
    "GET /connexion": "public",
    "POST /connexion": "public",
    "POST /deconnexion": "public",
    "POST /langue": "public",
    "GET /acces": "public",
    "POST /acces": "public",
    "GET /acces/{code}": "link",
    "GET /organisation/editions/{slug}/cartes": "organiser",
    "POST /organisation/editions/{slug}/cartes": "organiser",
    "POST /api/rounds/{round_id}/status": "organiser",
    "GET /organisation/rounds/{round_id}/etat": "chair",
    "POST /api/decisions/{decision_id}/undo": "chair",
    "POST /organisation/editions/{slug}/decisions/{decision_id}/annuler": "organiser",
    "GET /deliberation/corrections": "juror",
    "POST /deliberation/corrections/{decision_id}": "juror",
    "POST /api/rounds/{round_id}/corrections": "chair",
    "POST /api/rounds/{round_id}/eligibility": "organiser",
    "POST /organisation/rounds/{round_id}/etat": "organiser",
    "POST /api/rounds/{round_id}/overrides": "organiser",
    "POST /api/rounds/{round_id}/routing": "organiser",
    "GET /api/rounds/{round_id}/entries": "organiser",
    "POST /api/rounds/{round_id}/entries/panels": "organiser",
    "POST /api/panels/{panel_id}/members": "organiser",
    "DELETE /api/panels/{panel_id}/members/{person_id}": "organiser",
    "GET /organisation/rounds/{round_id}/entrants": "organiser",
    "POST /organisation/rounds/{round_id}/entrants": "organiser",
    "GET /api/rounds/{round_id}/assignments": "organiser",
    "POST /api/rounds/{round_id}/assignments": "organiser",
    "POST /api/rounds/{round_id}/assignments/preview": "organiser",
    "POST /api/rounds/{round_id}/assignments/pairs": "organiser",
    "DELETE /api/rounds/{round_id}/assignments/pairs": "organiser",
    "GET /organisation/editions/{slug}/affectations": "organiser",
    "GET /organisation/rounds/{round_id}/affectations": "organiser",
    "POST /organisation/rounds/{round_id}/affectations/ajout": "organiser",
    "POST /organisation/rounds/{round_id}/affectations/automatique": "organiser",
    "POST /organisation/rounds/{round_id}/affectations/retrait": "organiser",
    "GET /organisation/audit": "organisers",
    "GET /organisation/audit.csv": "organisers",
    "GET /api/rounds/{round_id}/notes": "panel",
    "POST /api/rounds/{round_id}/notes": "panel",
    "POST /api/rounds/{round_id}/advance": "organiser",
    "GET /api/rounds/{round_id}/ballots": "panel",
    "POST /api/rounds/{round_id}/ballots": "panel",
    "GET /api/ballots/{ballot_id}": "panel",
    "POST /api/ballots/{ballot_id}/votes": "panel",
    "POST /api/ballots/{ballot_id}/close": "panel",
    "POST /api/ballots/{ballot_id}/casting-vote": "panel",
    "GET /deliberation": "signed-in",
    "GET /deliberation/{panel_id}": "panel",
    "POST /deliberation/{panel_id}/notes": "panel",
    "POST /deliberation/{panel_id}/scrutins": "panel",
    "POST /deliberation/scrutins/{ballot_id}/vote": "panel",
    "POST /deliberation/scrutins/{ballot_id}/cloture": "panel",
    "POST /deliberation/scrutins/{ballot_id}/voix-preponderante": "panel",
    "GET /api/editions/{slug}/decisions": "organiser",
    "GET /api/editions/{slug}/awards": "organiser",
    "POST /api/editions/{slug}/awards": "organiser",
    "GET /api/editions/{slug}/grants/proposal": "organiser",
    "POST /api/editions/{slug}/grants": "organiser",
    "GET /organisation/editions/{slug}/decisions": "organiser",
    "POST /organisation/editions/{slug}/decisions/qualifies": "organiser",
    "POST /organisation/editions/{slug}/decisions/prix": "organiser",
    "GET /organisation/editions/{slug}/subventions": "organiser",
    "POST /organisation/editions/{slug}/subventions": "organiser",
    "GET /api/rounds/{round_id}/advancement": "organiser",
    "GET /organisation/rounds/{round_id}/qualification": "organiser",
    "GET /organisation/rounds/{round_id}/panels/{panel_id}/proces-verbal.pdf": "chair",
    "GET /api/rounds/{round_id}/standings": "panel-after-deliberation",
    "PUT /api/rounds/{round_id}/standings/method": "organiser",
    "POST /api/rounds/{round_id}/standings/publish": "organiser",
    "GET /api/rounds/{round_id}/standings/published": "panel-after-deliberation",
    "GET /api/rounds/{round_id}/standings/published/verification": "organiser",
    "GET /organisation/rounds/{round_id}/classement": "organiser",
    "GET /organisation/rounds/{round_id}/classement.csv": "organiser",
    "GET /organisation/rounds/{round_id}/classement.xlsx": "organiser",
    "POST /organisation/rounds/{round_id}/classement/methode": "organiser",
    "POST /organisation/rounds/{round_id}/classement/publier": "organiser",
    "GET /api/jure/feuilles": "juror",
    "GET /api/jure/feuilles/{round_id}/{candidate_id}": "juror",
    "PUT /api/jure/feuilles/{round_id}/{candidate_id}": "juror",
    "GET /api/jure/tours/{round_id}/conflits": "juror",
    "PUT /api/jure/tours/{round_id}/conflits": "juror",
    "GET /jure": "juror",
    "GET /jure/sw.js": "juror",
    "GET /jure/feuilles/{round_id}/{candidate_id}": "juror",
    "POST /jure/feuilles/{round_id}/{candidate_id}": "juror",
    "GET /jure/tours/{round_id}/conflits": "juror",
    "POST /jure/tours/{round_id}/conflits": "juror",
    "GET /api/rounds/{round_id}/progress": "organiser",
    "GET /organisation/rounds/{round_id}/suivi": "organiser",
    "GET /organisation/rounds/{round_id}/suivi.csv": "organiser",
    "GET /organisation/rounds/{round_id}/suivi/tableau": "organiser",
    "GET /api/editions/{slug}/conflicts": "organiser",
    "GET /organisation/editions/{slug}/conflits": "organiser",
    "GET /organisation/editions/{slug}/conflits.csv": "organiser",
    "GET /organisation/editions/{slug}/diplomes": "organiser",
    "GET /organisation/editions/{slug}/diplomes/progression": "organiser",
    "POST /organisation/editions/{slug}/diplomes/generer": "organiser",
    "POST /organisation/editions/{slug}/diplomes/liens": "organiser",
    "POST /organisation/editions/{slug}/diplomes/envoyer": "organiser",
    "GET /organisation/editions/{slug}/diplomes/{diploma_id}/pdf": "organiser",
    "POST /organisation/editions/{slug}/diplomes/{diploma_id}/revoquer": "organiser",
    "POST /organisation/editions/{slug}/diplomes/liens/{link_id}/revoquer": "organiser",
    "GET /verifier": "public",
    "GET /verifier/{code}": "link",
    "GET /diplome/{token}": "link",
    "GET /diplome/{token}/pdf": "link",
    "POST /api/contests": "admin",
    "POST /api/contests/{contest}/organisers": "admin",
    "POST /api/contests/{contest}/editions": "organiser",
    "PATCH /api/editions/{slug}": "organiser",
    "POST /api/editions/{slug}/status": "organiser",
    "PUT /api/editions/{slug}/signatories": "organiser",
    "GET /organisation/concours/nouveau": "admin",
    "POST /organisation/concours/nouveau": "admin",
    "POST /organisation/concours/{contest}/organisateurs": "admin",
    "POST /organisation/concours/{contest}/editions": "organiser",
    "GET /organisation/editions/{slug}/parametres": "organiser",
    "POST /organisation/editions/{slug}/parametres": "organiser",
    "POST /organisation/editions/{slug}/etat": "organiser",
    "GET /candidater/{slug}": "public",
    "POST /candidater/{slug}": "public",
    "POST /candidater/{slug}/verification": "public",
    "GET /candidature/{token}": "link",
    "POST /candidature/{token}": "link",
    "GET /api/editions/{slug}/applications": "organiser",
    "GET /api/applications/{application_id}": "organiser",
    "POST /api/applications/{application_id}/acceptance": "organiser",
    "POST /api/applications/{application_id}/refusal": "organiser",
    "GET /organisation/editions/{slug}/candidatures": "organiser",
    "GET /organisation/candidatures/{application_id}": "organiser",
    "POST /organisation/candidatures/{application_id}/acceptation": "organiser",
    "POST /organisation/candidatures/{application_id}/refus": "organiser",
    "GET /organisation/candidatures/{application_id}/documents/{document_id}": "organiser",
    "POST /api/editions/{slug}/invitations": "organiser",
    "POST /api/rounds/{round_id}/reminders": "organiser",
    "GET /api/editions/{slug}/messages": "organiser",
    "GET /organisation/editions/{slug}/invitations": "organiser",
    "POST /organisation/editions/{slug}/invitations": "organiser",
    "POST /organisation/rounds/{round_id}/rappels": "organiser",
}

# Who may pass, per audience. Everyone else is refused.
ALLOWED: dict[str, set[str]] = {
    "public": {"anonymous", "juror", "chair", "organiser", "other-organiser"},
    "link": {"anonymous", "juror", "chair", "organiser", "other-organiser"},
    "organiser": {"organiser"},
    "juror": {"juror", "chair"},
    "organisers": {"organiser", "other-organiser"},
    "signed-in": {"juror", "chair", "organiser", "other-organiser"},
    "panel": {"organiser", "juror", "chair"},
    "chair": {"organiser", "chair"},
    "panel-after-deliberation": {"organiser"},
    # Département administrators only (creating contests, naming organisers): no role of the matrix is one.
    "admin": set(),
}
# Audiences whose pages are shared by everyone allowed: what they show must still be the visitor's own.
SHARED = {"organisers", "signed-in"}
# Refusals of a write may come from body validation, before the service looks at who asks: nothing is
# written and nothing is shown either way. The guards' own refusals (401) always come first.
WRITE_REFUSALS = {400, 403, 404, 422}
ROLES = ("anonymous", "juror", "chair", "organiser", "other-organiser")
SKIPPED_PREFIXES = ("/static", "/schema")
# Routes whose side effect would spoil the module's shared sessions (sign-in and sign-out change the session).
NOT_REQUESTED = {"POST /deconnexion", "POST /connexion", "POST /acces", "GET /acces/{code}"}


def application_routes() -> list[str]:
    app = create_app(load_settings({}, database_url="postgresql://unused/unused"))
    found = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(SKIPPED_PREFIXES):
            continue
        template = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
        for handler in route.route_handlers:
            for method in handler.http_methods - {"OPTIONS", "HEAD"}:
                found.add(f"{method} {template}")
    return sorted(found)


ROUTES = application_routes()


def test_every_route_has_a_policy() -> None:
    missing = [r for r in ROUTES if r not in ROUTE_POLICY]
    stale = [r for r in ROUTE_POLICY if r not in ROUTES]
    assert not missing, f"routes without an authorization policy: {missing}"
    assert not stale, f"policies for routes that no longer exist: {stale}"


@pytest.fixture(scope="module")
async def clients(demo: Demo) -> AsyncIterator[dict[str, AsyncTestClient]]:
    s = demo.settings
    made = {
        "anonymous": await anonymous_client(s),
        "juror": await juror_client(s, edition_id=demo.edition_id, person_id=demo.juror_id),
        "chair": await juror_client(s, edition_id=demo.edition_id, person_id=demo.chair_id),
        "organiser": await organiser_client(s, ORGANISER),
        "other-organiser": await organiser_client(s, OTHER_ORGANISER),
    }
    yield made
    for client in made.values():
        await client.__aexit__(None, None, None)


def concrete(template: str, demo: Demo) -> str:
    values = {
        "slug": EDITION,
        "contest": "made-in-92",  # the edition's contest: its organiser passes, the other one is refused
        "round_id": demo.round_id,
        "panel_id": demo.panel_id,
        "candidate_id": demo.candidate_id,
        "person_id": demo.juror_id,
        "ballot_id": 999_999,  # the demo has no ballot: guards and membership checks still answer first
        "diploma_id": 999_999,
        "decision_id": 999_999,  # no such decision: refusals still come first, allowed roles get 404
        "link_id": 999_999,
        "kind": "candidates",
        "code": "ZZZZ-ZZZZ",
        "token": "not-a-token",
        "application_id": 999_999,  # no application in the demo: the guards answer first
        "document_id": 999_999,
    }
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), template)


def own_identity(role: str, demo: Demo) -> set[str]:
    person = {"juror": demo.juror_id, "chair": demo.chair_id}.get(role)
    return set(demo.people.get(person, ())) if person else set()


def leaked(body: str, demo: Demo, role: str) -> list[str]:
    return sorted(s for s in demo.secrets - own_identity(role, demo) if s in body)


async def ask(client: AsyncTestClient, method: str, path: str):
    if method == "GET":
        return await client.get(path, follow_redirects=False)
    return await client.request(method, path, json={}, follow_redirects=False)


@pytest.mark.parametrize("route", [r for r in ROUTES if r not in NOT_REQUESTED])
async def test_route_answers_each_role_as_its_policy_says(
    route: str, demo: Demo, clients: dict[str, AsyncTestClient]
) -> None:
    method, template = route.split(" ", 1)
    path = concrete(template, demo)
    allowed = ALLOWED[ROUTE_POLICY[route]]
    for role in ROLES:
        if role in allowed:
            if method != "GET":
                continue  # writes are only checked for refusals: nothing of the demo changes
            response = await ask(clients[role], method, path)
            assert response.status_code not in (401, 403), (
                role,
                route,
                response.status_code,
                response.text[:300],
            )
            assert response.status_code < 500, (role, route, response.status_code)
            if role == "other-organiser" and ROUTE_POLICY[route] in SHARED:
                assert not leaked(response.text, demo, role), (role, route, leaked(response.text, demo, role))
            continue
        response = await ask(clients[role], method, path)
        if role == "anonymous":
            expected = {401}
        elif method == "GET":
            expected = {403, 404}
        else:
            expected = WRITE_REFUSALS
        assert response.status_code in expected, (role, route, response.status_code, response.text[:300])
        assert not leaked(response.text, demo, role), (role, route, leaked(response.text, demo, role))


# --- The refusals that matter most, spelled out ----------------------------------------------------------


async def _fetch(demo: Demo, sql: str, *args):
    import asyncpg

    conn = await asyncpg.connect(demo.settings.database_url)
    try:
        return await conn.fetch(sql, *args)
    finally:
        await conn.close()


async def test_a_juror_reads_only_their_own_sheet_never_a_colleagues(demo: Demo) -> None:
    rows = await _fetch(
        demo,
        "select s.person_id, s.candidate_id from score_sheets s join assignments a "
        "on a.candidate_id = s.candidate_id and a.panel_id = $2 and a.person_id = $3 "
        "where s.round_id = $1 and s.person_id <> $3 and not exists (select 1 from score_sheets o "
        "  where o.round_id = s.round_id and o.candidate_id = s.candidate_id and o.person_id = $3) "
        "and not exists (select 1 from conflict_declarations d where d.round_id = $1 and d.person_id = $3 "
        "  and d.candidate_id = s.candidate_id and d.has_conflict) limit 1",
        demo.round_id,
        demo.panel_id,
        demo.juror_id,
    )
    if not rows:
        pytest.skip("the demo has no sheet of a colleague on a candidate this juror has not marked")
    client = await juror_client(demo.settings, edition_id=demo.edition_id, person_id=demo.juror_id)
    try:
        response = await client.get(f"/api/jure/feuilles/{demo.round_id}/{rows[0]['candidate_id']}")
    finally:
        await client.__aexit__(None, None, None)
    assert response.status_code in (200, 409), response.text
    if response.status_code == 200:
        assert response.json()["sheet"] is None


async def test_a_juror_is_refused_an_unassigned_candidate(demo: Demo) -> None:
    [row] = await _fetch(
        demo,
        "select c.candidate_id as id from candidate_rounds c where c.round_id = $1 and not exists (select 1 from assignments a "
        "where a.candidate_id = c.candidate_id and a.person_id = $2) limit 1",
        demo.round_id,
        demo.juror_id,
    )
    client = await juror_client(demo.settings, edition_id=demo.edition_id, person_id=demo.juror_id)
    try:
        for path in (
            f"/api/jure/feuilles/{demo.round_id}/{row['id']}",
            f"/jure/feuilles/{demo.round_id}/{row['id']}",
        ):
            response = await client.get(path)
            assert response.status_code in (403, 404), (path, response.status_code)
            assert not leaked(response.text, demo, "juror")
    finally:
        await client.__aexit__(None, None, None)


async def test_a_juror_is_refused_a_candidate_they_declared_a_conflict_with(demo: Demo) -> None:
    rows = await _fetch(
        demo,
        "select person_id, candidate_id from conflict_declarations where round_id = $1 and has_conflict limit 1",
        demo.round_id,
    )
    if not rows:
        pytest.skip("the demo declares no conflict in this round")
    person_id, candidate_id = rows[0]["person_id"], rows[0]["candidate_id"]
    client = await juror_client(demo.settings, edition_id=demo.edition_id, person_id=person_id)
    try:
        response = await client.get(f"/api/jure/feuilles/{demo.round_id}/{candidate_id}")
        assert response.status_code == 403, response.text
        response = await client.put(
            f"/api/jure/feuilles/{demo.round_id}/{candidate_id}",
            json={
                "idempotency_key": "6f1c8a4e-0000-4000-8000-000000000001",
                "version": 0,
                "status": "draft",
                "values": {},
            },
        )
        assert response.status_code in (403, 422), response.text
    finally:
        await client.__aexit__(None, None, None)


async def test_a_juror_cannot_read_standings_before_deliberation(demo: Demo) -> None:
    client = await juror_client(demo.settings, edition_id=demo.edition_id, person_id=demo.juror_id)
    try:
        response = await client.get(f"/api/rounds/{demo.round_id}/standings")
    finally:
        await client.__aexit__(None, None, None)
    assert response.status_code == 403
    assert "délibération" in response.json()["detail"]
    assert not leaked(response.text, demo, "juror")


async def test_a_chair_cannot_open_another_panels_deliberation(demo: Demo) -> None:
    client = await juror_client(demo.settings, edition_id=demo.edition_id, person_id=demo.other_chair_id)
    try:
        for path in (
            f"/deliberation/{demo.panel_id}",
            f"/organisation/rounds/{demo.round_id}/panels/{demo.panel_id}/proces-verbal.pdf",
        ):
            response = await client.get(path)
            assert response.status_code in (403, 404), (path, response.status_code)
            own = set(demo.people[demo.other_chair_id])
            assert not sorted(x for x in demo.secrets - own if x in response.text), path
    finally:
        await client.__aexit__(None, None, None)


async def test_an_organiser_of_another_contest_sees_nothing_of_this_edition(demo: Demo) -> None:
    client = await organiser_client(demo.settings, OTHER_ORGANISER)
    try:
        for path in (
            f"/api/editions/{EDITION}/candidates",
            f"/api/editions/{EDITION}/jurors",
            f"/organisation/editions/{EDITION}",
            f"/api/rounds/{demo.round_id}/standings",
            f"/api/rounds/{demo.round_id}/progress",
        ):
            response = await client.get(path)
            assert response.status_code in (403, 404), (path, response.status_code)
            assert not leaked(response.text, demo, "other-organiser"), path
    finally:
        await client.__aexit__(None, None, None)
