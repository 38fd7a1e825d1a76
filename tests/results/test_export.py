"""The export's cells, without a database: negative calibrated scores keep the ASCII minus a spreadsheet
parses, decimals use the comma, a value that rounds to zero has no sign, and a rank change is never
written as '=' (a spreadsheet would read a formula)."""

from __future__ import annotations

import csv
import io

from jury.results.export import rank_change, to_csv
from jury.results.models import DesignSummary, LineView, StandingView


def standing(*, score: float, raw: float) -> StandingView:
    line = LineView(
        candidate_id=1,
        marks=2,
        raw=raw,
        raw_rank=2,
        score=score,
        rank=1,
        component=0,
        low=None,
        high=None,
        p_top_k=None,
        borderline=False,
        eliminated_by=0,
        name="-Solaris",
        entry_number=None,
    )
    return StandingView(
        round_id=1,
        section="1-1",
        panel_id=1,
        panel_name="Nord",
        category_id=1,
        category_name="Énergie",
        input_digest="0" * 64,
        method="affine",
        parameters={},
        seed=1,
        top_k=None,
        global_ranking=True,
        assumption=None,
        design=DesignSummary(connected=True, fiedler=1.0, components=1, jurors=2, candidates=1),
        design_message="",
        lines=[line],
        jurors=[],
        outliers=[],
    )


def test_csv_cells_are_french_decimals_and_neutralised_text():
    text = to_csv([standing(score=-3.456, raw=-0.001)]).decode("utf-8")
    [header, row] = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    cells = dict(zip(header, row, strict=True))
    assert cells["Score calibré"] == "-3,46"
    assert cells["Moyenne brute"] == "0,00"
    assert cells["Candidat"] == "'-Solaris"
    assert cells["Évolution"] == "↑ 1"


def test_rank_change_words():
    assert [rank_change(3, 1), rank_change(1, 2), rank_change(2, 2), rank_change(None, 1)] == [
        "↑ 2",
        "↓ 1",
        "stable",
        "",
    ]
