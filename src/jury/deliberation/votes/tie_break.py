"""The edition's tie-break policy applied to a ballot's order, as stored and as re-applied after the
chair's casting vote: the same inputs give the same order, so a result can be reproduced later.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jury.deliberation.votes import voting
from jury.errors import Invalid

CALIBRATED_UNAVAILABLE = (
    "Score calibré indisponible (classement non encore établi) : règle « score calibré » non appliquée."
)


def ids_of(tiers: Sequence[Sequence[str]]) -> list[list[int]]:
    """The pure counts key candidates by string; stored results and answers use ids."""
    return [sorted(int(c) for c in tier) for tier in tiers]


def apply_policy(
    tiers: list[list[int]],
    *,
    policy: Sequence[str],
    inputs: Mapping[str, Any],
    chair_order: Sequence[int] | None,
    labels: Mapping[int, str],
) -> dict[str, Any]:
    """Break every tie of the method's order with the edition's rules.

    The pure `break_ties` works on labels so that its reasons read well in the minutes (entry numbers in a
    blind round); rules whose scores nobody supplied yet are skipped with a note instead of failing.
    """
    notes: list[dict[str, Any]] = []
    rules: list[str] = []
    for rule in policy:
        if rule == voting.CALIBRATED and inputs.get("calibrated") is None:
            notes.append({"text": CALIBRATED_UNAVAILABLE, "candidates": []})
        elif rule.startswith(voting.CRITERION_PREFIX) and inputs.get("criterion_scores") is None:
            notes.append(
                {
                    "text": f"Notes par critère indisponibles : règle « {rule} » non appliquée.",
                    "candidates": [],
                }
            )
        else:
            rules.append(rule)
    by_label = {label: cid for cid, label in labels.items()}

    def named(table: Mapping[str, Any] | None) -> dict[str, Any] | None:
        if table is None:
            return None
        return {labels[int(k)]: v for k, v in table.items() if int(k) in labels}

    calibrated = named(inputs.get("calibrated"))
    criterion_scores = named(inputs.get("criterion_scores"))
    chair = None if chair_order is None else [labels[c] for c in chair_order if c in labels]
    order: list[list[int]] = []
    separations: list[dict[str, Any]] = []
    unresolved: list[list[int]] = []
    for tier in tiers:
        if len(tier) == 1:
            order.append(list(tier))
            continue
        try:
            broken = voting.break_ties(
                tier=[labels[c] for c in tier],
                policy=rules,
                calibrated=calibrated,
                criterion_scores=criterion_scores,
                chair_order=chair,
            )
        except ValueError as exc:
            raise Invalid(f"Départage impossible : {exc}.") from exc
        order.extend(sorted(by_label[x] for x in group) for group in broken.order)
        separations.extend(
            {
                "above": sorted(by_label[x] for x in s.above),
                "below": sorted(by_label[x] for x in s.below),
                "rule": s.rule,
                "reason": s.reason,
            }
            for s in broken.separations
        )
        for group, text in zip(broken.unresolved, broken.notes, strict=True):
            ids = sorted(by_label[x] for x in group)
            unresolved.append(ids)
            notes.append({"text": text, "candidates": ids})
    return {"order": order, "separations": separations, "unresolved": unresolved, "notes": notes}
