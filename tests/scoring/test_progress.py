"""The organisers' progress dashboard: exact counts, holes left by conflicts, CSV export, contest scoping."""

from __future__ import annotations

import csv
import io
import re

import pytest
from tests.helpers import sign_in
from tests.scoring.conftest import Edition, declare_none, sign_in_juror

from jury.scoring.progress import target_jurors


async def sheet(db, fx: Edition, *, person: int, entry: int, status: str, abstained: bool = False) -> None:
    await db.conn.execute(
        "insert into score_sheets (round_id, panel_id, person_id, candidate_id, status, abstained, "
        "abstention_reason, submitted_at) values ($1, $2, $3, $4, $5, $6, $7, "
        "case when $5 = 'submitted' then now() end)",
        fx.round_id,
        fx.panel_id,
        person,
        fx.c(entry),
        status,
        abstained,
        "Absent au pitch" if abstained else "",
    )


@pytest.fixture
async def marking(client, db, edition: Edition) -> Edition:
    """Claire: 101 and 102 submitted, 103 in draft. Marc: 101 submitted as an abstention. Sophie declares a
    conflict with 102 (through the API, so her assignment goes) and nothing yet for 103."""
    await declare_none(db, round_id=edition.round_id, person_id=edition.claire)
    await sheet(db, edition, person=edition.claire, entry=101, status="submitted")
    await sheet(db, edition, person=edition.claire, entry=102, status="submitted")
    await sheet(db, edition, person=edition.claire, entry=103, status="draft")
    await sheet(db, edition, person=edition.marc, entry=101, status="submitted", abstained=True)
    await sign_in_juror(client, db, edition_id=edition.edition_id, person_id=edition.sophie)
    response = await client.put(
        f"/api/jure/tours/{edition.round_id}/conflits",
        json={
            "declarations": [
                {"candidate_id": edition.c(101), "has_conflict": False},
                {"candidate_id": edition.c(102), "has_conflict": True, "reason": "Associée"},
            ]
        },
    )
    assert response.status_code == 200
    await client.post("/deconnexion")
    return edition


def test_target_is_the_most_common_number_of_jurors():
    assert target_jurors([]) == 0
    assert target_jurors([3, 3, 2]) == 3
    assert target_jurors([3, 2, 3, 2]) == 3  # a tie: the larger
    assert target_jurors([4, 3, 3, 3]) == 3  # a bridge juror's extra mark does not raise the target


async def test_dashboard_counts_are_exact(client, db, marking, organiser):
    fx = marking
    data = (await client.get(f"/api/rounds/{fx.round_id}/progress")).json()
    assert (data["target"], data["expected"], data["submitted"], data["holes"]) == (3, 10, 3, 2)
    jurors = {
        j["full_name"]: (
            j["expected"],
            j["submitted"],
            j["drafts"],
            j["missing"],
            j["declarations_pending"],
            j["conflicts"],
        )
        for j in data["jurors"]
    }
    assert jurors == {
        "Claire Dubois": (4, 2, 1, 2, 0, 0),
        "Marc Lefèvre": (4, 1, 0, 3, 4, 0),
        "Sophie Martin": (2, 0, 0, 2, 1, 1),
    }
    candidates = [
        (c["entry_number"], c["jurors"], c["submitted"], c["missing"], c["conflicts"], c["hole"])
        for c in data["candidates"]
    ]
    assert candidates == [
        (101, 3, 2, 1, 0, False),
        (102, 2, 1, 1, 1, True),  # Sophie's conflict left a hole
        (103, 3, 0, 3, 0, False),
        (104, 2, 0, 2, 0, True),  # Sophie was never assigned
    ]

    page = await client.get(f"/organisation/rounds/{fx.round_id}/suivi")
    assert page.status_code == 200
    assert "<strong>3 / 10</strong> feuilles validées" in page.text
    assert len(re.findall(r'<tr class="hole"', page.text)) == 2
    assert "Trou : 1 juré à affecter" in page.text
    assert len(re.findall(r'<tr class="missing"', page.text)) == 3 + 2  # all jurors; 101 and 103 (not holes)
    # Live update: the table fragment polls itself every 10 s with htmx; no inline script or style.
    assert f'hx-get="/organisation/rounds/{fx.round_id}/suivi/tableau"' in page.text
    assert 'hx-trigger="every 10s"' in page.text
    assert '<script src="/static/htmx.min.js" defer></script>' in page.text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text)
    assert " style=" not in page.text
    fragment = await client.get(f"/organisation/rounds/{fx.round_id}/suivi/tableau")
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="progress-table"')
    assert "<html" not in fragment.text
    assert (await client.get("/static/htmx.min.js")).status_code == 200


async def test_dashboard_follows_new_sheets(client, db, marking, organiser):
    fx = marking
    before = (await client.get(f"/organisation/rounds/{fx.round_id}/suivi/tableau")).text
    await sheet(db, fx, person=fx.marc, entry=104, status="submitted")
    after = (await client.get(f"/organisation/rounds/{fx.round_id}/suivi/tableau")).text
    assert "<strong>3 / 10</strong>" in before and "<strong>4 / 10</strong>" in after


async def test_progress_csv_escapes_formulas(client, db, marking, organiser):
    fx = marking
    await db.conn.execute("update people set full_name = '=Marc Lefèvre' where id = $1", fx.marc)
    await db.conn.execute(
        "update candidates set organisation_name = '-Cycles Ombeline' where id = $1", fx.c(103)
    )
    response = await client.get(f"/organisation/rounds/{fx.round_id}/suivi.csv")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="suivi-tour-{fx.round_id}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Jury", "Juré", "N° d'inscription", "Candidat", "Feuille", "Abstention", "Mise à jour"]
    assert [r[:6] for r in rows[1:]] == [
        ["Jury Nord", "'=Marc Lefèvre", "101", "Brioches Verdier SAS", "validée", "oui"],
        ["Jury Nord", "'=Marc Lefèvre", "102", "Atelier Quillard", "à évaluer", ""],
        ["Jury Nord", "'=Marc Lefèvre", "103", "'-Cycles Ombeline", "à évaluer", ""],
        ["Jury Nord", "'=Marc Lefèvre", "104", "Robotique Tessier", "à évaluer", ""],
        ["Jury Nord", "Claire Dubois", "101", "Brioches Verdier SAS", "validée", ""],
        ["Jury Nord", "Claire Dubois", "102", "Atelier Quillard", "validée", ""],
        ["Jury Nord", "Claire Dubois", "103", "'-Cycles Ombeline", "brouillon", ""],
        ["Jury Nord", "Claire Dubois", "104", "Robotique Tessier", "à évaluer", ""],
        ["Jury Nord", "Sophie Martin", "101", "Brioches Verdier SAS", "à évaluer", ""],
        ["Jury Nord", "Sophie Martin", "103", "'-Cycles Ombeline", "à évaluer", ""],
    ]
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", r[6]) for r in rows[1:] if r[4] != "à évaluer")


async def test_only_organisers_of_the_contest_see_the_dashboard(client, db, marking, other_organiser):
    fx = marking
    paths = [
        f"/organisation/rounds/{fx.round_id}/suivi",
        f"/organisation/rounds/{fx.round_id}/suivi/tableau",
        f"/organisation/rounds/{fx.round_id}/suivi.csv",
        f"/api/rounds/{fx.round_id}/progress",
    ]
    for path in paths:
        assert (await client.get(path)).status_code == 401, path
    await sign_in(client, email=other_organiser)
    for path in paths:
        refused = await client.get(path)
        assert refused.status_code == 403, path
        for secret in ("Claire", "Brioches", "Associée"):
            assert secret not in refused.text
    await sign_in_juror(client, db, edition_id=fx.edition_id, person_id=fx.claire)
    for path in paths:
        assert (await client.get(path)).status_code == 403, path
    assert (
        await client.get("/api/rounds/999999/progress")
    ).status_code == 403  # a juror: refused before lookup
