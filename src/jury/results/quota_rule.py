"""The round's qualification rule read from the database and applied to its standings, once for every page.

The standings (Classement), the qualification preview and the decisions page all show the same rule with
the same figures: this module reads the rule and what groups candidates (zone, category, panel) and hands
them to the pure `jury.results.qualification`.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from jury.access.policy import RoundInEdition
from jury.db.queries import Database
from jury.results.models import StandingView
from jury.results.qualification import (
    WILDCARD_GROUP,
    Entrant,
    Qualification,
    describe_quota,
    group_key,
    p_funded,
    qualify,
)

ADVANCED = ("advanced", "laureate")
OPEN = ("pending", "eligible")


class RoundRule(msgspec.Struct, frozen=True, kw_only=True):
    """The rule and its application: `labels` names each quota group in French."""

    advance_count: int | None
    quota_scope: str
    wildcards: int
    rule: str
    """The rule in one French sentence."""
    qualification: Qualification | None
    labels: dict[str, str]
    sections_per_group: dict[str, int]
    p_funded: dict[int, float] | None = None
    """P(above the funding line) when the edition has a budget and candidates request amounts."""


async def round_rule(
    db: Database,
    *,
    rnd: RoundInEdition,
    views: Sequence[StandingView],
) -> RoundRule:
    """The rule applied to the standings `views` of the round (all its sections: the groups span them).

    Candidates already advanced hold their place, open ones compete, the others are out."""
    rule_row = await db.fetchrow("qualification_rule", round_id=rnd.id)
    scope = rule_row["quota_scope"] if rule_row else "overall"
    wildcards = rule_row["wildcards"] if rule_row else 0
    quota = rnd.advance_count or None
    rows = {r["candidate_id"]: r for r in await db.fetch("qualification_entrants", round_id=rnd.id)}
    labels: dict[str, str] = {"tous": "Classement général", WILDCARD_GROUP: "Repêchage"}
    sections: dict[str, set[str]] = {}
    entrants = []
    for view in views:
        for line in view.lines:
            row = rows.get(line.candidate_id)
            zone = row["zone_id"] if row else None
            key = group_key(scope=scope, zone=zone, panel=view.panel_id, category=view.category_id)
            if key.startswith("zone:"):
                labels[key] = f"Zone {row['zone_label']}" if row else key
            elif key.startswith("jury:"):
                labels[key] = f"Jury {view.panel_name}"
            elif key.startswith("categorie:"):
                labels[key] = view.category_name
            sections.setdefault(key, set()).add(view.section)
            status = row["status"] if row else ""
            entrants.append(
                Entrant(
                    candidate_id=line.candidate_id,
                    group=key,
                    score=line.score,
                    low=line.low,
                    high=line.high,
                    state="advanced" if status in ADVANCED else "open" if status in OPEN else "out",
                    ranked=view.global_ranking,
                )
            )
    qualification = (
        qualify(entrants, quota=quota, wildcards=wildcards, seed=rnd.id) if quota is not None else None
    )
    budget = next((r["budget_eur"] for r in rows.values() if r["budget_eur"] is not None), None)
    requested = {c: r["requested_eur"] for c, r in rows.items() if r["requested_eur"]}
    funded = (
        p_funded(entrants, requested=requested, budget=budget, seed=rnd.id)
        if budget is not None and requested and entrants
        else None
    )
    return RoundRule(
        advance_count=quota,
        quota_scope=scope,
        wildcards=wildcards,
        rule=describe_quota(advance_count=quota, quota_scope=scope, wildcards=wildcards),
        qualification=qualification,
        labels=labels,
        sections_per_group={k: len(v) for k, v in sections.items()},
        p_funded=funded,
    )
