"""The diploma pages: organisers' generation and links, winners' private pages, public verification."""

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

from jury.app import create_app
from jury.contests.service import get_edition
from jury.db.queries import Database
from jury.demo.loader import load_demo
from jury.diplomas import links as winner_links
from jury.diplomas import service
from jury.settings import Settings

from .conftest import normalise

EDITION = "gateau-des-hauts-de-seine-2023"
PAGE = f"/organisation/editions/{EDITION}/diplomes"
GATEAU_ORGANISER = "romain.texier@exemple.fr"
OTHER_ORGANISER = "claire.vasseur@exemple.fr"
DEMO_PASSWORD = "demo-jury-92"
HTML = {"accept": "text/html"}


@pytest.fixture
async def demo(db: Database) -> Database:
    await load_demo(db)
    return db


@pytest.fixture
async def app_client(settings: Settings, demo: Database) -> AsyncIterator[AsyncTestClient]:
    settings = msgspec.structs.replace(settings, render_workers=1)
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield client


async def _sign_in(client: AsyncTestClient, email: str) -> None:
    response = await client.post("/connexion", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code in (200, 303) and "incorrect" not in response.text


async def _laureates(db: Database) -> list[str]:
    edition = await get_edition(db, slug=EDITION)
    rows = await db.fetch("diploma_awards_of_edition", edition_id=edition.id)
    return [service.laureate_of(r) for r in rows]


def _pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return normalise(" ".join(page.extract_text() for page in reader.pages))


async def test_anonymous_visitors_get_401_on_organiser_routes(app_client: AsyncTestClient) -> None:
    for method, path in (
        ("get", PAGE),
        ("get", f"{PAGE}/progression"),
        ("post", f"{PAGE}/generer"),
        ("post", f"{PAGE}/liens"),
        ("get", f"{PAGE}/1/pdf"),
    ):
        response = await getattr(app_client, method)(path)
        assert response.status_code == 401, (method, path)


async def test_organiser_of_another_contest_gets_403_and_no_names(
    app_client: AsyncTestClient, demo: Database
) -> None:
    await _sign_in(app_client, OTHER_ORGANISER)
    names = await _laureates(demo)
    for method, path in (("get", PAGE), ("post", f"{PAGE}/liens"), ("get", f"{PAGE}/progression")):
        response = await getattr(app_client, method)(path, headers=HTML)
        assert response.status_code == 403, (method, path)
        for name in names:
            assert name.split(" — ")[0] not in response.text


async def test_unknown_verification_code_is_a_french_404(app_client: AsyncTestClient) -> None:
    response = await app_client.get("/verifier/ZZZZ-ZZZZ-ZZZZ")
    assert response.status_code == 404
    assert "Aucun diplôme ne porte ce code" in response.text


async def test_unknown_link_is_a_french_404(app_client: AsyncTestClient) -> None:
    response = await app_client.get("/diplome/pas-un-vrai-jeton")
    assert response.status_code == 404 and "n'est pas (ou plus) valable" in html.unescape(response.text)
    assert (await app_client.get("/diplome/pas-un-vrai-jeton/pdf")).status_code == 404


@pytest.mark.pdf
@pytest.mark.slow
async def test_generation_links_downloads_and_revocations(
    app_client: AsyncTestClient, demo: Database
) -> None:
    await _sign_in(app_client, GATEAU_ORGANISER)
    page = await app_client.get(PAGE)
    assert page.status_code == 200 and "Générer les diplômes" in page.text
    names = await _laureates(demo)
    assert len(names) == 3 and all(name.split(" — ")[0] in page.text for name in names)

    # Generation runs in the background; its progress lives in PostgreSQL and the page polls it.
    response = await app_client.post(f"{PAGE}/generer", follow_redirects=False)
    assert response.status_code == 303
    for _ in range(240):
        fragment = await app_client.get(f"{PAGE}/progression")
        assert fragment.status_code == 200 and "<progress" in fragment.text
        if "terminée" in fragment.text or "échoué" in fragment.text.lower():
            break
        await asyncio.sleep(0.5)
    assert "terminée" in fragment.text, fragment.text
    assert 'value="3" max="3"' in fragment.text
    assert "prêt" in (await app_client.get(PAGE)).text

    # Private links: shown once, to copy.
    response = await app_client.post(f"{PAGE}/liens", data={"days": "30"})
    assert response.status_code == 200
    tokens = re.findall(r"/diplome/([A-Za-z0-9_-]{40,})", response.text)
    assert len(set(tokens)) == 3
    edition = await get_edition(demo, slug=EDITION)
    sources = {s["diploma_id"]: s for s in await service.sources_of_edition(demo, edition_id=edition.id)}
    stored = await demo.conn.fetch("select token_hash, diploma_id from diploma_links")
    assert all(t not in str(list(map(dict, stored))) for t in tokens), "tokens must never be stored"
    by_token = {
        t: sources[next(r["diploma_id"] for r in stored if r["token_hash"] == winner_links.hash_token(t))]
        for t in tokens
    }

    winner = await app_client.get(f"/diplome/{tokens[0]}")
    own = by_token[tokens[0]]
    assert winner.status_code == 200 and normalise(own["person_name"]) in normalise(winner.text)
    assert "Télécharger le diplôme" in winner.text

    download = await app_client.get(f"/diplome/{tokens[0]}/pdf")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("application/pdf")
    assert download.headers["content-disposition"].startswith("attachment")
    text = _pdf_text(download.content)
    assert normalise(own["person_name"]) in text
    for other in (s for s in by_token.values() if s["diploma_id"] != own["diploma_id"]):
        assert normalise(other["person_name"]) not in text
    # The stored file as it is, tagged with its version: a client that has it gets a 304, no body.
    assert download.headers["cache-control"] == "private, no-cache"
    etag = download.headers["etag"]
    digest = await demo.conn.fetchval("select content_digest from diplomas where id = $1", own["diploma_id"])
    assert etag == f'"{digest[:16]}"'
    unchanged = await app_client.get(f"/diplome/{tokens[0]}/pdf", headers={"if-none-match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["etag"] == etag

    # A revoked link is refused.
    [link_id] = [
        r["id"]
        for r in await demo.conn.fetch("select id, token_hash from diploma_links")
        if r["token_hash"] == winner_links.hash_token(tokens[1])
    ]
    assert (
        await app_client.post(f"{PAGE}/liens/{link_id}/revoquer", follow_redirects=False)
    ).status_code == 303
    assert (await app_client.get(f"/diplome/{tokens[1]}")).status_code == 404
    assert (await app_client.get(f"/diplome/{tokens[1]}/pdf")).status_code == 404

    # A revoked diploma: verification says so, its link says so, its PDF is no longer served.
    revoked = by_token[tokens[2]]
    response = await app_client.post(
        f"{PAGE}/{revoked['diploma_id']}/revoquer",
        data={"reason": "Erreur sur le lauréat"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    check = await app_client.get(f"/verifier/{revoked['verification_code']}")
    assert check.status_code == 200
    assert re.search(
        r"Ce diplôme a été révoqué le \d+(er)? \w+ \d{4} : Erreur sur le lauréat", html.unescape(check.text)
    )
    link = await app_client.get(f"/diplome/{tokens[2]}")
    assert link.status_code == 410 and "révoqué" in link.text
    assert (await app_client.get(f"/diplome/{tokens[2]}/pdf")).status_code == 410
    # Even for a client holding its version: the link is checked before the version.
    assert (
        await app_client.get(f"/diplome/{tokens[2]}/pdf", headers={"if-none-match": etag})
    ).status_code == 410

    valid = await app_client.get(f"/verifier/{own['verification_code']}")
    assert valid.status_code == 200 and "authentique" in valid.text and "révoqué" not in valid.text

    actions = {r["action"] for r in await demo.conn.fetch("select action from audit_events")}
    assert {"diploma.issue", "diploma.link.create", "diploma.link.revoke", "diploma.revoke"} <= actions


async def test_expired_link_is_gone(app_client: AsyncTestClient, demo: Database) -> None:
    edition = await get_edition(demo, slug=EDITION)
    await service.issue_diplomas(demo, edition_id=edition.id)
    [source, *_] = await service.sources_of_edition(demo, edition_id=edition.id)
    token = "jeton-de-test-" + "x" * 30
    await demo.execute(
        "diploma_insert_link",
        token_hash=winner_links.hash_token(token),
        diploma_id=source["diploma_id"],
        expires_at=None,
    )
    await demo.conn.execute("update diploma_links set expires_at = now() - interval '1 day'")
    response = await app_client.get(f"/diplome/{token}")
    assert response.status_code == 410 and "expiré" in html.unescape(response.text)
