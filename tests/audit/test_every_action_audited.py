"""Issue 7: every state-changing action appends one audit event naming who, what, on what, and when.

Every route comes from the application's own route table: a route that is not GET or HEAD must be listed
either in AUDITED (the actions it appends) or in NOT_STATE_CHANGING (why it writes no business state), so
a new mutating route without a line here fails `test_every_mutating_route_is_classified`.

Each AUDITED route then gets a real, successful call on a fresh copy of the demo data (loaded once per
module into a template database, copied per test) and the test reads the new rows at the end of the chain:
exactly the expected events, the signed-in person as actor, the object's kind and id as target, a SHA-256
digest, a recent time, a link onto the previous event, and a chain that still verifies. The trail stores
digests, never the data: the table has no column for the change itself, and no name or e-mail of the
database shows up in an event's actor, action or target.

The command line's state changes (`jury purge`, `jury diplomas`) are run as operators run them.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import os
import re
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import msgspec
import pytest
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient
from tests.conftest import create_test_database, drop_test_database, with_database
from tests.helpers import free_port

from jury.app import create_app
from jury.audit.chain import GENESIS
from jury.audit.service import verify
from jury.auth.service import issue_codes
from jury.clock import system_clock
from jury.db.queries import Database, Queries
from jury.demo.loader import DEMO_PASSWORD, load_demo
from jury.diplomas.service import issue_diplomas
from jury.settings import Settings, load_settings

CLAIRE = "claire.vasseur@exemple.fr"  # organises Made in 92
ROMAIN = "romain.texier@exemple.fr"  # organises the Gâteau
LEILA = "leila.amrani@exemple.fr"  # organises Progr'ESS
M92_24, M92_25 = "made-in-92-2024", "made-in-92-2025"
GATEAU_23, GATEAU_25 = "gateau-des-hauts-de-seine-2023", "gateau-des-hauts-de-seine-2025"
PROGRESS_24 = "progress-2024"

# Route → the audit actions its successful call appends (in the order they are appended).
AUDITED: dict[str, tuple[str, ...]] = {
    "POST /api/editions/{slug}/imports/{kind}": ("candidates.import", "jurors.import"),
    "POST /organisation/editions/{slug}/import": ("candidates.import", "jurors.import"),
    "POST /api/editions/{slug}/candidates": ("candidate.created",),
    "PATCH /api/candidates/{candidate_id}": ("candidate.updated",),
    "POST /api/candidates/{candidate_id}/withdrawal": ("candidate.withdrawn",),
    "POST /api/candidates/{candidate_id}/eligibility-override": ("candidate.eligibility_overridden",),
    "POST /organisation/editions/{slug}/candidats/nouveau": ("candidate.created",),
    "POST /organisation/candidats/{candidate_id}": ("candidate.updated",),
    "POST /organisation/candidats/{candidate_id}/retrait": ("candidate.withdrawn",),
    "POST /organisation/candidats/{candidate_id}/derogation": ("candidate.eligibility_overridden",),
    "POST /organisation/editions/{slug}/cartes": ("access_codes.issued", "access_code.revoked"),
    "POST /api/rounds/{round_id}/status": ("round.moved",),
    "POST /organisation/rounds/{round_id}/etat": ("round.moved",),
    "POST /api/rounds/{round_id}/corrections": ("sheet.corrected",),
    "POST /api/rounds/{round_id}/eligibility": ("round.eligibility",),
    "POST /api/rounds/{round_id}/overrides": ("candidate.override",),
    "POST /api/rounds/{round_id}/routing": ("round.routed",),
    "POST /api/editions/{slug}/rounds": ("round.created",),
    "PATCH /api/rounds/{round_id}": ("round.updated",),
    "DELETE /api/rounds/{round_id}": ("round.deleted",),
    "POST /api/rounds/{round_id}/panels": ("panel.created",),
    "PUT /api/editions/{slug}/categories/{code}/criteria": ("criteria.replaced",),
    "PUT /api/editions/{slug}/prizes": ("prizes.replaced",),
    "PUT /api/editions/{slug}/eligibility": ("eligibility.replaced",),
    "POST /organisation/editions/{slug}/tours": ("round.created",),
    "POST /organisation/rounds/{round_id}/reglage": ("round.updated",),
    "POST /organisation/rounds/{round_id}/suppression": ("round.deleted",),
    "POST /organisation/rounds/{round_id}/jurys": ("panel.created",),
    "POST /organisation/editions/{slug}/grille/criteres": ("criteria.replaced",),
    "POST /organisation/editions/{slug}/grille/prix": ("prizes.replaced",),
    "POST /organisation/editions/{slug}/grille/eligibilite": ("eligibility.replaced",),
    "POST /api/rounds/{round_id}/entries/panels": ("round.entries_placed",),
    "POST /api/panels/{panel_id}/members": ("panel.member_added",),
    "DELETE /api/panels/{panel_id}/members/{person_id}": ("panel.member_removed",),
    "POST /organisation/rounds/{round_id}/entrants": (
        "round.entries_placed",
        "panel.member_added",
        "panel.member_removed",
    ),
    "POST /api/rounds/{round_id}/assignments": ("assignments.applied",),
    "POST /api/rounds/{round_id}/assignments/pairs": ("assignments.pair_added",),
    "DELETE /api/rounds/{round_id}/assignments/pairs": ("assignments.pair_removed",),
    "POST /organisation/rounds/{round_id}/affectations/automatique": ("assignments.applied",),
    "POST /organisation/rounds/{round_id}/affectations/ajout": ("assignments.pair_added",),
    "POST /organisation/rounds/{round_id}/affectations/retrait": ("assignments.pair_removed",),
    "POST /api/rounds/{round_id}/notes": ("deliberation.note_added",),
    "POST /api/rounds/{round_id}/ballots": ("deliberation.ballot_opened",),
    "POST /api/ballots/{ballot_id}/votes": ("deliberation.vote_cast",),
    "POST /api/ballots/{ballot_id}/close": ("deliberation.ballot_closed",),
    "POST /api/ballots/{ballot_id}/casting-vote": ("deliberation.casting_vote",),
    "POST /api/rounds/{round_id}/advance": ("deliberation.advanced",),
    "POST /deliberation/{panel_id}/notes": ("deliberation.note_added",),
    "POST /deliberation/{panel_id}/scrutins": ("deliberation.ballot_opened",),
    "POST /deliberation/scrutins/{ballot_id}/vote": ("deliberation.vote_cast",),
    "POST /deliberation/scrutins/{ballot_id}/cloture": ("deliberation.ballot_closed",),
    "POST /deliberation/scrutins/{ballot_id}/voix-preponderante": ("deliberation.casting_vote",),
    "POST /api/editions/{slug}/awards": ("deliberation.award_granted",),
    "POST /api/editions/{slug}/grants": ("deliberation.grant_awarded",),
    "POST /organisation/editions/{slug}/decisions/qualifies": ("deliberation.advanced",),
    "POST /organisation/editions/{slug}/decisions/prix": ("deliberation.award_granted",),
    "POST /api/decisions/{decision_id}/undo": ("deliberation.decision_undone",),
    "POST /organisation/editions/{slug}/decisions/{decision_id}/annuler": ("deliberation.decision_undone",),
    "POST /deliberation/corrections/{decision_id}": ("deliberation.decision_undone",),
    "POST /organisation/editions/{slug}/subventions": ("deliberation.grant_awarded",),
    "PUT /api/rounds/{round_id}/standings/method": ("round.method_changed",),
    "POST /api/rounds/{round_id}/standings/publish": ("standings.published",),
    "POST /organisation/rounds/{round_id}/classement/methode": ("round.method_changed",),
    "POST /organisation/rounds/{round_id}/classement/publier": ("standings.published",),
    "PUT /api/jure/tours/{round_id}/conflits": ("conflict.none_declared", "conflict.declared"),
    "POST /jure/tours/{round_id}/conflits": ("conflict.none_declared", "conflict.declared"),
    "PUT /api/jure/feuilles/{round_id}/{candidate_id}": ("sheet.saved", "sheet.submitted"),
    "POST /jure/feuilles/{round_id}/{candidate_id}": ("sheet.submitted",),
    "POST /organisation/editions/{slug}/diplomes/generer": ("diploma.issue",),
    "POST /organisation/editions/{slug}/diplomes/liens": ("diploma.link.create",),
    "POST /organisation/editions/{slug}/diplomes/envoyer": ("diploma.link.create",),
    "POST /organisation/editions/{slug}/diplomes/{diploma_id}/revoquer": ("diploma.revoke",),
    "POST /organisation/editions/{slug}/diplomes/liens/{link_id}/revoquer": ("diploma.link.revoke",),
    "POST /api/contests": ("contest.created",),
    "POST /organisation/concours/nouveau": ("contest.created",),
    "POST /api/contests/{contest}/organisers": ("contest.organiser_named",),
    "POST /organisation/concours/{contest}/organisateurs": ("contest.organiser_named",),
    "POST /api/contests/{contest}/editions": ("edition.created",),
    "POST /organisation/concours/{contest}/editions": ("edition.created",),
    "PATCH /api/editions/{slug}": ("edition.updated",),
    "PUT /api/editions/{slug}/signatories": ("signatories.replaced",),
    "POST /organisation/editions/{slug}/parametres": ("edition.updated",),
    "POST /api/editions/{slug}/status": ("edition.status_changed",),
    "POST /organisation/editions/{slug}/etat": ("edition.status_changed",),
    "POST /candidater/{slug}": ("application.submitted",),
    "POST /candidature/{token}": ("application.updated",),
    "POST /api/applications/{application_id}/acceptance": ("candidate.created", "application.accepted"),
    "POST /api/applications/{application_id}/refusal": ("application.refused",),
    "POST /organisation/candidatures/{application_id}/acceptation": (
        "candidate.created",
        "application.accepted",
    ),
    "POST /organisation/candidatures/{application_id}/refus": ("application.refused",),
    "POST /api/editions/{slug}/invitations": ("access_codes.issued", "jurors.invited"),
    "POST /organisation/editions/{slug}/invitations": ("access_codes.issued", "jurors.invited"),
    "POST /api/rounds/{round_id}/reminders": ("jurors.reminded",),
    "POST /organisation/rounds/{round_id}/rappels": ("jurors.reminded",),
}

# Route → why it appends nothing: it changes no business state.
NOT_STATE_CHANGING: dict[str, str] = {
    "POST /connexion": "sign-in: only the visitor's session and the sign-in limits' failure counters change",
    "POST /deconnexion": "sign-out: only the visitor's session is cleared",
    "POST /langue": "the visitor's language, kept in their session only",
    "POST /acces": "a juror's tablet signs in with a card: the session, the card's last-use time and the "
    "sign-in limits' failure counters",
    "POST /api/rounds/{round_id}/assignments/preview": "a preview of the automatic plan: nothing is written",
    "POST /candidater/{slug}/verification": "checks an application being typed: nothing is written",
}

SKIPPED_PREFIXES = ("/static", "/schema")
TABLE_COLUMNS = {
    "id",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "target",
    "digest",
    "prev_hash",
    "hash",
}
HEX64 = re.compile(r"[0-9a-f]{64}")


def mutating_routes() -> list[str]:
    app = create_app(load_settings({}, database_url="postgresql://unused/unused"))
    found = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(SKIPPED_PREFIXES):
            continue
        template = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
        for handler in route.route_handlers:
            for method in handler.http_methods - {"GET", "HEAD", "OPTIONS"}:
                found.add(f"{method} {template}")
    return sorted(found)


ROUTES = mutating_routes()


def test_every_mutating_route_is_classified() -> None:
    """A route that writes must say which events it appends, or why it appends none."""
    both = sorted(set(AUDITED) & set(NOT_STATE_CHANGING))
    missing = [r for r in ROUTES if r not in AUDITED and r not in NOT_STATE_CHANGING]
    stale = [r for r in [*AUDITED, *NOT_STATE_CHANGING] if r not in ROUTES]
    assert both == [], f"routes both audited and exempted: {both}"
    assert missing == [], f"mutating routes with no audit entry: {missing}"
    assert stale == [], f"entries for routes that no longer exist: {stale}"


# --- A fresh copy of the demo per test -------------------------------------------------------------------


@pytest.fixture(scope="module")
async def demo_template(pg_admin_url: str, template_database: str) -> AsyncIterator[str]:
    """The demo loaded once (a few seconds); each test copies it with CREATE DATABASE … TEMPLATE."""
    name = await create_test_database(pg_admin_url, template_database)
    url = with_database(pg_admin_url, name)
    conn = await asyncpg.connect(url)
    try:
        await load_demo(
            Database(conn, Queries(load_settings({}, database_url=url).queries_dir), clock=system_clock)
        )
    finally:
        await conn.close()
    yield name
    await drop_test_database(pg_admin_url, name)


class Ev(msgspec.Struct, frozen=True):
    """One expected event: who (person id and label), what, on what."""

    actor_id: int | None
    actor_label: str
    action: str
    target: str


def organiser(person_id: int) -> Callable[[str, str], Ev]:
    return lambda action, target: Ev(person_id, f"organiser:{person_id}", action, target)


@dataclass
class World:
    settings: Settings
    db: Database
    clients: list[AsyncTestClient] = field(default_factory=list)
    mark_id: int = 0
    mark_hash: str = GENESIS
    secrets: set[str] = field(default_factory=set)

    async def val(self, sql: str, *args):
        return await self.db.conn.fetchval(sql, *args)

    async def row(self, sql: str, *args):
        return await self.db.conn.fetchrow(sql, *args)

    async def rows(self, sql: str, *args):
        return await self.db.conn.fetch(sql, *args)

    async def person(self, email: str) -> int:
        return await self.val("select id from people where email = $1", email)

    async def edition(self, slug: str) -> int:
        return await self.val("select id from editions where slug = $1", slug)

    async def round(self, slug: str, kind: str) -> int:
        return await self.val(
            "select r.id from rounds r join editions e on e.id = r.edition_id where e.slug = $1 and r.kind = $2",
            slug,
            kind,
        )

    async def client(self, settings: Settings | None = None) -> AsyncTestClient:
        client = AsyncTestClient(app=create_app(settings or self.settings))
        await client.__aenter__()
        self.clients.append(client)
        return client

    async def organiser(self, email: str, settings: Settings | None = None) -> AsyncTestClient:
        client = await self.client(settings)
        response = await client.post("/connexion", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code in (200, 303) and "incorrect" not in response.text
        return client

    async def juror(self, slug: str, person_id: int) -> AsyncTestClient:
        """A tablet signed in with a freshly printed card (printing it here is setup, not the act tested)."""
        [card] = await issue_codes(self.db, edition_id=await self.edition(slug), person_ids=[person_id])
        client = await self.client()
        response = await client.post("/acces", data={"code": card.code}, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/jure/")
        return client

    async def mark(self) -> None:
        """Everything after this point is what the call under test appended."""
        last = await self.row("select id, hash from audit_events order by id desc limit 1")
        self.mark_id, self.mark_hash = (last["id"], last["hash"]) if last else (0, GENESIS)
        self.secrets |= await self.personal_data()

    async def personal_data(self) -> set[str]:
        rows = await self.rows(
            "select organisation_name as a, person_name as b, email as c from candidates "
            "union all select full_name, email, title from people"
        )
        return {v for r in rows for v in r.values() if v and len(v) >= 4}


@pytest.fixture
async def world(pg_admin_url: str, demo_template: str, tmp_path: Path) -> AsyncIterator[World]:
    name = await create_test_database(pg_admin_url, demo_template)
    url = with_database(pg_admin_url, name)
    settings = load_settings(
        {},
        database_url=url,
        data_dir=tmp_path / "data",
        log_format="json",
        sign_in_attempts_per_minute=10_000,
        render_workers=1,
    )
    conn = await asyncpg.connect(url)
    w = World(settings=settings, db=Database(conn, Queries(settings.queries_dir), clock=system_clock))
    try:
        yield w
    finally:
        for client in w.clients:
            await client.__aexit__(None, None, None)
        await conn.close()
        await drop_test_database(pg_admin_url, name)


# --- The cases: one successful call per audited route ----------------------------------------------------

Case = Callable[[World], Awaitable[list[Ev]]]
CASES: dict[str, Case] = {}


def case(route: str) -> Callable[[Case], Case]:
    def register(fn: Case) -> Case:
        assert route not in CASES, route
        CASES[route] = fn
        return fn

    return register


def csv_file(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig")


async def import_files(w: World) -> tuple[bytes, bytes]:
    category = await w.val(
        "select c.code from categories c join editions e on e.id = c.edition_id where e.slug = $1 "
        "order by c.position limit 1",
        M92_25,
    )
    candidates = csv_file(
        [
            ["nom_structure", "nom_porteur", "courriel", "code_insee", "date_creation", "categorie"],
            ["Nobsolete", "Léa Martinet", "lea@nobsolete.fr", "92022", "15/03/2021", category],
        ]
    )
    jurors = csv_file(
        [["nom", "courriel", "qualite"], ["Hélène Juréva", "helene.jureva@exemple.fr", "Experte"]]
    )
    return candidates, jurors


@case("POST /api/editions/{slug}/imports/{kind}")
async def _api_imports(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    candidates, jurors = await import_files(w)
    await w.mark()
    for kind, content in (("candidats", candidates), ("jures", jurors)):
        response = await org.post(
            f"/api/editions/{M92_25}/imports/{kind}", files={"file": ("f.csv", content)}
        )
        assert response.status_code == 201, response.text
    ev = organiser(await w.person(CLAIRE))
    return [ev("candidates.import", f"edition:{M92_25}"), ev("jurors.import", f"edition:{M92_25}")]


@case("POST /organisation/editions/{slug}/import")
async def _page_imports(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    candidates, jurors = await import_files(w)
    await w.mark()
    for kind, content in (("candidats", candidates), ("jures", jurors)):
        response = await org.post(
            f"/organisation/editions/{M92_25}/import",
            data={"kind": kind, "action": "importer"},
            files={"file": ("f.csv", content)},
        )
        assert response.status_code == 200 and "importé" in response.text, response.text
    ev = organiser(await w.person(CLAIRE))
    return [ev("candidates.import", f"edition:{M92_25}"), ev("jurors.import", f"edition:{M92_25}")]


NEW_CANDIDATE = {
    "nom_structure": "Atelier Vasque",
    "courriel": "bonjour@atelier-vasque.fr",
    "code_insee": "92022",
    "date_creation": "2021-03-15",
}


async def m92_candidate(w: World, *, founded: str = "2021-03-15") -> tuple[AsyncTestClient, int]:
    """A Made in 92 2025 candidate added through the API (setup, not the act tested)."""
    org = await w.organiser(CLAIRE)
    response = await org.post(
        f"/api/editions/{M92_25}/candidates", json={**NEW_CANDIDATE, "date_creation": founded}
    )
    assert response.status_code == 201, response.text
    return org, response.json()["candidate"]["id"]


@case("POST /api/editions/{slug}/candidates")
async def _candidate_api_add(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.post(f"/api/editions/{M92_25}/candidates", json=NEW_CANDIDATE)
    assert response.status_code == 201, response.text
    cid = response.json()["candidate"]["id"]
    return [organiser(await w.person(CLAIRE))("candidate.created", f"candidate:{cid}")]


@case("POST /organisation/editions/{slug}/candidats/nouveau")
async def _candidate_page_add(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.post(
        f"/organisation/editions/{M92_25}/candidats/nouveau", data=NEW_CANDIDATE, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    cid = int(response.headers["location"].rsplit("/", 1)[1])
    return [organiser(await w.person(CLAIRE))("candidate.created", f"candidate:{cid}")]


@case("PATCH /api/candidates/{candidate_id}")
async def _candidate_api_update(w: World) -> list[Ev]:
    org, cid = await m92_candidate(w)
    await w.mark()
    response = await org.patch(f"/api/candidates/{cid}", json={"projet": "Vasques en grès"})
    assert response.status_code == 200, response.text
    return [organiser(await w.person(CLAIRE))("candidate.updated", f"candidate:{cid}")]


@case("POST /organisation/candidats/{candidate_id}")
async def _candidate_page_update(w: World) -> list[Ev]:
    org, cid = await m92_candidate(w)
    await w.mark()
    response = await org.post(
        f"/organisation/candidats/{cid}", data={**NEW_CANDIDATE, "projet": "Vasques"}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return [organiser(await w.person(CLAIRE))("candidate.updated", f"candidate:{cid}")]


@case("POST /api/candidates/{candidate_id}/withdrawal")
async def _candidate_api_withdraw(w: World) -> list[Ev]:
    org, cid = await m92_candidate(w)
    await w.mark()
    response = await org.post(f"/api/candidates/{cid}/withdrawal", json={"reason": "Cessation d'activité"})
    assert response.status_code == 200, response.text
    return [organiser(await w.person(CLAIRE))("candidate.withdrawn", f"candidate:{cid}")]


@case("POST /organisation/candidats/{candidate_id}/retrait")
async def _candidate_page_withdraw(w: World) -> list[Ev]:
    org, cid = await m92_candidate(w)
    await w.mark()
    response = await org.post(
        f"/organisation/candidats/{cid}/retrait",
        data={"reason": "Cessation d'activité"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return [organiser(await w.person(CLAIRE))("candidate.withdrawn", f"candidate:{cid}")]


@case("POST /api/candidates/{candidate_id}/eligibility-override")
async def _candidate_api_override(w: World) -> list[Ev]:
    org, cid = await m92_candidate(w, founded="2012-01-01")
    await w.mark()
    response = await org.post(
        f"/api/candidates/{cid}/eligibility-override", json={"reason": "Reprise d'activité en 2020"}
    )
    assert response.status_code == 200, response.text
    return [organiser(await w.person(CLAIRE))("candidate.eligibility_overridden", f"candidate:{cid}")]


@case("POST /organisation/candidats/{candidate_id}/derogation")
async def _candidate_page_override(w: World) -> list[Ev]:
    org, cid = await m92_candidate(w, founded="2012-01-01")
    await w.mark()
    response = await org.post(
        f"/organisation/candidats/{cid}/derogation",
        data={"reason": "Reprise d'activité en 2020"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return [organiser(await w.person(CLAIRE))("candidate.eligibility_overridden", f"candidate:{cid}")]


APPLICANT = Ev(None, "candidat", "", "")


async def m92_application(w: World) -> tuple[AsyncTestClient, str, int]:
    """Made in 92 2025 taking applications again (setup in SQL), and one sent through the public form."""
    await w.db.conn.execute(
        "update editions set status = 'applications', opens_on = current_date - 30, closes_on = current_date + 30 "
        "where slug = $1",
        M92_25,
    )
    category = await w.val(
        "select c.code from categories c join editions e on e.id = c.edition_id where e.slug = $1 "
        "order by c.position limit 1",
        M92_25,
    )
    client = await w.client()
    response = await client.post(
        f"/candidater/{M92_25}",
        data={**NEW_CANDIDATE, "nom_porteur": "Jeanne Vasque", "categorie": category},
        files={"documents": ("statuts.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    token = response.headers["location"].split("/candidature/")[1].split("?")[0]
    return client, token, await w.val("select max(id) from applications")


def applicant(action: str, application_id: int) -> Ev:
    return msgspec.structs.replace(APPLICANT, action=action, target=f"application:{application_id}")


@case("POST /candidater/{slug}")
async def _application_sent(w: World) -> list[Ev]:
    await w.mark()
    _, _, application_id = await m92_application(w)
    return [applicant("application.submitted", application_id)]


@case("POST /candidature/{token}")
async def _application_completed(w: World) -> list[Ev]:
    client, token, application_id = await m92_application(w)
    category = await w.val("select fields->>'categorie' from applications where id = $1", application_id)
    await w.mark()
    response = await client.post(
        f"/candidature/{token}",
        data={**NEW_CANDIDATE, "nom_porteur": "Jeanne Vasque", "categorie": category, "projet": "Vasques"},
        files={"documents": ("", b"", "application/octet-stream")},  # a file input left empty
    )
    assert response.status_code == 200, response.text
    return [applicant("application.updated", application_id)]


async def _accept(w: World, path: str) -> list[Ev]:
    _, _, application_id = await m92_application(w)
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.post(path.format(application_id=application_id), follow_redirects=False)
    assert response.status_code in (200, 303), response.text
    candidate_id = await w.val("select candidate_id from applications where id = $1", application_id)
    ev = organiser(await w.person(CLAIRE))
    return [
        ev("candidate.created", f"candidate:{candidate_id}"),
        ev("application.accepted", f"application:{application_id}"),
    ]


@case("POST /api/applications/{application_id}/acceptance")
async def _application_accepted_api(w: World) -> list[Ev]:
    return await _accept(w, "/api/applications/{application_id}/acceptance")


@case("POST /organisation/candidatures/{application_id}/acceptation")
async def _application_accepted_page(w: World) -> list[Ev]:
    return await _accept(w, "/organisation/candidatures/{application_id}/acceptation")


@case("POST /api/applications/{application_id}/refusal")
async def _application_refused_api(w: World) -> list[Ev]:
    _, _, application_id = await m92_application(w)
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.post(f"/api/applications/{application_id}/refusal", json={"reason": "Hors du champ"})
    assert response.status_code == 200, response.text
    return [organiser(await w.person(CLAIRE))("application.refused", f"application:{application_id}")]


@case("POST /organisation/candidatures/{application_id}/refus")
async def _application_refused_page(w: World) -> list[Ev]:
    _, _, application_id = await m92_application(w)
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.post(
        f"/organisation/candidatures/{application_id}/refus",
        data={"reason": "Hors du champ"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return [organiser(await w.person(CLAIRE))("application.refused", f"application:{application_id}")]


def with_smtp(w: World) -> Settings:
    """Mail configured (to a port nobody listens on) and no job consumer: messages stay queued."""
    return msgspec.structs.replace(
        w.settings,
        smtp_host="127.0.0.1",
        smtp_port=free_port(),
        smtp_from="concours@exemple.fr",
        in_process_jobs=False,
    )


async def _invite(w: World, send: Callable[[AsyncTestClient, int], Awaitable[int]]) -> list[Ev]:
    org = await w.organiser(CLAIRE, settings=with_smtp(w))
    juror = await w.val(
        "select person_id from edition_jurors where edition_id = $1 order by person_id limit 1",
        await w.edition(M92_25),
    )
    await w.mark()
    assert await send(org, juror) == 200
    ev = organiser(await w.person(CLAIRE))
    return [ev("access_codes.issued", f"edition:{M92_25}"), ev("jurors.invited", f"edition:{M92_25}")]


@case("POST /api/editions/{slug}/invitations")
async def _invite_api(w: World) -> list[Ev]:
    async def send(org: AsyncTestClient, juror: int) -> int:
        return (
            await org.post(f"/api/editions/{M92_25}/invitations", json={"person_ids": [juror]})
        ).status_code

    return await _invite(w, send)


@case("POST /organisation/editions/{slug}/invitations")
async def _invite_page(w: World) -> list[Ev]:
    async def send(org: AsyncTestClient, juror: int) -> int:
        response = await org.post(
            f"/organisation/editions/{M92_25}/invitations", data={"person_id": str(juror)}
        )
        assert "1 invitation en cours" in response.text, response.text
        return response.status_code

    return await _invite(w, send)


async def _remind(w: World, path: str) -> list[Ev]:
    tasting = await w.round(GATEAU_25, "tasting")
    await w.db.conn.execute("update rounds set status = 'open', scheduled_on = null where id = $1", tasting)
    org = await w.organiser(ROMAIN, settings=with_smtp(w))
    await w.mark()
    response = await org.post(path.format(round_id=tasting))
    assert response.status_code == 200, response.text
    return [organiser(await w.person(ROMAIN))("jurors.reminded", f"round:{tasting}")]


@case("POST /api/rounds/{round_id}/reminders")
async def _remind_api(w: World) -> list[Ev]:
    return await _remind(w, "/api/rounds/{round_id}/reminders")


@case("POST /organisation/rounds/{round_id}/rappels")
async def _remind_page(w: World) -> list[Ev]:
    return await _remind(w, "/organisation/rounds/{round_id}/rappels")


@case("POST /organisation/editions/{slug}/cartes")
async def _cards(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    juror = await w.val(
        "select m.person_id from panel_members m join panels p on p.id = m.panel_id "
        "where p.round_id = $1 order by m.person_id limit 1",
        await w.round(M92_25, "semi_final"),
    )
    await w.mark()
    page = f"/organisation/editions/{M92_25}/cartes/"
    issued = await org.post(page, data={"action": "issue", "person_id": str(juror)})
    assert issued.status_code == 200 and issued.text.count('class="card-code"') == 1, issued.text
    revoked = await org.post(page, data={"action": "revoke", "person_id": str(juror)})
    assert revoked.status_code == 200 and "Carte révoquée" in revoked.text
    ev = organiser(await w.person(CLAIRE))
    return [ev("access_codes.issued", f"edition:{M92_25}"), ev("access_code.revoked", f"edition:{M92_25}")]


@case("POST /api/rounds/{round_id}/status")
async def _move_api(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    semi = await w.round(M92_25, "semi_final")
    await w.mark()
    response = await org.post(f"/api/rounds/{semi}/status", json={"to": "deliberation"})
    assert response.status_code == 200, response.text
    return [organiser(await w.person(CLAIRE))("round.moved", f"round:{semi}")]


async def semi_final(w: World, *, status: str | None = None) -> tuple[int, int, int]:
    """The open semi-final of Made in 92 2025 (moved to `status` by hand), its Nord panel and chair."""
    semi = await w.round(M92_25, "semi_final")
    if status:
        await w.db.conn.execute("update rounds set status = $2 where id = $1", semi, status)
    panel = await w.val("select min(id) from panels where round_id = $1", semi)
    chair = await w.val("select person_id from panel_members where panel_id = $1 and role = 'chair'", panel)
    return semi, panel, chair


@case("POST /organisation/rounds/{round_id}/etat")
async def _move_page(w: World) -> list[Ev]:
    semi, _, chair = await semi_final(w, status="deliberation")
    tablet = await w.juror(M92_25, chair)
    await w.mark()
    response = await tablet.post(
        f"/organisation/rounds/{semi}/etat", data={"to": "closed", "confirme": "oui"}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return [Ev(chair, f"chair:{chair}", "round.moved", f"round:{semi}")]


@case("POST /api/rounds/{round_id}/corrections")
async def _correction(w: World) -> list[Ev]:
    semi = await w.round(M92_24, "semi_final")
    mark = await w.row(
        "select s.id, s.person_id, s.candidate_id, sc.criterion_id, sc.value, c.scale_min, c.scale_max, "
        "m.person_id as chair from score_sheets s join sheet_scores sc on sc.sheet_id = s.id "
        "join criteria c on c.id = sc.criterion_id "
        "join panel_members m on m.panel_id = s.panel_id and m.role = 'chair' "
        "where s.round_id = $1 and sc.value is not null order by s.id, sc.criterion_id limit 1",
        semi,
    )
    tablet = await w.juror(M92_24, mark["chair"])
    value = mark["scale_min"] if mark["value"] != mark["scale_min"] else mark["scale_max"]
    await w.mark()
    response = await tablet.post(
        f"/api/rounds/{semi}/corrections",
        json={
            "person_id": mark["person_id"],
            "candidate_id": mark["candidate_id"],
            "values": {str(mark["criterion_id"]): float(value)},
            "reason": "Erreur de report relevée à la signature du procès-verbal",
        },
    )
    assert response.status_code == 200, response.text
    return [Ev(mark["chair"], f"chair:{mark['chair']}", "sheet.corrected", f"sheet:{mark['id']}")]


@case("POST /api/rounds/{round_id}/eligibility")
async def _eligibility(w: World) -> list[Ev]:
    rnd = await w.round(PROGRESS_24, "eligibility")
    await w.db.conn.execute("update rounds set status = 'open' where id = $1", rnd)
    org = await w.organiser(LEILA)
    await w.mark()
    response = await org.post(f"/api/rounds/{rnd}/eligibility")
    assert response.status_code == 200, response.text
    return [organiser(await w.person(LEILA))("round.eligibility", f"round:{rnd}")]


@case("POST /api/rounds/{round_id}/overrides")
async def _override(w: World) -> list[Ev]:
    semi = await w.round(M92_25, "semi_final")
    entry = await w.row(
        "select cr.candidate_id, (select max(p.id) from panels p where p.round_id = $1) as panel "
        "from candidate_rounds cr where cr.round_id = $1 order by cr.candidate_id limit 1",
        semi,
    )
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.post(
        f"/api/rounds/{semi}/overrides",
        json={
            "candidate_id": entry["candidate_id"],
            "panel_id": entry["panel"],
            "reason": "Siège transféré à Boulogne en cours d'année",
        },
    )
    assert response.status_code == 204, response.text
    return [organiser(await w.person(CLAIRE))("candidate.override", f"candidate:{entry['candidate_id']}")]


@case("POST /api/rounds/{round_id}/routing")
async def _routing(w: World) -> list[Ev]:
    semi = await w.round(M92_25, "semi_final")
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.post(f"/api/rounds/{semi}/routing")
    assert response.status_code == 200, response.text
    return [organiser(await w.person(CLAIRE))("round.routed", f"round:{semi}")]


@case("POST /api/rounds/{round_id}/assignments")
async def _apply_api(w: World) -> list[Ev]:
    tasting = await w.round(GATEAU_25, "tasting")
    org = await w.organiser(ROMAIN)
    await w.mark()
    response = await org.post(f"/api/rounds/{tasting}/assignments", json={"k": 9, "seed": 1})
    assert response.status_code == 200, response.text
    return [organiser(await w.person(ROMAIN))("assignments.applied", f"round:{tasting}")]


@case("POST /organisation/rounds/{round_id}/affectations/automatique")
async def _apply_page(w: World) -> list[Ev]:
    tasting = await w.round(GATEAU_25, "tasting")
    org = await w.organiser(ROMAIN)
    await w.mark()
    response = await org.post(
        f"/organisation/rounds/{tasting}/affectations/automatique",
        data={"k": "9", "seed": "1", "confirm": "true"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return [organiser(await w.person(ROMAIN))("assignments.applied", f"round:{tasting}")]


async def free_pair(w: World) -> tuple[int, int, int]:
    """The tasting's chair and a cake they are not assigned to (the chair has no assignment)."""
    tasting = await w.round(GATEAU_25, "tasting")
    pair = await w.row(
        "select m.person_id, cr.candidate_id from candidate_rounds cr "
        "join panel_members m on m.panel_id = cr.panel_id and m.role = 'chair' "
        "where cr.round_id = $1 and not exists (select 1 from assignments a where a.panel_id = cr.panel_id "
        "and a.person_id = m.person_id and a.candidate_id = cr.candidate_id) order by cr.candidate_id limit 1",
        tasting,
    )
    return tasting, pair["person_id"], pair["candidate_id"]


async def unscored_pair(w: World) -> tuple[int, int, int]:
    """An assignment of the tasting without a score sheet: the only kind that may be removed."""
    tasting = await w.round(GATEAU_25, "tasting")
    pair = await w.row(
        "select a.person_id, a.candidate_id from assignments a join panels p on p.id = a.panel_id "
        "where p.round_id = $1 and not exists (select 1 from score_sheets s where s.round_id = $1 "
        "and s.person_id = a.person_id and s.candidate_id = a.candidate_id) "
        "order by a.person_id, a.candidate_id limit 1",
        tasting,
    )
    return tasting, pair["person_id"], pair["candidate_id"]


@case("POST /api/rounds/{round_id}/assignments/pairs")
async def _pair_add_api(w: World) -> list[Ev]:
    tasting, person, candidate = await free_pair(w)
    org = await w.organiser(ROMAIN)
    await w.mark()
    response = await org.post(
        f"/api/rounds/{tasting}/assignments/pairs", json={"person_id": person, "candidate_id": candidate}
    )
    assert response.status_code == 201, response.text
    return [organiser(await w.person(ROMAIN))("assignments.pair_added", f"round:{tasting}")]


@case("POST /organisation/rounds/{round_id}/affectations/ajout")
async def _pair_add_page(w: World) -> list[Ev]:
    tasting, person, candidate = await free_pair(w)
    org = await w.organiser(ROMAIN)
    await w.mark()
    response = await org.post(
        f"/organisation/rounds/{tasting}/affectations/ajout",
        data={"person_id": str(person), "candidate_id": str(candidate)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and "fait=ajout" in response.headers["location"], response.text
    return [organiser(await w.person(ROMAIN))("assignments.pair_added", f"round:{tasting}")]


@case("DELETE /api/rounds/{round_id}/assignments/pairs")
async def _pair_remove_api(w: World) -> list[Ev]:
    tasting, person, candidate = await unscored_pair(w)
    org = await w.organiser(ROMAIN)
    await w.mark()
    response = await org.delete(
        f"/api/rounds/{tasting}/assignments/pairs", params={"person_id": person, "candidate_id": candidate}
    )
    assert response.status_code == 200, response.text
    return [organiser(await w.person(ROMAIN))("assignments.pair_removed", f"round:{tasting}")]


@case("POST /organisation/rounds/{round_id}/affectations/retrait")
async def _pair_remove_page(w: World) -> list[Ev]:
    tasting, person, candidate = await unscored_pair(w)
    org = await w.organiser(ROMAIN)
    await w.mark()
    response = await org.post(
        f"/organisation/rounds/{tasting}/affectations/retrait",
        data={"person_id": str(person), "candidate_id": str(candidate)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and "fait=retrait" in response.headers["location"], response.text
    return [organiser(await w.person(ROMAIN))("assignments.pair_removed", f"round:{tasting}")]


# Deliberation: the Nord semi-final moved to deliberation by hand (the move itself is tested above).


@dataclass
class Panel:
    round: int
    panel: int
    chair: int
    juror: int
    candidates: list[int]  # in play, no conflict declared by any member of the panel


async def deliberating(w: World) -> Panel:
    semi, panel, chair = await semi_final(w, status="deliberation")
    juror = await w.val(
        "select min(person_id) from panel_members m where panel_id = $1 and role = 'juror' "
        "and not exists (select 1 from panel_members o where o.person_id = m.person_id and o.panel_id <> $1)",
        panel,
    )
    candidates = [
        r["candidate_id"]
        for r in await w.rows(
            "select cr.candidate_id from candidate_rounds cr where cr.round_id = $1 and cr.panel_id = $2 "
            "and cr.status in ('pending', 'eligible') and not exists (select 1 from conflict_declarations d "
            "where d.round_id = $1 and d.candidate_id = cr.candidate_id and d.has_conflict) "
            "order by cr.candidate_id",
            semi,
            panel,
        )
    ]
    assert len(candidates) >= 3
    return Panel(round=semi, panel=panel, chair=chair, juror=juror, candidates=candidates)


async def open_ballot(w: World, p: Panel, chair: AsyncTestClient) -> int:
    response = await chair.post(
        f"/api/rounds/{p.round}/ballots",
        json={
            "panel_id": p.panel,
            "kind": "approval",
            "title": "Coup de cœur",
            "candidate_ids": p.candidates[:2],
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def tied_ballot(w: World, p: Panel) -> tuple[int, AsyncTestClient]:
    """An approval ballot closed on a tie: the juror approves one candidate, the chair the other. The edition's
    tie-break is left to the chair alone, so the calibrated score does not settle the tie first."""
    await w.db.conn.execute("update editions set tie_break_policy = '{chair}' where slug = $1", M92_25)
    chair = await w.juror(M92_25, p.chair)
    juror = await w.juror(M92_25, p.juror)
    ballot = await open_ballot(w, p, chair)
    for client, choice in ((juror, p.candidates[0]), (chair, p.candidates[1])):
        response = await client.post(f"/api/ballots/{ballot}/votes", json={"approved": [choice]})
        assert response.status_code == 200, response.text
    closed = await chair.post(f"/api/ballots/{ballot}/close", json={})
    assert closed.status_code == 200 and closed.json()["result"]["unresolved"], closed.text
    return ballot, chair


def seat(person_id: int, role: str = "juror") -> Callable[[str, str], Ev]:
    return lambda action, target: Ev(person_id, f"{role}:{person_id}", action, target)


@case("POST /api/rounds/{round_id}/notes")
async def _note_api(w: World) -> list[Ev]:
    p = await deliberating(w)
    tablet = await w.juror(M92_25, p.juror)
    await w.mark()
    response = await tablet.post(
        f"/api/rounds/{p.round}/notes",
        json={"candidate_id": p.candidates[0], "text": "Pitch solide, chiffres à vérifier"},
    )
    assert response.status_code == 201, response.text
    return [seat(p.juror)("deliberation.note_added", f"candidate:{p.candidates[0]}")]


@case("POST /deliberation/{panel_id}/notes")
async def _note_page(w: World) -> list[Ev]:
    p = await deliberating(w)
    tablet = await w.juror(M92_25, p.juror)
    await w.mark()
    response = await tablet.post(
        f"/deliberation/{p.panel}/notes",
        data={"candidate_id": str(p.candidates[0]), "text": "Pitch solide, chiffres à vérifier"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return [seat(p.juror)("deliberation.note_added", f"candidate:{p.candidates[0]}")]


@case("POST /api/rounds/{round_id}/ballots")
async def _ballot_api(w: World) -> list[Ev]:
    p = await deliberating(w)
    chair = await w.juror(M92_25, p.chair)
    await w.mark()
    ballot = await open_ballot(w, p, chair)
    return [seat(p.chair, "chair")("deliberation.ballot_opened", f"ballot:{ballot}")]


@case("POST /deliberation/{panel_id}/scrutins")
async def _ballot_page(w: World) -> list[Ev]:
    p = await deliberating(w)
    chair = await w.juror(M92_25, p.chair)
    await w.mark()
    response = await chair.post(
        f"/deliberation/{p.panel}/scrutins",
        data={"kind": "ranked", "title": "Finalistes", "candidate_ids": [str(c) for c in p.candidates[:3]]},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    ballot = await w.val("select max(id) from ballots")
    return [seat(p.chair, "chair")("deliberation.ballot_opened", f"ballot:{ballot}")]


@case("POST /api/ballots/{ballot_id}/votes")
async def _vote_api(w: World) -> list[Ev]:
    p = await deliberating(w)
    ballot = await open_ballot(w, p, await w.juror(M92_25, p.chair))
    tablet = await w.juror(M92_25, p.juror)
    await w.mark()
    response = await tablet.post(f"/api/ballots/{ballot}/votes", json={"approved": [p.candidates[0]]})
    assert response.status_code == 200, response.text
    return [seat(p.juror)("deliberation.vote_cast", f"ballot:{ballot}")]


@case("POST /deliberation/scrutins/{ballot_id}/vote")
async def _vote_page(w: World) -> list[Ev]:
    p = await deliberating(w)
    ballot = await open_ballot(w, p, await w.juror(M92_25, p.chair))
    tablet = await w.juror(M92_25, p.juror)
    await w.mark()
    response = await tablet.post(
        f"/deliberation/scrutins/{ballot}/vote",
        data={"kind": "approval", "approved": [str(p.candidates[1])]},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return [seat(p.juror)("deliberation.vote_cast", f"ballot:{ballot}")]


@case("POST /api/ballots/{ballot_id}/close")
async def _close_api(w: World) -> list[Ev]:
    p = await deliberating(w)
    chair = await w.juror(M92_25, p.chair)
    ballot = await open_ballot(w, p, chair)
    voted = await chair.post(f"/api/ballots/{ballot}/votes", json={"approved": [p.candidates[0]]})
    assert voted.status_code == 200, voted.text
    await w.mark()
    response = await chair.post(f"/api/ballots/{ballot}/close", json={})
    assert response.status_code == 200, response.text
    return [seat(p.chair, "chair")("deliberation.ballot_closed", f"ballot:{ballot}")]


@case("POST /deliberation/scrutins/{ballot_id}/cloture")
async def _close_page(w: World) -> list[Ev]:
    p = await deliberating(w)
    chair = await w.juror(M92_25, p.chair)
    ballot = await open_ballot(w, p, chair)
    voted = await chair.post(f"/api/ballots/{ballot}/votes", json={"approved": [p.candidates[1]]})
    assert voted.status_code == 200, voted.text
    await w.mark()
    response = await chair.post(f"/deliberation/scrutins/{ballot}/cloture", follow_redirects=False)
    assert response.status_code == 303, response.text
    return [seat(p.chair, "chair")("deliberation.ballot_closed", f"ballot:{ballot}")]


@case("POST /api/ballots/{ballot_id}/casting-vote")
async def _casting_api(w: World) -> list[Ev]:
    p = await deliberating(w)
    ballot, chair = await tied_ballot(w, p)
    await w.mark()
    response = await chair.post(
        f"/api/ballots/{ballot}/casting-vote", json={"order": p.candidates[:2], "reason": "Ancrage local"}
    )
    assert response.status_code == 200, response.text
    return [seat(p.chair, "chair")("deliberation.casting_vote", f"ballot:{ballot}")]


@case("POST /deliberation/scrutins/{ballot_id}/voix-preponderante")
async def _casting_page(w: World) -> list[Ev]:
    p = await deliberating(w)
    ballot, chair = await tied_ballot(w, p)
    first, second = p.candidates[:2]
    await w.mark()
    response = await chair.post(
        f"/deliberation/scrutins/{ballot}/voix-preponderante",
        data={f"rang-{second}": "1", f"rang-{first}": "2", "reason": "Ancrage local"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return [seat(p.chair, "chair")("deliberation.casting_vote", f"ballot:{ballot}")]


@case("POST /api/rounds/{round_id}/advance")
async def _advance_api(w: World) -> list[Ev]:
    p = await deliberating(w)
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.post(
        f"/api/rounds/{p.round}/advance",
        json={"advance": p.candidates[:2], "based_on": "affine, empreinte 3f2a", "panel_id": p.panel},
    )
    assert response.status_code == 200, response.text
    return [organiser(await w.person(CLAIRE))("deliberation.advanced", f"round:{p.round}")]


@case("POST /organisation/editions/{slug}/decisions/qualifies")
async def _advance_page(w: World) -> list[Ev]:
    p = await deliberating(w)
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.post(
        f"/organisation/editions/{M92_25}/decisions/qualifies",
        data={
            "round_id": str(p.round),
            "panel_id": str(p.panel),
            "advance": [str(c) for c in p.candidates[:2]],
            "based_on": "affine, empreinte 3f2a",
            "reason": "Deux meilleurs classements du jury Nord",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return [organiser(await w.person(CLAIRE))("deliberation.advanced", f"round:{p.round}")]


async def grand_jury(w: World) -> tuple[int, int, int]:
    """The final of Made in 92 2025 (in preparation), its Grand jury, and a semi-final juror not on it."""
    final = await w.round(M92_25, "final")
    panel = await w.val("select id from panels where round_id = $1", final)
    juror = await w.val(
        "select min(m.person_id) from panel_members m join panels p on p.id = m.panel_id where p.round_id = $1 "
        "and m.person_id not in (select person_id from panel_members where panel_id = $2)",
        await w.round(M92_25, "semi_final"),
        panel,
    )
    return final, panel, juror


@case("POST /api/rounds/{round_id}/entries/panels")
async def _place_entries(w: World) -> list[Ev]:
    final, panel, _ = await grand_jury(w)
    candidate = await w.val(
        "select min(candidate_id) from candidate_rounds where round_id = $1",
        await w.round(M92_25, "semi_final"),
    )
    # Setup: a finalist entered without a panel (as a round with several panels leaves them).
    await w.db.conn.execute(
        "insert into candidate_rounds (candidate_id, round_id) values ($1, $2)", candidate, final
    )
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.post(
        f"/api/rounds/{final}/entries/panels",
        json={"entries": [{"candidate_id": candidate, "panel_id": panel}]},
    )
    assert response.status_code == 200, response.text
    return [organiser(await w.person(CLAIRE))("round.entries_placed", f"round:{final}")]


@case("POST /api/panels/{panel_id}/members")
async def _add_member(w: World) -> list[Ev]:
    _, panel, juror = await grand_jury(w)
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.post(f"/api/panels/{panel}/members", json={"person_id": juror})
    assert response.status_code == 201, response.text
    return [organiser(await w.person(CLAIRE))("panel.member_added", f"panel:{panel}")]


@case("DELETE /api/panels/{panel_id}/members/{person_id}")
async def _remove_member(w: World) -> list[Ev]:
    _, panel, _ = await grand_jury(w)
    member = await w.val("select min(person_id) from panel_members where panel_id = $1", panel)
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.delete(f"/api/panels/{panel}/members/{member}")
    assert response.status_code == 200, response.text
    return [organiser(await w.person(CLAIRE))("panel.member_removed", f"panel:{panel}")]


@case("POST /organisation/rounds/{round_id}/entrants")
async def _entries_page(w: World) -> list[Ev]:
    final, panel, juror = await grand_jury(w)
    org = await w.organiser(CLAIRE)
    await w.mark()
    url = f"/organisation/rounds/{final}/entrants/"
    added = await org.post(url, data={"action": "ajouter", "panel_id": str(panel), "person_id": str(juror)})
    assert added.status_code == 200 and "siège désormais" in added.text, added.text
    removed = await org.post(url, data={"action": "retirer", "panel_id": str(panel), "person_id": str(juror)})
    assert removed.status_code == 200 and "Juré retiré" in removed.text, removed.text
    ev = organiser(await w.person(CLAIRE))
    return [ev("panel.member_added", f"panel:{panel}"), ev("panel.member_removed", f"panel:{panel}")]


async def cakes(w: World) -> list[int]:
    return [
        r["candidate_id"]
        for r in await w.rows(
            "select candidate_id from candidate_rounds where round_id = $1 order by candidate_id",
            await w.round(GATEAU_25, "tasting"),
        )
    ]


@case("POST /api/editions/{slug}/awards")
async def _awards_api(w: World) -> list[Ev]:
    first, second, third = (await cakes(w))[:3]
    org = await w.organiser(ROMAIN)
    await w.mark()
    response = await org.post(
        f"/api/editions/{GATEAU_25}/awards",
        json={
            "awards": [
                {"prize": "premier-prix", "candidate_id": first},
                {"prize": "deuxieme-prix", "candidate_id": second},
                {"prize": "troisieme-prix", "candidate_id": third},
            ],
            "based_on": "moyenne des notes, empreinte 9c1d",
        },
    )
    assert response.status_code == 201, response.text
    ev = organiser(await w.person(ROMAIN))
    return [ev("deliberation.award_granted", f"candidate:{c}") for c in (first, second, third)]


async def awarded_first_prize(w: World, org: AsyncTestClient) -> tuple[int, int]:
    """The Gâteau 2025 podium given in its tasting (moved to deliberation by hand, before the mark); the
    first prize's decision and its laureate."""
    first, second, third = (await cakes(w))[:3]
    tasting = await w.round(GATEAU_25, "tasting")
    await w.db.conn.execute("update rounds set status = 'deliberation' where id = $1", tasting)
    given = await org.post(
        f"/api/editions/{GATEAU_25}/awards",
        json={
            "awards": [
                {"prize": "premier-prix", "candidate_id": first},
                {"prize": "deuxieme-prix", "candidate_id": second},
                {"prize": "troisieme-prix", "candidate_id": third},
            ],
            "round_id": tasting,
            "reason": "Podium du jury de dégustation",
            "based_on": "moyenne des notes, empreinte 9c1d",
        },
    )
    assert given.status_code == 201, given.text
    decisions = (await org.get(f"/api/editions/{GATEAU_25}/decisions")).json()
    [decision] = [d for d in decisions if d["candidate_id"] == first and d["kind"] == "award"]
    return decision["id"], first


@case("POST /api/decisions/{decision_id}/undo")
async def _undo_api(w: World) -> list[Ev]:
    org = await w.organiser(ROMAIN)
    decision, laureate = await awarded_first_prize(w, org)
    await w.mark()
    response = await org.post(f"/api/decisions/{decision}/undo", json={"reason": "Erreur de report"})
    assert response.status_code == 200, response.text
    return [organiser(await w.person(ROMAIN))("deliberation.decision_undone", f"candidate:{laureate}")]


@case("POST /organisation/editions/{slug}/decisions/{decision_id}/annuler")
async def _undo_page(w: World) -> list[Ev]:
    org = await w.organiser(ROMAIN)
    decision, laureate = await awarded_first_prize(w, org)
    await w.mark()
    response = await org.post(
        f"/organisation/editions/{GATEAU_25}/decisions/{decision}/annuler",
        data={"reason": "Erreur de report"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return [organiser(await w.person(ROMAIN))("deliberation.decision_undone", f"candidate:{laureate}")]


@case("POST /deliberation/corrections/{decision_id}")
async def _chair_correction(w: World) -> list[Ev]:
    org = await w.organiser(ROMAIN)
    decision, laureate = await awarded_first_prize(w, org)
    await w.db.conn.execute("update editions set status = 'decided' where slug = $1", GATEAU_25)
    chair = await w.val(
        "select m.person_id from panel_members m join panels p on p.id = m.panel_id "
        "where p.round_id = $1 and m.role = 'chair'",
        await w.round(GATEAU_25, "tasting"),
    )
    tablet = await w.juror(GATEAU_25, chair)
    await w.mark()
    response = await tablet.post(
        f"/deliberation/corrections/{decision}",
        data={"reason": "Erreur de report", "replacement_candidate_id": ""},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return [Ev(chair, f"chair:{chair}", "deliberation.decision_undone", f"candidate:{laureate}")]


@case("POST /organisation/editions/{slug}/decisions/prix")
async def _awards_page(w: World) -> list[Ev]:
    first, second, third = (await cakes(w))[:3]
    org = await w.organiser(ROMAIN)
    await w.mark()
    response = await org.post(
        f"/organisation/editions/{GATEAU_25}/decisions/prix",
        data={
            "prix-premier-prix": str(first),
            "prix-deuxieme-prix": str(second),
            "prix-troisieme-prix": str(third),
            "based_on": "moyenne des notes, empreinte 9c1d",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    ev = organiser(await w.person(ROMAIN))
    # One event per award, in the order the form's fields arrived: the order the awards were written.
    order = [
        r["candidate_id"]
        for r in await w.rows(
            "select a.candidate_id from awards a join prizes p on p.id = a.prize_id "
            "where p.edition_id = $1 order by a.id",
            await w.edition(GATEAU_25),
        )
    ]
    assert sorted(order) == [first, second, third]
    return [ev("deliberation.award_granted", f"candidate:{c}") for c in order]


async def grant_line(w: World, org: AsyncTestClient) -> tuple[int, int]:
    """The first line of the budget proposal: an eligible project and an amount the rules accept. Grants
    follow a deliberating committee's standing: the demo's 2024 committee is moved to deliberation first."""
    committee = await w.round(PROGRESS_24, "committee")
    moved = await org.post(f"/api/rounds/{committee}/status", json={"to": "deliberation"})
    assert moved.status_code == 200, moved.text
    proposal = await org.get(f"/api/editions/{PROGRESS_24}/grants/proposal")
    assert proposal.status_code == 200, proposal.text
    line = next(li for li in proposal.json()["lines"] if li["proposed_eur"])
    return line["candidate_id"], line["proposed_eur"]


@case("POST /api/editions/{slug}/grants")
async def _grants_api(w: World) -> list[Ev]:
    org = await w.organiser(LEILA)
    candidate, amount = await grant_line(w, org)
    await w.mark()
    response = await org.post(
        f"/api/editions/{PROGRESS_24}/grants",
        json={"grants": [{"candidate_id": candidate, "granted_eur": amount}], "based_on": "comité, affine"},
    )
    assert response.status_code == 201, response.text
    return [organiser(await w.person(LEILA))("deliberation.grant_awarded", f"candidate:{candidate}")]


@case("POST /organisation/editions/{slug}/subventions")
async def _grants_page(w: World) -> list[Ev]:
    org = await w.organiser(LEILA)
    candidate, amount = await grant_line(w, org)
    await w.mark()
    response = await org.post(
        f"/organisation/editions/{PROGRESS_24}/subventions",
        data={f"montant-{candidate}": str(amount), "based_on": "comité, affine"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return [organiser(await w.person(LEILA))("deliberation.grant_awarded", f"candidate:{candidate}")]


@case("PUT /api/rounds/{round_id}/standings/method")
async def _method_api(w: World) -> list[Ev]:
    semi = await w.round(M92_25, "semi_final")
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.put(f"/api/rounds/{semi}/standings/method", json={"method": "zscore"})
    assert response.status_code == 200, response.text
    return [organiser(await w.person(CLAIRE))("round.method_changed", f"round:{semi}")]


@case("POST /organisation/rounds/{round_id}/classement/methode")
async def _method_page(w: World) -> list[Ev]:
    semi = await w.round(M92_25, "semi_final")
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.post(
        f"/organisation/rounds/{semi}/classement/methode", data={"method": "raw"}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return [organiser(await w.person(CLAIRE))("round.method_changed", f"round:{semi}")]


@case("POST /api/rounds/{round_id}/standings/publish")
async def _publish_api(w: World) -> list[Ev]:
    tasting = await w.round(GATEAU_23, "tasting")
    org = await w.organiser(ROMAIN)
    await w.mark()
    response = await org.post(f"/api/rounds/{tasting}/standings/publish")
    assert response.status_code == 201, response.text
    return [organiser(await w.person(ROMAIN))("standings.published", f"round:{tasting}")]


@case("POST /organisation/rounds/{round_id}/classement/publier")
async def _publish_page(w: World) -> list[Ev]:
    tasting = await w.round(GATEAU_23, "tasting")
    org = await w.organiser(ROMAIN)
    await w.mark()
    response = await org.post(f"/organisation/rounds/{tasting}/classement/publier", follow_redirects=False)
    assert response.status_code == 303, response.text
    return [organiser(await w.person(ROMAIN))("standings.published", f"round:{tasting}")]


# Jurors' tablets: the Nord juror of the open semi-final, whose declarations are not all made yet.


async def undeclared(w: World) -> tuple[int, int, list[int]]:
    semi, panel, _ = await semi_final(w)
    juror = await w.val(
        "select min(person_id) from panel_members m where panel_id = $1 and role = 'juror' "
        "and not exists (select 1 from panel_members o where o.person_id = m.person_id and o.panel_id <> $1)",
        panel,
    )
    candidates = [
        r["candidate_id"]
        for r in await w.rows(
            "select a.candidate_id from assignments a where a.panel_id = $1 and a.person_id = $2 "
            "and not exists (select 1 from conflict_declarations d where d.round_id = $3 "
            "and d.person_id = a.person_id and d.candidate_id = a.candidate_id) order by a.candidate_id",
            panel,
            juror,
            semi,
        )
    ]
    assert len(candidates) >= 2
    return semi, juror, candidates


@case("PUT /api/jure/tours/{round_id}/conflits")
async def _conflicts_api(w: World) -> list[Ev]:
    semi, juror, (free, conflicted, *_) = await undeclared(w)
    tablet = await w.juror(M92_25, juror)
    await w.mark()
    response = await tablet.put(
        f"/api/jure/tours/{semi}/conflits",
        json={
            "declarations": [
                {"candidate_id": free, "has_conflict": False},
                {
                    "candidate_id": conflicted,
                    "has_conflict": True,
                    "reason": "Ancienne associée du fondateur",
                },
            ]
        },
    )
    assert response.status_code == 200, response.text
    ev = seat(juror)
    return [ev("conflict.none_declared", f"round:{semi}"), ev("conflict.declared", f"round:{semi}")]


@case("POST /jure/tours/{round_id}/conflits")
async def _conflicts_page(w: World) -> list[Ev]:
    semi, juror, candidates = await undeclared(w)
    tablet = await w.juror(M92_25, juror)
    listed = await tablet.get(f"/api/jure/tours/{semi}/conflits")
    order = [c["candidate"]["id"] for c in listed.json()["candidates"] if not c["declared"]]
    assert sorted(order) == candidates
    conflicted = order[-1]
    form = {f"choice-{c}": "none" for c in order} | {
        f"choice-{conflicted}": "conflict",
        f"reason-{conflicted}": "Client de mon cabinet",
    }
    await w.mark()
    response = await tablet.post(f"/jure/tours/{semi}/conflits", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    ev = seat(juror)
    return [ev("conflict.none_declared", f"round:{semi}") for _ in order[:-1]] + [
        ev("conflict.declared", f"round:{semi}")
    ]


async def ready_to_score(w: World) -> tuple[int, int, int, AsyncTestClient, dict]:
    """The juror declares 'no conflict' for every candidate (setup), then opens a blank sheet."""
    semi, juror, candidates = await undeclared(w)
    tablet = await w.juror(M92_25, juror)
    declared = await tablet.put(
        f"/api/jure/tours/{semi}/conflits",
        json={"declarations": [{"candidate_id": c, "has_conflict": False} for c in candidates]},
    )
    assert declared.status_code == 200 and declared.json()["complete"], declared.text
    page = await tablet.get(f"/api/jure/feuilles/{semi}/{candidates[0]}")
    assert page.status_code == 200 and page.json()["sheet"] is None, page.text
    return semi, juror, candidates[0], tablet, page.json()


def middle(criterion: dict) -> float:
    choices = criterion["choices"] or [criterion["min"], criterion["max"]]
    return choices[len(choices) // 2]


@case("PUT /api/jure/feuilles/{round_id}/{candidate_id}")
async def _sheet_api(w: World) -> list[Ev]:
    semi, juror, candidate, tablet, page = await ready_to_score(w)
    values = {str(c["id"]): middle(c) for c in page["criteria"]}
    comments = {str(c["id"]): "Présentation claire" for c in page["criteria"]}
    await w.mark()
    url = f"/api/jure/feuilles/{semi}/{candidate}"
    draft = await tablet.put(
        url,
        json={"version": 0, "idempotency_key": str(uuid.uuid4()), "values": values, "comments": comments},
    )
    assert draft.status_code == 201, draft.text
    body = {
        "version": draft.json()["version"],
        "idempotency_key": str(uuid.uuid4()),
        "values": values,
        "comments": comments,
        "status": "submitted",
    }
    submitted = await tablet.put(url, json=body)
    assert submitted.status_code == 200, submitted.text
    replayed = await tablet.put(url, json=body)  # a retry of the same write changes nothing
    assert replayed.status_code == 200 and replayed.headers.get("Idempotent-Replay") == "true"
    sheet = draft.json()["id"]
    return [seat(juror)("sheet.saved", f"sheet:{sheet}"), seat(juror)("sheet.submitted", f"sheet:{sheet}")]


@case("POST /jure/feuilles/{round_id}/{candidate_id}")
async def _sheet_page(w: World) -> list[Ev]:
    semi, juror, candidate, tablet, page = await ready_to_score(w)
    form = {"version": "0", "action": "submit"}
    for criterion in page["criteria"]:
        form[f"value-{criterion['id']}"] = str(middle(criterion))
        form[f"comment-{criterion['id']}"] = "Présentation claire"
    await w.mark()
    response = await tablet.post(f"/jure/feuilles/{semi}/{candidate}", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    sheet = await w.val(
        "select id from score_sheets where round_id = $1 and person_id = $2 and candidate_id = $3",
        semi,
        juror,
        candidate,
    )
    return [seat(juror)("sheet.submitted", f"sheet:{sheet}")]


# Diplomas of the decided Gâteau 2023 (three laureates).

DIPLOMAS = f"/organisation/editions/{GATEAU_23}/diplomes"


async def diplomas(w: World) -> list[int]:
    edition = await w.edition(GATEAU_23)
    return [
        r["id"]
        for r in await w.rows(
            "select d.id from diplomas d join awards a on a.id = d.award_id join prizes p on p.id = a.prize_id "
            "where p.edition_id = $1 order by d.id",
            edition,
        )
    ]


async def issued(w: World) -> list[int]:
    await issue_diplomas(w.db, edition_id=await w.edition(GATEAU_23))
    return await diplomas(w)


@case("POST /organisation/editions/{slug}/diplomes/generer")
async def _generate(w: World) -> list[Ev]:
    org = await w.organiser(ROMAIN)
    await w.mark()
    response = await org.post(f"{DIPLOMAS}/generer", follow_redirects=False)
    assert response.status_code == 303, response.text
    for _ in range(240):
        fragment = await org.get(f"{DIPLOMAS}/progression")
        if "terminée" in fragment.text or "échoué" in fragment.text.lower():
            break
        await asyncio.sleep(0.5)
    assert "terminée" in fragment.text, fragment.text
    ev = organiser(await w.person(ROMAIN))
    made = await diplomas(w)
    assert len(made) == 3
    return [ev("diploma.issue", f"diploma:{d}") for d in made]


@case("POST /organisation/editions/{slug}/diplomes/liens")
async def _links(w: World) -> list[Ev]:
    made = await issued(w)
    org = await w.organiser(ROMAIN)
    await w.mark()
    response = await org.post(f"{DIPLOMAS}/liens", data={"days": "30"})
    assert response.status_code == 200 and response.text.count("/diplome/") >= 3, response.text
    order = [r["diploma_id"] for r in await w.rows("select diploma_id from diploma_links order by id")]
    assert sorted(order) == made
    ev = organiser(await w.person(ROMAIN))
    return [ev("diploma.link.create", f"diploma:{d}") for d in order]


@case("POST /organisation/editions/{slug}/diplomes/{diploma_id}/revoquer")
async def _revoke_diploma(w: World) -> list[Ev]:
    diploma = (await issued(w))[0]
    org = await w.organiser(ROMAIN)
    await w.mark()
    response = await org.post(
        f"{DIPLOMAS}/{diploma}/revoquer", data={"reason": "Erreur sur le lauréat"}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return [organiser(await w.person(ROMAIN))("diploma.revoke", f"diploma:{diploma}")]


@case("POST /organisation/editions/{slug}/diplomes/liens/{link_id}/revoquer")
async def _revoke_link(w: World) -> list[Ev]:
    diploma = (await issued(w))[0]
    org = await w.organiser(ROMAIN)
    made = await org.post(f"{DIPLOMAS}/liens", data={"diploma_id": str(diploma)})
    assert made.status_code == 200, made.text
    link = await w.val("select id from diploma_links where diploma_id = $1", diploma)
    await w.mark()
    response = await org.post(f"{DIPLOMAS}/liens/{link}/revoquer", follow_redirects=False)
    assert response.status_code == 303, response.text
    return [organiser(await w.person(ROMAIN))("diploma.link.revoke", f"diploma:{diploma}")]


class Inbox:
    """An aiosmtpd handler keeping the messages it receives."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.count += 1
        return "250 OK"


@case("POST /organisation/editions/{slug}/diplomes/envoyer")
async def _send(w: World) -> list[Ev]:
    controller_module = pytest.importorskip("aiosmtpd.controller")
    made = await issued(w)
    port = free_port()
    inbox = Inbox()
    controller = controller_module.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        mailing = msgspec.structs.replace(
            w.settings, smtp_host="127.0.0.1", smtp_port=port, smtp_from="concours@exemple.fr"
        )
        org = await w.organiser(ROMAIN, settings=mailing)
        await w.mark()
        response = await org.post(f"{DIPLOMAS}/envoyer", data={"days": "30"})
        assert response.status_code == 200 and "3 e-mail(s) envoyé(s)" in response.text, response.text
        assert inbox.count == 3
    finally:
        controller.stop()
    order = [r["diploma_id"] for r in await w.rows("select diploma_id from diploma_links order by id")]
    assert sorted(order) == made
    ev = organiser(await w.person(ROMAIN))
    return [ev("diploma.link.create", f"diploma:{d}") for d in order]


# --- Contests and editions set up (issue 14) -------------------------------------------------------------

ADMIN = "admin@exemple.fr"  # the demo's Département administrator
NEW_CONTEST = {
    "slug": "curious-lab",
    "name": "Curious Lab'",
    "organisers": "Département des Hauts-de-Seine",
    "candidate_kind": "organisation",
    "description": "Projets étudiants pour les communes.",
}


@case("POST /api/contests")
async def _contest_api(w: World) -> list[Ev]:
    admin = await w.organiser(ADMIN)
    await w.mark()
    response = await admin.post("/api/contests", json=NEW_CONTEST)
    assert response.status_code == 201, response.text
    return [organiser(await w.person(ADMIN))("contest.created", "contest:curious-lab")]


@case("POST /organisation/concours/nouveau")
async def _contest_page(w: World) -> list[Ev]:
    admin = await w.organiser(ADMIN)
    await w.mark()
    response = await admin.post("/organisation/concours/nouveau", data=NEW_CONTEST, follow_redirects=False)
    assert response.status_code == 303, response.text
    return [organiser(await w.person(ADMIN))("contest.created", "contest:curious-lab")]


@case("POST /api/contests/{contest}/organisers")
async def _organiser_api(w: World) -> list[Ev]:
    admin = await w.organiser(ADMIN)
    await w.mark()
    response = await admin.post(
        "/api/contests/made-in-92/organisers",
        json={
            "email": "nouvelle.orga@exemple.fr",
            "name": "Nouvelle Orga",
            "password": "mot-de-passe-initial",
        },
    )
    assert response.status_code == 201, response.text
    return [organiser(await w.person(ADMIN))("contest.organiser_named", "contest:made-in-92")]


@case("POST /organisation/concours/{contest}/organisateurs")
async def _organiser_page(w: World) -> list[Ev]:
    admin = await w.organiser(ADMIN)
    await w.mark()
    response = await admin.post(
        "/organisation/concours/progress/organisateurs",
        data={"email": CLAIRE, "name": "", "password": ""},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return [organiser(await w.person(ADMIN))("contest.organiser_named", "contest:progress")]


@case("POST /api/contests/{contest}/editions")
async def _edition_api(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.post("/api/contests/made-in-92/editions", json={"year": 2026, "copy_from": M92_25})
    assert response.status_code == 201, response.text
    return [organiser(await w.person(CLAIRE))("edition.created", "edition:made-in-92-2026")]


@case("POST /organisation/concours/{contest}/editions")
async def _edition_page(w: World) -> list[Ev]:
    org = await w.organiser(ROMAIN)
    await w.mark()
    response = await org.post(
        "/organisation/concours/gateau-des-hauts-de-seine/editions",
        data={"year": "2026", "copy_from": GATEAU_25},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return [organiser(await w.person(ROMAIN))("edition.created", "edition:gateau-des-hauts-de-seine-2026")]


@case("PATCH /api/editions/{slug}")
async def _settings_api(w: World) -> list[Ev]:
    org = await w.organiser(LEILA)
    await w.mark()
    response = await org.patch(f"/api/editions/{PROGRESS_24}", json={"accepted_outside_insee": ["95018"]})
    assert response.status_code == 200, response.text
    return [organiser(await w.person(LEILA))("edition.updated", f"edition:{PROGRESS_24}")]


@case("PUT /api/editions/{slug}/signatories")
async def _signatories_api(w: World) -> list[Ev]:
    org = await w.organiser(LEILA)
    await w.mark()
    response = await org.put(
        f"/api/editions/{PROGRESS_24}/signatories",
        json=[{"name": "Georges Siffredi", "title": "Le Président du Département des Hauts-de-Seine"}],
    )
    assert response.status_code == 200, response.text
    return [organiser(await w.person(LEILA))("signatories.replaced", f"edition:{PROGRESS_24}")]


@case("POST /organisation/editions/{slug}/parametres")
async def _settings_page(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    row = await w.row("select number, place, retention_months from editions where slug = $1", M92_25)
    await w.mark()
    response = await org.post(
        f"/organisation/editions/{M92_25}/parametres",
        data={
            "number": str(row["number"]),
            "place": row["place"],
            "theme": "Dix ans d'entrepreneurs",
            "retention_months": str(row["retention_months"]),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return [organiser(await w.person(CLAIRE))("edition.updated", f"edition:{M92_25}")]


@case("POST /api/editions/{slug}/status")
async def _status_api(w: World) -> list[Ev]:
    org = await w.organiser(ROMAIN)
    await w.mark()
    response = await org.post(f"/api/editions/{GATEAU_23}/status", json={"status": "archived"})
    assert response.status_code == 200, response.text
    return [organiser(await w.person(ROMAIN))("edition.status_changed", f"edition:{GATEAU_23}")]


@case("POST /organisation/editions/{slug}/etat")
async def _status_page(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.post(
        f"/organisation/editions/{M92_24}/etat",
        data={"status": "archived", "reason": ""},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return [organiser(await w.person(CLAIRE))("edition.status_changed", f"edition:{M92_24}")]


# --- Rounds, panels, grids, prizes and eligibility rules (setup) ------------------------------------------


async def draft_round(w: World) -> int:
    """A new empty round at the end of Made in 92 2025 (setup, not the act tested)."""
    edition = await w.edition(M92_25)
    return await w.val(
        "insert into rounds (edition_id, kind, name, position) select $1, 'final', 'Finale bis', "
        "max(position) + 1 from rounds where edition_id = $1 returning id",
        edition,
    )


@case("POST /api/editions/{slug}/rounds")
async def _round_create_api(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.post(f"/api/editions/{M92_25}/rounds", json={"kind": "final", "name": "Finale bis"})
    assert response.status_code == 201, response.text
    return [organiser(await w.person(CLAIRE))("round.created", f"round:{response.json()['id']}")]


@case("POST /organisation/editions/{slug}/tours")
async def _round_create_page(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.post(
        f"/organisation/editions/{M92_25}/tours",
        data={
            "kind": "final",
            "name": "Finale bis",
            "quota_scope": "overall",
            "blind": "non",
            "method": "affine",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    created = await w.val("select max(id) from rounds")
    return [organiser(await w.person(CLAIRE))("round.created", f"round:{created}")]


@case("PATCH /api/rounds/{round_id}")
async def _round_update_api(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    round_id = await draft_round(w)
    await w.mark()
    response = await org.patch(f"/api/rounds/{round_id}", json={"name": "Grande finale", "advance_count": 3})
    assert response.status_code == 200, response.text
    return [organiser(await w.person(CLAIRE))("round.updated", f"round:{round_id}")]


@case("POST /organisation/rounds/{round_id}/reglage")
async def _round_update_page(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    round_id = await draft_round(w)
    await w.mark()
    response = await org.post(
        f"/organisation/rounds/{round_id}/reglage", data={"name": "Grande finale"}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return [organiser(await w.person(CLAIRE))("round.updated", f"round:{round_id}")]


@case("DELETE /api/rounds/{round_id}")
async def _round_delete_api(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    round_id = await draft_round(w)
    await w.mark()
    response = await org.delete(f"/api/rounds/{round_id}")
    assert response.status_code == 204, response.text
    return [organiser(await w.person(CLAIRE))("round.deleted", f"round:{round_id}")]


@case("POST /organisation/rounds/{round_id}/suppression")
async def _round_delete_page(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    round_id = await draft_round(w)
    await w.mark()
    response = await org.post(f"/organisation/rounds/{round_id}/suppression", follow_redirects=False)
    assert response.status_code == 303, response.text
    return [organiser(await w.person(CLAIRE))("round.deleted", f"round:{round_id}")]


@case("POST /api/rounds/{round_id}/panels")
async def _panel_api(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    round_id = await draft_round(w)
    await w.mark()
    response = await org.post(f"/api/rounds/{round_id}/panels", json={"name": "Grand jury"})
    assert response.status_code == 201, response.text
    return [organiser(await w.person(CLAIRE))("panel.created", f"panel:{response.json()['id']}")]


@case("POST /organisation/rounds/{round_id}/jurys")
async def _panel_page(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    round_id = await draft_round(w)
    await w.mark()
    response = await org.post(
        f"/organisation/rounds/{round_id}/jurys", data={"name": "Grand jury"}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    panel = await w.val("select id from panels where round_id = $1", round_id)
    return [organiser(await w.person(CLAIRE))("panel.created", f"panel:{panel}")]


GRID_LINE = {
    "code": "impact",
    "label": "Impact",
    "weight": 100,
    "scale_min": 0,
    "scale_max": 10,
    "scale_step": 1,
}


@case("PUT /api/editions/{slug}/categories/{code}/criteria")
async def _criteria_api(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.put(
        f"/api/editions/{M92_25}/categories/nouvelle/criteria",
        json={"name": "Nouvelle", "criteria": [GRID_LINE]},
    )
    assert response.status_code == 200, response.text
    category = await w.val("select max(id) from categories")
    return [organiser(await w.person(CLAIRE))("criteria.replaced", f"category:{category}")]


@case("POST /organisation/editions/{slug}/grille/criteres")
async def _criteria_page(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    await w.mark()
    form = {"category": "nouvelle", "name": "Nouvelle", **{f"{k}-0": str(v) for k, v in GRID_LINE.items()}}
    response = await org.post(
        f"/organisation/editions/{M92_25}/grille/criteres", data=form, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    category = await w.val("select max(id) from categories")
    return [organiser(await w.person(CLAIRE))("criteria.replaced", f"category:{category}")]


async def current_prizes(org: AsyncTestClient) -> list[dict]:
    grid = (await org.get(f"/api/editions/{M92_25}/grid")).json()
    keep = ("code", "name", "kind", "category", "place", "amount_eur", "ex_aequo_allowed", "max_winners")
    return [{k: p[k] for k in keep} for p in grid["prizes"]]


@case("PUT /api/editions/{slug}/prizes")
async def _prizes_api(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    prizes = await current_prizes(org)
    await w.mark()
    extra = {"code": "coup-de-coeur", "name": "Coup de cœur", "kind": "special"}
    response = await org.put(f"/api/editions/{M92_25}/prizes", json=[*prizes, extra])
    assert response.status_code == 200, response.text
    return [organiser(await w.person(CLAIRE))("prizes.replaced", f"edition:{M92_25}")]


@case("POST /organisation/editions/{slug}/grille/prix")
async def _prizes_page(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    prizes = await current_prizes(org)
    await w.mark()
    form: dict[str, str] = {}
    for i, p in enumerate(prizes):
        for k in ("code", "name", "kind", "category", "place", "amount_eur"):
            form[f"{k}-{i}"] = "" if p[k] is None else str(p[k])
        if p["ex_aequo_allowed"]:
            form[f"ex_aequo_allowed-{i}"] = "on"
    response = await org.post(
        f"/organisation/editions/{M92_25}/grille/prix", data=form, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return [organiser(await w.person(CLAIRE))("prizes.replaced", f"edition:{M92_25}")]


@case("PUT /api/editions/{slug}/eligibility")
async def _eligibility_rules_api(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.put(
        f"/api/editions/{M92_25}/eligibility",
        json={"territory": {"department": "92"}, "max_company_age_years": 8},
    )
    assert response.status_code == 200, response.text
    return [organiser(await w.person(CLAIRE))("eligibility.replaced", f"edition:{M92_25}")]


@case("POST /organisation/editions/{slug}/grille/eligibilite")
async def _eligibility_rules_page(w: World) -> list[Ev]:
    org = await w.organiser(CLAIRE)
    await w.mark()
    response = await org.post(
        f"/organisation/editions/{M92_25}/grille/eligibilite",
        data={"department": "92", "max_company_age_years": "8"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return [organiser(await w.person(CLAIRE))("eligibility.replaced", f"edition:{M92_25}")]


def test_every_audited_route_has_a_case() -> None:
    assert sorted(CASES) == sorted(AUDITED)


# --- The checks ------------------------------------------------------------------------------------------


async def check_new_events(w: World, expected: list[Ev], *, started: dt.datetime) -> None:
    rows = await w.rows("select * from audit_events where id > $1 order by id", w.mark_id)
    got = [Ev(r["actor_id"], r["actor_label"], r["action"], r["target"]) for r in rows]
    assert got == expected
    # Each new event links onto the one before it, starting from the event that ended the chain.
    previous = w.mark_hash
    for r in rows:
        assert r["prev_hash"] == previous
        assert HEX64.fullmatch(r["digest"]) and HEX64.fullmatch(r["hash"])
        assert started - dt.timedelta(seconds=5) <= r["occurred_at"] <= dt.datetime.now(dt.UTC)
        previous = r["hash"]
    report = await verify(w.db)
    assert (report.ok, report.checked) == (True, await w.val("select count(*) from audit_events"))
    # The trail holds digests, not data: no column for the change, and no name or e-mail in the text.
    assert set(rows[0].keys()) == TABLE_COLUMNS
    secrets = w.secrets | await w.personal_data()
    for r in rows:
        text = " ".join((r["actor_label"], r["action"], r["target"]))
        assert not [s for s in secrets if s in text], text


@pytest.mark.parametrize("route", sorted(AUDITED))
async def test_a_successful_call_appends_its_events(route: str, world: World) -> None:
    """Who did what, on what, when, with a digest of the change, chained onto the previous event."""
    started = dt.datetime.now(dt.UTC)
    expected = await CASES[route](world)
    assert expected and {e.action for e in expected} <= set(AUDITED[route])
    await check_new_events(world, expected, started=started)


async def test_exempted_routes_append_nothing(world: World) -> None:
    """Signing in and out, a card's sign-in and a plan's preview leave the trail as it was."""
    tasting = await world.round(GATEAU_25, "tasting")
    chair = await world.val(
        "select person_id from panel_members m join panels p on p.id = m.panel_id "
        "where p.round_id = $1 and m.role = 'chair'",
        tasting,
    )
    [card] = await issue_codes(world.db, edition_id=await world.edition(GATEAU_25), person_ids=[chair])
    await world.mark()
    org = await world.organiser(ROMAIN)
    preview = await org.post(f"/api/rounds/{tasting}/assignments/preview", json={"k": 9, "seed": 1})
    assert preview.status_code == 200, preview.text
    assert (await org.post("/deconnexion", follow_redirects=False)).status_code in (200, 303)
    tablet = await world.client()
    signed_in = await tablet.post("/acces", data={"code": card.code}, follow_redirects=False)
    assert signed_in.status_code == 303
    assert await world.val("select count(*) from audit_events where id > $1", world.mark_id) == 0


# --- The command line ------------------------------------------------------------------------------------


async def run_jury(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": settings.database_url or "", "JURY_LOG_FORMAT": "json"}
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "jury", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


async def test_jury_purge_appends_its_event(world: World) -> None:
    """The purge blanks names and e-mails, yet the chain still verifies and its event names no one."""
    started = dt.datetime.now(dt.UTC)
    await world.mark()
    result = await run_jury(world.settings, "purge", "--edition", M92_24, "--force")
    assert result.returncode == 0, result.stderr
    expected = [Ev(None, "système:purge", "edition.personal_data_purged", f"edition:{M92_24}")]
    await check_new_events(world, expected, started=started)


async def test_jury_diplomas_appends_one_event_per_issued_diploma(world: World, tmp_path: Path) -> None:
    """Diplomas issued from the command line are audited too, with the command line as actor."""
    started = dt.datetime.now(dt.UTC)
    await world.mark()
    result = await run_jury(
        world.settings, "diplomas", "--edition", GATEAU_23, "--out", str(tmp_path / "pdf")
    )
    assert result.returncode == 0, result.stderr
    made = await diplomas(world)
    assert len(made) == 3 and len(list((tmp_path / "pdf").glob("*.pdf"))) == 3
    expected = [Ev(None, "cli", "diploma.issue", f"diploma:{d}") for d in made]
    await check_new_events(world, expected, started=started)
