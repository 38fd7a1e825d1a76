"""Score sheets through the JSON API: who sees what, validation, idempotent replays, versions, closed rounds."""

from __future__ import annotations

import asyncio
import re
import uuid

import asyncpg
import pytest
from tests.helpers import TEST_NOW
from tests.scoring.conftest import CANDIDATE_SECRETS, Edition, declare_none, sign_in_juror

from jury.access.identity import Identity
from jury.clock import fixed_clock
from jury.db.queries import Database, Queries
from jury.errors import Conflict, Invalid
from jury.scoring import sheets
from jury.scoring.models import SheetSubmission
from jury.scoring.sheets import VersionConflict, validate_submission


def body(fx: Edition, *, version: int = 0, key: str | None = None, status: str = "draft", **marks) -> dict:
    values = {str(getattr(fx, name)): marks.get(name) for name in ("innovation", "pitch", "theme")}
    return {
        "values": values,
        "comments": marks.get("comments", {}),
        "comment": marks.get("comment", ""),
        "abstained": marks.get("abstained", False),
        "abstention_reason": marks.get("abstention_reason", ""),
        "status": status,
        "version": version,
        "idempotency_key": key or str(uuid.uuid4()),
    }


async def as_juror(client, db: Database, fx: Edition, person_id: int, *, declared: bool = True) -> None:
    if declared:
        await declare_none(db, round_id=fx.round_id, person_id=person_id)
    await sign_in_juror(client, db, edition_id=fx.edition_id, person_id=person_id)


def url(fx: Edition, entry: int) -> str:
    return f"/api/jure/feuilles/{fx.round_id}/{fx.c(entry)}"


async def count(db: Database, table: str) -> int:
    return await db.conn.fetchval(f"select count(*) from {table}")


# --- Who sees what -----------------------------------------------------------------------------------------


async def test_juror_lists_only_their_own_assignments(client, db, edition):
    await as_juror(client, db, edition, edition.sophie)
    response = await client.get("/api/jure/feuilles")
    assert response.status_code == 200
    data = response.json()
    assert data["edition_id"] == edition.edition_id
    [group] = data["rounds"]
    assert group["round"] == {
        "id": edition.round_id,
        "name": "Demi-finale",
        "kind": "semi_final",
        "status": "open",
        "blind": False,
        "writable": True,
    }
    assert (group["evaluated"], group["expected"], group["declarations_pending"]) == (0, 3, 0)
    [panel] = group["panels"]
    assert panel["name"] == "Jury Nord"
    assert [c["candidate"]["entry_number"] for c in panel["candidates"]] == [101, 102, 103]
    assert panel["candidates"][0]["candidate"] == {
        "id": edition.c(101),
        "entry_number": 101,
        "name": "Brioches Verdier SAS",
        "title": "Tarte Zéphyr",
        "category": "Industrie",
    }
    assert {c["state"] for c in panel["candidates"]} == {"todo"}
    assert "Robotique Tessier" not in response.text  # 104 is not Sophie's
    for secret in ("@", "jeanne.verdier"):  # never an e-mail
        assert secret not in response.text


async def test_unassigned_candidate_is_refused_without_any_of_its_data(client, db, edition):
    await as_juror(client, db, edition, edition.sophie)
    for response in (
        await client.get(url(edition, 104)),
        await client.put(url(edition, 104), json=body(edition, innovation=5)),
    ):
        assert response.status_code == 403
        assert response.json()["detail"] == "Ce candidat ne vous est pas affecté."
        for secret in CANDIDATE_SECRETS[104]:
            assert secret not in response.text
    assert await count(db, "score_sheets") == 0


async def test_candidate_or_round_of_another_edition_is_unknown(client, db, edition):
    await as_juror(client, db, edition, edition.claire)
    other = await client.get(f"/api/jure/feuilles/{edition.other_round_id}/{edition.c(101)}")
    assert other.status_code == 404
    assert other.json()["detail"] == "Tour inconnu ou pas encore ouvert à la notation."
    await db.conn.execute("update rounds set status = 'draft' where id = $1", edition.round_id)
    draft = await client.get(url(edition, 101))
    assert draft.status_code == 404
    assert (await client.get("/api/jure/feuilles")).json()["rounds"] == []


async def test_organiser_and_anonymous_cannot_use_the_juror_api(client, db, edition, organiser):
    assert (await client.get("/api/jure/feuilles")).status_code == 403
    await client.post("/deconnexion")
    assert (await client.get("/api/jure/feuilles")).status_code == 401


async def test_another_jurors_sheet_is_never_visible(client, db, edition):
    await as_juror(client, db, edition, edition.claire)
    saved = await client.put(
        url(edition, 101),
        json=body(
            edition,
            innovation=9.5,
            pitch=37,
            theme=1,
            comment="Remarquable-Claire",
            status="submitted",
            comments={str(edition.pitch): "Pitch-Claire-secret"},
        ),
    )
    assert saved.status_code == 201
    await as_juror(client, db, edition, edition.marc)
    detail = await client.get(url(edition, 101))
    assert detail.status_code == 200
    assert detail.json()["sheet"] is None and detail.json()["version"] == 0
    listing = await client.get("/api/jure/feuilles")
    page = await client.get(f"/jure/feuilles/{edition.round_id}/{edition.c(101)}")
    home = await client.get("/jure/")
    for response in (detail, listing, page, home):
        assert response.status_code == 200
        for secret in ("Remarquable-Claire", "Pitch-Claire-secret"):
            assert secret not in response.text
    states = [c["state"] for c in listing.json()["rounds"][0]["panels"][0]["candidates"]]
    assert states == ["todo", "todo", "todo", "todo"]  # Claire's submitted sheet is not Marc's state
    # No mark of Claire's preselected on Marc's page: only the "not marked" buttons are checked.
    assert re.findall(r'value="([^"]*)"\s*checked', page.text) == ["", ""]
    # Marc's own sheet starts from scratch: version 0, not Claire's version 1.
    mine = await client.put(url(edition, 101), json=body(edition, innovation=4))
    assert (mine.status_code, mine.json()["version"], mine.json()["values"][str(edition.innovation)]) == (
        201,
        1,
        4.0,
    )
    assert await count(db, "score_sheets") == 2


# --- Writing -----------------------------------------------------------------------------------------------


async def test_draft_then_submission_with_exact_total_and_audit(client, db, edition):
    await as_juror(client, db, edition, edition.claire)
    draft = await client.put(url(edition, 101), json=body(edition, innovation=8, comment="Bon début"))
    assert draft.status_code == 201
    sheet = draft.json()
    assert (sheet["status"], sheet["version"], sheet["submitted_at"]) == ("draft", 1, None)
    assert sheet["values"] == {str(edition.innovation): 8.0}
    assert sheet["total"] == 80.0  # only Innovation marked so far: 8 on 0–10, the blank criteria left out
    submitted = await client.put(
        url(edition, 101),
        json=body(
            edition,
            version=1,
            status="submitted",
            innovation=8,
            pitch=22,
            theme=1,
            comments={str(edition.pitch): "Clair et vivant"},
            comment="Bon dossier",
        ),
    )
    assert submitted.status_code == 200
    sheet = submitted.json()
    assert (sheet["status"], sheet["version"], sheet["eliminated"]) == ("submitted", 2, False)
    # (2 × 8/10 + 1 × 22/40) / 3 × 100 = 71.666… ; the eliminatory criterion adds nothing.
    assert sheet["total"] == 71.67
    assert sheet["comments"] == {str(edition.pitch): "Clair et vivant"}
    rows = await db.conn.fetch(
        "select criterion_id, value::text, comment from sheet_scores order by criterion_id"
    )
    assert [tuple(r) for r in rows] == [
        (edition.innovation, "8.00", ""),
        (edition.pitch, "22.00", "Clair et vivant"),
        (edition.theme, "1.00", ""),
    ]
    events = await db.conn.fetch("select actor_label, action, target from audit_events order by id")
    assert [tuple(e) for e in events] == [
        (f"juror:{edition.claire}", "sheet.saved", f"sheet:{sheet['id']}"),
        (f"juror:{edition.claire}", "sheet.submitted", f"sheet:{sheet['id']}"),
    ]
    listing = (await client.get("/api/jure/feuilles")).json()["rounds"][0]
    assert (listing["evaluated"], listing["expected"]) == (1, 4)


async def test_the_answer_to_a_write_is_the_sheet_a_read_gives_and_dropped_marks_are_gone(
    client, db, edition
):
    """The write's answer is built from what the writes returned, not read again: it must still be exactly
    the stored sheet, including a mark taken back and a comment left on a criterion without a mark."""
    await as_juror(client, db, edition, edition.claire)
    first = await client.put(
        url(edition, 101),
        json=body(edition, innovation=7.5, pitch=31, theme=1, comments={str(edition.pitch): "  Vivant  "}),
    )
    assert first.status_code == 201
    read = (await client.get(url(edition, 101))).json()
    assert first.json() == read["sheet"]
    second = await client.put(
        url(edition, 101),
        json=body(edition, version=1, innovation=6, comments={str(edition.theme): "À revoir"}),
    )
    assert second.status_code == 200
    read = (await client.get(url(edition, 101))).json()
    assert second.json() == read["sheet"]
    assert second.json()["values"] == {str(edition.innovation): 6.0, str(edition.theme): None}
    assert second.json()["comments"] == {str(edition.theme): "À revoir"}
    rows = await db.conn.fetch(
        "select criterion_id, value::text, comment from sheet_scores order by criterion_id"
    )
    assert [tuple(r) for r in rows] == [(edition.innovation, "6.00", ""), (edition.theme, None, "À revoir")]
    cleared = await client.put(url(edition, 101), json=body(edition, version=2))
    assert cleared.status_code == 200
    assert (cleared.json()["values"], cleared.json()["comments"]) == ({}, {})
    assert cleared.json() == (await client.get(url(edition, 101))).json()["sheet"]
    assert await count(db, "sheet_scores") == 0


async def test_eliminatory_zero_marks_the_sheet_eliminated(client, db, edition):
    await as_juror(client, db, edition, edition.claire)
    response = await client.put(
        url(edition, 102),
        json=body(
            edition,
            status="submitted",
            innovation=10,
            pitch=40,
            theme=0,
            comments={str(edition.pitch): "Hors sujet mais brillant"},
        ),
    )
    assert response.status_code == 201
    assert (response.json()["total"], response.json()["eliminated"]) == (100.0, True)


@pytest.mark.parametrize(
    "marks,errors",
    [
        (
            {"innovation": 11},
            [("values.{innovation}", "Innovation : la note doit être comprise entre 0 et 10")],
        ),
        (
            {"innovation": -1},
            [("values.{innovation}", "Innovation : la note doit être comprise entre 0 et 10")],
        ),
        (
            {"innovation": 7.3},
            [("values.{innovation}", "Innovation : la note doit aller de 0,5 en 0,5 (entre 0 et 10)")],
        ),
        ({"pitch": 12.5}, [("values.{pitch}", "Pitch : la note doit aller de 1 en 1 (entre 0 et 40)")]),
        (
            {"status": "submitted", "innovation": 6, "pitch": 20, "theme": 1},
            [("comments.{pitch}", "Commentaire obligatoire pour « Pitch »")],
        ),
        (
            {"status": "submitted", "innovation": 6, "comments": {"{pitch}": "ok"}},
            [
                ("values.{pitch}", "Pitch : note manquante"),
                ("values.{theme}", "Respect du thème : note manquante"),
            ],
        ),
        (
            {"abstained": True, "abstention_reason": "  "},
            [("abstention_reason", "Motif d'abstention obligatoire")],
        ),
    ],
)
async def test_invalid_sheets_name_the_field_in_french_and_write_nothing(client, db, edition, marks, errors):
    await as_juror(client, db, edition, edition.claire)
    ids = {"innovation": edition.innovation, "pitch": edition.pitch, "theme": edition.theme}
    if "comments" in marks:
        marks["comments"] = {k.format(**ids): v for k, v in marks["comments"].items()}
    response = await client.put(url(edition, 101), json=body(edition, **marks))
    assert response.status_code == 422
    data = response.json()
    assert data["detail"] == "La feuille n'est pas enregistrée : corrigez les champs signalés."
    assert [(e["field"], e["message"]) for e in data["errors"]] == [
        (field.format(**ids), message) for field, message in errors
    ]
    for table in ("score_sheets", "sheet_scores", "sheet_submissions", "audit_events"):
        assert await count(db, table) == 0, table


async def test_unknown_criterion_and_malformed_body_are_refused(client, db, edition):
    await as_juror(client, db, edition, edition.claire)
    stray = body(edition, innovation=5)
    stray["values"]["999999"] = 3
    response = await client.put(url(edition, 101), json=stray)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "values.999999", "message": "Critère inconnu pour ce candidat."}
    ]
    no_key = body(edition, innovation=5)
    del no_key["idempotency_key"]
    response = await client.put(url(edition, 101), json=no_key)
    assert response.status_code == 422
    assert await count(db, "score_sheets") == 0


async def test_abstention_with_a_reason_is_accepted_without_marks(client, db, edition):
    await as_juror(client, db, edition, edition.claire)
    response = await client.put(
        url(edition, 103),
        json=body(edition, status="submitted", abstained=True, abstention_reason="Arrivée après le pitch"),
    )
    assert response.status_code == 201
    sheet = response.json()
    assert (sheet["abstained"], sheet["abstention_reason"], sheet["total"], sheet["values"]) == (
        True,
        "Arrivée après le pitch",
        None,
        {},
    )


# --- Replays and versions ----------------------------------------------------------------------------------


async def test_same_key_three_times_stores_once_and_answers_identically(client, db, edition):
    await as_juror(client, db, edition, edition.claire)
    key = str(uuid.uuid4())
    payload = body(edition, key=key, innovation=6.5)
    answers = [await client.put(url(edition, 101), json=payload) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert answers[0].content == answers[1].content == answers[2].content
    assert [a.headers.get("idempotent-replay") for a in answers] == [None, "true", "true"]
    assert await count(db, "score_sheets") == 1
    assert await count(db, "sheet_submissions") == 1
    assert await count(db, "audit_events") == 1
    # A later edit does not change what a replay of the first key answers.
    later = await client.put(url(edition, 101), json=body(edition, version=1, innovation=9))
    assert (later.status_code, later.json()["version"]) == (200, 2)
    replay = await client.put(url(edition, 101), json=payload)
    assert (replay.status_code, replay.content) == (201, answers[0].content)
    current = (await client.get(url(edition, 101))).json()["sheet"]
    assert (current["version"], current["values"]) == (2, {str(edition.innovation): 9.0})


async def test_a_key_used_by_another_juror_is_refused_without_their_answer(client, db, edition):
    await as_juror(client, db, edition, edition.claire)
    key = str(uuid.uuid4())
    first = await client.put(
        url(edition, 101), json=body(edition, key=key, innovation=6.5, comment="Claire-only")
    )
    assert first.status_code == 201
    await as_juror(client, db, edition, edition.marc)
    stolen = await client.put(url(edition, 101), json=body(edition, key=key, innovation=1))
    assert stolen.status_code == 422
    assert "Claire-only" not in stolen.text and "6.5" not in stolen.text
    assert stolen.json()["errors"][0]["field"] == "idempotency_key"


async def test_stale_version_gets_409_with_the_newer_sheet(client, db, edition):
    await as_juror(client, db, edition, edition.claire)
    first = await client.put(url(edition, 101), json=body(edition, innovation=5))  # tablet A
    assert first.status_code == 201
    second = await client.put(
        url(edition, 101), json=body(edition, version=1, innovation=6)
    )  # tablet A again
    assert second.status_code == 200
    stale = await client.put(url(edition, 101), json=body(edition, version=1, innovation=2))  # tablet B
    assert stale.status_code == 409
    data = stale.json()
    assert data["detail"] == "Une version plus récente de cette feuille existe : rien n'a été enregistré."
    assert (data["current"]["version"], data["current"]["values"]) == (2, {str(edition.innovation): 6.0})
    new_again = await client.put(url(edition, 101), json=body(edition, version=0, innovation=2))
    assert (new_again.status_code, new_again.json()["current"]["version"]) == (409, 2)
    assert await db.conn.fetchval("select version from score_sheets") == 2
    assert await db.conn.fetchval("select value::text from sheet_scores") == "6.00"


async def _save_in_own_transaction(
    pool: asyncpg.Pool, queries: Queries, *, identity, round_id, candidate_id, sub
):
    async with pool.acquire() as conn, conn.transaction():
        db = Database(conn, queries, clock=fixed_clock(TEST_NOW))
        return await sheets.save_sheet(
            db, identity=identity, round_id=round_id, candidate_id=candidate_id, submission=sub
        )


async def test_concurrent_writes_same_key_store_one_sheet(db, pool, settings, edition):
    await declare_none(db, round_id=edition.round_id, person_id=edition.claire)
    claire = Identity(
        person_id=edition.claire, name="Claire Dubois", kind="juror", edition_id=edition.edition_id
    )
    sub = SheetSubmission(version=0, idempotency_key=uuid.uuid4(), values={edition.innovation: 7.0})
    queries = Queries(settings.queries_dir)
    outcomes = await asyncio.gather(
        *[
            _save_in_own_transaction(
                pool,
                queries,
                identity=claire,
                round_id=edition.round_id,
                candidate_id=edition.c(101),
                sub=sub,
            )
            for _ in range(2)
        ]
    )
    assert sorted(o.replayed for o in outcomes) == [False, True]
    assert outcomes[0].body == outcomes[1].body
    assert {o.status_code for o in outcomes} == {201}
    assert await count(db, "score_sheets") == 1
    assert await count(db, "sheet_submissions") == 1


async def test_concurrent_writes_same_version_different_keys_one_wins(db, pool, settings, edition):
    await declare_none(db, round_id=edition.round_id, person_id=edition.claire)
    claire = Identity(
        person_id=edition.claire, name="Claire Dubois", kind="juror", edition_id=edition.edition_id
    )
    queries = Queries(settings.queries_dir)
    for version in (0, 1):  # a first save racing another, then an update racing another
        subs = [
            SheetSubmission(
                version=version, idempotency_key=uuid.uuid4(), values={edition.innovation: float(v)}
            )
            for v in (3, 4)
        ]
        results = await asyncio.gather(
            *[
                _save_in_own_transaction(
                    pool,
                    queries,
                    identity=claire,
                    round_id=edition.round_id,
                    candidate_id=edition.c(101),
                    sub=s,
                )
                for s in subs
            ],
            return_exceptions=True,
        )
        won = [r for r in results if not isinstance(r, BaseException)]
        lost = [r for r in results if isinstance(r, BaseException)]
        assert len(won) == 1 and len(lost) == 1
        assert isinstance(lost[0], VersionConflict)
        assert lost[0].current is not None and lost[0].current.version == version + 1
        assert won[0].sheet().version == version + 1
        assert await db.conn.fetchval("select version from score_sheets") == version + 1
    assert await count(db, "score_sheets") == 1
    assert await count(db, "sheet_submissions") == 2


async def test_a_round_move_waits_for_the_sheet_in_flight_and_the_next_sheet_sees_it(
    db, pool, settings, edition
):
    """The sheet write holds the round's lock shared until its commit; a move takes it exclusively."""
    await declare_none(db, round_id=edition.round_id, person_id=edition.claire)
    claire = Identity(
        person_id=edition.claire, name="Claire Dubois", kind="juror", edition_id=edition.edition_id
    )
    queries = Queries(settings.queries_dir)
    async with pool.acquire() as writer, pool.acquire() as mover:
        tablet = Database(writer, queries, clock=fixed_clock(TEST_NOW))
        organiser = Database(mover, queries, clock=fixed_clock(TEST_NOW))
        write = writer.transaction()
        await write.start()
        sub = SheetSubmission(version=0, idempotency_key=uuid.uuid4(), values={edition.innovation: 7.0})
        await sheets.save_sheet(
            tablet, identity=claire, round_id=edition.round_id, candidate_id=edition.c(101), submission=sub
        )
        move = mover.transaction()
        await move.start()
        locking = asyncio.ensure_future(
            organiser.fetchval("lock_round_for_update", round_id=edition.round_id)
        )
        await asyncio.sleep(0.3)
        assert not locking.done(), "the move must wait for the sheet being written"
        await write.commit()
        assert await asyncio.wait_for(locking, 5) == "open"
        await organiser.execute("set_round_status", round_id=edition.round_id, status="deliberation")
        later = SheetSubmission(version=0, idempotency_key=uuid.uuid4(), values={edition.innovation: 6.0})
        writing = asyncio.ensure_future(
            _save_in_own_transaction(
                pool,
                queries,
                identity=claire,
                round_id=edition.round_id,
                candidate_id=edition.c(102),
                sub=later,
            )
        )
        await asyncio.sleep(0.3)
        assert not writing.done(), "a sheet must wait for the move"
        await move.commit()
        with pytest.raises(Conflict) as refused:
            await asyncio.wait_for(writing, 5)
        assert str(refused.value) == sheets.NOT_OPEN
    assert await db.conn.fetchval("select count(*) from score_sheets") == 1


# --- Round states and conflicts ----------------------------------------------------------------------------


async def test_closed_round_is_read_only(client, db, edition):
    await as_juror(client, db, edition, edition.claire)
    first = body(edition, innovation=5)
    saved = await client.put(url(edition, 101), json=first)
    assert saved.status_code == 201
    for status in ("deliberation", "closed"):
        await db.conn.execute("update rounds set status = $1 where id = $2", status, edition.round_id)
        refused = await client.put(url(edition, 101), json=body(edition, version=1, innovation=9))
        assert refused.status_code == 409
        assert refused.json()["detail"] == "Le tour n'est plus ouvert à la notation."
        detail = (await client.get(url(edition, 101))).json()
        assert detail["round"]["writable"] is False
        assert detail["sheet"]["values"] == {str(edition.innovation): 5.0}
    assert await db.conn.fetchval("select version from score_sheets") == 1
    # A tablet retrying the write acknowledged while the round was open still learns that it landed.
    replay = await client.put(url(edition, 101), json=first)
    assert (replay.status_code, replay.content) == (201, saved.content)


async def test_sheets_wait_for_the_conflict_declarations(client, db, edition):
    await as_juror(client, db, edition, edition.claire, declared=False)
    message = (
        "Déclarez d'abord vos éventuels conflits d'intérêts pour les candidats de ce tour "
        "(« aucun conflit » ou « conflit »)."
    )
    for response in (
        await client.get(url(edition, 101)),
        await client.put(url(edition, 101), json=body(edition, innovation=5)),
    ):
        assert (response.status_code, response.json()["detail"]) == (409, message)
    assert (await client.get("/api/jure/feuilles")).json()["rounds"][0]["declarations_pending"] == 4
    assert await count(db, "score_sheets") == 0


async def test_blind_round_shows_entry_numbers_only(client, db, edition):
    await db.conn.execute("update rounds set blind = true where id = $1", edition.round_id)
    await as_juror(client, db, edition, edition.claire)
    saved = await client.put(url(edition, 101), json=body(edition, innovation=5))
    assert saved.status_code == 201
    responses = [
        await client.get("/api/jure/feuilles"),
        await client.get(url(edition, 101)),
        await client.get(f"/api/jure/tours/{edition.round_id}/conflits"),
        await client.get("/jure/"),
        await client.get(f"/jure/feuilles/{edition.round_id}/{edition.c(101)}"),
        await client.get(f"/jure/tours/{edition.round_id}/conflits"),
        saved,
    ]
    for response in responses:
        assert response.status_code in (200, 201), response.text
        for secrets in CANDIDATE_SECRETS.values():
            for secret in secrets:
                assert secret not in response.text, (response.url, secret)
    candidate = responses[1].json()["candidate"]
    assert candidate == {
        "id": edition.c(101),
        "entry_number": 101,
        "name": None,
        "title": None,
        "category": "Industrie",
    }
    assert "N° 101" in responses[4].text


# --- The pure validation -----------------------------------------------------------------------------------


async def test_validation_collects_every_error_at_once(db, edition):
    pair = await db.fetchrow(
        "scoring_round_pair", round_id=edition.round_id, candidate_id=edition.c(101), person_id=edition.claire
    )
    grids = sheets._grids(pair)
    sub = SheetSubmission(
        version=0,
        idempotency_key=uuid.uuid4(),
        values={edition.innovation: 10.5, edition.pitch: None, edition.theme: 0.5},
        abstained=False,
        status="submitted",
    )
    assert [(e.field, e.message) for e in validate_submission(sub, grids)] == [
        (f"values.{edition.innovation}", "Innovation : la note doit être comprise entre 0 et 10"),
        (f"values.{edition.pitch}", "Pitch : note manquante"),
        (f"comments.{edition.pitch}", "Commentaire obligatoire pour « Pitch »"),
        (f"values.{edition.theme}", "Respect du thème : la note doit aller de 1 en 1 (entre 0 et 1)"),
    ]
    innovation, pitch, theme = (g.view.choices for g in grids)
    assert innovation == [i / 2 for i in range(21)]
    assert pitch is None  # 41 values: a number input
    assert theme == [0.0, 1.0]
    assert Invalid.status_code == 422
