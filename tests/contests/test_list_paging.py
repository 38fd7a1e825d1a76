"""The organisers' candidates and jurors lists read one page at a time, and the candidates list searches.

At the scale of the largest contest (22,000 candidates) a list of every row was 6.7 MB; a page is 50 rows,
« Page 2 sur 3 » is exact, and the answer's size does not grow with the edition.
"""

from __future__ import annotations

import re

from tests import factories
from tests.helpers import make_organiser, sign_in

from jury.db.queries import Database
from jury.paging import PER_PAGE

HTML = {"accept": "text/html"}
SLUG = "made-in-92-2025"
URL = f"/organisation/editions/{SLUG}/candidats"


async def _edition(db: Database, client, *, candidates: int) -> int:
    contest = await factories.contest(db, slug="made-in-92")
    edition = await factories.edition(db, contest_id=contest, slug=SLUG)
    for n in range(1, candidates + 1):
        await factories.candidate(
            db,
            edition_id=edition,
            entry_number=n,
            organisation_name=f"Société {n:04d}",
            email=f"c{n}@exemple.fr",
        )
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    await sign_in(client, email="cci@exemple.fr")
    return edition


def _entry_numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"<td>(\d+)</td><td>Société", html)]


async def test_page_two_shows_the_next_fifty_candidates_and_the_exact_page_count(client, db):
    await _edition(db, client, candidates=2 * PER_PAGE + 7)
    first = await client.get(URL, headers=HTML)
    assert first.status_code == 200
    assert _entry_numbers(first.text) == list(range(1, 51))
    assert "Page 1 sur 3" in first.text and "107 candidat(s)" in first.text
    assert f'href="{URL}?page=2" rel="next">Suivante »' in first.text
    second = await client.get(URL, params={"page": 2}, headers=HTML)
    assert _entry_numbers(second.text) == list(range(51, 101))
    assert "Page 2 sur 3" in second.text and "Candidats 51 à 100 sur 107." in second.text
    assert f'href="{URL}?page=1" rel="prev">« Précédente' in second.text
    last = await client.get(URL, params={"page": 3}, headers=HTML)
    assert _entry_numbers(last.text) == list(range(101, 108))
    assert '<span aria-disabled="true">Suivante »</span>' in last.text


async def test_a_page_past_the_end_shows_the_last_page_and_a_malformed_one_is_a_400(client, db):
    await _edition(db, client, candidates=PER_PAGE + 1)
    past = await client.get(URL, params={"page": 99}, headers=HTML)
    assert past.status_code == 200 and "Page 2 sur 2" in past.text
    assert _entry_numbers(past.text) == [51]
    for bad in ("0", "-3", "deux", "1e9"):
        refused = await client.get(URL, params={"page": bad}, headers=HTML)
        assert refused.status_code == 400, bad
        assert "page" in refused.text
        assert "Société 0001" not in refused.text


async def test_the_search_finds_names_emails_and_communes_accents_aside(client, db):
    edition = await _edition(db, client, candidates=3)
    await factories.candidate(
        db, edition_id=edition, entry_number=10, person_name="Élodie Mœller", email="elodie@atelier.fr"
    )
    await factories.candidate(
        db, edition_id=edition, entry_number=11, person_name="Yannick Roux", insee_code="92012"
    )
    await factories.candidate(db, edition_id=edition, entry_number=12, person_name="Ana 100%", email="a@b.fr")

    def found(response) -> list[int]:
        return [int(n) for n in re.findall(r"<tr>\s*<td>(\d+)</td>", response.text)]

    by_name = await client.get(URL, params={"q": "ELODIE moeller"}, headers=HTML)
    assert found(by_name) == [10]
    assert "1 candidat(s) correspondant à « ELODIE moeller »." in by_name.text
    assert 'value="ELODIE moeller"' in by_name.text
    assert found(await client.get(URL, params={"q": "@atelier"}, headers=HTML)) == [10]
    assert found(await client.get(URL, params={"q": "boulogne"}, headers=HTML)) == [11]
    assert found(await client.get(URL, params={"q": "société 000"}, headers=HTML)) == [1, 2, 3]
    # LIKE's wildcards are searched for as text, not as wildcards.
    assert found(await client.get(URL, params={"q": "100%"}, headers=HTML)) == [12]
    assert found(await client.get(URL, params={"q": "_"}, headers=HTML)) == []
    nothing = await client.get(URL, params={"q": "zzz"}, headers=HTML)
    assert nothing.status_code == 200 and found(nothing) == []
    assert "Aucun candidat ne correspond à « zzz »." in nothing.text
    assert "6 candidat(s)." in nothing.text  # the edition's count stays above the search


async def test_the_search_pages_and_its_pager_keeps_the_search(client, db):
    await _edition(db, client, candidates=PER_PAGE + 30)
    # « Société 00 » matches 1–99 of 80: every one; « Société 001 » matches 10–19.
    first = await client.get(URL, params={"q": "Société 00"}, headers=HTML)
    assert "Page 1 sur 2" in first.text
    assert f'href="{URL}?q=Soci%C3%A9t%C3%A9%2000&amp;page=2" rel="next"' in first.text
    second = await client.get(URL, params={"q": "Société 00", "page": 2}, headers=HTML)
    assert _entry_numbers(second.text) == list(range(51, 81))
    narrow = await client.get(URL, params={"q": "Société 001"}, headers=HTML)
    assert _entry_numbers(narrow.text) == list(range(10, 20)) and "Page 1 sur" not in narrow.text


async def test_the_candidates_page_does_not_grow_with_the_edition(client, db):
    edition = await _edition(db, client, candidates=PER_PAGE + 1)
    small = await client.get(URL, headers=HTML)
    for n in range(PER_PAGE + 2, 12 * PER_PAGE + 1):
        await factories.candidate(
            db,
            edition_id=edition,
            entry_number=n,
            organisation_name=f"Société {n:04d}",
            email=f"c{n}@exemple.fr",
        )
    large = await client.get(URL, headers=HTML)
    assert "Page 1 sur 2" in small.text and "Page 1 sur 12" in large.text
    assert _entry_numbers(large.text) == _entry_numbers(small.text) == list(range(1, 51))
    # Only the counts' digits differ (« 51 » → « 600 », « 2 » → « 12 »): a few bytes, not 550 rows.
    assert 0 <= len(large.content) - len(small.content) <= 10


async def test_the_jurors_page_pages_in_french_alphabetical_order(client, db):
    edition = await _edition(db, client, candidates=0)
    round_id = await factories.round_(db, edition_id=edition)
    panel = await factories.panel(db, round_id=round_id, name="Jury Nord")
    names = [f"Juré {n:03d}" for n in range(PER_PAGE + 2)] + ["Élodie Zed", "Yannick Abel", "zoé Lune"]
    for name in names:
        await factories.member(db, panel_id=panel, person_id=await factories.person(db, full_name=name))
    row = re.compile(r"<tr><td>([^<]+)</td><td></td><td>[^<]+</td><td>([^<]*)</td></tr>")
    first = await client.get(f"/organisation/editions/{SLUG}/jures", headers=HTML)
    assert "Page 1 sur 2" in first.text and "55 juré(s) ; jurés 1 à 50." in first.text
    # « Élodie » between « D » and « F », not after « z » (byte order).
    assert row.findall(first.text)[:2] == [("Élodie Zed", "Jury Nord"), ("Juré 000", "Jury Nord")]
    second = await client.get(f"/organisation/editions/{SLUG}/jures", params={"page": 2}, headers=HTML)
    assert row.findall(second.text) == [
        ("Juré 049", "Jury Nord"),
        ("Juré 050", "Jury Nord"),
        ("Juré 051", "Jury Nord"),
        ("Yannick Abel", "Jury Nord"),
        ("zoé Lune", "Jury Nord"),
    ]


async def test_the_api_lists_answer_windows_with_documented_defaults(client, db):
    edition = await _edition(db, client, candidates=7)
    api = f"/api/editions/{SLUG}/candidates"
    everything = await client.get(api)
    assert [c["entry_number"] for c in everything.json()] == [1, 2, 3, 4, 5, 6, 7]
    window = await client.get(api, params={"limit": 2, "offset": 3})
    assert [c["entry_number"] for c in window.json()] == [4, 5]
    assert (await client.get(api, params={"limit": 0})).status_code == 400
    assert (await client.get(api, params={"limit": 1001})).status_code == 400
    round_id = await factories.round_(db, edition_id=edition)
    panel = await factories.panel(db, round_id=round_id)
    for name in ("Bruno", "Ève", "Adèle"):
        await factories.member(db, panel_id=panel, person_id=await factories.person(db, full_name=name))
    jurors = await client.get(f"/api/editions/{SLUG}/jurors", params={"offset": 1})
    assert [j["full_name"] for j in jurors.json()] == ["Bruno", "Ève"]
    schema = (await client.get("/schema/openapi.json")).json()
    parameters = schema["paths"]["/api/editions/{slug}/candidates"]["get"]["parameters"]
    limit = next(p for p in parameters if p["name"] == "limit")
    assert limit["schema"]["default"] == 500 and limit["schema"]["maximum"] == 1000
