"""A round's qualification rule applied to its standings: who is in, who is tied at the cut, who is uncertain.

The rule is the round's (`rounds.advance_count`, `quota_scope`, `wildcards`): the N best *per quota group*
(the whole round, each zone, or each category), plus W wildcards taken from the best of the rest of the
round. It is applied to candidates, never to the panel × category sections the standings are computed in:
a semi-final of two panels and five categories with « 12 qualifiés au classement général » sends 12, not
12 per section.

* **Order.** Within a group candidates are ordered by calibrated score. Scores of different sections are
  on the same 0–100 scale of an average juror of their section; comparing them is the assumption the rule
  makes, and the preview says so when a group merges several sections.
* **Ties.** Two scores that print the same (2 decimals, the precision of the standings and the minutes)
  are a tie: nobody could justify a cut between them. A tie straddling the cut is *reported*, with the
  number of places left for it, and settled by the edition's tie-break policy by the caller
  (`jury.deliberation.votes.voting.break_ties`), never here by candidate id.
* **Already decided.** A candidate already advanced holds a place of their group; one eliminated, ineligible
  or withdrawn holds none.
* **Probabilities.** P(qualifying under the rule) is drawn from each candidate's bootstrap interval
  (a normal with the interval's width), jointly over every group and the wildcards, with a seeded generator:
  the same standings always give the same probabilities. A candidate without an interval is taken as
  certain of their score.

Pure: plain values in, plain values out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import msgspec
import numpy as np

State = Literal["open", "advanced", "out"]
DECIMALS = 2
DRAWS = 2000
UNCERTAIN = (0.1, 0.9)
Z_975 = 1.959963984540054
WILDCARD_GROUP = "repêchage"
SCOPE_LABELS: dict[str, str] = {
    "overall": "au classement général",
    "zone": "par zone",
    "category": "par catégorie",
}


class Entrant(msgspec.Struct, frozen=True, kw_only=True):
    """A candidate of the round as the rule sees them.

    `group`: the quota group's key (see `group_key`); `score`, `low`, `high`: the calibrated score and its
    95 % interval (None when unknown); `state`: still in play, already advanced, or out of the running;
    `ranked`: False when the candidate's section has no global ranking (then no proposal is made for the
    group: the rule would compare numbers that mean nothing together).
    """

    candidate_id: int
    group: str
    score: float | None
    low: float | None = None
    high: float | None = None
    state: State = "open"
    ranked: bool = True


class GroupCut(msgspec.Struct, frozen=True, kw_only=True):
    """The rule applied to one group: `chosen` are in (best first), `tied` straddle the cut and share
    `places_for_tied` places, `blocked` says why no proposal was made (then nothing is chosen)."""

    group: str
    quota: int
    chosen: list[int]
    tied: list[int]
    places_for_tied: int
    blocked: str | None = None


class Qualification(msgspec.Struct, frozen=True, kw_only=True):
    """The whole round: one cut per group, the wildcards' cut, P(qualifying) and the uncertain candidates
    (P inside the uncertain band, or tied at a cut), most uncertain first, for the deliberation."""

    quota: int
    wildcards: int
    groups: list[GroupCut]
    wildcard_cut: GroupCut | None
    p_qualify: dict[int, float]
    uncertain: list[int]


def describe_quota(*, advance_count: int | None, quota_scope: str, wildcards: int) -> str:
    """The rule in one French sentence, as the setup, standings and qualification pages show it."""
    if advance_count is None:
        return "Aucune qualification (tour final ou sans suite)."
    where = SCOPE_LABELS.get(quota_scope, quota_scope)
    text = f"Les {advance_count} premiers {where}" if advance_count != 1 else f"Le premier {where}"
    if wildcards:
        text += f", plus {wildcards} repêché{'s' if wildcards > 1 else ''}"
    return text + "."


def group_key(*, scope: str, zone: int | None, panel: int | None, category: int | None) -> str:
    """The quota group of a candidate: one for the round, per zone (a panel with no zone is its own
    territory), or per category. Keys are strings so they read well in JSON."""
    if scope == "zone":
        return f"zone:{zone}" if zone is not None else f"jury:{panel or 0}"
    if scope == "category":
        return f"categorie:{category or 0}"
    return "tous"


def shown(score: float) -> float:
    """A score at the precision it is printed: what a tie means."""
    return round(score, DECIMALS)


def cut(entrants: Sequence[Entrant], *, group: str, quota: int) -> GroupCut:
    """The first `quota` of one group, already-advanced candidates first, the tie at the cut reported."""
    blocked = None
    if any(not e.ranked for e in entrants if e.state != "out"):
        blocked = (
            "Pas de classement global pour une partie de ce groupe (jurés sans candidat commun) : "
            "aucune proposition ; choisissez au vu des classements par groupe de jurés."
        )
        return GroupCut(group=group, quota=quota, chosen=[], tied=[], places_for_tied=0, blocked=blocked)
    held = [e.candidate_id for e in entrants if e.state == "advanced"]
    places = max(quota - len(held), 0)
    pool = sorted(
        (e for e in entrants if e.state == "open" and e.score is not None),
        key=lambda e: (-shown(e.score or 0.0), e.candidate_id),
    )
    if places == 0 or len(pool) <= places:
        return GroupCut(
            group=group,
            quota=quota,
            chosen=held + [e.candidate_id for e in pool[:places]],
            tied=[],
            places_for_tied=0,
        )
    at_cut = shown(pool[places - 1].score or 0.0)
    above = [e.candidate_id for e in pool if shown(e.score or 0.0) > at_cut]
    level = [e.candidate_id for e in pool if shown(e.score or 0.0) == at_cut]
    if len(above) + len(level) <= places:  # the tie fits: no cut runs through it
        return GroupCut(group=group, quota=quota, chosen=held + above + level, tied=[], places_for_tied=0)
    return GroupCut(
        group=group,
        quota=quota,
        chosen=held + above,
        tied=sorted(level),
        places_for_tied=places - len(above),
    )


def qualify(
    entrants: Sequence[Entrant],
    *,
    quota: int,
    wildcards: int = 0,
    seed: int = 0,
    draws: int = DRAWS,
    band: tuple[float, float] = UNCERTAIN,
) -> Qualification:
    """Applies the rule to every group, then the wildcards to the best of the rest (candidates tied at a
    group's cut are left to the tie-break, not to the wildcards), and computes P(qualifying)."""
    if quota < 0 or wildcards < 0:
        raise ValueError("quota and wildcards must be non-negative")
    by_group: dict[str, list[Entrant]] = {}
    for e in entrants:
        by_group.setdefault(e.group, []).append(e)
    groups = [cut(members, group=key, quota=quota) for key, members in sorted(by_group.items())]
    wildcard_cut = None
    if wildcards:
        taken = {c for g in groups for c in (*g.chosen, *g.tied)}
        blocked = any(g.blocked for g in groups)
        rest = [
            e
            for g in groups
            if not g.blocked
            for e in by_group[g.group]
            if e.state == "open" and e.candidate_id not in taken
        ]
        wildcard_cut = cut(rest, group=WILDCARD_GROUP, quota=wildcards)
        if blocked and not rest:
            wildcard_cut = GroupCut(
                group=WILDCARD_GROUP,
                quota=wildcards,
                chosen=[],
                tied=[],
                places_for_tied=0,
                blocked="Repêchage à choisir par la délibération : un groupe n'a pas de classement global.",
            )
    p = probabilities(
        [e for g in groups if not g.blocked for e in by_group[g.group]],
        quota=quota,
        wildcards=wildcards,
        seed=seed,
        draws=draws,
    )
    tied = {c for g in [*groups, *([wildcard_cut] if wildcard_cut else [])] for c in g.tied}
    uncertain = sorted(
        (c for c, v in p.items() if band[0] <= v <= band[1] or c in tied),
        key=lambda c: (abs(p[c] - 0.5), c),
    )
    return Qualification(
        quota=quota,
        wildcards=wildcards,
        groups=groups,
        wildcard_cut=wildcard_cut,
        p_qualify=p,
        uncertain=uncertain,
    )


def probabilities(
    entrants: Sequence[Entrant], *, quota: int, wildcards: int, seed: int, draws: int = DRAWS
) -> dict[int, float]:
    """P(qualifying under the rule) for every open candidate with a score, by joint draws of all scores.

    Each draw ranks every group, takes its `quota` (less the places already held), then the `wildcards`
    best of the rest of the round. Exact ties within a draw (two candidates with no interval and the same
    score) are split at random, which shares the place evenly on average."""
    open_ = [e for e in entrants if e.state == "open" and e.score is not None]
    if not open_:
        return {}
    rng = np.random.default_rng(seed)
    score = np.array([shown(e.score or 0.0) for e in open_], dtype=float)  # a printed tie is a tie
    sd = np.array(
        [(e.high - e.low) / (2.0 * Z_975) if e.low is not None and e.high is not None else 0.0 for e in open_]
    )
    draw = score[None, :] + sd[None, :] * rng.standard_normal((draws, len(open_)))
    draw += 1e-9 * rng.random((draws, len(open_)))  # splits exact ties evenly
    held: dict[str, int] = {}
    for e in entrants:
        if e.state == "advanced":
            held[e.group] = held.get(e.group, 0) + 1
    keys = sorted({e.group for e in open_})
    member = np.array([keys.index(e.group) for e in open_])
    inside = np.zeros_like(draw, dtype=bool)
    for g, key in enumerate(keys):
        columns = np.flatnonzero(member == g)
        places = max(quota - held.get(key, 0), 0)
        inside[:, columns] = _top(draw[:, columns], places)
    if wildcards:
        rest = np.where(inside, -np.inf, draw)
        inside |= _top(rest, wildcards) & ~inside
    share = inside.mean(axis=0)
    return {e.candidate_id: float(v) for e, v in zip(open_, share, strict=True)}


def _top(values: np.ndarray, k: int) -> np.ndarray:
    """Mask of the k largest values of each row (all of them when a row has k or fewer finite ones)."""
    n = values.shape[1]
    if k <= 0:
        return np.zeros_like(values, dtype=bool)
    if k >= n:
        return np.isfinite(values)
    order = np.argsort(-values, axis=1, kind="stable")[:, :k]
    mask = np.zeros_like(values, dtype=bool)
    np.put_along_axis(mask, order, True, axis=1)
    return mask & np.isfinite(values)


def settle(group: GroupCut, *, order: Sequence[Sequence[int]]) -> tuple[list[int], list[int]]:
    """The tie of a cut after the tie-break: `order` is the policy's order of the tied candidates, groups
    still tied kept together. Returns (who takes the places, who is still tied across the cut)."""
    placed: list[int] = []
    for tier in order:
        if len(placed) + len(tier) <= group.places_for_tied:
            placed.extend(tier)
        elif len(placed) < group.places_for_tied:
            return placed, sorted(tier)
        else:
            break
    return placed, []


def p_funded(
    entrants: Sequence[Entrant],
    *,
    requested: dict[int, int],
    budget: int,
    seed: int = 0,
    draws: int = DRAWS,
) -> dict[int, float]:
    """P(above the funding line) of every open candidate with a score and a request: in each joint draw
    of the scores (as in `probabilities`), candidates are taken by drawn score and each gets its request
    while it fits in what is left of the budget; one that no longer fits is passed over (a smaller
    request below may still fit). A simplification of the committee's rule (no partial grant), shown as
    a probability, never applied."""
    open_ = [
        e for e in entrants if e.state == "open" and e.score is not None and requested.get(e.candidate_id)
    ]
    if not open_:
        return {}
    rng = np.random.default_rng(seed)
    score = np.array([shown(e.score or 0.0) for e in open_], dtype=float)
    sd = np.array(
        [(e.high - e.low) / (2.0 * Z_975) if e.low is not None and e.high is not None else 0.0 for e in open_]
    )
    draw = score[None, :] + sd[None, :] * rng.standard_normal((draws, len(open_)))
    draw += 1e-9 * rng.random((draws, len(open_)))
    amounts = np.array([requested[e.candidate_id] for e in open_], dtype=float)
    order = np.argsort(-draw, axis=1, kind="stable")
    funded = np.zeros_like(draw, dtype=bool)
    left = np.full(draws, float(budget))
    for step in range(len(open_)):
        who = order[:, step]
        fits = amounts[who] <= left
        funded[np.arange(draws), who] = fits
        left -= np.where(fits, amounts[who], 0.0)
    return {e.candidate_id: float(v) for e, v in zip(open_, funded.mean(axis=0), strict=True)}
