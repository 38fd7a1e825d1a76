"""Diplomas of a contest set up through the API, not one of the three built-in ones: the generic template,
the granted amount on the grant letter and on its public verification, the signatories set through the API."""

from __future__ import annotations

import asyncio
import html
import io
import re
from collections.abc import AsyncIterator

import msgspec
import pypdf
import pytest
from litestar.testing import AsyncTestClient
from tests import factories
from tests.helpers import make_organiser, sign_in

from jury.app import create_app
from jury.clock import Clock
from jury.db.queries import Database
from jury.settings import Settings

from .conftest import normalise

ADMIN = "admin@exemple.fr"
ORGANISER = "camille.renard@exemple.fr"
CONTEST = "curious-lab"
EDITION = "curious-lab-2023"
PAGE = f"/organisation/editions/{EDITION}/diplomes"
PRESIDENT = {"name": "Georges Siffredi", "title": "Le Président du Département des Hauts-de-Seine"}
PRIZE = "Solution retenue Curious Lab'"
# (structure, student lead, INSEE code, project, request = grant)
PROJECTS = (
    ("Ville de Sèvres", "Inès Garnier", "92072", "Un guichet unique", 20000),
    ("Ville de Clichy", "Hugo Lambert", "92024", "La logistique urbaine", 18000),
)


@pytest.fixture
async def app_client(settings: Settings, clock: Clock) -> AsyncIterator[AsyncTestClient]:
    settings = msgspec.structs.replace(settings, render_workers=1)
    async with AsyncTestClient(app=create_app(settings, clock=clock)) as client:
        yield client


async def ok(response, status: int = 200):
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url}: {response.text}"
    )
    return response.json() if response.content else None


def pdf_text(content: bytes) -> str:
    return normalise(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages))


def page_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", page)
    return " ".join(html.unescape(re.sub(r"(?s)<[^>]+>", " ", page)).split())


async def set_up_and_grant(client: AsyncTestClient, db: Database) -> dict[str, int]:
    """The administrator creates the contest; its organiser sets up the 2023 call from scratch (signatories
    included), enters two projects and grants them; returns candidate ids by structure."""
    await make_organiser(db, email=ADMIN, contests=[], admin=True)
    await sign_in(client, email=ADMIN)
    await ok(
        await client.post(
            "/api/contests",
            json={
                "slug": CONTEST,
                "name": "Curious Lab'",
                "organisers": "Département des Hauts-de-Seine",
                "candidate_kind": "organisation",
            },
        ),
        201,
    )
    client.cookies.clear()
    await make_organiser(db, email=ORGANISER, contests=[CONTEST])
    await sign_in(client, email=ORGANISER)
    edition = {
        "year": 2023,
        "number": 5,
        "opens_on": "2023-01-09",
        "closes_on": "2023-03-31",
        "budget_eur": 50000,
        "max_grant_eur": 20000,
        "eligible_legal_forms": ["Commune"],
    }
    created = await ok(await client.post(f"/api/contests/{CONTEST}/editions", json=edition), 201)
    assert created["copied"] == {}
    await ok(await client.put(f"/api/editions/{EDITION}/signatories", json=[PRESIDENT]))
    await ok(
        await client.post(f"/api/editions/{EDITION}/rounds", json={"kind": "committee", "name": "Comité"}),
        201,
    )
    await ok(
        await client.put(
            f"/api/editions/{EDITION}/categories/defis/criteria",
            json={
                "name": "Défis des communes",
                "weights_total": 100,
                "criteria": [
                    {
                        "code": "reponse",
                        "label": "Réponse au défi",
                        "weight": 100,
                        "scale_min": 0,
                        "scale_max": 10,
                        "scale_step": 0.5,
                    }
                ],
            },
        )
    )
    await ok(
        await client.put(
            f"/api/editions/{EDITION}/prizes",
            json=[{"code": "solution-retenue", "name": PRIZE, "kind": "laureate", "max_winners": None}],
        )
    )
    await ok(await client.post(f"/api/editions/{EDITION}/status", json={"status": "applications"}))
    ids = {}
    for n, (structure, lead, insee, project, amount) in enumerate(PROJECTS, start=1):
        entered = await ok(
            await client.post(
                f"/api/editions/{EDITION}/candidates",
                json={
                    "numero": n,
                    "nom_structure": structure,
                    "nom_porteur": lead,
                    "courriel": f"defi{n}@exemple.fr",
                    "code_insee": insee,
                    "forme_juridique": "Commune",
                    "montant_demande": amount,
                    "projet": project,
                    "categorie": "defis",
                },
            ),
            201,
        )
        ids[structure] = entered["candidate"]["id"]
    await committee_scored(db, candidate_ids=list(ids.values()))
    await ok(
        await client.post(
            f"/api/editions/{EDITION}/grants",
            json={
                "grants": [{"candidate_id": ids[p[0]], "granted_eur": p[4]} for p in PROJECTS],
                "based_on": "Comité de sélection",
                "decided_on": "2023-06-15",
            },
        ),
        201,
    )
    return ids


async def committee_scored(db: Database, *, candidate_ids: list[int]) -> None:
    """The committee sits (one panel, one juror who marked every project) and deliberates: grants follow a
    judged round's standing. Set directly: this test is about the letters, the flows drive a whole round."""
    round_id = await db.conn.fetchval("select id from rounds where name = 'Comité'")
    criterion = await db.conn.fetchval("select id from criteria where code = 'reponse'")
    panel = await factories.panel(db, round_id=round_id, name="Comité")
    juror = await factories.person(db, full_name="Juré du comité")
    await factories.member(db, panel_id=panel, person_id=juror)
    await db.conn.execute("update candidate_rounds set panel_id = $1 where round_id = $2", panel, round_id)
    for n, candidate_id in enumerate(candidate_ids):
        await factories.sheet(
            db,
            round_id=round_id,
            panel_id=panel,
            person_id=juror,
            candidate_id=candidate_id,
            scores={criterion: 9 - n},
        )
    await db.conn.execute("update rounds set status = 'deliberation' where id = $1", round_id)


async def generate(client: AsyncTestClient) -> None:
    assert (await client.post(f"{PAGE}/generer", follow_redirects=False)).status_code == 303
    fragment = ""
    for _ in range(240):
        fragment = (await client.get(f"{PAGE}/progression")).text
        if "terminée" in fragment or "échoué" in fragment.lower():
            break
        await asyncio.sleep(0.5)
    assert "terminée" in fragment, fragment


@pytest.mark.slow
async def test_a_contest_set_up_through_the_api_gets_grant_letters_verified_with_their_amount(
    app_client: AsyncTestClient, db: Database, settings: Settings
) -> None:
    await set_up_and_grant(app_client, db)
    verifier = settings.base_url.rstrip("/") + "/verifier"  # printed whole, scheme included
    await generate(app_client)
    sources = await db.conn.fetch(
        "select diploma_id, verification_code, organisation_name from diploma_sources "
        "where edition_slug = $1 order by award_id",
        EDITION,
    )
    assert [s["organisation_name"] for s in sources] == [p[0] for p in PROJECTS]
    for source, (structure, lead, _, project, amount) in zip(sources, PROJECTS, strict=True):
        code = source["verification_code"]
        download = await app_client.get(f"{PAGE}/{source['diploma_id']}/pdf")
        assert download.status_code == 200 and download.headers["content-type"].startswith("application/pdf")
        reader = pypdf.PdfReader(io.BytesIO(download.content))
        assert len(reader.pages) == 1
        grouped = f"{amount:,}".replace(",", " ")
        # pypdf reads the laureate's two lines (name, then structure and commune) without a space between.
        assert pdf_text(download.content) == (
            "92 Département des Hauts-de-Seine LOGO PROVISOIRE Attestation de lauréat Curious Lab' "
            f"5e édition — 2023 décernée à {lead}{structure}, {structure.removeprefix('Ville de ')} {PRIZE} "
            f"pour le projet « {project} » Subvention accordée : {grouped} € Fait à Nanterre, le 15 juin 2023 "
            f"{PRESIDENT['title']} {PRESIDENT['name']} Code de vérification {code} {verifier}"
        )
        assert reader.metadata.title == f"Diplôme — {lead} — Curious Lab' 2023"

        app_client.cookies.clear()
        check = await app_client.get(f"/verifier/{code}")
        assert check.status_code == 200
        assert (
            f"Ce diplôme est authentique. Concours Curious Lab' Édition 5 e édition — 2023 Distinction {PRIZE} "
            f"Lauréat {lead} — {structure} Décision du jury 15 juin 2023 Code de vérification {code} "
            f"Subvention accordée {grouped} €"
        ) in page_text(check.text)
        await sign_in(app_client, email=ORGANISER)
