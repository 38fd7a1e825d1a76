"""Procès-verbal context → HTML (Jinja) → PDF (WeasyPrint), in a render process of the shared PDF pool.

The context is plain data (msgspec structs of strings and numbers) so that it pickles to the render
process and so that the template needs no database and no formatting logic: every figure arrives already
written in French. WeasyPrint is imported only inside the render process, never by the web process (see
`jury.pdf.pool`): it is CPU-bound, holds the GIL and its Pango/GLib state must not be forked. The fonts
are the diplomas' (OFL, under templates/diplomas/fonts), served by the diplomas' restricted URL fetcher
rooted at that folder, so no text in the minutes can make the renderer read another file or call the
network.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import msgspec

from jury.pdf import process
from jury.pdf.pool import PdfPool


class MinutesRenderError(RuntimeError):
    """Rendering failed; raised instead of WeasyPrint's BaseException so the pool treats it as an error."""


# --- Context --------------------------------------------------------------------------------------------


class Member(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    title: str
    chair: bool


class ConflictLine(msgspec.Struct, frozen=True, kw_only=True):
    juror: str
    candidate: str
    reason: str


class StandingLine(msgspec.Struct, frozen=True, kw_only=True):
    rank: str
    candidate: str
    score: str
    raw: str
    marks: int
    p_top_k: str
    remarks: str


class Standing(msgspec.Struct, frozen=True, kw_only=True):
    category: str
    method: str
    method_label: str
    digest: str
    origin: str  # which publication, or "classement courant"
    lines: list[StandingLine]


class BallotLine(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    kind: str
    status: str
    votes: str
    order: list[str]
    winners: str
    casting_vote: str
    separations: list[str]
    notes: list[str]
    excluded: list[str]


class DecisionLine(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    candidate: str
    amount: str  # the amount granted, in French euros ("12 000 €"); "" for a decision without one
    reason: str
    based_on: str
    decided_by: str
    decided_at: str
    departure: str = ""  # how the decision goes against the standing it rests on (its reason says why)
    undone: str = ""  # for an undone decision: when, by whom and why it was undone


class GrantTotals(msgspec.Struct, frozen=True, kw_only=True):
    """What the panel's grants weigh against the edition's budget, every figure in French euros."""

    granted: str  # granted by this panel's decisions (as shown in this copy)
    elsewhere: str  # granted by the edition's other decisions (other panels or rounds), or ""
    budget: str  # the edition's budget, or "" when it has none
    left: str  # the budget left once every grant of the edition is counted, or ""
    overrun: str  # how far the edition's grants go beyond its budget, or ""


class AuditMark(msgspec.Struct, frozen=True, kw_only=True):
    """The audit chain's head when the copy was drawn up (`jury.audit.service.chain_head`), so that the
    chain can later be checked against the paper: `jury audit verify --expect-head HEAD --expect-count N`."""

    count: int
    head: str  # the last event's hash, 64 hex digits
    summary: str  # « Journal d'audit : N événements, empreinte <16 premiers chiffres>… »


class MinutesContext(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    contest: str
    edition: str
    round: str
    rule: str  # the round's qualification rule in words, as on the edition, Classement and Décisions pages
    panel: str
    venue: str
    date: str
    generated: str
    provisional: bool
    blind: bool
    members: list[Member]
    chair: str
    conflicts: list[ConflictLine]
    standings: list[Standing]
    ballots: list[BallotLine]
    decisions: list[DecisionLine]
    undone: list[DecisionLine] = []  # decisions taken and then undone, each with who undid it and why
    grants: GrantTotals | None  # None when no decision of this panel grants an amount
    omitted: str  # why this copy leaves some lines out (a chair's own conflicts), or ""
    # Set on every copy the service draws up; None only for a context built by hand (a renderer test).
    # Like `generated`, it says when this copy was drawn up and stays out of the content digest (jobs.py).
    audit: AuditMark | None = None


# --- HTML (no WeasyPrint) -------------------------------------------------------------------------------


def build_environment(templates_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(templates_dir) / "minutes"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )


def minutes_html(context: MinutesContext, *, environment: jinja2.Environment) -> str:
    return environment.get_template("pv.html").render(pv=context)


# --- PDF (in the render process) -----------------------------------------------------------------------


class _Renderer:
    """One per render process: environment, fonts, stylesheet and fetcher are set up once, not per document."""

    def __init__(self, templates_dir: Path) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        from jury.diplomas.render import TemplatesOnlyFetcher, font_face_css

        self.templates_dir = Path(templates_dir).resolve()
        fonts = self.templates_dir / "diplomas" / "fonts"
        self.environment = build_environment(self.templates_dir)
        self.base_url = (self.templates_dir / "minutes").as_uri() + "/"
        self.fetcher = TemplatesOnlyFetcher(fonts)
        self.font_config = FontConfiguration()
        css = font_face_css(fonts) + (self.templates_dir / "minutes" / "pv.css").read_text(encoding="utf-8")
        self.stylesheet = CSS(
            string=css, base_url=self.base_url, font_config=self.font_config, url_fetcher=self.fetcher
        )

    def render(self, context: MinutesContext) -> bytes:
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError

        html = minutes_html(context, environment=self.environment)
        try:
            document = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
                font_config=self.font_config, stylesheets=[self.stylesheet]
            )
        except FatalURLFetchingError as exc:
            raise MinutesRenderError(str(exc.__cause__ or exc)) from None
        return document.write_pdf()


def render_pdf(context: MinutesContext) -> bytes:
    """Entry point run in the render process (picklable by name)."""
    return process.renderer(_Renderer).render(context)


# --- Async front (in the web or worker process) ---------------------------------------------------------


async def render_minutes(pool: PdfPool, context: MinutesContext) -> bytes:
    """The procès-verbal's PDF, rendered off the event loop by the process's PDF pool."""
    return await pool.run(render_pdf, context)
