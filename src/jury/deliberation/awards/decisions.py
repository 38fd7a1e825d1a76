"""Decisions that move candidates on: the qualifiers confirmed for the next round, the edition's list of
decisions, and the organisers' decisions page.

Confirming writes one decision per candidate settled (advanced or eliminated), each naming the standing it
was based on and why, so the procès-verbal and the audit trail can say who decided what, when and why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from jury.access.identity import Identity
from jury.access.policy import actor_label, ensure_organiser_of_edition
from jury.audit.service import append_event
from jury.contests.models import EditionDetail, Round
from jury.contests.service import list_rounds, organised_edition
from jury.db.queries import Database
from jury.deliberation.awards.models import Advancement, AwardRow, Decision
from jury.deliberation.awards.service import awards_of_edition
from jury.deliberation.service import candidate_label, load_round, require_deliberation
from jury.errors import Conflict, FieldError, Forbidden, Invalid
from jury.labels import label
from jury.results import standings as results
from jury.results.marks import read_sections
from jury.rounds.entries import place_in_only_panel

OPEN_STATUSES = ("pending", "eligible")
DECIDED_BY_RULES = "eligibility"
"""The round kind whose qualifiers are the projects its pass/fail rules found eligible (Progr'ESS): the
eligibility round enters them into the next round like any other round's qualifiers, through here."""


async def confirm_advancement(
    db: Database,
    *,
    identity: Identity,
    round_id: int,
    advance: list[int],
    based_on: str,
    reason: str = "",
    panel_id: int | None = None,
) -> Advancement:
    """Enter the chosen candidates in the next round and settle everyone else still in play.

    Only while the round deliberates: once closed, a round is immutable. With `panel_id`, only that panel's
    candidates are settled, so each semi-final can confirm its own finalists. An eligibility round, decided
    by the organisers rather than scored, advances only projects its rules (or an override) found eligible,
    once every project has been checked; one found eligible and left out needs a written reason.
    This is the one way candidates enter a next round (recording eligibility enters no one).
    """
    rnd = await load_round(db, round_id=round_id)
    if identity.kind != "organiser":
        raise Forbidden("Seuls les organisateurs confirment les qualifiés.")
    await ensure_organiser_of_edition(db, identity=identity, edition_id=rnd.edition_id)
    if not based_on.strip():
        raise Invalid(
            "Le classement de référence est obligatoire.",
            errors=[FieldError(field="based_on", message="Indiquez le classement (méthode et empreinte).")],
        )
    require_deliberation(rnd, what="Les confirmations de qualifiés")
    next_round = await db.fetchrow("delib_next_round", edition_id=rnd.edition_id, position=rnd.position)
    if next_round is None:
        raise Conflict("Ce tour est le dernier de l'édition : il n'y a pas de tour suivant.")
    if next_round["status"] != "draft":
        raise Conflict(
            f"Le tour suivant ({next_round['name']}) a déjà commencé : il n'accepte plus d'entrants."
        )

    entries = {r["candidate_id"]: r for r in await db.fetch("delib_round_entries", round_id=round_id)}
    if panel_id is not None and panel_id not in {
        p["id"] for p in await db.fetch("delib_round_panels", round_id=round_id)
    }:
        raise Invalid(
            "Ce jury n'appartient pas à ce tour.",
            errors=[FieldError(field="panel_id", message="Jury inconnu.")],
        )
    scope = {cid: e for cid, e in entries.items() if panel_id is None or e["panel_id"] == panel_id}
    errors = _advance_errors(advance, scope=scope)
    if rnd.kind == DECIDED_BY_RULES:
        errors.extend(_eligibility_errors(advance, scope=scope, reason=reason))
    already = await db.fetch("delib_entries_in_round", round_id=next_round["id"], candidate_ids=advance)
    errors.extend(
        FieldError(field="advance", message=f"Candidat n° {r['candidate_id']} déjà inscrit au tour suivant.")
        for r in already
    )
    if errors:
        raise Invalid("La liste des qualifiés n'est pas valide : rien n'a été enregistré.", errors=errors)

    chosen = set(advance)
    eliminated = sorted(cid for cid, e in scope.items() if e["status"] in OPEN_STATUSES and cid not in chosen)
    decision_ids = []
    for cid, status, kind in [
        *((c, "advanced", "advance") for c in advance),
        *((c, "eliminated", "eliminate") for c in eliminated),
    ]:
        await db.execute(
            "set_entry_status", candidate_id=cid, round_id=round_id, status=status, reason=reason
        )
        decision_ids.append(
            await db.fetchval(
                "delib_insert_decision",
                edition_id=rnd.edition_id,
                round_id=round_id,
                candidate_id=cid,
                kind=kind,
                reason=reason,
                based_on=based_on.strip(),
                departure="",
                decided_by=identity.person_id,
            )
        )
    for cid in advance:
        await db.execute("delib_insert_entry", candidate_id=cid, round_id=next_round["id"])
    # A next round with a single panel (the final's Grand jury) takes its entrants at once; with several,
    # the organiser places them (round entries page, or the territorial routing).
    placed_in = await place_in_only_panel(db, round_id=next_round["id"], candidate_ids=list(advance))
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="deliberation.advanced",
        target=f"round:{round_id}",
        payload={
            "round_kind": rnd.kind,
            "next_round": next_round["id"],
            "next_round_panel": placed_in,
            "panel": panel_id,
            "advanced": list(advance),
            "eliminated": eliminated,
            "based_on": based_on.strip(),
            "reason": reason,
            "decisions": decision_ids,
        },
    )
    return Advancement(
        round_id=round_id,
        next_round_id=next_round["id"],
        advanced=list(advance),
        eliminated=eliminated,
        decision_ids=decision_ids,
    )


def _eligibility_errors(
    advance: list[int], *, scope: Mapping[int, Mapping[str, Any]], reason: str
) -> list[FieldError]:
    """An eligibility round's qualifiers are its eligible projects: none still unchecked, no unchecked one
    advanced (an ineligible one is refused by `_advance_errors`), an eligible one left out only with a reason."""
    unchecked = sorted(cid for cid, e in scope.items() if e["status"] == "pending")
    if unchecked:
        return [
            FieldError(
                field="advance",
                message=f"{len(unchecked)} candidat(s) dont l'éligibilité n'a pas été examinée : appliquez "
                "d'abord les règles d'éligibilité du tour.",
            )
        ]
    left_out = sorted(cid for cid, e in scope.items() if e["status"] == "eligible" and cid not in advance)
    if left_out and not reason.strip():
        return [
            FieldError(
                field="reason",
                message=f"{len(left_out)} candidat(s) éligible(s) non retenu(s) : indiquez pourquoi.",
            )
        ]
    return []


def _advance_errors(advance: list[int], *, scope: Mapping[int, Mapping[str, Any]]) -> list[FieldError]:
    errors = []
    seen: set[int] = set()
    for index, cid in enumerate(advance):
        field = f"advance[{index}]"
        if cid in seen:
            errors.append(FieldError(field=field, message=f"Candidat n° {cid} cité deux fois."))
        elif cid not in scope:
            errors.append(
                FieldError(field=field, message=f"Candidat n° {cid} absent de ce tour (ou de ce jury).")
            )
        elif scope[cid]["status"] not in OPEN_STATUSES:
            errors.append(
                FieldError(
                    field=field,
                    message=f"Candidat n° {cid} : statut « {label(scope[cid]['status'], 'candidate')} », "
                    "il ne peut pas être qualifié.",
                )
            )
        seen.add(cid)
    return errors


async def list_decisions(db: Database, *, identity: Identity, slug: str) -> list[Decision]:
    edition = await organised_edition(db, identity=identity, slug=slug)
    return await _decisions(db, edition_id=edition.id)


async def _decisions(db: Database, *, edition_id: int) -> list[Decision]:
    rows = await db.fetch("delib_decisions_of_edition", edition_id=edition_id)
    return [
        Decision(
            id=r["id"],
            kind=r["kind"],
            candidate_id=r["candidate_id"],
            candidate=candidate_label({**dict(r), "id": r["candidate_id"]}, blind=False),
            round_id=r["round_id"],
            round_name=r["round_name"],
            prize=r["prize_name"],
            granted_eur=r["granted_eur"],
            reason=r["reason"],
            based_on=r["based_on"],
            decided_by=r["decided_by_name"],
            decided_at=r["decided_at"],
            departure=r["departure"],
            undone_at=r["undone_at"],
            undone_by=r["undone_by_name"],
            undo_reason=r["undo_reason"],
        )
        for r in rows
    ]


async def confirm_edition_advancement(
    db: Database,
    *,
    identity: Identity,
    slug: str,
    round_id: int,
    advance: list[int],
    based_on: str,
    reason: str = "",
    panel_id: int | None = None,
) -> Advancement:
    """The decisions page's form: the same confirmation, for a round of the edition the page is about."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    rnd = await load_round(db, round_id=round_id)
    if rnd.edition_id != edition.id:
        raise Invalid("Ce tour n'appartient pas à cette édition.")
    return await confirm_advancement(
        db,
        identity=identity,
        round_id=round_id,
        advance=advance,
        based_on=based_on,
        reason=reason,
        panel_id=panel_id,
    )


# --- The decisions page ---------------------------------------------------------------------------------


class DecisionsPage(msgspec.Struct, frozen=True, kw_only=True):
    """What `organiser/decisions.html` shows: the rounds still deliberating with their candidates and
    panels (to confirm qualifiers), the prize sheet of the last round once it deliberates, and every
    decision taken so far, each live one with its « Annuler » form.

    `prize_round` is the last round of the edition while it deliberates (None: the prize sheet is not open
    yet); `prize_choices` lists, per prize code, the candidates still in play there in the prize's category;
    `references` the standings and closed ballots a decision may cite, per round id."""

    edition: EditionDetail
    decisions: list[Decision]
    awards: list[AwardRow]
    prizes: list[dict[str, Any]]
    rounds: list[dict[str, Any]]
    all_rounds: list[Round]
    prize_round: dict[str, Any] | None = None
    prize_choices: dict[str, list[tuple[int, str]]] = {}
    references: dict[int, list[str]] = {}
    ballots: list[dict[str, Any]] = []
    undoable: tuple[str, ...] = ("advance", "eliminate", "award", "laureate")
    decided: bool = False

    def context(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__struct_fields__}


async def decisions_page(db: Database, *, identity: Identity, slug: str) -> DecisionsPage:
    """The page in a fixed number of queries: the deliberating rounds (with their panels), then the
    candidates of the rounds whose form the page shows, at once.

    Only what a form on the page shows is read: a round's candidates and the standings it may cite for its
    qualifiers' form (a round with a next one) or for the prize sheet (the last round, while a prize is
    still open). At the scale of the largest contest, reading every mark to list the standings of a round
    whose form is not shown took 3.7 s per visit."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    deliberating = await db.fetch("delib_deliberating_rounds", edition_id=edition.id)
    all_rounds = await list_rounds(db, edition.id)
    last = all_rounds[-1] if all_rounds else None
    prizes = [
        dict(p) for p in await db.fetch("delib_prizes", edition_id=edition.id) if p["kind"] != "laureate"
    ]
    awards = await awards_of_edition(db, edition_id=edition.id)
    given = {a.prize_code for a in awards}
    prize_sheet_open = any(p["kind"] in ("label", "cohort") or p["code"] not in given for p in prizes)
    shown = {
        r["id"]
        for r in deliberating
        if r["has_next"] or (prize_sheet_open and last is not None and r["id"] == last.id)
    }
    entries: dict[int, list[dict[str, Any]]] = {r["id"]: [] for r in deliberating}
    if shown:
        for c in await db.fetch("delib_round_candidates", round_ids=sorted(shown)):
            entries[c["round_id"]].append({**dict(c), "label": candidate_label(c, blind=False)})
    rules = {r.id: r.rule for r in all_rounds}
    rounds = [
        {
            "id": r["id"],
            "name": r["name"],
            "rule": rules[r["id"]],
            "has_next": r["has_next"],
            "candidates": entries[r["id"]],
            "panels": r["panels"],
        }
        for r in deliberating
    ]
    prize_round = next((r for r in rounds if last is not None and r["id"] == last.id), None)
    methods = {r.id: r.method for r in all_rounds}
    references = {
        r["id"]: await _references(db, round_id=r["id"], method=methods[r["id"]])
        for r in rounds
        if r["id"] in shown
    }
    return DecisionsPage(
        edition=edition,
        decisions=await _decisions(db, edition_id=edition.id),
        awards=awards,
        prizes=prizes,
        rounds=rounds,
        all_rounds=all_rounds,
        prize_round=prize_round,
        prize_choices=_prize_choices(prizes, prize_round) if prize_round and prize_sheet_open else {},
        references=references,
        ballots=[dict(b) for b in await db.fetch("delib_closed_ballots_of_round", round_id=prize_round["id"])]
        if prize_round and prize_sheet_open
        else [],
        decided=edition.status in ("decided", "archived"),
    )


def _prize_choices(
    prizes: Sequence[Mapping[str, Any]], prize_round: Mapping[str, Any]
) -> dict[str, list[tuple[int, str]]]:
    """Who may receive each prize: the last round's candidates still in play, in the prize's category."""
    in_play = [c for c in prize_round["candidates"] if c["status"] in OPEN_STATUSES]
    return {
        p["code"]: [
            (c["id"], c["label"])
            for c in in_play
            if p["category_id"] is None or c["category_id"] == p["category_id"]
        ]
        for p in prizes
    }


async def _references(db: Database, *, round_id: int, method: str) -> list[str]:
    """What a decision of the round may cite, as the form's list: each standing (the round's method and the
    digest of its marks, the digest the Classement page shows) and each closed ballot. The marks are read
    and digested, never calibrated here: at the scale of a large contest, calibrating every section just to
    list them would take minutes."""
    panels, categories = await results.section_names(db, round_id=round_id)
    sections = [
        f"{panels.get(s.panel_key, results.NO_PANEL)} · {categories.get(s.category_key, (0, '—'))[1]} — "
        f"méthode {method}, empreinte {s.digest}"
        for s in await read_sections(db, round_id=round_id)
    ]
    ballots = [
        f"Scrutin « {b['title']} » ({b['panel_name']})"
        for b in await db.fetch("delib_closed_ballots_of_round", round_id=round_id)
    ]
    whole = [f"Classement du tour — méthode {method}"] if len(sections) > 1 else []
    return whole + sections + ballots
