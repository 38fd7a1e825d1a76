"""GET /verifier: the address printed on every diploma, where the code printed above it is typed."""

from __future__ import annotations

import html

import pytest

from jury.diplomas.verify_web import canonical_code


@pytest.mark.parametrize("typed", ["K7QM-3XH2-PA9D", "k7qm3xh2pa9d", " k7qm 3xh2 pa9d ", "K7QM–3XH2–PA9D"])
def test_a_code_typed_any_way_reads_as_printed(typed):
    assert canonical_code(typed) == "K7QM-3XH2-PA9D"


async def test_the_printed_address_offers_a_field_and_leads_to_the_check(client):
    form = await client.get("/verifier")
    assert form.status_code == 200
    assert 'name="code"' in form.text and "Code de vérification" in html.unescape(form.text)
    assert "Je suis juré" not in form.text  # a verifier's page, not the staff's entrance
    typed = await client.get("/verifier", params={"code": "k7qm 3xh2 pa9d"}, follow_redirects=False)
    assert (typed.status_code, typed.headers["location"]) == (303, "/verifier/K7QM-3XH2-PA9D")
    empty = await client.get("/verifier", params={"code": " - "})
    assert empty.status_code == 200
    assert "Saisissez le code imprimé sur le diplôme." in html.unescape(empty.text)
    unknown = await client.get("/verifier/K7QM-3XH2-PA9D", headers={"accept": "text/html"})
    assert unknown.status_code == 404
