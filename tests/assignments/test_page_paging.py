"""The assignment page shows its panels ten at a time and the jurors' loads fifty at a time."""

from __future__ import annotations

import re

from tests import factories
from tests.helpers import make_organiser, sign_in

from jury.assignments.web import PANELS_PER_PAGE

HTML = {"accept": "text/html"}


async def test_the_assignment_page_pages_its_panels_and_the_jurors_loads(client, db):
    contest = await factories.contest(db, slug="made-in-92")
    edition = await factories.edition(db, contest_id=contest, slug="made-in-92-2025")
    round_id = await factories.round_(db, edition_id=edition, name="Demi-finale")
    entry = 0
    for n in range(PANELS_PER_PAGE + 2):  # 12 panels of 5 jurors and 2 candidates: 60 jurors
        panel = await factories.panel(db, round_id=round_id, name=f"Jury {n:02d}")
        jurors = [await factories.person(db, full_name=f"Juré {n:02d}-{j}") for j in range(5)]
        for person in jurors:
            await factories.member(db, panel_id=panel, person_id=person)
        for _ in range(2):
            entry += 1
            cid = await factories.candidate(
                db, edition_id=edition, entry_number=entry, organisation_name=f"S{entry}"
            )
            await factories.enter_round(db, candidate_id=cid, round_id=round_id, panel_id=panel)
            for person in jurors[:3]:
                await factories.assign(db, panel_id=panel, person_id=person, candidate_id=cid)
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    await sign_in(client, email="cci@exemple.fr")
    url = f"/organisation/rounds/{round_id}/affectations"

    def panels(html: str) -> list[str]:
        return re.findall(r'<h2 id="jury-\d+">(Jury \d\d)', html)

    first = await client.get(url, headers=HTML)
    assert first.status_code == 200
    assert panels(first.text) == [f"Jury {n:02d}" for n in range(PANELS_PER_PAGE)]
    assert "Jurys 1 à 10 sur 12." in first.text and "Jurés 1 à 50 sur 60." in first.text
    assert f'href="{url}?page=2" rel="next">Suivante »' in first.text
    second = await client.get(url, params={"page": 2, "page_jures": 2}, headers=HTML)
    assert panels(second.text) == ["Jury 10", "Jury 11"]
    assert "Page 2 sur 2" in second.text and "Jurés 51 à 60 sur 60." in second.text
    # Every shown pair is ticked: 2 candidates × 3 jurors in each of the 2 panels.
    assert second.text.count(">✓</button>") == 12
    # The round's verification still covers every panel, not just the page.
    assert "12 groupes sans juré commun" in second.text
    assert (await client.get(url, params={"page": 99}, headers=HTML)).status_code == 200
    assert (await client.get(url, params={"page": "0"}, headers=HTML)).status_code == 400
