"""The confirmation of a round's move counts every missing sheet by aggregate and names the first 200."""

from __future__ import annotations

import re

from tests import factories
from tests.helpers import make_organiser, sign_in

from jury.rounds.move_preview import MISSING_SHOWN

HTML = {"accept": "text/html"}


async def test_the_confirmation_counts_every_missing_sheet_and_names_the_first_ones(client, db):
    contest = await factories.contest(db, slug="made-in-92")
    edition = await factories.edition(db, contest_id=contest, slug="made-in-92-2025")
    round_id = await factories.round_(db, edition_id=edition, name="Demi-finale", status="open")
    panel = await factories.panel(db, round_id=round_id)
    jurors = [await factories.person(db, full_name=f"Juré {n}") for n in range(3)]
    for person in jurors:
        await factories.member(db, panel_id=panel, person_id=person)
    for n in range(1, 72):
        cid = await factories.candidate(
            db, edition_id=edition, entry_number=n, organisation_name=f"Société {n}"
        )
        await factories.enter_round(db, candidate_id=cid, round_id=round_id, panel_id=panel)
        for person in jurors:
            await factories.assign(db, panel_id=panel, person_id=person, candidate_id=cid)
        if n == 1:  # one submitted, one draft: 213 expected, 212 missing, 1 draft
            await factories.sheet(
                db, round_id=round_id, panel_id=panel, person_id=jurors[0], candidate_id=cid
            )
            await factories.sheet(
                db, round_id=round_id, panel_id=panel, person_id=jurors[1], candidate_id=cid, status="draft"
            )
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    await sign_in(client, email="cci@exemple.fr")

    page = await client.get(
        f"/organisation/rounds/{round_id}/etat", params={"to": "deliberation"}, headers=HTML
    )
    assert page.status_code == 200
    assert "212 feuille(s) manquante(s) sur 213 attendue(s), dont 1 brouillon(s)" in page.text
    assert "<summary>212 feuille(s) non validée(s)</summary>" in page.text
    rows = re.findall(r"<tr><td>(Juré \d)</td><td>(Société \d+)</td><td>([^<]+)</td></tr>", page.text)
    assert len(rows) == MISSING_SHOWN == 200
    assert rows[0] == ("Juré 0", "Société 2", "à évaluer")
    assert ("Juré 1", "Société 1", "brouillon") in rows
    assert f"Les {MISSING_SHOWN} premières sur 212 : la page de suivi les détaille toutes." in page.text
