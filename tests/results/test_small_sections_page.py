"""The standings page of a small section says which method was used and why, and which jurors have too few
marks, in French."""

from __future__ import annotations

from tests.helpers import sign_in
from tests.results.conftest import GRID, RoundBuilder

# (innovation /10, impact /20): three candidates each marked twice by jurors who disagree, plus Denis who
# marked only Solaris.
SHEETS = {
    "Alice Martin": {"Solaris": (6, 12), "Zéphyr": (7, 12)},
    "Bruno Petit": {"Solaris": (8, 14), "Ventus": (5, 11)},
    "Chloé Durand": {"Ventus": (7, 13), "Zéphyr": (5, 10)},
    "Denis Roy": {"Solaris": (9, 18)},
}


async def test_a_small_section_names_its_fallback_and_the_jurors_with_too_few_marks(
    client, builder: RoundBuilder
):
    b = builder
    await b.category("energie", GRID)
    await b.panel("Nord")
    for juror in SHEETS:
        await b.juror(juror, panels=["Nord"])
    for name in ("Solaris", "Ventus", "Zéphyr"):
        await b.candidate(name, panel="Nord", category="energie")
    for juror, marks in SHEETS.items():
        for name, (innovation, impact) in marks.items():
            await b.sheet(juror, name, {"innovation": innovation, "impact": impact, "theme": 1})
    await sign_in(client, email="cci@exemple.fr")
    [standing] = (await client.get(f"/api/rounds/{b.round}/standings")).json()
    assert (standing["method"], standing["method_used"]) == ("affine", "additive")
    assert standing["method_label"] == "Additive : sévérité de chaque juré seulement"
    assert standing["fallback"].startswith("trop peu de notes par juré pour estimer l'étendue")
    widths = [line["high"] - line["low"] for line in standing["lines"]]
    assert min(widths) > 1.0  # the jurors disagree: no interval of width zero
    few = {j["name"]: j["few_marks"] for j in standing["jurors"]}
    assert few == {"Alice Martin": True, "Bruno Petit": True, "Chloé Durand": True, "Denis Roy": True}

    page = await client.get(f"/organisation/rounds/{b.round}/classement")
    assert page.status_code == 200
    text = page.text
    assert "Méthode appliquée : <strong>Additive : sévérité de chaque juré seulement</strong>" in text
    assert "Méthode du tour (« affine ») non applicable à ce classement : trop peu de notes par juré" in text
    jurors_table, by_criterion = text.split("Sévérité par critère")
    assert jurors_table.count("<mark>trop peu de notes</mark>") == 4
    # and on each of the two marked criteria, for the same four jurors
    assert by_criterion.count("<mark>trop peu de notes</mark>") == 8
    assert "recommandée</strong>" not in text
    # Plain words first, the technical detail behind « En savoir plus ».
    assert "<strong>Prochaine étape</strong> :" in text and "attendre les fiches des jurés" in text
    details = text[text.index("<summary>En savoir plus</summary>") :]
    for term in ("Plan connexe", "Affine régularisée", "Huber", "Graine", "Empreinte", "valeur de Fiedler"):
        assert term in details, term
