"""An id from elsewhere is 404, never a silent 200 that changed nothing.

Issue 19: a Gâteau organiser "revoking" a Made in 92 juror's card read « Carte révoquée » (nothing had
changed), and a link asked for another contest's diploma answered 200 with no link. Each act below names
something that exists, in another contest: refused with 404, nothing written; the same act on the
organiser's own edition still works (both sides of each rule).
"""

from __future__ import annotations

import re

import asyncpg
from tests.security.conftest import (
    EDITION,
    ORGANISER,
    Demo,
    anonymous_client,
    juror_client,
    organiser_client,
)

from jury.auth.service import issue_codes
from jury.clock import system_clock
from jury.db.queries import Database, Queries
from jury.diplomas.service import issue_diplomas

GATEAU_ORGANISER = "romain.texier@exemple.fr"
GATEAU = "gateau-des-hauts-de-seine-2023"


async def _with_db(demo: Demo, work):
    conn = await asyncpg.connect(demo.settings.database_url)
    try:
        return await work(Database(conn, Queries(demo.settings.queries_dir), clock=system_clock), conn)
    finally:
        await conn.close()


async def _card(demo: Demo, person_id: int) -> str:
    async def issue(db: Database, _conn) -> str:
        [card] = await issue_codes(db, edition_id=demo.edition_id, person_ids=[person_id])
        return card.code

    return await _with_db(demo, issue)


async def _signs_in(demo: Demo, code: str) -> bool:
    client = await anonymous_client(demo.settings)
    try:
        response = await client.post("/acces", data={"code": code}, follow_redirects=False)
        return response.status_code == 303 and response.headers["location"] == "/jure/"
    finally:
        await client.__aexit__(None, None, None)


async def test_revoking_another_contests_jurors_card_is_404_and_the_card_still_works(demo: Demo) -> None:
    code = await _card(demo, demo.juror_id)
    gateau = await organiser_client(demo.settings, GATEAU_ORGANISER)
    try:
        response = await gateau.post(
            f"/organisation/editions/{GATEAU}/cartes/",
            data={"action": "revoke", "person_id": str(demo.juror_id)},
        )
        assert response.status_code == 404
        assert "Carte révoquée" not in response.text
        assert response.json()["detail"] == "Juré inconnu dans cette édition."
        reissued = await gateau.post(
            f"/organisation/editions/{GATEAU}/cartes/",
            data={"action": "issue", "person_id": str(demo.juror_id)},
        )
        assert reissued.status_code == 404
    finally:
        await gateau.__aexit__(None, None, None)
    assert await _signs_in(demo, code)


async def test_revoking_ones_own_jurors_card_says_what_changed(demo: Demo) -> None:
    code = await _card(demo, demo.chair_id)
    client = await organiser_client(demo.settings, ORGANISER)
    try:
        page = f"/organisation/editions/{EDITION}/cartes/"
        revoked = await client.post(page, data={"action": "revoke", "person_id": str(demo.chair_id)})
        assert revoked.status_code == 200 and "Carte révoquée" in revoked.text
        again = await client.post(page, data={"action": "revoke", "person_id": str(demo.chair_id)})
        assert again.status_code == 200
        assert "Carte révoquée" not in again.text
        assert "n'avait pas de carte active : rien n'a changé" in again.text.replace("&#39;", "'")
    finally:
        await client.__aexit__(None, None, None)
    assert not await _signs_in(demo, code)


async def test_a_revocation_without_a_juror_is_refused_and_reissues_nothing(demo: Demo) -> None:
    """It used to fall through to « issue », revoking every card of the edition to print new ones."""
    code = await _card(demo, demo.other_chair_id)
    client = await organiser_client(demo.settings, ORGANISER)
    try:
        response = await client.post(f"/organisation/editions/{EDITION}/cartes/", data={"action": "revoke"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "person_id"
        unknown = await client.post(f"/organisation/editions/{EDITION}/cartes/", data={"action": "tout"})
        assert unknown.status_code == 422
    finally:
        await client.__aexit__(None, None, None)
    assert await _signs_in(demo, code)


async def _gateau_diplomas(demo: Demo) -> list[int]:
    async def issue(db: Database, conn) -> list[int]:
        edition_id = await conn.fetchval("select id from editions where slug = $1", GATEAU)
        await issue_diplomas(db, edition_id=edition_id)
        rows = await conn.fetch(
            "select d.id from diplomas d join awards a on a.id = d.award_id "
            "join candidates c on c.id = a.candidate_id where c.edition_id = $1 order by d.id",
            edition_id,
        )
        return [r["id"] for r in rows]

    return await _with_db(demo, issue)


async def _links_of(demo: Demo, diploma_id: int) -> int:
    async def count(_db: Database, conn) -> int:
        return await conn.fetchval("select count(*) from diploma_links where diploma_id = $1", diploma_id)

    return await _with_db(demo, count)


async def test_a_link_to_another_contests_diploma_is_404_and_makes_no_link(demo: Demo) -> None:
    [diploma_id, *_] = await _gateau_diplomas(demo)
    before = await _links_of(demo, diploma_id)
    made_in_92 = await organiser_client(demo.settings, ORGANISER)
    try:
        response = await made_in_92.post(
            f"/organisation/editions/{EDITION}/diplomes/liens", data={"diploma_id": str(diploma_id)}
        )
        assert response.status_code == 404
        assert response.json()["detail"] == f"Diplôme introuvable dans cette édition : n° {diploma_id}."
        assert "/diplome/" not in response.text
    finally:
        await made_in_92.__aexit__(None, None, None)
    assert await _links_of(demo, diploma_id) == before

    gateau = await organiser_client(demo.settings, GATEAU_ORGANISER)
    try:
        own = await gateau.post(
            f"/organisation/editions/{GATEAU}/diplomes/liens", data={"diploma_id": str(diploma_id)}
        )
        assert own.status_code == 200
        assert len(set(re.findall(r"/diplome/([A-Za-z0-9_-]{40,})", own.text))) == 1
    finally:
        await gateau.__aexit__(None, None, None)
    assert await _links_of(demo, diploma_id) == before + 1


# --- Deliberation: decisions, prizes and qualifiers of another edition -----------------------------------


async def _deliberation_state(demo: Demo) -> tuple[int, ...]:
    """What any deliberation write would change: undone decisions and awards, decisions, entries, events."""

    async def read(_db: Database, conn) -> tuple[int, ...]:
        return tuple(
            await conn.fetchrow(
                "select (select count(*) from decisions where undone_at is not null),"
                " (select count(*) from awards where undone_at is not null),"
                " (select count(*) from decisions), (select count(*) from candidate_rounds),"
                " (select count(*) from audit_events)"
            )
        )

    return await _with_db(demo, read)


async def _gateau_decision_and_round(demo: Demo) -> tuple[int, int]:
    async def read(_db: Database, conn) -> tuple[int, int]:
        row = await conn.fetchrow(
            "select d.id, d.round_id from decisions d join editions e on e.id = d.edition_id "
            "where e.slug = $1 and d.round_id is not null and d.undone_at is null order by d.id limit 1",
            GATEAU,
        )
        return row["id"], row["round_id"]

    return await _with_db(demo, read)


async def test_undoing_another_editions_decision_is_refused_and_undoes_nothing(demo: Demo) -> None:
    decision_id, _ = await _gateau_decision_and_round(demo)
    before = await _deliberation_state(demo)
    made_in_92 = await organiser_client(demo.settings, ORGANISER)
    try:
        page = await made_in_92.post(
            f"/organisation/editions/{EDITION}/decisions/{decision_id}/annuler", data={"reason": "Erreur"}
        )
        assert page.status_code == 404
        assert "Décision introuvable dans cette édition." in page.text
        api = await made_in_92.post(f"/api/decisions/{decision_id}/undo", json={"reason": "Erreur"})
        assert api.status_code == 403  # another contest's decision: the contest's organisers only
    finally:
        await made_in_92.__aexit__(None, None, None)
    assert await _deliberation_state(demo) == before


async def test_a_chair_correcting_another_contests_decision_is_refused(demo: Demo) -> None:
    decision_id, _ = await _gateau_decision_and_round(demo)
    before = await _deliberation_state(demo)
    chair = await juror_client(demo.settings, edition_id=demo.edition_id, person_id=demo.chair_id)
    try:
        response = await chair.post(f"/deliberation/corrections/{decision_id}", data={"reason": "Erreur"})
        assert response.status_code == 403
        assert response.json()["detail"] == (
            "Seuls les organisateurs du concours et la présidence du jury peuvent annuler une décision."
        )
    finally:
        await chair.__aexit__(None, None, None)
    assert await _deliberation_state(demo) == before


async def test_qualifiers_and_prizes_citing_another_editions_round_are_refused(demo: Demo) -> None:
    """The decisions page of Made in 92 names a Gâteau round: refused on the page, nothing decided."""
    _, gateau_round = await _gateau_decision_and_round(demo)
    before = await _deliberation_state(demo)
    made_in_92 = await organiser_client(demo.settings, ORGANISER)
    try:
        page = f"/organisation/editions/{EDITION}/decisions"
        advance = await made_in_92.post(
            f"{page}/qualifies",
            data={"round_id": str(gateau_round), "advance": str(demo.candidate_id), "based_on": "brut"},
        )
        assert advance.status_code == 422
        assert "Ce tour n&#39;appartient pas à cette édition." in advance.text
        awards = await made_in_92.post(
            f"/api/editions/{EDITION}/awards",
            json={
                "awards": [{"prize": "special", "candidate_id": demo.candidate_id}],
                "round_id": gateau_round,
            },
        )
        assert awards.status_code == 422
        assert {"field": "round_id", "message": "Ce tour n'appartient pas à cette édition."} in awards.json()[
            "errors"
        ]
    finally:
        await made_in_92.__aexit__(None, None, None)
    assert await _deliberation_state(demo) == before
