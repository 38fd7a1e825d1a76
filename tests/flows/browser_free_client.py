"""What the people of a flow do, through HTTP only: one client (one cookie jar) per person.

An organiser, the administrator and every juror's tablet each get their own `Person`; they read what
the service shows them (JSON, the text of a page, a PDF read back) and never the database. Nothing here
imports a service or the demo: a flow that passes here works for a real user with a browser or `curl`.
"""

from __future__ import annotations

import asyncio
import csv
import html
import io
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import httpx
import pypdf
from litestar.testing import AsyncTestClient

from jury.app import create_app
from jury.clock import Clock
from jury.settings import Settings

DEMO_PASSWORD = "demo-jury-92"
"""README's demo password: the demo's organisers and its administrator sign in with it."""

ADMIN = "admin@exemple.fr"


class Refused(AssertionError):
    """The service answered another status than the step expected; the message carries its answer."""

    def __init__(self, response: httpx.Response, expected: Iterable[int]) -> None:
        self.response = response
        self.status_code = response.status_code
        request = response.request
        super().__init__(
            f"{request.method} {request.url.path} answered {response.status_code} "
            f"(expected {sorted(expected)}): {response.text[:1500]}"
        )


@dataclass
class Person:
    """One person's browser or tablet."""

    name: str
    client: AsyncTestClient

    async def call(
        self, method: str, path: str, *, expect: int | Iterable[int] = (200,), **kwargs: Any
    ) -> httpx.Response:
        expected = {expect} if isinstance(expect, int) else set(expect)
        response = await self.client.request(method, path, follow_redirects=False, **kwargs)
        if response.status_code not in expected:
            raise Refused(response, expected)
        return response

    async def get(self, path: str, *, expect: int | Iterable[int] = 200, **kwargs: Any) -> Any:
        """GET a JSON resource."""
        return (await self.call("GET", path, expect=expect, **kwargs)).json()

    async def post(self, path: str, body: Any = None, *, expect: int | Iterable[int] = (200, 201)) -> Any:
        response = await self.call("POST", path, expect=expect, json=body)
        return response.json() if response.content else None

    async def put(self, path: str, body: Any, *, expect: int | Iterable[int] = (200, 201)) -> Any:
        return (await self.call("PUT", path, expect=expect, json=body)).json()

    async def patch(self, path: str, body: Any, *, expect: int | Iterable[int] = 200) -> Any:
        return (await self.call("PATCH", path, expect=expect, json=body)).json()

    async def delete(self, path: str, *, expect: int | Iterable[int] = (200, 204)) -> httpx.Response:
        return await self.call("DELETE", path, expect=expect)

    async def page(self, path: str, *, expect: int | Iterable[int] = 200) -> str:
        """An HTML page, as the browser gets it."""
        return (await self.call("GET", path, expect=expect, headers={"accept": "text/html"})).text

    async def submit(
        self,
        path: str,
        form: Mapping[str, Any] | Sequence[tuple[str, Any]],
        *,
        expect: Iterable[int] = (200, 303),
    ) -> httpx.Response:
        """A form posted from a page (the same origin, as a browser sends it)."""
        return await self.call("POST", path, expect=expect, data=form, headers={"accept": "text/html"})


@dataclass
class World:
    """The running service as its users reach it: its settings and the clock it runs on."""

    settings: Settings
    clock: Clock
    people: list[Person] = field(default_factory=list)

    async def open(self, name: str) -> Person:
        client = AsyncTestClient(app=create_app(self.settings, clock=self.clock))
        await client.__aenter__()
        person = Person(name=name, client=client)
        self.people.append(person)
        return person

    async def organiser(self, email: str, *, password: str = DEMO_PASSWORD) -> Person:
        person = await self.open(email)
        response = await person.submit("/connexion", {"email": email, "password": password}, expect=(303,))
        assert response.headers["location"] != "/connexion", response.text
        return person

    async def administrator(self) -> Person:
        return await self.organiser(ADMIN)

    async def tablet(self, code: str, *, name: str = "") -> Person:
        """A juror's tablet signed in with the code printed on their access card."""
        person = await self.open(name or code)
        response = await person.submit("/acces", {"code": code}, expect=(303,))
        assert response.headers["location"] == "/jure/"
        return person

    async def close(self, person: Person) -> None:
        await person.client.__aexit__(None, None, None)
        self.people.remove(person)

    async def aclose(self) -> None:
        for person in list(self.people):
            await self.close(person)


# --- Reading what the service shows ------------------------------------------------------------------------


def text_of(page: str) -> str:
    """A page's visible text, one space between words: what a reader sees, for exact assertions."""
    page = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return " ".join(html.unescape(page).split())


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join(" ".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables_of(page: str) -> list[list[list[str]]]:
    """Every table of a page as rows of cell texts (header row first)."""
    parser = _Tables()
    parser.feed(page)
    return parser.tables


def csv_file(rows: Sequence[Sequence[object]]) -> bytes:
    """A spreadsheet saved as Excel's « CSV UTF-8 (délimité par des points-virgules) »."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


# --- Steps every flow takes ---------------------------------------------------------------------------------


async def import_jurors(organiser: Person, *, edition: str, rows: Sequence[Sequence[object]]) -> Any:
    """The jurors' spreadsheet (nom, courriel, qualite, jury, role, professionnel) sent to the import API."""
    table = [["nom", "courriel", "qualite", "jury", "role", "professionnel"], *rows]
    response = await organiser.call(
        "POST",
        f"/api/editions/{edition}/imports/jures",
        expect=201,
        files={"file": ("jures.csv", csv_file(table))},
    )
    return response.json()


CARD = re.compile(r'<p class="card-name">(.*?)</p>.*?<p class="card-code">(.*?)</p>', re.S)


async def print_cards(organiser: Person, *, edition: str) -> dict[str, str]:
    """« Imprimer les cartes manquantes »: the printed cards, juror's name → code (shown this once)."""
    response = await organiser.submit(
        f"/organisation/editions/{edition}/cartes", {"action": "issue-missing"}, expect=(200,)
    )
    return {
        html.unescape(name).strip(): html.unescape(code).strip() for name, code in CARD.findall(response.text)
    }


Marks = Callable[[Mapping[str, Any], Mapping[str, Any]], float]
"""(candidate as the tablet sees it, criterion) → the mark the juror gives."""


async def score_round(juror: Person, *, round_id: int, marks: Marks) -> list[dict[str, Any]]:
    """A juror's afternoon: no conflict to declare, then every assigned sheet filled in and submitted.

    Returns the candidates as the tablet showed them (blind rounds: entry numbers, no names)."""
    mine = await juror.get("/api/jure/feuilles")
    [group] = [g for g in mine["rounds"] if g["round"]["id"] == round_id]
    candidates = [row["candidate"] for panel in group["panels"] for row in panel["candidates"]]
    declared = await juror.put(
        f"/api/jure/tours/{round_id}/conflits",
        {"declarations": [{"candidate_id": c["id"], "has_conflict": False} for c in candidates]},
    )
    assert declared["complete"], declared
    for candidate in candidates:
        page = await juror.get(f"/api/jure/feuilles/{round_id}/{candidate['id']}")
        criteria = page["criteria"]
        body = {
            "version": page["version"],
            "idempotency_key": str(uuid.uuid4()),
            "values": {str(c["id"]): marks(candidate, c) for c in criteria},
            "comments": {str(c["id"]): "Conforme à la grille." for c in criteria if c["comment_required"]},
            "status": "submitted",
        }
        sheet = await juror.put(f"/api/jure/feuilles/{round_id}/{candidate['id']}", body)
        assert sheet["status"] == "submitted", sheet
    return candidates


async def committee_round(
    organiser: Person,
    *,
    edition: str,
    name: str,
    panel: str,
    category: tuple[str, str],
    criteria: Sequence[tuple[str, str, float]],
) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """One committee round, its panel, and the category's grid of criteria marked 0 to 10 by half points:
    the set-up of the contests judged by a single committee. Returns the round, the panel and the grid."""
    created = await organiser.post(
        f"/api/editions/{edition}/rounds", {"kind": "committee", "name": name}, expect=201
    )
    seated = await organiser.post(f"/api/rounds/{created['id']}/panels", {"name": panel}, expect=201)
    grid = await organiser.put(
        f"/api/editions/{edition}/categories/{category[0]}/criteria",
        {
            "name": category[1],
            "weights_total": 100,
            "criteria": [
                {
                    "code": code,
                    "label": label,
                    "weight": weight,
                    "scale_min": 0,
                    "scale_max": 10,
                    "scale_step": 0.5,
                }
                for code, label, weight in criteria
            ],
        },
    )
    return created, seated, grid


async def committee_proposal(
    organiser: Person, *, edition: str, round_id: int
) -> tuple[dict[str, Any], dict[str, Any], str]:
    """Move a committee round to deliberation and ask for the default grant proposal, which walks the
    round's ranking down the budget: the standing, the proposal and the `based_on` a grant decision cites."""
    await organiser.post(f"/api/rounds/{round_id}/status", {"to": "deliberation"})
    [standing] = await organiser.get(f"/api/rounds/{round_id}/standings")
    proposal = await organiser.get(f"/api/editions/{edition}/grants/proposal?round_id={round_id}")
    return standing, proposal, f"{standing['method']} {standing['input_digest']}"


async def read_minutes(reader: Person, *, round_id: int, panel_id: int) -> str:
    """The procès-verbal, as a PDF read back to text (the page reloads itself until the worker is done)."""
    path = f"/organisation/rounds/{round_id}/panels/{panel_id}/proces-verbal.pdf"
    for _ in range(60):
        response = await reader.call("GET", path, expect=(200, 202))
        if response.status_code == 200 and response.headers["content-type"].startswith("application/pdf"):
            return pdf_text(response.content)
        await asyncio.sleep(1)
    raise AssertionError(f"no procès-verbal after a minute: {response.text[:500]}")


async def generate_diplomas(organiser: Person, *, edition: str) -> list[list[str]]:
    """« Générer les diplômes », the progress bar followed to its end; the laureates' table as shown then
    (Lauréat, Prix, État, Code, Liens, Révocation)."""
    base = f"/organisation/editions/{edition}/diplomes"
    await organiser.submit(f"{base}/generer", {}, expect=(303,))
    fragment = ""
    for _ in range(240):
        fragment = text_of(await organiser.page(f"{base}/progression"))
        if "terminée" in fragment or "échoué" in fragment.lower():
            break
        await asyncio.sleep(0.5)
    assert "terminée" in fragment, fragment
    [*_, laureates] = tables_of(await organiser.page(base))
    return laureates[1:]


async def verify(visitor: Person, code: str) -> str:
    """The public verification page of a diploma (the QR code on it points here), as text."""
    return text_of(await visitor.page(f"/verifier/{code}"))


# --- A flow as stages -----------------------------------------------------------------------------------------


class Flow:
    """A flow's stages run in order by one fixture; each test asserts one stage's outcome.

    A stage that fails stops the flow: later stages are not run, and their tests fail naming the stage
    that stopped it (with the service's answer), so a report says exactly where a flow breaks."""

    def __init__(self) -> None:
        self.outcomes: dict[str, Any] = {}
        self.stopped: tuple[str, BaseException] | None = None

    async def stage(self, name: str, run: Callable[[], Any]) -> Any:
        if self.stopped is not None:
            return None
        try:
            self.outcomes[name] = await run()
        except Exception as exc:  # recorded, then re-raised in the stage's test with its answer
            self.stopped = (name, exc)
            return None
        return self.outcomes[name]

    def __getitem__(self, name: str) -> Any:
        if name in self.outcomes:
            return self.outcomes[name]
        assert self.stopped is not None, f"stage {name!r} was never run"
        stage, exc = self.stopped
        if stage == name:
            raise exc
        raise AssertionError(f"stage {name!r} not reached: stage {stage!r} failed: {exc}") from exc


# --- Selections set up from scratch (Label Artisan du tourisme, Curious Lab', Boost) ------------------------
# A contest the Département's administrator creates and hands to a new organiser, whose first edition has a
# single jury round; shared by test_label_artisan_tourisme.py, test_curious_lab.py, test_boost_entrepreneurs.py.


async def new_contest(
    world: World, *, contest: Mapping[str, Any], organiser: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, Any], Person]:
    """The administrator creates the contest and names its organiser (a new account with its first
    password); the organiser then signs in. Returns (contest, organiser as named, organiser's browser)."""
    admin = await world.administrator()
    created = await admin.post("/api/contests", dict(contest), expect=201)
    named = await admin.post(f"/api/contests/{contest['slug']}/organisers", dict(organiser), expect=201)
    await world.close(admin)
    return created, named, await world.organiser(organiser["email"], password=organiser["password"])


async def prepare_single_panel_round(
    organiser: Person, *, edition: str, round_id: int, k: int
) -> dict[str, Any]:
    """Everything a jury round needs before it opens: its candidates before its one panel, k jurors per
    candidate, the access cards printed. Returns what each step answered (cards: name → code)."""
    before = await organiser.get(f"/api/rounds/{round_id}/entries")
    [panel] = before["panels"]
    waiting = [
        e["candidate_id"] for e in before["entries"] if e["panel_id"] is None and e["status"] != "withdrawn"
    ]
    placed = None
    if waiting:
        placed = await organiser.post(
            f"/api/rounds/{round_id}/entries/panels",
            {"entries": [{"candidate_id": c, "panel_id": panel["id"]} for c in waiting]},
        )
    plan = await organiser.post(f"/api/rounds/{round_id}/assignments", {"k": k, "seed": 1})
    cards = await print_cards(organiser, edition=edition)
    return {"before": before, "panel": panel, "placed": placed, "plan": plan, "cards": cards}


async def score_on_tablets(
    world: World, *, cards: Mapping[str, str], round_id: int, marks: Marks
) -> dict[str, list[dict[str, Any]]]:
    """Each juror signs in with their card and scores every sheet; juror's name → candidates they saw."""
    seen = {}
    for name, code in sorted(cards.items()):
        tablet = await world.tablet(code, name=name)
        seen[name] = await score_round(tablet, round_id=round_id, marks=marks)
        await world.close(tablet)
    return seen


DIPLOMA_PDF = re.compile(r'href="(/organisation/editions/[^"/]+/diplomes/[0-9]+/pdf)"')


async def diplomas_with_pdfs(organiser: Person, *, edition: str) -> dict[str, Any]:
    """« Générer les diplômes » followed until the worker stops (finished or failed, without waiting for a
    word), then the laureates' table and each PDF read back to text, in the table's order."""
    base = f"/organisation/editions/{edition}/diplomes"
    await organiser.submit(f"{base}/generer", {}, expect=(303,))
    fragment = ""
    for _ in range(240):
        fragment = text_of(await organiser.page(f"{base}/progression"))
        if not any(word in fragment for word in ("en attente", "en cours", "en préparation")):
            break
        await asyncio.sleep(0.5)
    assert "terminée" in fragment, f"diplomas not generated: {fragment}"
    page = await organiser.page(base)
    [*_, laureates] = tables_of(page)
    pdfs = []
    for path in DIPLOMA_PDF.findall(page):
        response = await organiser.call("GET", html.unescape(path))
        pdfs.append(pdf_text(response.content))
    return {"rows": laureates[1:], "pdfs": pdfs}
