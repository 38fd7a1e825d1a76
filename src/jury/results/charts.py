"""The two charts of the standings page, drawn with pygal and embedded as `data:` images.

Why images and not inline SVG: an SVG shown through `<img>` is an isolated document, so neither its
styles nor any script in it can touch the page, and the page keeps its strict Content-Security-Policy
(`img-src 'self' data:` already allows it). pygal always writes a small configuration `<script>` for its
optional tooltips; it is removed from the tree before serialising, so the SVG carries no script at all.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping

import pygal
from pygal.etree import etree
from pygal.style import Style

from jury.results.models import StandingView

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#373c44",
    foreground_strong="#1d2125",
    foreground_subtle="#d7dce2",
    colors=("#1f6feb", "#d1242f", "#8250df", "#1a7f37", "#bf8700", "#57606a"),
    font_family="system-ui, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    title_font_size=15,
    legend_font_size=12,
    value_label_font_size=11,
)
COMMON = {
    "style": STYLE,
    "js": [],
    "disable_xml_declaration": True,
    "width": 720,
    "height": 420,
    "stroke": False,
    "dots_size": 4,
    "legend_at_bottom": True,
    "truncate_legend": -1,
}


def juror_chart(standing: StandingView) -> str:
    """Severity against range use, one mark per juror: who is harsh, who squeezes the scale.

    One series per linked group of jurors, since severities of unlinked groups are not comparable.
    """
    xs = [j.severity for j in standing.jurors] or [0.0]
    ys = [j.scale for j in standing.jurors] or [1.0]
    chart = pygal.XY(
        **COMMON,
        # Padded so that the names printed beside the extreme points stay inside the picture.
        xrange=_padded(min(xs), max(xs), share=0.25),
        range=_padded(min(ys), max(ys), share=0.15),
        title="Jurés : sévérité et étendue de notation",
        x_title="Sévérité (points ajoutés à un candidat moyen ; négatif = sévère)",
        y_title="Étendue utilisée (1 = moyenne du jury)",
        print_labels=True,
        show_legend=standing.design.components > 1,
    )
    groups: dict[int, list[dict]] = {}
    for juror in standing.jurors:
        groups.setdefault(juror.component, []).append(
            {"value": (round(juror.severity, 3), round(juror.scale, 3)), "label": juror.name}
        )
    for component, points in sorted(groups.items()):
        chart.add(f"Groupe {component + 1}" if len(groups) > 1 else "Jurés", points)
    return _data_uri(chart)


def spread_chart(standing: StandingView, totals: Mapping[int, list[float]]) -> str:
    """Each juror's total per candidate (dots) and the calibrated score, in calibrated order: a wide
    spread or a score far from its dots is what deliberation should look at."""
    ranked = [line for line in standing.lines if line.score is not None]
    chart = pygal.XY(
        **COMMON,
        title="Dispersion des notes par candidat",
        x_title="Candidats dans l'ordre du classement calibré",
        y_title="Total sur 100",
        x_labels=list(range(1, len(ranked) + 1)),
        show_legend=True,
    )
    marks, scores = [], []
    for position, line in enumerate(ranked, start=1):
        marks.extend(
            {"value": (position, round(total, 3)), "label": line.name}
            for total in totals.get(line.candidate_id, [])
        )
        scores.append({"value": (position, round(line.score, 3)), "label": line.name})
    chart.add("Totaux des jurés", marks)
    chart.add("Score calibré", scores, dots_size=6)
    return _data_uri(chart)


def _padded(low: float, high: float, *, share: float) -> tuple[float, float]:
    pad = max(high - low, 1.0) * share
    return (round(low - pad, 3), round(high + pad, 3))


def _data_uri(chart) -> str:
    tree = chart.render_tree()
    for parent in list(tree.iter()):
        for child in list(parent):
            if child.tag == "script":
                parent.remove(child)
    # pygal builds its tree with lxml when lxml is installed (WeasyPrint's and pikepdf's dependencies may
    # bring it), with the standard library's ElementTree otherwise: serialise with the one that built it.
    svg = etree.tostring(tree, encoding="utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
