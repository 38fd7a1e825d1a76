"""A round's assignments as read from the database, and what the organiser is told about them.

Pure: the service reads the rows, this module turns them into lookups, the overview (holes with a reason,
loads, the design check in words, inconsistencies to fix) and the checks of a hand edit. The rule that
ties pairs to panels: a pair (juror, candidate) belongs to the panel the candidate competes in
(`candidate_rounds.panel_id`), and the juror must sit on it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Protocol

import numpy as np

from jury.assignments.models import (
    DEFAULT_K,
    HOLES_SHOWN,
    AssignedPair,
    AssignmentsOverview,
    Hole,
    PairRequest,
    PanelView,
    PlanCandidate,
    PlanDesign,
    PlanJuror,
    RoundSummary,
)
from jury.assignments.wording import counted
from jury.errors import Conflict, Invalid, NotFound
from jury.results.design import DesignCheck, check_design, check_indexed

__all__ = [
    "RoundAssignments",
    "RoundFacts",
    "design_message",
    "design_summary",
    "overview_of",
    "pair_to_add",
    "pair_to_remove",
    "summary_of",
    "window_overview",
]


class RoundFacts(Protocol):
    """What the assignments need of a round (`jury.access.policy.RoundInEdition` has it)."""

    @property
    def id(self) -> int: ...
    @property
    def edition_id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def status(self) -> str: ...


@dataclass
class RoundAssignments:
    """One round as read from the database, with the lookups every view and check needs."""

    id: int
    edition_id: int
    name: str
    kind: str
    status: str
    panels: dict[int, dict[str, Any]]
    zone_of_panel: dict[int, str | None]
    members: dict[int, dict[str, Any]]  # person_id → {full_name, panels, chairs}
    candidates: dict[int, dict[str, Any]]
    pairs: dict[tuple[int, int], int]  # (person_id, candidate_id) → panel_id
    conflicts: set[tuple[int, int]]
    scored: set[tuple[int, int]] = field(default_factory=set)
    # Withdrawn or ineligible candidates: no jurors for them, but their leftover pairs need a name.
    former: dict[int, str] = field(default_factory=dict)

    @property
    def editable(self) -> bool:
        return self.status != "closed"

    def juror_name(self, person_id: int) -> str:
        return self.members[person_id]["full_name"] if person_id in self.members else f"n° {person_id}"

    def candidate_name(self, candidate_id: int) -> str:
        row = self.candidates.get(candidate_id)
        return row["name"] if row else self.former.get(candidate_id, f"n° {candidate_id}")

    def panel_name(self, panel_id: int | None) -> str:
        return self.panels[panel_id]["name"] if panel_id in self.panels else "—"

    @classmethod
    def from_rows(
        cls,
        rnd: RoundFacts,
        *,
        panels: Sequence[Mapping[str, Any]],
        members: Sequence[Mapping[str, Any]],
        candidates: Sequence[Mapping[str, Any]],
        pairs: Sequence[Mapping[str, Any]],
        conflicts: Sequence[Mapping[str, Any]],
        scored: Sequence[Mapping[str, Any]],
        pair_columns: Mapping[str, Sequence[int]] | None = None,
    ) -> RoundAssignments:
        """Builds the lookups from the rows of the `assignment_*` queries (one row per member and panel);
        `pair_columns` (`person_ids`, `candidate_ids`, `panel_ids`, in the rows' order) replaces `pairs`."""
        sitting: dict[int, dict[str, Any]] = {}
        for row in members:
            member = sitting.get(row["person_id"])
            if member is None:  # not setdefault: its default (a dict, two sets) was built for every row
                member = {"full_name": row["full_name"], "panels": set(), "chairs": set()}
                sitting[row["person_id"]] = member
            member["panels"].add(row["panel_id"])
            if row["role"] == "chair":
                member["chairs"].add(row["panel_id"])
        panel_rows = {r["id"]: dict(r) for r in panels}
        return cls(
            id=rnd.id,
            edition_id=rnd.edition_id,
            name=rnd.name,
            kind=rnd.kind,
            status=rnd.status,
            panels=panel_rows,
            zone_of_panel=zone_keys(list(panel_rows.values())),
            members=sitting,
            candidates={r["id"]: dict(r) for r in candidates if r["competing"]},
            former={r["id"]: r["name"] for r in candidates if not r["competing"]},
            pairs=(
                dict(
                    zip(
                        zip(pair_columns["person_ids"], pair_columns["candidate_ids"], strict=True),
                        pair_columns["panel_ids"],
                        strict=True,
                    )
                )
                if pair_columns is not None
                else {(r["person_id"], r["candidate_id"]): r["panel_id"] for r in pairs}
            ),
            conflicts={(r["person_id"], r["candidate_id"]) for r in conflicts},
            scored={(r["person_id"], r["candidate_id"]) for r in scored},
        )


def zone_keys(panels: list[dict[str, Any]]) -> dict[int, str | None]:
    """The solver zone of each panel: one zone per panel, so "same zone" means "same panel".

    A single panel needs no zone. Otherwise the zone label reads best in the plan (« Nord »), but only if
    every panel has its own zone; panels without a zone, or sharing one, fall back to their names (unique
    within a round). Without this, two zone-less panels would let the solver pair a juror of one with a
    candidate of the other, a pair no panel holds.
    """
    if len(panels) <= 1:
        return {p["id"]: None for p in panels}
    labels = [p["zone_label"] for p in panels]
    if all(labels) and len(set(labels)) == len(labels):
        return {p["id"]: p["zone_label"] for p in panels}
    return {p["id"]: p["name"] for p in panels}


def overview_of(
    rnd: RoundAssignments,
    *,
    k: int | None = None,
    panels: set[int] | None = None,
    jurors: set[int] | None = None,
) -> AssignmentsOverview:
    """The round's assignments as they stand, with holes against `k` (inferred when not given).

    With `panels` (the page's window of panels), `candidates` and `pairs` hold only those of these panels
    and of the holes: the page shows ten panels' tables, and building a struct for each of the 90,000
    pairs and 22,000 candidates of the largest contest was most of its time. With `jurors`, `jurors` holds
    only those (the loads' page and the shown panels' jurors). Everything round-wide (loads, holes, design
    check, warnings) is still computed from the whole round.
    """
    k = k or usual_k(rnd)
    loads = Counter(person for person, _ in rnd.pairs)
    design = design_summary(rnd, pairs=list(rnd.pairs))
    bridging = set(design.bridging_jurors)
    found_holes = holes(rnd, k=k)
    if panels is None:
        shown_candidates = rnd.candidates
        shown_pairs = rnd.pairs
    else:
        named = {h.candidate_id for h in found_holes}
        shown_candidates = {
            c: row for c, row in rnd.candidates.items() if row["panel_id"] in panels or c in named
        }
        shown_pairs = {
            pair: panel for pair, panel in rnd.pairs.items() if panel in panels or pair[1] in shown_candidates
        }
    jurors_of: dict[int, list[int]] = defaultdict(list)
    for person, candidate in sorted(p for p in rnd.pairs if p[1] in shown_candidates):
        jurors_of[candidate].append(person)
    conflicts_of: dict[int, list[int]] = defaultdict(list)
    for person, candidate in sorted(rnd.conflicts):
        conflicts_of[candidate].append(person)
    # Grouped once, in the rows' order: a scan of every juror and candidate per panel took 10 s for the
    # 1,247 panels of the largest contest.
    jurors_in: dict[int, list[int]] = defaultdict(list)
    for person, member in rnd.members.items():
        for panel_id in member["panels"]:
            jurors_in[panel_id].append(person)
    candidates_in: dict[int, list[int]] = defaultdict(list)
    for candidate, row in rnd.candidates.items():
        candidates_in[row["panel_id"]].append(candidate)
    return AssignmentsOverview(
        round_id=rnd.id,
        round_name=rnd.name,
        round_kind=rnd.kind,
        round_status=rnd.status,
        editable=rnd.editable,
        k=k,
        panels=[
            PanelView(
                id=panel_id,
                name=panel["name"],
                zone=panel["zone_label"],
                ept_codes=list(panel["ept_codes"]),
                jurors=jurors_in.get(panel_id, []),
                candidates=candidates_in.get(panel_id, []),
            )
            for panel_id, panel in rnd.panels.items()
        ],
        jurors=[
            PlanJuror(
                person_id=person,
                full_name=member["full_name"],
                panels=sorted(member["panels"]),
                chairs=sorted(member["chairs"]),
                load=loads[person],
                bridging=person in bridging,
            )
            for person, member in rnd.members.items()
            if jurors is None or person in jurors
        ],
        candidates=[
            PlanCandidate(
                id=candidate,
                name=row["name"],
                entry_number=row["entry_number"],
                commune=row["commune"],
                ept_code=row["ept_code"],
                panel_id=row["panel_id"],
                jurors=jurors_of[candidate],
                conflicts=conflicts_of[candidate],
            )
            for candidate, row in shown_candidates.items()
        ],
        pairs=[
            AssignedPair(panel_id=panel, person_id=person, candidate_id=candidate)
            for (person, candidate), panel in sorted(shown_pairs.items())
        ],
        holes=found_holes,
        design=design,
        warnings=data_warnings(rnd),
    )


def summary_of(rnd: RoundAssignments, *, k: int | None = None) -> RoundSummary:
    """The round-wide figures of `overview_of` (k, holes, design check, warnings), to be stored: the same
    functions over the same whole round, so the page shows what the full overview says."""
    k = k or usual_k(rnd)
    found = holes(rnd, k=k)
    return RoundSummary(
        k=k,
        hole_total=len(found),
        holes=found[:HOLES_SHOWN],
        design=design_summary(rnd, pairs=list(rnd.pairs)),
        warnings=data_warnings(rnd),
    )


def window_overview(
    rnd: RoundFacts,
    *,
    summary: RoundSummary,
    panels: Sequence[Mapping[str, Any]],
    shown: set[int],
    members: Sequence[Mapping[str, Any]],
    jurors: Sequence[Mapping[str, Any]],
    candidates: Sequence[Mapping[str, Any]],
    pairs: Sequence[Mapping[str, Any]],
    conflicts: Sequence[Mapping[str, Any]],
) -> AssignmentsOverview:
    """The page's overview from its window's rows and the stored round-wide `summary`, without the round's
    every pair: what `overview_of(rnd, panels=shown, jurors=…)` gives for the same data, except that only
    the `shown` panels list their jurors and candidates, and only the summary's holes are named.

    `panels` are every panel of the round; `members` the shown panels' members, `jurors` the shown jurors
    (with their panels and loads), `candidates` the shown panels' candidates and the holes', `pairs` the
    rows of these panels and candidates (and of the same juror and candidate elsewhere), `conflicts` the
    candidates' (the rows of the `assignment_window_*` queries, in their order).
    """
    bridging = set(summary.design.bridging_jurors)
    # One panel per (juror, candidate), the last row's, as `RoundAssignments` keeps them; then the window.
    by_pair = {(r["person_id"], r["candidate_id"]): r["panel_id"] for r in pairs}
    named = {row["id"] for row in candidates}
    shown_pairs = {pair: panel for pair, panel in by_pair.items() if panel in shown or pair[1] in named}
    jurors_of: dict[int, list[int]] = defaultdict(list)
    for person, candidate in sorted(shown_pairs):
        jurors_of[candidate].append(person)
    conflicts_of: dict[int, list[int]] = defaultdict(list)
    for row in conflicts:
        conflicts_of[row["candidate_id"]].append(row["person_id"])
    jurors_in: dict[int, list[int]] = defaultdict(list)
    for row in members:
        jurors_in[row["panel_id"]].append(row["person_id"])
    candidates_in: dict[int, list[int]] = defaultdict(list)
    for row in candidates:
        if row["panel_id"] in shown:
            candidates_in[row["panel_id"]].append(row["id"])
    return AssignmentsOverview(
        round_id=rnd.id,
        round_name=rnd.name,
        round_kind=rnd.kind,
        round_status=rnd.status,
        editable=rnd.status != "closed",
        k=summary.k,
        panels=[
            PanelView(
                id=panel["id"],
                name=panel["name"],
                zone=panel["zone_label"],
                ept_codes=list(panel["ept_codes"]),
                jurors=jurors_in.get(panel["id"], []),
                candidates=candidates_in.get(panel["id"], []),
            )
            for panel in panels
        ],
        jurors=[
            PlanJuror(
                person_id=row["person_id"],
                full_name=row["full_name"],
                panels=list(row["panels"]),
                chairs=list(row["chairs"]),
                load=row["load"],
                bridging=row["person_id"] in bridging,
            )
            for row in jurors
        ],
        candidates=[
            PlanCandidate(
                id=row["id"],
                name=row["name"],
                entry_number=row["entry_number"],
                commune=row["commune"],
                ept_code=row["ept_code"],
                panel_id=row["panel_id"],
                jurors=jurors_of[row["id"]],
                conflicts=conflicts_of[row["id"]],
            )
            for row in candidates
        ],
        pairs=[
            AssignedPair(panel_id=panel, person_id=person, candidate_id=candidate)
            for (person, candidate), panel in sorted(shown_pairs.items())
        ],
        holes=summary.holes,
        design=summary.design,
        warnings=summary.warnings,
    )


def design_message(*, connected: bool, components: int, panels: int, bridges: int, kind: str) -> str:
    """The design check in the words of the brief: organisers act on a sentence, not on a graph."""
    if components == 0:
        return "Aucune affectation pour l'instant : le plan ne peut pas encore être vérifié."
    if not connected:
        return (
            f"Attention : {components} groupes sans juré commun, "
            "les classements ne seront pas comparables entre eux."
        )
    if panels <= 1:
        return "Le plan est connexe : toutes les notes du tour sont comparables entre elles."
    count = "deux" if panels == 2 else str(panels)
    what = f"les {count} demi-finales" if kind == "semi_final" else f"les {count} jurys"
    via = "1 juré passerelle" if bridges == 1 else f"{bridges} jurés passerelles"
    return f"Le plan est connexe : {what} sont comparables grâce à {via}."


def _check_int_design(pairs: list[tuple[int, int]]) -> DesignCheck:
    """`check_design` of integer ids, indexed with numpy: the same figures, without hashing 90,000 tuples
    into Python sets (1–2 s for the largest contest's round). np.unique orders ints as id_sort_key does."""
    if not pairs:
        return check_design(pairs)
    flat = np.fromiter(chain.from_iterable(pairs), dtype=np.int64, count=2 * len(pairs)).reshape(-1, 2)
    if flat.min() >= 0 and flat.max() < 2**31:
        # Each pair as one int64 (juror in the high half): a 1-D unique sorts as the row-wise one does,
        # in a third of its time.
        keys = np.unique((flat[:, 0] << 32) | flat[:, 1])
        distinct = np.stack([keys >> 32, keys & 0xFFFFFFFF], axis=1)
    else:
        distinct = np.unique(flat, axis=0)
    jurors, rows = np.unique(distinct[:, 0], return_inverse=True)
    candidates, cols = np.unique(distinct[:, 1], return_inverse=True)
    return check_indexed(jurors.tolist(), candidates.tolist(), rows.astype(np.intp), cols.astype(np.intp))


def design_summary(rnd: RoundAssignments, *, pairs: list[tuple[int, int]]) -> PlanDesign:
    """The design check of `pairs` with its bridges counted in panels, as the round's page states it."""
    design = _check_int_design(pairs)
    panels_of: dict[int, set[int]] = defaultdict(set)
    panel_of = {candidate: row.get("panel_id") for candidate, row in rnd.candidates.items()}
    for person, candidate in pairs:
        panel = panel_of.get(candidate) or rnd.pairs.get((person, candidate))
        if panel is not None:
            panels_of[person].add(panel)
    judged = set().union(*panels_of.values()) if panels_of else set()
    bridges = sorted(p for p, seen in panels_of.items() if len(seen) >= 2)
    return PlanDesign(
        connected=design.connected,
        components=len(design.components),
        fiedler=design.fiedler,
        bridging_jurors=bridges,
        message=design_message(
            connected=design.connected,
            components=len(design.components),
            panels=len(judged),
            bridges=len(bridges),
            kind=rnd.kind,
        ),
    )


def usual_k(rnd: RoundAssignments) -> int:
    """The k the round was planned with: the commonest juror count, so one hole does not lower it."""
    counts = Counter(candidate for _, candidate in rnd.pairs)
    if not counts:
        return DEFAULT_K
    frequency = Counter(counts.values())
    return max(frequency, key=lambda n: (frequency[n], n))


def holes(rnd: RoundAssignments, *, k: int) -> list[Hole]:
    """Candidates with fewer than `k` jurors, each with what the organiser can do about it."""
    assigned = Counter(candidate for _, candidate in rnd.pairs)
    # Grouped once: a scan of every juror per hole took 5 s for the holes of k = 5 at the largest contest.
    sitting_in: dict[int, list[int]] = defaultdict(list)
    for person, member in rnd.members.items():
        for panel_id in member["panels"]:
            sitting_in[panel_id].append(person)
    found = []
    for candidate, row in rnd.candidates.items():
        have = assigned[candidate]
        if have >= k:
            continue
        panel = row["panel_id"]
        if panel is None:
            reason = (
                "Rattaché à aucun jury de ce tour : rattachez-le à un jury avant de lui affecter des jurés."
            )
        else:
            sitting = sitting_in.get(panel, [])
            conflicted = sum(1 for p in sitting if (p, candidate) in rnd.conflicts)
            free = sum(
                1 for p in sitting if (p, candidate) not in rnd.conflicts and (p, candidate) not in rnd.pairs
            )
            status = f"{counted(have, 'juré')} sur {k}"
            where = f"dans le jury « {rnd.panel_name(panel)} »"
            if free:
                available = "disponible" if free == 1 else "disponibles"
                reason = f"{status} : {counted(free, 'juré')} {available} {where}."
            elif conflicted:
                declared = "conflit d'intérêts déclaré" if conflicted == 1 else "conflits d'intérêts déclarés"
                reason = f"{status} : aucun autre juré disponible {where} ({conflicted} {declared})."
            else:
                reason = f"{status} : aucun autre juré disponible {where}."
        found.append(Hole(candidate_id=candidate, panel_id=panel, assigned=have, wanted=k, reason=reason))
    return found


def data_warnings(rnd: RoundAssignments) -> list[str]:
    """Inconsistencies the organiser should fix by hand: they are facts about the data, not the plan."""
    warnings = []
    for row in rnd.candidates.values():
        panel = rnd.panels.get(row["panel_id"])
        if panel and panel["ept_codes"] and row["ept_code"] and row["ept_code"] not in panel["ept_codes"]:
            warnings.append(
                f"« {row['name']} » ({row['commune']}, {row['ept_code']}) concourt dans le jury "
                f"« {panel['name']} », dont la zone couvre {', '.join(panel['ept_codes'])}."
            )
    for (person, candidate), panel in sorted(rnd.pairs.items()):
        row = rnd.candidates.get(candidate)
        conflicted = (person, candidate) in rnd.conflicts
        if not conflicted and row is not None and (row["panel_id"] is None or row["panel_id"] == panel):
            continue  # the usual case: no name is looked up for the 90,000 pairs of a large contest
        juror, name = rnd.juror_name(person), rnd.candidate_name(candidate)
        if conflicted:
            warnings.append(
                f"{juror} est affecté à « {name} » malgré un conflit d'intérêts déclaré : "
                "retirez cette affectation."
            )
        if row is None:
            warnings.append(f"{juror} est affecté à « {name} », qui ne concourt plus dans ce tour.")
        elif row["panel_id"] is not None and row["panel_id"] != panel:
            warnings.append(
                f"{juror} note « {name} » dans le jury « {rnd.panel_name(panel)} » alors que ce candidat "
                f"concourt dans le jury « {rnd.panel_name(row['panel_id'])} »."
            )
    return warnings


def pair_to_add(rnd: RoundAssignments, pair: PairRequest) -> AssignedPair | None:
    """The pair to write in the candidate's panel, None if it is already there; refuses (422) a declared
    conflict, a candidate without a panel and a juror who does not sit on the candidate's panel."""
    person, candidate = _known_pair(rnd, pair)
    juror, name = rnd.juror_name(person), rnd.candidate_name(candidate)
    if (person, candidate) in rnd.pairs:
        return None
    if (person, candidate) in rnd.conflicts:
        raise Invalid(f"{juror} a déclaré un conflit d'intérêts avec « {name} » : affectation impossible.")
    panel = rnd.candidates[candidate]["panel_id"]
    if panel is None:
        raise Invalid(f"« {name} » n'est rattaché à aucun jury de ce tour : rattachez-le d'abord à un jury.")
    if panel not in rnd.members[person]["panels"]:
        raise Invalid(
            f"{juror} ne siège pas dans le jury « {rnd.panel_name(panel)} » où concourt « {name} » : "
            "affectation impossible."
        )
    return AssignedPair(panel_id=panel, person_id=person, candidate_id=candidate)


def pair_to_remove(rnd: RoundAssignments, pair: PairRequest) -> AssignedPair:
    """The pair to delete; refuses (409) when the juror already opened a score sheet for it, since the
    marks would dangle."""
    person, candidate = _known_pair(rnd, pair)
    if (person, candidate) not in rnd.pairs:
        raise NotFound(f"{rnd.juror_name(person)} n'est pas affecté à « {rnd.candidate_name(candidate)} ».")
    if (person, candidate) in rnd.scored:
        raise Conflict(
            f"{rnd.juror_name(person)} a déjà une fiche de notation pour « {rnd.candidate_name(candidate)} » : "
            "l'affectation ne peut pas être retirée."
        )
    return AssignedPair(panel_id=rnd.pairs[person, candidate], person_id=person, candidate_id=candidate)


def _known_pair(rnd: RoundAssignments, pair: PairRequest) -> tuple[int, int]:
    if pair.candidate_id not in rnd.candidates:
        raise NotFound("Ce candidat ne concourt pas dans ce tour.")
    if pair.person_id not in rnd.members:
        raise NotFound("Cette personne ne siège dans aucun jury de ce tour.")
    return pair.person_id, pair.candidate_id
