"""The follow-up page of a round at scale: totals from aggregates, each table one page of 50 at a time.

Its totals and rows are the API's (`round_progress`, which reads every pair), page for page.
"""

from __future__ import annotations

import re

from tests import factories
from tests.helpers import make_organiser, sign_in

from jury.paging import PER_PAGE

HTML = {"accept": "text/html"}


async def _round(db, client) -> dict:
    """62 candidates in one panel, 55 jurors: candidate n is assigned to jurors n, n+1, n+2 (mod 55), but
    candidates 61 and 62 to two only (holes); juror 0 submitted every sheet, juror 1 drafted them; one
    candidate withdrew (it expects nothing) and juror 2 declared a conflict with candidate 5."""
    contest = await factories.contest(db, slug="made-in-92")
    edition = await factories.edition(db, contest_id=contest, slug="made-in-92-2025")
    round_id = await factories.round_(db, edition_id=edition, name="Demi-finale")
    panel = await factories.panel(db, round_id=round_id, name="Jury Nord")
    jurors = []
    for n in range(PER_PAGE + 5):
        person = await factories.person(db, full_name=f"Juré {n:03d}")
        await factories.member(db, panel_id=panel, person_id=person)
        jurors.append(person)
    for n in range(1, PER_PAGE + 14):
        cid = await factories.candidate(
            db, edition_id=edition, entry_number=n, organisation_name=f"Société {n}"
        )
        withdrawn = n == PER_PAGE + 13
        await factories.enter_round(
            db,
            candidate_id=cid,
            round_id=round_id,
            panel_id=panel,
            status="withdrawn" if withdrawn else "eligible",
        )
        if withdrawn:
            continue
        for k in range(2 if n > 60 else 3):
            person = jurors[(n + k) % len(jurors)]
            await factories.assign(db, panel_id=panel, person_id=person, candidate_id=cid)
            if person in (jurors[0], jurors[1]):
                status = "submitted" if person == jurors[0] else "draft"
                await factories.sheet(
                    db, round_id=round_id, panel_id=panel, person_id=person, candidate_id=cid, status=status
                )
        if n == 5:
            await db.conn.execute(
                "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict, reason) "
                "values ($1, $2, $3, true, 'Associé')",
                round_id,
                jurors[2],
                cid,
            )
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    await sign_in(client, email="cci@exemple.fr")
    return {"round": round_id}


def _candidate_rows(html: str) -> list[tuple[int, int, str]]:
    """(entry number, jurors, submitted / jurors) of each row of the candidates' table."""
    table = html.split('id="candidates-table"')[1]
    return [
        (int(n), int(j), s)
        for n, j, s in re.findall(
            r'<td class="num">(\d+)</td>\s*<td>Société \d+</td>\s*<td>Jury Nord</td>\s*'
            r'<td class="num">(\d+)</td>\s*<td class="num">(\d+ / \d+)</td>',
            table,
        )
    ]


async def test_the_follow_up_page_pages_both_tables_with_the_api_s_counts(client, db):
    fx = await _round(db, client)
    url = f"/organisation/rounds/{fx['round']}/suivi"
    api = (await client.get(f"/api/rounds/{fx['round']}/progress")).json()
    assert (api["target"], api["expected"], api["submitted"], api["holes"]) == (3, 184, 3, 2)

    first = await client.get(url, headers=HTML)
    assert first.status_code == 200
    assert f"<strong>{api['submitted']} / {api['expected']}</strong> feuilles validées" in first.text
    assert "<strong>2</strong> candidats en manque de jurés" in first.text
    assert "Page 1 sur 2" in first.text and "Candidats 1 à 50 sur 62." in first.text
    assert "Jurés 1 à 50 sur 55." in first.text
    by_entry = {
        c["entry_number"]: (c["jurors"], f"{c['submitted']} / {c['jurors']}") for c in api["candidates"]
    }
    assert _candidate_rows(first.text) == [(n, *by_entry[n]) for n in range(1, 51)]

    second = await client.get(url, params={"page": 2, "page_jures": 2}, headers=HTML)
    assert _candidate_rows(second.text) == [(n, *by_entry[n]) for n in range(51, 63)]
    assert len(re.findall(r'<tr class="hole"', second.text)) == 2
    assert "Trou : 1 juré à affecter" in second.text
    # The jurors' second page: 5 rows, with the API's counts.
    api_jurors = {j["full_name"]: j for j in api["jurors"]}
    rows = re.findall(
        r'<td>(Juré \d+)</td>\s*<td>Jury Nord</td>\s*<td class="num">(\d+) / (\d+)</td>', second.text
    )
    assert [name for name, _, _ in rows] == ["Juré 050", "Juré 051", "Juré 052", "Juré 053", "Juré 054"]
    assert all(
        (int(s), int(e)) == (api_jurors[name]["submitted"], api_jurors[name]["expected"])
        for name, s, e in rows
    )
    # The pager and the live refresh keep the other table's page.
    assert f'href="{url}?page_jures=2&amp;page=1" rel="prev">« Précédente' in second.text
    assert f'hx-get="{url}/tableau?page=2&amp;page_jures=2"' in second.text
    fragment = await client.get(f"{url}/tableau", params={"page": 2, "page_jures": 2})
    assert _candidate_rows(fragment.text) == _candidate_rows(second.text)


async def test_the_first_page_shows_the_api_s_juror_counts_and_a_page_past_the_end_clamps(client, db):
    fx = await _round(db, client)
    url = f"/organisation/rounds/{fx['round']}/suivi"
    api = {
        j["full_name"]: j for j in (await client.get(f"/api/rounds/{fx['round']}/progress")).json()["jurors"]
    }
    page = await client.get(url, headers=HTML)
    for name in ("Juré 000", "Juré 001", "Juré 002"):
        j = api[name]
        row = (
            f'<td>{name}</td>\n        <td>Jury Nord</td>\n        <td class="num">{j["submitted"]} / {j["expected"]}'
            f'</td>\n        <td class="num">{j["drafts"]}</td>'
        )
        assert row in page.text, name
    assert (api["Juré 000"]["submitted"], api["Juré 001"]["drafts"], api["Juré 002"]["conflicts"]) == (
        3,
        4,
        1,
    )
    past = await client.get(url, params={"page": 40}, headers=HTML)
    assert past.status_code == 200 and "Page 2 sur 2" in past.text
    assert (await client.get(url, params={"page": "0"}, headers=HTML)).status_code == 400
    assert (await client.get(url, params={"page_jures": "x"}, headers=HTML)).status_code == 400
