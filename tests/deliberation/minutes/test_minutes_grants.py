"""A committee's procès-verbal states each amount granted, their total and what is left of the budget.

The scored Progr'ESS committee of `tests/deliberation/conftest.py` (100 000 € budget, 15 000 € ceiling) sits
as one panel; its grants are recorded through the API, and the procès-verbal is read back from the PDF.
"""

from __future__ import annotations

import pytest
from tests.deliberation.minutes.test_minutes import pdf_text

from jury.access.identity import Identity
from jury.db.queries import Database
from jury.deliberation.minutes import service as minutes

BASED_ON = "grille /100 · sha256:77e1"


@pytest.fixture
async def committee(db: Database, scored):
    """The scored committee (one panel, every project marked) and its organiser."""
    scored.organiser = await db.conn.fetchval("select id from people where email = 'dep@exemple.fr'")
    return scored


async def grant(client, p, amounts: dict[str, int], **extra) -> None:
    response = await client.post(
        f"/api/editions/{p.slug}/grants",
        json={
            "grants": [{"candidate_id": p.c[name], "granted_eur": a} for name, a in amounts.items()],
            "based_on": BASED_ON,
            **extra,
        },
    )
    assert response.status_code == 201, response.text


@pytest.mark.pdf
async def test_the_proces_verbal_states_each_grant_the_total_and_the_budget_left(
    client, committee, as_organiser
) -> None:
    p = committee
    await as_organiser("dep@exemple.fr")
    await grant(
        client,
        p,
        {"Ludothèque": 15000, "Café des aidants": 10000},
        round_id=p.committee,
        reason="Comité du 12 mars",
    )
    response = await client.get(f"/organisation/rounds/{p.committee}/panels/{p.panel}/proces-verbal.pdf")
    assert response.status_code == 200, response.text
    text = pdf_text(response.content)
    decisions = text.split("DÉCISIONS", 1)[1].strip()
    assert decisions.startswith(
        "Décision Candidat Motif Montant accordé Fondement Par Le "
        "Lauréat : Lauréat Progr'ESS Ludothèque Comité du 12 mars 15 000 € grille /100"
    ), decisions
    assert "Lauréat : Lauréat Progr'ESS Café des aidants Comité du 12 mars 10 000 € grille /100" in decisions
    assert "Ressourcerie" not in decisions.split("Total accordé", 1)[0]  # judged, not granted
    assert (
        "Total accordé par ce jury 25 000 € Budget de l'édition 100 000 € Reste disponible sur le budget 75 000 €"
    ) in decisions
    assert "Accordé par les autres décisions" not in decisions


async def test_the_totals_without_a_budget_or_beyond_it(
    db: Database, client, committee, as_organiser
) -> None:
    p = committee
    await as_organiser("dep@exemple.fr")
    await grant(client, p, {"Ludothèque": 15000}, round_id=p.committee)
    organiser = Identity(person_id=p.organiser, name="dep", kind="organiser")

    async def totals():
        context = await minutes.minutes_context(
            db, identity=organiser, round_id=p.committee, panel_id=p.panel
        )
        return context.grants

    plain = await totals()
    assert (plain.granted, plain.elsewhere, plain.budget, plain.left, plain.overrun) == (
        "15\u202f000\xa0€",
        "",
        "100\u202f000\xa0€",
        "85\u202f000\xa0€",
        "",
    )
    await db.conn.execute(
        "update editions set budget_eur = 10000, max_grant_eur = 10000 where id = $1", p.edition
    )
    beyond = await totals()
    assert (beyond.budget, beyond.left, beyond.overrun) == ("10\u202f000\xa0€", "", "5\u202f000\xa0€")
    await db.conn.execute(
        "update editions set budget_eur = null, max_grant_eur = null where id = $1", p.edition
    )
    without = await totals()
    assert (without.granted, without.budget, without.left, without.overrun) == (
        "15\u202f000\xa0€",
        "",
        "",
        "",
    )


async def test_a_panel_without_grants_has_no_amounts(db: Database, client, committee, as_organiser) -> None:
    p = committee
    organiser = Identity(person_id=p.organiser, name="dep", kind="organiser")
    context = await minutes.minutes_context(db, identity=organiser, round_id=p.committee, panel_id=p.panel)
    assert context.grants is None and context.decisions == []
