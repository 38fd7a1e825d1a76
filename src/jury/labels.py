"""The French words for every status the service shows: rounds, editions, sheets, candidates, decisions.

One table each, used by the pages (the `label` filter), the PDFs and the exports, so a round in
preparation is « en préparation » everywhere (DESIGN's glossary), never « brouillon » on one page.
"""

from __future__ import annotations

from collections.abc import Mapping

ROUND_STATUS: Mapping[str, str] = {
    "draft": "en préparation",
    "open": "notation",
    "deliberation": "délibération",
    "closed": "clos",
}

EDITION_STATUS: Mapping[str, str] = {
    "preparing": "en préparation",
    "applications": "candidatures ouvertes",
    "judging": "jugement",
    "decided": "décidée",
    "archived": "archivée",
}

SHEET_STATE: Mapping[str, str] = {
    "todo": "à évaluer",
    "draft": "brouillon",
    "submitted": "validée",
}

CANDIDATE_STATUS: Mapping[str, str] = {
    "pending": "en attente",
    "eligible": "éligible",
    "ineligible": "inéligible",
    "advanced": "qualifié",
    "eliminated": "éliminé",
    "laureate": "lauréat",
    "withdrawn": "retiré",
}
"""A candidate's status in a round."""

DECISION_KIND: Mapping[str, str] = {
    "advance": "Qualifié",
    "eliminate": "Éliminé",
    "award": "Prix",
    "laureate": "Lauréat",
    "ineligible": "Inéligible",
    "override": "Dérogation",
}

TABLES: Mapping[str, Mapping[str, str]] = {
    "round": ROUND_STATUS,
    "edition": EDITION_STATUS,
    "sheet": SHEET_STATE,
    "candidate": CANDIDATE_STATUS,
    "decision": DECISION_KIND,
}


def label(value: str, kind: str) -> str:
    """The French label of `value` in the table `kind`; an unknown value is shown as it is rather than
    hiding a state the table does not know yet."""
    return TABLES[kind].get(value, value)
