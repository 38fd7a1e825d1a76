"""Diploma context → HTML (Jinja) → PDF (WeasyPrint), inside a worker process.

WeasyPrint is CPU-bound, not thread-safe and slow to warm up (fonts, stylesheet), so a `Renderer`
is built once per render process of the shared PDF pool (`jury.pdf.process.renderer`, on the process's
first diploma) and reused for every diploma.

Every diploma, alone or in a batch, is made the same way, in two layers (see `templates/diplomas/base.html`):
- the *static* layer (paper, frame, logos) is the same for every winner of a contest and template: it is
  laid out and drawn once per process and kept as a PDF Form XObject;
- the *winner* layer (texts, signatures) of a whole batch is laid out as ONE multi-page document and
  written as ONE PDF (HTML parsing, style cascade, drawing set-up and font subsetting once per batch), then
  qpdf (pikepdf) cuts it into one PDF per diploma, puts the static layer under each page and draws the QR
  code over it as vector squares, in the box the layout left for it.
Measured (tests/bench/diplomas.py, same run): 37 ms of CPU per diploma against 61 ms for whole pages each
written with `Document.copy([page]).write_pdf()` (the SVG logos were about a fifth of that, subsetting the
fonts into each PDF another fifth; pypdf splitting was slower still: it rewrites the fonts into each part).
The price: each PDF carries the font subset of its batch (36 kB a PDF instead of 23 kB).
The signatures stay in the winner's layer although they are the same for an edition: in the static layer
(drawn first) they would come before the diploma's text when the PDF is read aloud or extracted.

Competitor names are user data: Jinja autoescapes them, and the URL fetcher serves only files of the
templates folder, so no text can make the renderer read a local file or call the network.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import mimetypes
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jinja2
import pikepdf
import segno
from markupsafe import Markup, escape
from weasyprint import CSS, HTML, Document
from weasyprint import __version__ as weasyprint_version
from weasyprint.text.ffi import harfbuzz_subset
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from jury.diplomas.models import DiplomaContext
from jury.french.dates import french_date
from jury.french.money import euros
from jury.french.ordinal import Gender, ordinal_suffix
from jury.pdf import process

FONT_FACES: tuple[tuple[str, str, int, str], ...] = (
    # (family, file in fonts/, weight, style). Family names are ours, so no system font can stand in.
    # Every face used costs a subset + embedding in every PDF (~3 ms), so there are only three.
    ("Jury Garamond", "EBGaramond12-Regular.ttf", 400, "normal"),
    ("Jury Garamond", "EBGaramond12-Italic.ttf", 400, "italic"),
    ("Jury Lato", "Lato-Regular.ttf", 400, "normal"),
)

SIZE_STEPS = (28, 40, 56, 80)
"""Upper bounds (characters) of size classes len-1 … len-4; longer text is len-5 (see diploma.css)."""

Layer = Literal["whole", "static", "winner"]
"""What `base.html` draws: the static layer (paper, frame, logos), the winner's layer, or both."""

QR_DARK = "#1f2328"
PT_PER_PX = 0.75
"""PDF points per CSS pixel (72 / 96)."""
QR_MASK = 0


class DiplomaRenderError(RuntimeError):
    """Rendering failed; raised instead of WeasyPrint's BaseException so that asyncio and the
    process pool treat it as an ordinary error."""


class DiplomaLayoutError(DiplomaRenderError):
    """A diploma did not fit on exactly one page."""


class RefusedURLError(ValueError):
    """A template or a stylesheet referenced something outside the templates folder."""


class TemplatesOnlyFetcher(URLFetcher):
    """Serves files under one folder and `data:` URLs; refuses everything else (other files,
    http(s), ftp…). Files are read once per process: fonts and logos never change while running."""

    def __init__(self, root: Path) -> None:
        # fail_on_errors: a diploma without its logo or font must not be issued silently.
        super().__init__(fail_on_errors=True, allowed_protocols={"file", "data"})
        self.root = root.resolve()
        self._files: dict[Path, tuple[bytes, str]] = {}

    def resolve(self, url: str) -> Path:
        """The local path a file:// URL designates, if it lies under the root; raise otherwise."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file":
            raise RefusedURLError(f"refused {url!r}: only files of the diploma templates may be used")
        if parts.netloc not in ("", "localhost"):
            raise RefusedURLError(f"refused {url!r}: not a local file")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise RefusedURLError(f"refused {url!r}: not a file under {self.root}")
        return path

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url[:5].lower() == "data:":
            return super().fetch(url, headers)
        path = self.resolve(url)
        if path not in self._files:
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            self._files[path] = (path.read_bytes(), mime)
        body, mime = self._files[path]
        return URLFetcherResponse(path.as_uri(), body, {"Content-Type": mime})


# ---------------------------------------------------------------- Jinja filters


def size_class(text: str | None, *, steps: Sequence[int] = SIZE_STEPS) -> str:
    """'len-1' … 'len-5' by length, so CSS can shrink long names instead of overflowing the page."""
    length = len(text or "")
    for index, limit in enumerate(steps, start=1):
        if length <= limit:
            return f"len-{index}"
    return f"len-{len(steps) + 1}"


def ordinal_markup(n: int, *, gender: Gender = "masculine", noun: str = "") -> Markup:
    """'10<span class="ord">e</span> édition': the suffix is raised by CSS, not by <sup>, so the
    PDF text layer reads '10e édition'."""
    suffix = ordinal_suffix(n, gender=gender)
    html = Markup('{}<span class="ord">{}</span>').format(n, suffix)
    return html + Markup("&nbsp;") + escape(noun) if noun else html


def keep_hyphenated(text: str, *, longest: int = 24) -> Markup:
    """Keep short hyphenated words ('Hauts-de-Seine', 'Issy-les-Moulineaux') on one line: a break
    after their hyphens reads as a typo on a certificate. Long compounds may still wrap."""
    words = []
    for word in text.split(" "):
        if "-" in word and len(word) <= longest:
            words.append(Markup('<span class="nobr">{}</span>').format(word))
        else:
            words.append(escape(word))
    return Markup(" ").join(words)


def display_url(url: str) -> str:
    """'concours.example.fr/verifier': where to type the code printed above it; the full address
    with the code is in the QR code and would not fit the column."""
    without_scheme = url.split("://", 1)[-1]
    return without_scheme.rsplit("/", 1)[0]


def french_date_markup(day: dt.date) -> Markup:
    """french_date() with the '1er' of the first day raised like the other ordinals."""
    text = french_date(day)
    if day.day == 1:
        return ordinal_markup(1) + escape(text.removeprefix("1er"))
    return escape(text)


def qr_code(payload: str) -> segno.QRCode:
    """Error level M survives a crease or a stain on paper. The mask is fixed: choosing the "best"
    of eight costs several milliseconds per diploma, and every mask scans."""
    return segno.make_qr(payload, error="m", boost_error=False, mask=QR_MASK)


def qr_drawing(payload: str, *, box: tuple[float, float, float, float], page_height: float) -> bytes:
    """The QR code as PDF drawing operators: one filled rectangle per run of dark modules in a row, in the
    box (x1, y1, x2, y2, CSS pixels from the page's top left) where the layout left room for it. Vector
    squares are sharp at any zoom or printer, cost no image in the PDF, and no layout or painting in
    WeasyPrint."""
    x1, y1, x2, _y2 = (value * PT_PER_PX for value in box)
    rows = qr_code(payload).matrix
    module = (x2 - x1) / len(rows)
    top = page_height - y1
    red, green, blue = (int(QR_DARK[i : i + 2], 16) / 255 for i in (1, 3, 5))
    ops = [f"q {red:.4f} {green:.4f} {blue:.4f} rg"]
    for r, row in enumerate(rows):
        y = top - (r + 1) * module
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            ops.append(f"{x1 + start * module:.3f} {y:.3f} {(c - start) * module:.3f} {module:.3f} re")
    ops.append("f Q")
    return "\n".join(ops).encode()


def qr_data_uri(payload: str) -> str:
    """One pixel per module, drawn unscaled-sharp by `image-rendering: pixelated`: a PNG of a few
    hundred bytes is far cheaper for WeasyPrint to lay out and paint than an SVG path of the modules."""
    return qr_code(payload).png_data_uri(scale=1, border=0, dark=QR_DARK)


def find_logos(logos_dir: Path) -> dict[str, str]:
    """Logo stem → URL relative to the templates folder. An organiser replaces a placeholder by
    dropping `<stem>.svg` over it or `<stem>.png` beside it (a PNG wins). Cost, measured: WeasyPrint
    repaints an SVG for every diploma and lays out SVG <text> letter by letter (the two placeholder
    logos are about a third of a diploma's time), and re-encodes a PNG into every PDF (a large RGBA
    PNG costs as much; a ~500 px greyscale or RGB PNG without alpha costs almost nothing)."""
    found: dict[str, str] = {}
    for path in sorted(logos_dir.glob("*.svg")) + sorted(logos_dir.glob("*.png")):
        found[path.stem] = f"logos/{path.name}"
    return found


def build_environment(templates_dir: Path, *, logos: dict[str, str] | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(
        size_class=size_class,
        french_date=french_date_markup,
        euros=euros,
        keep_hyphenated=keep_hyphenated,
        display_url=display_url,
        edition=lambda n: ordinal_markup(n, gender="feminine", noun="édition"),
        prize_place=lambda n: ordinal_markup(n, gender="masculine", noun="prix"),
    )
    logos = find_logos(templates_dir / "logos") if logos is None else logos

    def logo(stem: str) -> str:
        try:
            return logos[stem]
        except KeyError:
            raise FileNotFoundError(
                f"no logo {stem}.svg or {stem}.png in {templates_dir / 'logos'}"
            ) from None

    env.globals["logo"] = logo
    return env


def font_face_css(fonts_dir: Path) -> str:
    """@font-face rules with absolute file:// URLs, so nothing depends on the working directory."""
    rules = []
    for family, filename, weight, style in FONT_FACES:
        path = fonts_dir / filename
        if not path.is_file():
            raise FileNotFoundError(f"diploma font missing: {path}")
        rules.append(
            f'@font-face {{ font-family: "{family}"; src: url("{path.resolve().as_uri()}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules) + "\n"


def pdf_title(ctx: DiplomaContext) -> str:
    """The PDF's title, as a viewer's tab or a file list shows it; names the laureate as the
    diploma does (Made in 92 distinguishes the company, the others the person)."""
    if ctx.contest == "made-in-92":
        laureate = ctx.laureate_organisation or ctx.laureate_person
    else:
        laureate = ctx.laureate_person or ctx.laureate_organisation
    return f"Diplôme — {laureate} — {ctx.contest_name} {ctx.year}"


# ---------------------------------------------------------------- renderer


@dataclasses.dataclass(frozen=True, slots=True)
class RenderStats:
    """Returned by `Renderer.describe()`: which WeasyPrint a render process runs, for the benchmark."""

    pid: int
    parent_pid: int
    templates_dir: str
    weasyprint_version: str
    harfbuzz_subset: bool


class Renderer:
    """One per process: Jinja environment, font configuration, stylesheet, fetcher and the static layers
    are built once."""

    def __init__(self, templates_dir: Path) -> None:
        self.templates_dir = Path(templates_dir).resolve()
        if not (self.templates_dir / "base.html").is_file():
            raise FileNotFoundError(f"no diploma templates in {self.templates_dir}")
        self.base_url = self.templates_dir.as_uri() + "/"
        self.env = build_environment(self.templates_dir)
        self.fetcher = TemplatesOnlyFetcher(self.templates_dir)
        self.font_config = FontConfiguration()
        css_text = font_face_css(self.templates_dir / "fonts")
        css_text += (self.templates_dir / "diploma.css").read_text(encoding="utf-8")
        self.stylesheet = CSS(
            string=css_text, base_url=self.base_url, font_config=self.font_config, url_fetcher=self.fetcher
        )
        self._file_images: dict = {}
        """WeasyPrint image cache entries of template files (logos), kept for the process's life.
        (A raster logo's entry keeps a reference to the first document's cache dict: one QR code.)"""
        self._static_layers: dict[tuple[str, str], pikepdf.Object] = {}
        """(contest, template) → the static layer as a Form XObject of its own one-page PDF."""
        self._static_pdfs: list[pikepdf.Pdf] = []

    # -- HTML

    def section_html(self, ctx: DiplomaContext, *, layer: Layer = "whole") -> Markup:
        template = self.env.select_template(ctx.template_names)
        # The winner's layer leaves the QR code's box empty: `render_batch` draws it as vectors.
        qr_src = qr_data_uri(ctx.verification_url) if layer == "whole" else ""
        return Markup(template.render(diploma=ctx, qr_src=qr_src, layer=layer))

    def document_html(self, contexts: Sequence[DiplomaContext], *, layer: Layer = "whole") -> str:
        if not contexts:
            raise ValueError("nothing to render")
        title = pdf_title(contexts[0]) if len(contexts) == 1 else f"Diplômes ({len(contexts)})"
        sections = [self.section_html(ctx, layer=layer) for ctx in contexts]
        return self.env.get_template("_document.html").render(title=title, sections=sections)

    # -- PDF

    def layout(self, html: str) -> Document:
        """Lay out any HTML with this renderer's fonts, stylesheet and fetcher."""
        # A fresh cache per document, seeded with the logos: the QR codes are data: URLs unique to
        # each diploma and would otherwise pile up in a long-lived cache.
        cache = dict(self._file_images)
        try:
            document = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
                font_config=self.font_config, stylesheets=[self.stylesheet], cache=cache
            )
        except FatalURLFetchingError as exc:
            raise DiplomaRenderError(str(exc.__cause__ or exc)) from exc.__cause__
        for key, value in cache.items():
            if isinstance(key, str) and key.startswith("file:"):
                self._file_images.setdefault(key, value)
        return document

    def render_one(self, ctx: DiplomaContext) -> bytes:
        """One diploma, e.g. for a laureate's download link: a batch of one, so that it is drawn exactly
        as the same diploma in a batch."""
        return self.render_batch([ctx])[0]

    def render_batch(self, contexts: Sequence[DiplomaContext]) -> list[bytes]:
        """Many diplomas laid out as one document, returned as one PDF each, in input order."""
        contexts = list(contexts)
        document = self.layout(self.document_html(contexts, layer="winner"))
        if len(document.pages) != len(contexts):
            self._raise_for_overflow(contexts, len(document.pages))
        page_height = document.pages[0].height * PT_PER_PX
        qr_codes = [
            qr_drawing(ctx.verification_url, box=self._qr_box(page, ctx), page_height=page_height)
            for page, ctx in zip(document.pages, contexts, strict=True)
        ]
        batch = pikepdf.open(io.BytesIO(document.write_pdf()))
        try:
            info = {key: value for key, value in batch.docinfo.items() if key != "/Title"}
            return [
                self._one_pdf(page, static=self.static_layer(ctx), qr=qr, info=info, title=pdf_title(ctx))
                for page, ctx, qr in zip(batch.pages, contexts, qr_codes, strict=True)
            ]
        finally:
            batch.close()

    @staticmethod
    def _qr_box(page, ctx: DiplomaContext) -> tuple[float, float, float, float]:
        """Where the winner's layout left room for the QR code (the `qr-{code}` element of base.html)."""
        box = page.anchors.get(f"qr-{ctx.verification_code}")
        if box is None:
            raise DiplomaRenderError(
                f"diploma {ctx.verification_code}: the template has no QR code box (#qr-{ctx.verification_code})"
            )
        return box

    def static_layer(self, ctx: DiplomaContext) -> pikepdf.Object:
        """The paper, frame and logos of `ctx`'s contest and template, laid out and drawn on first use."""
        key = (ctx.contest, self.env.select_template(ctx.template_names).name or "")
        if key not in self._static_layers:
            document = self.layout(self.document_html([ctx], layer="static"))
            pdf = pikepdf.open(io.BytesIO(document.write_pdf()))
            self._static_pdfs.append(pdf)  # its objects live as long as the Form XObject is used
            self._static_layers[key] = pdf.make_indirect(pdf.pages[0].as_form_xobject())
        return self._static_layers[key]

    @staticmethod
    def _one_pdf(page: pikepdf.Page, *, static: pikepdf.Object, qr: bytes, info: dict, title: str) -> bytes:
        """One page of the batch in a PDF of its own: the static layer drawn first (underneath), the
        winner's page (its graphics state closed by q … Q), then the QR code in page coordinates."""
        out = pikepdf.new()
        out.pages.append(page)
        mine = out.pages[0]
        form = out.copy_foreign(static)
        name = mine.add_resource(form, pikepdf.Name.XObject, pikepdf.Name("/JuryStatic"))
        placement = mine.calc_form_xobject_placement(form, name, pikepdf.Rectangle(mine.mediabox))
        # A content array, not a merged stream: the winner's compressed stream is copied as it is.
        under = out.make_stream(b"q\n" + placement + b"\nQ\n")
        contents = mine.obj.Contents
        parts = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        mine.obj.Contents = pikepdf.Array(
            [under, out.make_stream(b"q\n"), *parts, out.make_stream(b"\nQ\n"), out.make_stream(qr)]
        )
        out.docinfo = out.make_indirect(pikepdf.Dictionary({**info, "/Title": pikepdf.String(title)}))
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return buffer.getvalue()

    def _raise_for_overflow(self, contexts: Sequence[DiplomaContext], pages: int) -> None:
        """Name the culprit: a page count mismatch would otherwise give laureates each other's pages."""
        for ctx in contexts:
            count = len(self.layout(self.document_html([ctx], layer="winner")).pages)
            if count != 1:
                raise DiplomaLayoutError(f"diploma {ctx.verification_code} takes {count} pages")
        raise DiplomaLayoutError(f"{len(contexts)} diplomas gave {pages} pages")

    def describe(self) -> RenderStats:
        return RenderStats(
            pid=os.getpid(),
            parent_pid=os.getppid(),
            templates_dir=str(self.templates_dir),
            weasyprint_version=weasyprint_version,
            harfbuzz_subset=harfbuzz_subset is not None,
        )


# ---------------------------------------------------------------- per-process entry points (picklable)


def _build(templates_dir: Path) -> Renderer:
    return Renderer(templates_dir / "diplomas")


def current_renderer() -> Renderer:
    """This render process's diploma renderer, built on its first diploma (see `jury.pdf.process`)."""
    return process.renderer(_build)


def render_one(ctx: DiplomaContext) -> bytes:
    return current_renderer().render_one(ctx)


def render_batch(contexts: Sequence[DiplomaContext]) -> list[bytes]:
    return current_renderer().render_batch(contexts)


def describe() -> RenderStats:
    return current_renderer().describe()
