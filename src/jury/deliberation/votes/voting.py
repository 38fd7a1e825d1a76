"""Deliberation votes: approval, Schulze ranked ballots and the edition's tie-break policy.

Everything here is deterministic (sorted outputs, no set iteration order leaking into results) because a
standing must be reproducible from the stored ballots, and every exclusion or tie-break decision is returned
so the procès-verbal can state it. A juror who declared a conflict of interest (déport) is silenced only for
the candidate concerned, never for the whole ballot.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Mapping, Sequence

import msgspec

from jury.french.numbers import decimal_fr

__all__ = [
    "ApprovalResult",
    "ExcludedVote",
    "SchulzeResult",
    "Separation",
    "TieBreak",
    "approval_vote",
    "break_ties",
    "schulze",
]

Tiers = tuple[tuple[str, ...], ...]


class ExcludedVote(msgspec.Struct, frozen=True, kw_only=True):
    """A juror's say on a candidate that was dropped because of a declared conflict of interest."""

    juror: str
    candidate: str


class ApprovalResult(msgspec.Struct, frozen=True, kw_only=True):
    """Approval tally.

    ``voters`` counts, per candidate, the ballots allowed to approve them: a candidate with a conflicted
    juror could reach one approval fewer, which the deliberation may want to know.
    """

    counts: dict[str, int]
    voters: dict[str, int]
    order: Tiers
    excluded: tuple[ExcludedVote, ...]


class SchulzeResult(msgspec.Struct, frozen=True, kw_only=True):
    """Schulze outcome with both matrices, so the procès-verbal can show how the result was reached.

    ``d[x][y]`` is the number of ballots strictly preferring x to y, ``p[x][y]`` the strength of the
    strongest path from x to y (0 when there is none); the diagonal is omitted.
    """

    candidates: tuple[str, ...]
    d: dict[str, dict[str, int]]
    p: dict[str, dict[str, int]]
    winners: tuple[str, ...]
    tiers: Tiers
    excluded: tuple[ExcludedVote, ...]


class Separation(msgspec.Struct, frozen=True, kw_only=True):
    """One boundary in a tie-broken order and the rule that drew it."""

    above: tuple[str, ...]
    below: tuple[str, ...]
    rule: str
    reason: str


class TieBreak(msgspec.Struct, frozen=True, kw_only=True):
    """Result of :func:`break_ties`.

    ``order`` is a list of tiers; a tier of several candidates is a tie no rule could separate, and for each
    of those ``notes`` says so in French. ``separations[i]`` explains the boundary between ``order[i]`` and
    ``order[i + 1]``.
    """

    order: Tiers
    separations: tuple[Separation, ...]
    unresolved: Tiers
    notes: tuple[str, ...]

    @property
    def resolved(self) -> bool:
        return not self.unresolved


# --- Approval -------------------------------------------------------------------------------------------


def approval_vote(
    *,
    ballots: Mapping[str, Collection[str]],
    candidates: Collection[str],
    conflicts: Collection[tuple[str, str]] = (),
) -> ApprovalResult:
    """Count approvals, ignoring each approval a juror gives to a candidate they declared a conflict with.

    ``ballots`` is keyed by juror so that conflicts can be matched to the ballot that carries them;
    ``conflicts`` holds ``(juror, candidate)`` pairs. Only approvals actually dropped are reported in
    ``excluded``.
    """
    known = _candidate_set(candidates)
    conflicted = set(conflicts)
    counts = dict.fromkeys(sorted(known), 0)
    voters = dict.fromkeys(sorted(known), 0)
    excluded: list[ExcludedVote] = []
    for juror in sorted(ballots):
        approved = set(ballots[juror])
        unknown = approved - known
        if unknown:
            raise ValueError(f"Bulletin de {juror} : candidat inconnu {', '.join(sorted(unknown))}")
        for candidate in counts:
            if (juror, candidate) in conflicted:
                if candidate in approved:
                    excluded.append(ExcludedVote(juror=juror, candidate=candidate))
                continue
            voters[candidate] += 1
            if candidate in approved:
                counts[candidate] += 1
    order = _tiers_by_value(counts)
    return ApprovalResult(counts=counts, voters=voters, order=order, excluded=tuple(excluded))


# --- Schulze --------------------------------------------------------------------------------------------


def schulze(
    *,
    ballots: Mapping[str, Sequence[Collection[str]]],
    candidates: Collection[str],
    conflicts: Collection[tuple[str, str]] = (),
) -> SchulzeResult:
    """Aggregate ranked ballots with the Schulze method (winning votes).

    A ballot is a list of tiers, best first; candidates in one tier are tied, and candidates the juror did
    not rank come after all ranked ones, tied among themselves. A conflicted juror's ballot yields no
    preference, in either direction, involving the candidate concerned, while still counting for the others.

    ``tiers`` repeatedly takes the candidates no remaining candidate beats on strongest paths; the Schulze
    relation is transitive, so this is a full order in which a tier holds candidates it cannot separate.
    """
    names = tuple(sorted(_candidate_set(candidates)))
    conflicted = set(conflicts)
    d = {x: dict.fromkeys((y for y in names if y != x), 0) for x in names}
    excluded: list[ExcludedVote] = []

    for juror in sorted(ballots):
        rank = _ballot_ranks(juror, ballot=ballots[juror], names=names)
        silenced = {c for c in names if (juror, c) in conflicted}
        excluded.extend(ExcludedVote(juror=juror, candidate=c) for c in sorted(silenced))
        for x in names:
            if x in silenced:
                continue
            for y in names:
                if y != x and y not in silenced and rank[x] < rank[y]:
                    d[x][y] += 1

    p = {x: {y: (d[x][y] if d[x][y] > d[y][x] else 0) for y in names if y != x} for x in names}
    for i in names:
        for j in names:
            if j == i:
                continue
            for k in names:
                if k in (i, j):
                    continue
                p[j][k] = max(p[j][k], min(p[j][i], p[i][k]))

    tiers: list[tuple[str, ...]] = []
    remaining = list(names)
    while remaining:
        top = tuple(x for x in remaining if all(p[x][y] >= p[y][x] for y in remaining if y != x))
        if not top:  # pragma: no cover - impossible: the Schulze relation has no cycle
            raise AssertionError("relation de Schulze cyclique")
        tiers.append(top)
        remaining = [x for x in remaining if x not in top]

    return SchulzeResult(
        candidates=names,
        d=d,
        p=p,
        winners=tiers[0] if tiers else (),
        tiers=tuple(tiers),
        excluded=tuple(excluded),
    )


def _ballot_ranks(juror: str, *, ballot: Sequence[Collection[str]], names: Sequence[str]) -> dict[str, int]:
    rank: dict[str, int] = {}
    for position, tier in enumerate(ballot):
        for candidate in tier:
            if candidate not in names:
                raise ValueError(f"Bulletin de {juror} : candidat inconnu {candidate}")
            if candidate in rank:
                raise ValueError(f"Bulletin de {juror} : {candidate} est classé deux fois")
            rank[candidate] = position
    unranked = len(ballot)
    return {c: rank.get(c, unranked) for c in names}


# --- Tie-breaking -------------------------------------------------------------------------------------------


CALIBRATED = "calibrated_score"
CHAIR = "chair"
CRITERION_PREFIX = "criterion:"


def break_ties(
    *,
    tier: Collection[str],
    policy: Sequence[str],
    calibrated: Mapping[str, float] | None = None,
    criterion_scores: Mapping[str, Mapping[str, float]] | None = None,
    chair_order: Sequence[str] | None = None,
    decimals: int = 2,
) -> TieBreak:
    """Order tied candidates by the edition's rules, each applied only where the previous ones left a tie.

    Rules: ``"calibrated_score"`` (higher ``calibrated[candidate]`` first), ``"criterion:<id>"`` (higher
    ``criterion_scores[candidate][id]`` first) and ``"chair"`` (the chair's casting vote, ``chair_order``
    best first). Scores are compared rounded to ``decimals`` places, the precision shown in the published
    standings: a separation nobody can see in the figures would not stand in a procès-verbal. The chair's
    vote settles a tie only if it ranks every candidate of that tie; otherwise, like a missing vote or a
    policy without ``"chair"``, the tie is reported unresolved rather than guessed. A missing score is an
    input error, not a tie.
    """
    if decimals < 0:
        raise ValueError("Le nombre de décimales doit être positif ou nul")
    members = sorted(set(tier))
    rules = list(policy)
    for rule in rules:
        _check_rule(rule)
    if len(set(rules)) != len(rules):
        raise ValueError("Règle de départage en double dans la politique de l'édition")

    groups: list[list[str]] = [members] if members else []
    separations: list[Separation] = []  # separations[i] sits between groups[i] and groups[i + 1]
    for rule in rules:
        new_groups: list[list[str]] = []
        new_separations: list[Separation] = []
        for index, group in enumerate(groups):
            if len(group) > 1:
                parts, seps = _split(
                    group,
                    rule=rule,
                    calibrated=calibrated,
                    criterion_scores=criterion_scores,
                    chair_order=chair_order,
                    decimals=decimals,
                )
            else:
                parts, seps = [group], []
            new_groups.extend(parts)
            new_separations.extend(seps)
            if index < len(groups) - 1:
                new_separations.append(separations[index])
        groups, separations = new_groups, new_separations

    unresolved = tuple(tuple(g) for g in groups if len(g) > 1)
    notes = tuple(_unresolved_note(g, rules=rules, chair_order=chair_order) for g in unresolved)
    return TieBreak(
        order=tuple(tuple(g) for g in groups),
        separations=tuple(separations),
        unresolved=unresolved,
        notes=notes,
    )


def _check_rule(rule: str) -> None:
    if rule in (CALIBRATED, CHAIR):
        return
    if rule.startswith(CRITERION_PREFIX) and rule[len(CRITERION_PREFIX) :]:
        return
    raise ValueError(f"Règle de départage inconnue : {rule!r}")


def _split(
    group: list[str],
    *,
    rule: str,
    calibrated: Mapping[str, float] | None,
    criterion_scores: Mapping[str, Mapping[str, float]] | None,
    chair_order: Sequence[str] | None,
    decimals: int,
) -> tuple[list[list[str]], list[Separation]]:
    if rule == CHAIR:
        if chair_order is None or any(c not in chair_order for c in group):
            return [group], []
        position = {c: i for i, c in enumerate(chair_order)}
        ordered = sorted(group, key=position.__getitem__)
        parts = [[c] for c in ordered]
        seps = [
            Separation(
                above=(a,),
                below=(b,),
                rule=rule,
                reason=f"{a} devant {b} : voix prépondérante du président du jury",
            )
            for a, b in itertools.pairwise(ordered)
        ]
        return parts, seps

    if rule == CALIBRATED:
        values = _scores(group, calibrated, what="Score calibré", missing="manquant")
        label = "score calibré"
    else:
        criterion = rule[len(CRITERION_PREFIX) :]
        table = {c: (criterion_scores or {}).get(c, {}) for c in group}
        available = {c: s[criterion] for c, s in table.items() if criterion in s}
        values = _scores(group, available, what=f"Note du critère « {criterion} »", missing="manquante")
        label = f"critère « {criterion} »"
    rounded = {c: round(v, decimals) for c, v in values.items()}
    levels = sorted(set(rounded.values()), reverse=True)
    parts = [sorted(c for c in group if rounded[c] == level) for level in levels]
    seps = [
        Separation(
            above=tuple(hi),
            below=tuple(lo),
            rule=rule,
            reason=f"{_names(hi)} devant {_names(lo)} : {label} "
            f"{decimal_fr(rounded[hi[0]], decimals)} contre {decimal_fr(rounded[lo[0]], decimals)}",
        )
        for hi, lo in itertools.pairwise(parts)
    ]
    return parts, seps


def _scores(
    group: list[str], source: Mapping[str, float] | None, *, what: str, missing: str
) -> dict[str, float]:
    values: dict[str, float] = {}
    for candidate in group:
        if source is None or candidate not in source:
            raise ValueError(f"{what} {missing} pour {candidate}")
        value = float(source[candidate])
        if not math.isfinite(value):
            raise ValueError(f"{what} non numérique pour {candidate} : {source[candidate]!r}")
        values[candidate] = value
    return values


def _unresolved_note(
    group: tuple[str, ...], *, rules: Sequence[str], chair_order: Sequence[str] | None
) -> str:
    head = f"Égalité non résolue entre {_names(group)}"
    if CHAIR not in rules:
        return f"{head} : aucune règle de départage restante dans la politique de l'édition"
    if chair_order is None:
        return f"{head} : voix prépondérante du président du jury non exprimée"
    missing = [c for c in group if c not in chair_order]
    return f"{head} : la voix prépondérante du président du jury ne classe pas {_names(missing)}"


# --- Helpers ----------------------------------------------------------------------------------------------


def _candidate_set(candidates: Collection[str]) -> set[str]:
    names = set(candidates)
    if len(names) != len(list(candidates)):
        raise ValueError("Candidat en double dans la liste des candidats")
    return names


def _tiers_by_value(values: Mapping[str, int]) -> Tiers:
    levels = sorted(set(values.values()), reverse=True)
    return tuple(tuple(sorted(c for c, v in values.items() if v == level)) for level in levels)


def _names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} et {names[-1]}"
