"""The one way the demo makes an edition's data, shared by the three contests.

A contest module (`made_in_92`, `gateau`, `progress`) holds only what is its own: names, grids, dates, who
sits on which jury, and the scenario of its rounds. Everything it creates goes through these functions and
the `Builder`: the edition and its status, a grid of criteria, a panel chaired by its first member, the
generated marks (with their conflict declarations), a candidate's place in a round, decisions and awards.
`loader` then writes the result. Keeping the making in one place means a rule about the data (a decided
edition has a decision date, a panel's chair comes first, an entry and its decision give the same reason)
holds for every contest at once.

Nothing here draws from the generator except `Builder` (talents, then juror models, in that order) and
`Builder.score` (the marks, in pair order); the contest modules draw the rest in their own fixed order,
so a seed gives the same data.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import msgspec

from jury.demo.plan import (
    Assignment,
    Award,
    Category,
    Conflict,
    Criterion,
    Decision,
    Edition,
    Entry,
    Member,
    Panel,
    Person,
    Sheet,
)
from jury.demo.simulate import Comments, juror_models, mark, talents, total


class EditionFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What tells one edition of a contest from another: its identity, its dates and whether it is over.

    `dates` always has "opens" and "closes"; each contest adds the days of its own rounds.
    """

    slug: str
    number: int
    year: int
    theme: str
    decided: bool
    dates: Mapping[str, dt.date]

    def rng(self, seed: int) -> random.Random:
        """The edition's own generator, so that skipping one edition never changes what another gets."""
        return random.Random(f"{seed}:{self.slug}")


def edition(facts: EditionFacts, *, decision_day: str, **details: Any) -> Edition:
    """The edition with its status: a decided one is dated by the day named `decision_day`, a current one
    has no decision date yet. `details` are the contest's own fields (zones, categories, people, ...)."""
    return Edition(
        slug=facts.slug,
        number=facts.number,
        year=facts.year,
        theme=facts.theme,
        status="decided" if facts.decided else "judging",
        opens_on=facts.dates["opens"],
        closes_on=facts.dates["closes"],
        decision_on=facts.dates[decision_day] if facts.decided else None,
        **details,
    )


def grid(
    rows: Iterable[tuple[str, str, int, str]], *, step: Decimal, scale_max: Decimal | None = None
) -> tuple[Criterion, ...]:
    """Criteria from (code, label, weight, help) rows, numbered in row order, marked from 0 by `step`.

    Without `scale_max` a criterion is marked out of its own weight (Progr'ESS: points adding up to 100).
    """
    return tuple(
        Criterion(
            code=code,
            label=label,
            help=help_text,
            scale_min=Decimal(0),
            scale_max=Decimal(weight) if scale_max is None else scale_max,
            scale_step=step,
            weight=Decimal(weight),
            position=i,
        )
        for i, (code, label, weight, help_text) in enumerate(rows, start=1)
    )


def panel(name: str, people: Sequence[Person], *, venue: str, zone: str | None = None) -> Panel:
    """A panel whose first member chairs it."""
    return Panel(
        name=name,
        zone=zone,
        venue=venue,
        members=tuple(
            Member(person=m.email, role="chair" if i == 0 else "juror") for i, m in enumerate(people)
        ),
    )


def pairs(*, round: int, panel: str, jurors: Iterable[str], candidates: Iterable[str]) -> list[Assignment]:
    """Every juror with every candidate, juror by juror (a committee that reads every file)."""
    keys = list(candidates)
    return [Assignment(round=round, panel=panel, person=j, candidate=c) for j in jurors for c in keys]


class Builder:
    """One edition being filled in, and what generates its marks.

    Built once the edition has its candidates: it draws each candidate's hidden talent, then the juror
    models group by group, as (e-mails, shift) pairs in the given order. Every demo contest marks all its
    categories on one grid, so talents are drawn on the first category's criteria.
    """

    def __init__(
        self,
        edition: Edition,
        *,
        rng: random.Random,
        comments: Comments,
        jurors: Sequence[tuple[Sequence[str], float]],
    ) -> None:
        self.edition = edition
        self.rng = rng
        self.comments = comments
        by_code = {c.code: c for c in edition.categories}
        self.category_of: dict[str, Category] = {c.key: by_code[c.category or ""] for c in edition.candidates}
        keys = [c.key for c in edition.candidates]
        self.talent_of = talents(rng, keys, criteria=edition.categories[0].criteria)
        self.juror_of = {}
        for emails, shift in jurors:
            self.juror_of |= juror_models(rng, emails, shift=shift)

    def assign(self, assignments: Iterable[Assignment]) -> None:
        self.edition.assignments += assignments

    def score(
        self,
        *,
        round: int,
        pairs: Sequence[Assignment],
        start: dt.datetime,
        submitted: Callable[[int], bool] = lambda _: True,
        drafts: int = 0,
        comment_rate: float = 0.3,
    ) -> list[Sheet]:
        """Sheets for the pairs, in order: `submitted(i)` decides which are submitted, then the next `drafts`
        pairs get a draft with some criteria marked; the rest have not been opened yet. Returns the new
        sheets, for the round's standings.

        Each opened sheet comes with its "aucun conflit" declaration: the tablet asks before showing the grid.
        """
        sheets: list[Sheet] = []
        drafts_left = drafts
        for i, pair in enumerate(pairs):
            is_submitted = submitted(i)
            if not is_submitted:
                if drafts_left == 0:
                    continue
                drafts_left -= 1
            category = self.category_of[pair.candidate]
            talent, juror = self.talent_of[pair.candidate], self.juror_of[pair.person]
            values = {
                c.code: mark(self.rng, criterion=c, talent=talent, juror=juror) for c in category.criteria
            }
            if not is_submitted:  # a draft: the juror stopped part-way through the grid
                marked = self.rng.randint(1, len(category.criteria) - 1)
                values = {code: (v if n < marked else None) for n, (code, v) in enumerate(values.items())}
            comment = (
                self.comments.pick(self.rng, total(category, values))
                if self.rng.random() < comment_rate
                else ""
            )
            moment = start + dt.timedelta(minutes=4 * i + self.rng.randrange(4))
            sheets.append(
                Sheet(
                    round=round,
                    panel=pair.panel,
                    person=pair.person,
                    candidate=pair.candidate,
                    category=category.code,
                    submitted=is_submitted,
                    at=moment,
                    idempotency_key=uuid.UUID(int=self.rng.getrandbits(128), version=4),
                    values=tuple(values.items()),
                    comment=comment if is_submitted else "",
                )
            )
            self.edition.conflicts.append(
                Conflict(
                    round=round,
                    person=pair.person,
                    candidate=pair.candidate,
                    has_conflict=False,
                    at=moment - dt.timedelta(minutes=1),
                )
            )
        self.edition.sheets += sheets
        return sheets

    def enter(
        self,
        *,
        candidate: str,
        round: int,
        status: str,
        at: dt.datetime,
        panel: str | None = None,
        reason: str = "",
    ) -> None:
        """A candidate's place in a round; a later one for the same round replaces the earlier (pending)
        one where it stood, as a decision does to the row it updates."""
        entry = Entry(candidate=candidate, round=round, status=status, at=at, panel=panel, reason=reason)
        for i, old in enumerate(self.edition.entries):
            if (old.candidate, old.round) == (candidate, round):
                self.edition.entries[i] = entry
                return
        self.edition.entries.append(entry)

    def pending(self, candidates: Iterable[str], *, round: int, at: dt.datetime, panel: str | None) -> None:
        """The candidates wait in the round: its decisions are still to come."""
        for key in candidates:
            self.enter(candidate=key, round=round, status="pending", at=at, panel=panel)

    def decide(self, decision: Decision) -> None:
        self.edition.decisions.append(decision)

    def rule(self, decision: Decision, *, status: str, panel: str | None = None) -> None:
        """A decision and the candidate's place it sets, both giving the same reason at the same time."""
        assert decision.round is not None
        self.decide(decision)
        self.enter(
            candidate=decision.candidate,
            round=decision.round,
            status=status,
            at=decision.at,
            panel=panel,
            reason=decision.reason,
        )

    def award(
        self, decision: Decision, *, prize: str, decided_on: dt.date, granted_eur: int | None = None
    ) -> None:
        """The prize given by a decision already taken: the award points at it."""
        self.edition.awards.append(
            Award(
                prize=prize,
                candidate=decision.candidate,
                decision=decision.key,
                decided_on=decided_on,
                granted_eur=granted_eur,
            )
        )
