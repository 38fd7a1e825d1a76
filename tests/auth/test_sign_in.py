import html

import pytest
from tests.helpers import PASSWORD, make_contest, make_organiser, sign_in

from jury.auth.service import issue_codes
from jury.db.queries import Database


async def _edition_with_jurors(db: Database) -> tuple[int, list[int]]:
    await make_contest(db)
    edition_id = await db.conn.fetchval(
        "insert into editions (contest_id, slug, number, year) select id, 'made-in-92-2025', 10, 2025 "
        "from contests where slug = 'made-in-92' returning id"
    )
    round_id = await db.conn.fetchval(
        "insert into rounds (edition_id, kind, name, position) values ($1, 'semi_final', 'Demi-finale', 1) "
        "returning id",
        edition_id,
    )
    panel_id = await db.conn.fetchval(
        "insert into panels (round_id, name) values ($1, 'Nord') returning id", round_id
    )
    people = []
    for name in ("Claire Dubois", "Marc Lefèvre"):
        person = await db.conn.fetchval(
            "insert into people (full_name, email) values ($1, $2) returning id",
            name,
            name.split()[0].lower() + "@exemple.fr",
        )
        await db.conn.execute(
            "insert into panel_members (panel_id, person_id) values ($1, $2)", panel_id, person
        )
        people.append(person)
    return edition_id, people


async def test_organiser_signs_in_and_out(client, db):
    await make_contest(db)
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    await sign_in(client, email="CCI@exemple.fr")
    assert (await client.get("/organisation/")).status_code == 200
    await client.post("/deconnexion")
    assert (await client.get("/organisation/")).status_code == 401


@pytest.mark.parametrize("email,password", [("cci@exemple.fr", "mauvais"), ("inconnu@exemple.fr", PASSWORD)])
async def test_wrong_credentials_get_the_same_french_answer(client, db, email, password):
    await make_contest(db)
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    response = await client.post("/connexion", data={"email": email, "password": password})
    assert response.status_code == 422
    assert "Adresse e-mail ou mot de passe incorrect." in response.text
    assert (await client.get("/organisation/")).status_code == 401


async def test_password_is_stored_as_argon2id(db):
    await make_contest(db)
    person = await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    stored = await db.conn.fetchval("select password_hash from people where id = $1", person)
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


async def test_juror_signs_in_with_the_code_of_their_card(client, db):
    edition_id, (claire, _) = await _edition_with_jurors(db)
    [card] = await issue_codes(db, edition_id=edition_id, person_ids=[claire])
    response = await client.post(
        "/acces", data={"code": card.code.lower().replace("-", " ")}, follow_redirects=False
    )
    assert (response.status_code, response.headers["location"]) == (303, "/jure/")
    assert (await client.get("/organisation/")).status_code == 403  # a juror is not an organiser


async def test_qr_link_signs_in_and_a_reissued_card_revokes_the_old_code(client, db):
    edition_id, (claire, _) = await _edition_with_jurors(db)
    [old] = await issue_codes(db, edition_id=edition_id, person_ids=[claire])
    [new] = await issue_codes(db, edition_id=edition_id, person_ids=[claire])
    refused = await client.get(f"/acces/{old.code}")
    assert refused.status_code == 422 and "Code d'accès inconnu ou révoqué." in html.unescape(refused.text)
    accepted = await client.get(f"/acces/{new.code}", follow_redirects=False)
    assert (accepted.status_code, accepted.headers["location"]) == (303, "/jure/")
    assert (await client.get("/organisation/")).status_code == 403  # signed in, as a juror


async def test_only_a_hash_of_the_code_is_stored(db):
    edition_id, (claire, _) = await _edition_with_jurors(db)
    [card] = await issue_codes(db, edition_id=edition_id, person_ids=[claire])
    stored = await db.conn.fetchval("select code_hash from access_codes where person_id = $1", claire)
    assert card.code not in stored and len(stored) == 64


async def test_a_wrong_code_tried_again_and_again_is_refused_after_five_failures(client, db):
    await _edition_with_jurors(db)
    statuses = [(await client.post("/acces", data={"code": "AAAA-BBBB"})).status_code for _ in range(7)]
    assert statuses == [422] * 5 + [429, 429]


async def test_organiser_prints_cards_with_qr_codes_and_revokes_one(client, db):
    edition_id, (claire, marc) = await _edition_with_jurors(db)
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    await sign_in(client, email="cci@exemple.fr")
    asked = await client.post("/organisation/editions/made-in-92-2025/cartes/", data={"action": "issue"})
    assert asked.status_code == 200 and "Réémettre toutes les cartes ?" in asked.text  # confirmation first
    assert await db.conn.fetchval("select count(*) from access_codes") == 0
    printed = await client.post(
        "/organisation/editions/made-in-92-2025/cartes/", data={"action": "issue", "confirme": "oui"}
    )
    assert printed.status_code == 200
    assert printed.text.count('class="access-card"') == 2
    assert "Claire Dubois" in printed.text and "data:image/svg+xml" in printed.text
    revoked = await client.post(
        "/organisation/editions/made-in-92-2025/cartes/", data={"action": "revoke", "person_id": str(marc)}
    )
    assert "Carte révoquée" in revoked.text
    active = await db.conn.fetch(
        "select person_id from access_codes where edition_id = $1 and revoked_at is null", edition_id
    )
    assert [r["person_id"] for r in active] == [claire]


async def test_organiser_of_another_contest_cannot_print_cards(client, db):
    await _edition_with_jurors(db)
    await make_contest(db, slug="progress", kind="organisation")
    await make_organiser(db, email="dep@exemple.fr", contests=["progress"])
    await sign_in(client, email="dep@exemple.fr")
    response = await client.post("/organisation/editions/made-in-92-2025/cartes/", data={"action": "issue"})
    assert response.status_code == 403
    assert "Claire Dubois" not in response.text
    assert await db.conn.fetchval("select count(*) from access_codes") == 0
