"""Progr'ESS grants: eligibility per candidate, a proposed split of the budget, the committee's amounts.

The rules are the pure `grants` module's; this module feeds it the edition's settings (eligible legal
forms, budget, ceiling), the communes of the 92 and the grants already recorded, so a second allocation
can never push the edition over its budget. An allocation with any error writes nothing.

Grants belong to the committee round whose standing they follow: the one the request names, else the
edition's last committee round with a submitted sheet. A grant goes only to a project judged in that round
(entered, neither withdrawn nor declared ineligible there, with a submitted, marked sheet), and the default
proposal walks that round's ranking down the budget.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import msgspec

from jury.access.identity import Identity
from jury.access.policy import RoundInEdition, actor_label
from jury.audit.service import append_event
from jury.contests.eligibility import check_eligibility
from jury.contests.models import EditionDetail
from jury.contests.service import organised_edition
from jury.db.queries import Database
from jury.deliberation.awards.models import AwardRow
from jury.deliberation.awards.service import awards_of_edition
from jury.deliberation.departures import grant_departures
from jury.deliberation.grants.allocation import propose_allocation, ranking_order, validate_allocation
from jury.deliberation.grants.models import GrantsRequest, Proposal, ProposalLine
from jury.deliberation.rankings import round_rankings
from jury.deliberation.service import load_round, require_deliberation, today, unique_labels
from jury.errors import Conflict, FieldError, Invalid, JuryError
from jury.results import standings as results

REFUSED = "Répartition des subventions refusée : rien n'a été enregistré."


class GrantSetting:
    """Everything an allocation is checked against, read once per request."""

    def __init__(
        self,
        *,
        edition: EditionDetail,
        communes: set[str],
        candidates: dict[int, Any],
        granted: dict[int, int],
        prize: Any | None,
    ) -> None:
        if edition.budget_eur is None or edition.max_grant_eur is None:
            raise Conflict("Le budget ou le plafond de subvention de cette édition n'est pas défini.")
        self.edition = edition
        self.budget: int = edition.budget_eur
        self.max_grant: int = edition.max_grant_eur
        self.communes = communes
        self.candidates = candidates
        self.labels = unique_labels(candidates.values(), blind=False)
        self.granted = granted
        self.prize = prize

    def failures(self, candidate_id: int) -> list[str]:
        row = self.candidates[candidate_id]
        requested = row["requested_eur"]
        result = check_eligibility(
            legal_form=row["legal_form"],
            allowed_forms=self.edition.eligible_legal_forms,
            seat_insee=row["insee_code"],
            communes_92=self.communes,
            requested=0 if requested is None else requested,
            max_grant=self.max_grant,
        )
        return [
            "Montant demandé non renseigné"
            if f.rule == "requested_amount" and requested is None
            else f.message
            for f in result.failures
        ]


class GrantRound:
    """The committee round a grant follows, and how each of its entries stands in it."""

    def __init__(self, *, rnd: RoundInEdition, entries: Sequence[Any]) -> None:
        self.rnd = rnd
        self.entries: dict[int, tuple[str, bool]] = {
            e["candidate_id"]: (e["status"], e["judged"]) for e in entries
        }

    def refusal(self, candidate_id: int) -> str | None:
        """Why a grant to this candidate cannot follow the round's standing (None: it can)."""
        name = f"« {self.rnd.name} »"
        if candidate_id not in self.entries:
            return f"N'a pas concouru dans le tour {name}"
        status, judged = self.entries[candidate_id]
        if status == "withdrawn":
            return f"Retiré du tour {name}"
        if status == "ineligible":
            return f"Déclaré inéligible dans le tour {name}"
        if not judged:
            return f"Aucune feuille de notation remise dans le tour {name}"
        return None


async def _grant_round(db: Database, *, edition_id: int, round_id: int | None, what: str) -> GrantRound:
    """The round named, else the edition's last scored committee round; a 422 on `round_id` otherwise."""
    if round_id is None:
        round_id = await db.fetchval("delib_grant_round", edition_id=edition_id)
        if round_id is None:
            raise Invalid(
                what,
                errors=[
                    FieldError(
                        field="round_id",
                        message="Aucun tour de comité noté dans cette édition : les subventions suivent "
                        "le classement d'un tour de comité.",
                    )
                ],
            )
    rnd = await load_round(db, round_id=round_id)
    if rnd.edition_id != edition_id:
        raise Invalid(
            what, errors=[FieldError(field="round_id", message="Ce tour n'appartient pas à cette édition.")]
        )
    if rnd.kind != "committee":
        raise Invalid(
            what,
            errors=[
                FieldError(
                    field="round_id",
                    message=f"Les subventions suivent le classement d'un tour de comité : « {rnd.name} » "
                    "n'en est pas un.",
                )
            ],
        )
    return GrantRound(rnd=rnd, entries=await db.fetch("delib_grant_entries", round_id=rnd.id))


async def _setting(db: Database, *, identity: Identity, slug: str, lock: bool) -> GrantSetting:
    edition = await organised_edition(db, identity=identity, slug=slug)
    if lock:
        await db.execute("delib_lock_edition", edition_id=edition.id)
    prizes = [p for p in await db.fetch("delib_prizes", edition_id=edition.id) if p["kind"] == "laureate"]
    return GrantSetting(
        edition=edition,
        communes={r["insee_code"] for r in await db.fetch("delib_communes_92")},
        candidates={c["id"]: c for c in await db.fetch("delib_edition_candidates", edition_id=edition.id)},
        granted={
            a["candidate_id"]: a["granted_eur"] or 0
            for a in await db.fetch("delib_awards", edition_id=edition.id)
            if a["prize_kind"] == "laureate"
        },
        prize=prizes[0] if prizes else None,
    )


async def proposal(
    db: Database,
    *,
    identity: Identity,
    slug: str,
    order: Sequence[int] | None = None,
    min_partial: int | None = None,
    round_id: int | None = None,
) -> Proposal:
    """Draft grants in `order` (from the caller); without it, in the ranking of the round the grants
    follow. A candidate not judged in that round is shown, never funded."""
    s = await _setting(db, identity=identity, slug=slug, lock=False)
    g = await _grant_round(
        db,
        edition_id=s.edition.id,
        round_id=round_id,
        what="Aucune proposition : tour de référence invalide.",
    )
    if order is None:
        views = await results.standings(db, identity=identity, round_id=g.rnd.id)
        ranked = ranking_order([[(line.candidate_id, line.rank) for line in v.lines] for v in views])
        order = [cid for cid in ranked if cid in s.candidates]
    errors = [
        FieldError(field=f"order[{i}]", message=f"Candidat n° {cid} inconnu dans cette édition.")
        for i, cid in enumerate(order)
        if cid not in s.candidates
    ]
    if len(set(order)) != len(order):
        errors.append(FieldError(field="order", message="Un candidat est cité deux fois dans le classement."))
    if errors:
        raise Invalid("Le classement fourni n'est pas valide.", errors=errors)
    failures = {cid: _with_round(s.failures(cid), g.refusal(cid)) for cid in order}
    already = sum(s.granted.values())
    fundable = [cid for cid in order if not failures[cid] and cid not in s.granted]
    allocation = propose_allocation(
        ranked=[(s.labels[cid], s.candidates[cid]["requested_eur"]) for cid in fundable],
        budget=max(s.budget - already, 0),
        max_grant=s.max_grant,
        min_partial=min_partial,
    )
    drafted = {g.candidate: g for g in allocation.grants}
    lines = []
    for cid in order:
        row = s.candidates[cid]
        grant = drafted.get(s.labels[cid])
        if cid in s.granted:
            status, proposed, note = "granted", 0, "Subvention déjà attribuée."
        elif failures[cid]:
            status, proposed, note = "ineligible", 0, "Non éligible."
        else:
            assert grant is not None
            status, proposed, note = grant.status, grant.granted, grant.note
        lines.append(
            ProposalLine(
                candidate_id=cid,
                candidate=s.labels[cid],
                legal_form=row["legal_form"],
                commune=row["commune"],
                requested_eur=row["requested_eur"],
                eligible=not failures[cid],
                failures=failures[cid],
                already_granted_eur=s.granted.get(cid),
                proposed_eur=proposed,
                status=status,
                note=note,
            )
        )
    return Proposal(
        round_id=g.rnd.id,
        round_name=g.rnd.name,
        budget_eur=s.budget,
        max_grant_eur=s.max_grant,
        already_granted_eur=already,
        proposed_total_eur=allocation.total,
        remaining_eur=s.budget - already - allocation.total,
        lines=lines,
    )


async def record_grants(
    db: Database, *, identity: Identity, slug: str, request: GrantsRequest
) -> list[AwardRow]:
    """Record the committee's amounts as laureate awards; every error is reported and nothing is written."""
    s = await _setting(db, identity=identity, slug=slug, lock=True)
    if not request.based_on.strip():
        raise Invalid(
            "Le classement de référence est obligatoire.",
            errors=[
                FieldError(
                    field="based_on", message="Indiquez le classement sur lequel repose la répartition."
                )
            ],
        )
    if s.prize is None:
        raise Conflict("Aucun prix « lauréat » n'est défini pour cette édition.")
    g = await _grant_round(db, edition_id=s.edition.id, round_id=request.round_id, what=REFUSED)
    require_deliberation(g.rnd, what="Les subventions de ce tour")
    errors = _line_errors(request, s, g)
    amounts = {
        s.labels[g.candidate_id]: g.granted_eur for g in request.grants if g.candidate_id in s.candidates
    }
    errors.extend(
        FieldError(field="grants", message=m)
        for m in validate_allocation(
            grants={s.labels[cid]: amount for cid, amount in s.granted.items()} | amounts,
            requests={
                s.labels[cid]: r["requested_eur"]
                for cid, r in s.candidates.items()
                if r["requested_eur"] is not None
            },
            budget=s.budget,
            max_grant=s.max_grant,
        )
    )
    positive = [g for g in request.grants if g.candidate_id in s.candidates and g.granted_eur > 0]
    if not positive:
        errors.append(
            FieldError(field="grants", message="Aucune subvention à attribuer (tous les montants sont nuls).")
        )
    limit = s.prize["max_winners"]
    if limit is not None and len(s.granted) + len(positive) > limit:
        errors.append(
            FieldError(
                field="grants", message=f"Nombre de lauréats supérieur au maximum de l'édition ({limit})."
            )
        )
    departures: dict[int, str] = {}
    if not errors:
        departures = await _departures(
            db, identity=identity, s=s, g=g, funded=[x.candidate_id for x in positive]
        )
        if departures and not request.reason.strip():
            errors = [
                FieldError(
                    field="reason",
                    message=f"{s.labels[cid]} : {text} Une décision contraire au classement exige un motif écrit.",
                )
                for cid, text in departures.items()
            ]
    if errors:
        raise Invalid(REFUSED, errors=errors)

    decided_on = request.decided_on or today(db)
    for grant in positive:
        await _write_grant(
            db,
            identity=identity,
            s=s,
            rnd=g.rnd,
            request=request,
            grant_eur=grant.granted_eur,
            candidate_id=grant.candidate_id,
            decided_on=decided_on,
            departure=departures.get(grant.candidate_id, ""),
        )
    return await awards_of_edition(db, edition_id=s.edition.id)


async def _departures(
    db: Database, *, identity: Identity, s: GrantSetting, g: GrantRound, funded: Sequence[int]
) -> dict[int, str]:
    """How each grant goes against the committee's ranking: a project funded while one ranked above it,
    judged and eligible, gets nothing (now or before)."""
    rankings = await round_rankings(db, identity=identity, round_id=g.rnd.id)
    ranking = sorted(
        (r for lines in rankings.values() for r in lines), key=lambda r: (r.rank is None, r.rank or 0)
    )
    chosen = set(funded)
    passed_over = {
        r.candidate_id: r.candidate_id in s.candidates
        and r.candidate_id not in chosen
        and r.candidate_id not in s.granted
        and g.refusal(r.candidate_id) is None
        and not s.failures(r.candidate_id)
        for r in ranking
    }
    return grant_departures(funded=funded, ranking=ranking, passed_over=passed_over)


def _with_round(failures: list[str], refusal: str | None) -> list[str]:
    return failures if refusal is None else [refusal, *failures]


def _line_errors(request: GrantsRequest, s: GrantSetting, g: GrantRound) -> list[FieldError]:
    errors = []
    seen: set[int] = set()
    for index, grant in enumerate(request.grants):
        field = f"grants[{index}]"
        cid = grant.candidate_id
        if cid not in s.candidates:
            errors.append(FieldError(field=field, message=f"Candidat n° {cid} inconnu dans cette édition."))
            continue
        label = s.labels[cid]
        if cid in seen:
            errors.append(FieldError(field=field, message=f"{label} figure deux fois dans la répartition."))
        seen.add(cid)
        if grant.granted_eur <= 0:
            continue
        refusal = g.refusal(cid)
        if refusal is not None:
            errors.append(FieldError(field=f"{field}.candidate_id", message=f"{label} : {refusal}."))
        if cid in s.granted:
            errors.append(FieldError(field=field, message=f"{label} est déjà lauréat de cette édition."))
        errors.extend(FieldError(field=field, message=f"{label} : {m}") for m in s.failures(cid))
    return errors


async def _write_grant(
    db: Database,
    *,
    identity: Identity,
    s: GrantSetting,
    rnd: RoundInEdition,
    request: GrantsRequest,
    grant_eur: int,
    candidate_id: int,
    decided_on: dt.date,
    departure: str,
) -> None:
    decision_id = await db.fetchval(
        "delib_insert_decision",
        edition_id=s.edition.id,
        round_id=rnd.id,
        candidate_id=candidate_id,
        kind="laureate",
        reason=request.reason,
        based_on=request.based_on.strip(),
        departure=departure,
        decided_by=identity.person_id,
    )
    award_id = await db.fetchval(
        "delib_insert_award",
        prize_id=s.prize["id"],
        candidate_id=candidate_id,
        decision_id=decision_id,
        granted_eur=grant_eur,
        decided_on=decided_on,
    )
    await db.execute(
        "set_entry_status",
        candidate_id=candidate_id,
        round_id=rnd.id,
        status="laureate",
        reason=s.prize["name"],
    )
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="deliberation.grant_awarded",
        target=f"candidate:{candidate_id}",
        payload={
            "prize": s.prize["code"],
            "award": award_id,
            "decision": decision_id,
            "round": rnd.id,
            "granted_eur": grant_eur,
            "decided_on": decided_on.isoformat(),
            "based_on": request.based_on.strip(),
            "reason": request.reason,
            "departure": departure,
        },
    )


class GrantsPage(msgspec.Struct, frozen=True, kw_only=True):
    """What `organiser/grants.html` shows: the laureate grants already given and, when the edition's
    budget allows one, a proposal; `problem` says why there is none."""

    edition: EditionDetail
    awards: list[AwardRow]
    proposal: Proposal | None
    problem: JuryError | None = None


async def grants_page(
    db: Database, *, identity: Identity, slug: str, order: Sequence[int] | None, min_partial: int | None
) -> GrantsPage:
    """The page still opens when no proposal can be made (no budget yet, a bad order): it says why."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    given = [a for a in await awards_of_edition(db, edition_id=edition.id) if a.prize_kind == "laureate"]
    try:
        drafted = await proposal(db, identity=identity, slug=slug, order=order, min_partial=min_partial)
    except JuryError as exc:
        return GrantsPage(edition=edition, awards=given, proposal=None, problem=exc)
    return GrantsPage(edition=edition, awards=given, proposal=drafted)
