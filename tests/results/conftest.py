"""Builders for standings tests: a contest, a round, panels, jurors, candidates and sheets, made with the
shared factories so that every mark is known by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests import factories
from tests.helpers import make_contest, make_organiser

from jury.access.identity import Identity
from jury.db.queries import Database
from jury.scoring.totals import Criterion


class RoundBuilder:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.criteria: dict[int, dict[str, dict]] = {}  # category id → code → row
        self.people: dict[str, int] = {}
        self.candidates: dict[str, int] = {}
        self.panels: dict[str, int] = {}
        self.categories: dict[str, int] = {}
        self.category_of: dict[int, int] = {}
        self.panel_of: dict[int, int] = {}
        self.sheets: dict[tuple[str, str], int] = {}
        self._entry = 0

    async def setup(
        self, *, contest: str = "made-in-92", year: int = 2025, advance_count: int | None = 1
    ) -> None:
        self.contest = contest
        contest_id = await factories.contest(self.db, slug=contest)
        self.edition = await factories.edition(self.db, contest_id=contest_id, year=year, number=10)
        self.round = await factories.round_(
            self.db,
            edition_id=self.edition,
            kind="semi_final",
            name="Demi-finale",
            status="draft",
            advance_count=advance_count,
        )

    async def category(self, code: str, criteria: list[tuple[str, float, float, float, bool]]) -> int:
        """criteria: (code, min, max, weight, eliminatory), in position order."""
        category = await factories.category(
            self.db,
            edition_id=self.edition,
            code=code,
            name=code.capitalize(),
            position=len(self.categories) + 1,
        )
        self.categories[code] = category
        self.criteria[category] = {}
        for position, (name, low, high, weight, eliminatory) in enumerate(criteria, start=1):
            criterion = await factories.criterion(
                self.db,
                category_id=category,
                code=name,
                label=name.capitalize(),
                scale=(Decimal(str(low)), Decimal(str(high)), 1),
                weight=Decimal(str(weight)),
                position=position,
                eliminatory=eliminatory,
            )
            row = await self.db.conn.fetchrow(
                "select id, scale_min, scale_max, weight, eliminatory from criteria where id = $1", criterion
            )
            self.criteria[category][name] = dict(row)
        return category

    async def panel(self, name: str) -> int:
        self.panels[name] = await factories.panel(self.db, round_id=self.round, name=name)
        return self.panels[name]

    async def juror(self, name: str, *, panels: list[str]) -> int:
        email = f"{name.lower().replace(' ', '.')}@exemple.fr"
        person = await factories.person(self.db, full_name=name, email=email)
        self.people[name] = person
        for panel in panels:
            await factories.member(self.db, panel_id=self.panels[panel], person_id=person)
        return person

    async def candidate(self, name: str, *, panel: str | None, category: str) -> int:
        self._entry += 1
        candidate = await factories.candidate(
            self.db,
            edition_id=self.edition,
            entry_number=self._entry,
            organisation_name=name,
            email="contact@exemple.fr",
            category_id=self.categories[category],
        )
        panel_id = self.panels[panel] if panel else None
        await factories.enter_round(
            self.db, candidate_id=candidate, round_id=self.round, panel_id=panel_id, status="pending"
        )
        self.candidates[name] = candidate
        self.category_of[candidate] = self.categories[category]
        if panel:
            self.panel_of[candidate] = self.panels[panel]
        return candidate

    async def sheet(
        self,
        juror: str,
        candidate: str,
        values: dict[str, float | None],
        *,
        status: str = "submitted",
        abstained: bool = False,
        panel: str | None = None,
    ) -> int:
        candidate_id = self.candidates[candidate]
        criteria = self.criteria[self.category_of[candidate_id]]
        sheet = await factories.sheet(
            self.db,
            round_id=self.round,
            panel_id=self.panels[panel] if panel else self.panel_of[candidate_id],
            person_id=self.people[juror],
            candidate_id=candidate_id,
            scores={
                criteria[code]["id"]: Decimal(str(value)) if value is not None else None
                for code, value in values.items()
            },
            status=status,
            abstained=abstained,
            abstention_reason="Je connais le porteur" if abstained else "",
        )
        self.sheets[(juror, candidate)] = sheet
        return sheet

    def criteria_of(self, category: str) -> list[Criterion]:
        rows = self.criteria[self.categories[category]].values()
        return [
            Criterion(
                id=row["id"],
                weight=float(row["weight"]),
                min=float(row["scale_min"]),
                max=float(row["scale_max"]),
                eliminatory=row["eliminatory"],
            )
            for row in rows
        ]

    def values(self, category: str, values: dict[str, float | None]) -> dict[int, float | None]:
        criteria = self.criteria[self.categories[category]]
        return {criteria[code]["id"]: value for code, value in values.items()}

    async def set_status(self, status: str) -> None:
        await self.db.conn.execute("update rounds set status = $1 where id = $2", status, self.round)


@pytest.fixture
async def organiser(db: Database, builder: RoundBuilder) -> Identity:
    """The organiser of the builder's contest, as the sign-in would give it."""
    person = await db.conn.fetchval("select id from people where email = $1", "cci@exemple.fr")
    return Identity(person_id=person, name="CCI", kind="organiser")


@pytest.fixture
async def builder(db: Database) -> RoundBuilder:
    await make_contest(db)
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    built = RoundBuilder(db)
    await built.setup()
    return built


GRID = [
    ("innovation", 0, 10, 2, False),
    ("impact", 0, 20, 1, False),
    ("theme", 0, 1, 1, True),
]


@pytest.fixture
async def small_round(builder: RoundBuilder) -> RoundBuilder:
    """One panel, one category, three jurors, three candidates; totals computed by hand in the tests.

    A→Solaris 8/10/1 = 70; A→Ventus 5/20/1 = 66.67; A→=HYPERLINK 4/8/1 = 40;
    B→Solaris 9/14/1 = 83.33; B→Ventus —/12/1 = 60 (innovation abstained); B→=HYPERLINK 6/6/0 = 50, fails
    the eliminatory theme; C→Solaris abstained sheet; C→Ventus 7/16/1 = 73.33; C→=HYPERLINK draft.
    """
    b = builder
    await b.category("energie", GRID)
    await b.panel("Nord")
    for name in ("Alice Martin", "Bruno Petit", "Chloé Durand"):
        await b.juror(name, panels=["Nord"])
    await b.candidate("Solaris", panel="Nord", category="energie")
    await b.candidate("Ventus", panel="Nord", category="energie")
    await b.candidate('=HYPERLINK("http://evil.example","clic")', panel="Nord", category="energie")
    evil = '=HYPERLINK("http://evil.example","clic")'
    await b.sheet("Alice Martin", "Solaris", {"innovation": 8, "impact": 10, "theme": 1})
    await b.sheet("Alice Martin", "Ventus", {"innovation": 5, "impact": 20, "theme": 1})
    await b.sheet("Alice Martin", evil, {"innovation": 4, "impact": 8, "theme": 1})
    await b.sheet("Bruno Petit", "Solaris", {"innovation": 9, "impact": 14, "theme": 1})
    await b.sheet("Bruno Petit", "Ventus", {"innovation": None, "impact": 12, "theme": 1})
    await b.sheet("Bruno Petit", evil, {"innovation": 6, "impact": 6, "theme": 0})
    await b.sheet("Chloé Durand", "Solaris", {"innovation": 10, "impact": 20, "theme": 1}, abstained=True)
    await b.sheet("Chloé Durand", "Ventus", {"innovation": 7, "impact": 16, "theme": 1})
    await b.sheet("Chloé Durand", evil, {"innovation": 10, "impact": 20, "theme": 1}, status="draft")
    return b
