"""Prizes of a final: category prizes and the Prix spécial (Made in 92), the podium (Gâteau), a label or a
cohort held by several laureates (Label « Artisan du tourisme », Boost Entrepreneurs au Féminin).

An award sheet is checked whole, together with the prizes already given in the edition, by the pure
`prizes` rules; one error is enough to write nothing, and the answer lists every error at once, naming the
line that goes over what a prize allows (ex aequo not allowed, more holders than its maximum). The
laureates of a call for projects are not awarded here: their prize comes with a grant (`grants`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jury.access.identity import Identity
from jury.access.policy import actor_label
from jury.audit.service import append_event
from jury.contests.service import organised_edition
from jury.db.queries import Database
from jury.deliberation.awards.models import AwardLine, AwardRow, AwardsRequest
from jury.deliberation.awards.prizes import (
    Award,
    PodiumPlace,
    Problem,
    award_problems,
    podium_problems,
    prize_of,
)
from jury.deliberation.departures import ballot_departure, prize_departure
from jury.deliberation.rankings import round_rankings
from jury.deliberation.service import (
    candidate_label,
    load_round,
    require_deliberation,
    today,
    unique_labels,
)
from jury.errors import FieldError, Invalid

SHEET_KINDS = ("category", "special", "territorial", "label", "cohort")


async def list_awards(db: Database, *, identity: Identity, slug: str) -> list[AwardRow]:
    edition = await organised_edition(db, identity=identity, slug=slug)
    return await awards_of_edition(db, edition_id=edition.id)


async def awards_of_edition(db: Database, *, edition_id: int) -> list[AwardRow]:
    return [
        AwardRow(
            id=r["id"],
            prize_code=r["prize_code"],
            prize=r["prize"],
            prize_kind=r["prize_kind"],
            place=r["place"],
            candidate_id=r["candidate_id"],
            candidate=candidate_label({**dict(r), "id": r["candidate_id"]}, blind=False),
            granted_eur=r["granted_eur"],
            decided_on=r["decided_on"],
            decision_id=r["decision_id"],
        )
        for r in await db.fetch("delib_awards", edition_id=edition_id)
    ]


async def record_awards(
    db: Database, *, identity: Identity, slug: str, request: AwardsRequest
) -> list[AwardRow]:
    edition = await organised_edition(db, identity=identity, slug=slug)
    await db.execute("delib_lock_edition", edition_id=edition.id)
    prizes = {p["code"]: p for p in await db.fetch("delib_prizes", edition_id=edition.id)}
    candidates = {c["id"]: c for c in await db.fetch("delib_edition_candidates", edition_id=edition.id)}
    labels = unique_labels(candidates.values(), blind=False)
    existing = await db.fetch("delib_awards", edition_id=edition.id)

    errors = _line_errors(
        request.awards, prizes=prizes, candidates=candidates, labels=labels, existing=existing
    )
    if request.round_id is not None:
        errors.extend(
            await check_round_entries(
                db,
                round_id=request.round_id,
                edition_id=edition.id,
                candidate_ids=[a.candidate_id for a in request.awards if a.candidate_id in candidates],
                labels=labels,
            )
        )
    if not errors:
        errors = _sheet_errors(
            request,
            prizes=prizes,
            candidates=candidates,
            labels=labels,
            existing=existing,
            allow_multiple=edition.allow_multiple_prizes,
        )
    departures: dict[int, str] = {}
    if request.ballot_id is not None and request.round_id is None:
        errors.append(
            FieldError(field="ballot_id", message="Un scrutin de référence suppose le tour (`round_id`).")
        )
    if not errors and request.round_id is not None:
        departures = await _departures(
            db,
            identity=identity,
            request=request,
            prizes=prizes,
            candidates=candidates,
            existing=existing,
            exclusive=not edition.allow_multiple_prizes,
        )
        if departures and not request.reason.strip():
            errors = [
                FieldError(
                    field="reason",
                    message=f"{labels[request.awards[i].candidate_id]} : {text} "
                    "Une décision contraire au classement ou au scrutin exige un motif écrit.",
                )
                for i, text in sorted(departures.items())
            ]
    if errors:
        raise Invalid("Attribution des prix refusée : rien n'a été enregistré.", errors=errors)

    decided_on = request.decided_on or today(db)
    for index, line in enumerate(request.awards):
        prize = prizes[line.prize]
        decision_id = await db.fetchval(
            "delib_insert_decision",
            edition_id=edition.id,
            round_id=request.round_id,
            candidate_id=line.candidate_id,
            kind="award",
            reason=request.reason,
            based_on=request.based_on.strip(),
            departure=departures.get(index, ""),
            decided_by=identity.person_id,
        )
        award_id = await db.fetchval(
            "delib_insert_award",
            prize_id=prize["id"],
            candidate_id=line.candidate_id,
            decision_id=decision_id,
            granted_eur=None,
            decided_on=decided_on,
        )
        if request.round_id is not None:
            await db.execute(
                "set_entry_status",
                candidate_id=line.candidate_id,
                round_id=request.round_id,
                status="laureate",
                reason=prize["name"],
            )
        await append_event(
            db,
            actor_id=identity.person_id,
            actor_label=actor_label(identity),
            action="deliberation.award_granted",
            target=f"candidate:{line.candidate_id}",
            payload={
                "prize": prize["code"],
                "award": award_id,
                "decision": decision_id,
                "decided_on": decided_on.isoformat(),
                "reason": request.reason,
                "based_on": request.based_on.strip(),
                "departure": departures.get(index, ""),
            },
        )
    return await awards_of_edition(db, edition_id=edition.id)


RANKED_PRIZES = ("category", "podium")
BALLOTED_PRIZES = ("category", "special", "territorial")
"""Prizes of one place a ballot of the jury may designate (a podium follows the tasting's standing)."""
"""Prizes of one place the standing decides: the category's first, the podium's places. A special or a
territorial prize, a label or a cohort are the jury's judgement beyond the ranking."""


async def _closed_ballot(db: Database, *, request: AwardsRequest) -> dict[str, Any] | None:
    """The closed ballot of the round the sheet cites, with its winners (after a casting vote, its first
    place); a ballot of another round, or still open, is refused (422 on `ballot_id`)."""
    if request.ballot_id is None:
        return None
    row = await db.fetchrow("delib_ballot_result", ballot_id=request.ballot_id)
    if row is None or row["round_id"] != request.round_id or row["status"] != "closed":
        raise Invalid(
            "Attribution des prix refusée : rien n'a été enregistré.",
            errors=[
                FieldError(field="ballot_id", message="Scrutin inconnu, d'un autre tour, ou pas encore clos.")
            ],
        )
    result = row["result"] or {}
    order = result.get("order") or []
    winners = order[0] if order and result.get("casting_vote") else result.get("winners", [])
    return {"title": row["title"], "winners": set(winners)}


async def _departures(
    db: Database,
    *,
    identity: Identity,
    request: AwardsRequest,
    prizes: Mapping[str, Any],
    candidates: Mapping[int, Any],
    existing: Sequence[Any],
    exclusive: bool,
) -> dict[int, str]:
    """By line of the request, how each prize goes against the round's standing (nothing when it does not,
    or when the round has no standing yet)."""
    assert request.round_id is not None
    rankings = await round_rankings(db, identity=identity, round_id=request.round_id)
    held = {a["candidate_id"] for a in existing}
    ballot = await _closed_ballot(db, request=request)
    out: dict[int, str] = {}
    for index, line in enumerate(request.awards):
        prize = prizes[line.prize]
        if ballot is not None and prize["kind"] in BALLOTED_PRIZES:
            text = ballot_departure(
                candidate_id=line.candidate_id,
                title=ballot["title"],
                winners=ballot["winners"],
                names=unique_labels(candidates.values(), blind=False),
            )
            if text:
                out[index] = text
            continue
        if prize["kind"] not in RANKED_PRIZES:
            continue
        category = prize["category_id"] or candidates[line.candidate_id]["category_id"]
        ranking = rankings.get(category)
        if not ranking:
            continue
        unavailable = (held | {other.candidate_id for other in request.awards}) - {line.candidate_id}
        text = prize_departure(
            candidate_id=line.candidate_id,
            place=prize["place"] or 1,
            ranking=ranking,
            unavailable=unavailable if exclusive and prize["kind"] != "podium" else (),
        )
        if text:
            out[index] = text
    return out


def _line_errors(
    lines: Sequence[AwardLine],
    *,
    prizes: Mapping[str, Any],
    candidates: Mapping[int, Any],
    labels: Mapping[int, str],
    existing: Sequence[Any],
) -> list[FieldError]:
    """What no sheet rule covers: unknown prizes or candidates, category mismatches, repeats."""
    given = {(a["prize_code"], a["candidate_id"]) for a in existing}
    errors = []
    for index, line in enumerate(lines):
        field = f"awards[{index}]"
        prize = prizes.get(line.prize)
        if prize is None:
            errors.append(FieldError(field=f"{field}.prize", message=f"Prix inconnu : « {line.prize} »."))
        elif prize["kind"] == "laureate":
            errors.append(
                FieldError(
                    field=f"{field}.prize",
                    message=f"« {prize['name']} » s'attribue avec la répartition des subventions.",
                )
            )
        candidate = candidates.get(line.candidate_id)
        if candidate is None:
            errors.append(
                FieldError(
                    field=f"{field}.candidate_id",
                    message=f"Candidat n° {line.candidate_id} inconnu dans cette édition.",
                )
            )
            continue
        if prize is None:
            continue
        label = labels[line.candidate_id]
        if prize["category_id"] is not None and candidate["category_id"] != prize["category_id"]:
            errors.append(
                FieldError(
                    field=field, message=f"{label} ne concourt pas dans la catégorie du « {prize['name']} »."
                )
            )
        if (line.prize, line.candidate_id) in given:
            errors.append(
                FieldError(field=field, message=f"{label} a déjà reçu ce prix : « {prize['name']} ».")
            )
    return errors


def _sheet_errors(
    request: AwardsRequest,
    *,
    prizes: Mapping[str, Any],
    candidates: Mapping[int, Any],
    labels: Mapping[int, str],
    existing: Sequence[Any],
    allow_multiple: bool,
) -> list[FieldError]:
    """The edition's whole sheet (already given + this request) through `award_problems`/`podium_problems`;
    a problem about one line of the request is named by it (``awards[2]``)."""
    sheet = [(a["prize_code"], a["candidate_id"]) for a in existing]
    sheet += [(line.prize, line.candidate_id) for line in request.awards]
    given = len(existing)

    def field(problem: Problem, lines: Sequence[int]) -> FieldError:
        at = lines[problem.line] - given if problem.line is not None else -1
        return FieldError(field=f"awards[{at}]" if at >= 0 else "awards", message=problem.message)

    regular = [p for p in prizes.values() if p["kind"] in SHEET_KINDS]
    on_sheet = [i for i, (code, _) in enumerate(sheet) if prizes[code]["kind"] in SHEET_KINDS]
    errors = [
        field(problem, on_sheet)
        for problem in award_problems(
            awards=[Award(prize=sheet[i][0], candidate=labels[sheet[i][1]]) for i in on_sheet],
            prizes=[
                prize_of(
                    code=p["code"],
                    label=p["name"],
                    kind=p["kind"],
                    max_winners=p["max_winners"],
                    ex_aequo_allowed=p["ex_aequo_allowed"],
                )
                for p in regular
            ],
            allow_multiple=allow_multiple,
        )
    ]
    podium_prizes = [p for p in prizes.values() if p["kind"] == "podium"]
    if any(prizes[line.prize]["kind"] == "podium" for line in request.awards):

        def entry(cid: int) -> str:
            number = candidates[cid]["entry_number"]
            return str(number) if number is not None else labels[cid]

        on_podium = [i for i, (code, _) in enumerate(sheet) if prizes[code]["kind"] == "podium"]
        errors += [
            field(problem, on_podium)
            for problem in podium_problems(
                podium=[
                    PodiumPlace(place=prizes[sheet[i][0]]["place"], entry=entry(sheet[i][1]))
                    for i in on_podium
                ],
                entries={entry(cid) for cid in candidates},
                places=max(p["place"] for p in podium_prizes),
                require_complete=not request.allow_vacant,
                ex_aequo_places={p["place"] for p in podium_prizes if p["ex_aequo_allowed"]},
            )
        ]
    return errors


async def check_round_entries(
    db: Database, *, round_id: int, edition_id: int, candidate_ids: Sequence[int], labels: Mapping[int, str]
) -> list[FieldError]:
    """Laureates are marked on the round that decided them, which must still be deliberating."""
    rnd = await load_round(db, round_id=round_id)
    if rnd.edition_id != edition_id:
        return [FieldError(field="round_id", message="Ce tour n'appartient pas à cette édition.")]
    require_deliberation(rnd, what="Les décisions de ce tour")
    entered = {
        r["candidate_id"]
        for r in await db.fetch(
            "delib_entries_in_round", round_id=round_id, candidate_ids=list(candidate_ids)
        )
    }
    return [
        FieldError(field="round_id", message=f"{labels[cid]} n'a pas concouru dans ce tour.")
        for cid in candidate_ids
        if cid not in entered
    ]
