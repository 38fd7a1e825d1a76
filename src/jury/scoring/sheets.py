"""Jurors' score sheets: what a juror may see and write, and a write path that survives flaky Wi-Fi.

Who sees what. A juror is signed in for one edition; they see the rounds of that edition that are open
(writable) or past it (read-only), and in them only the candidates assigned to them that they did not
declare a conflict with. Every query is filtered by their person id, so another juror's sheet cannot be
read through these functions at all. In a blind round names are not even selected.

Writes. A tablet may send the same write several times (it never got the answer) and two tablets of the
same juror may write the same sheet. Three mechanisms keep every acknowledged sheet and never a duplicate:

* the idempotency key, claimed first in the write (an advisory lock on the key; its row in
  `sheet_submissions` is written with the answer): a second request with the same key waits for the
  first to finish and then answers with the bytes the first one stored, even if the sheet changed since
  (the tablet must learn that *its* write landed, not what the sheet is now);
* the version: a write says which version it edited and only replaces that one (`update … where version
  = :expected`); a stale write gets 409 with the sheet as stored now, never a silent overwrite;
* share locks on the round and on the assignment: closing the round or declaring a conflict waits for a
  write in flight, and a write that comes after sees the new state.

A refused write (validation, version, permission) raises, which rolls the whole write back — the claim
of the key included — so only accepted answers are stored and replayed. The write is one statement,
`jury_save_sheet` (migrations 0032 and 0035), its own transaction on the tablets' JSON route (issue 18).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

import asyncpg
import msgspec

from jury.access.identity import Identity
from jury.access.policy import RoundInEdition, actor_label, round_in_edition
from jury.audit.service import event_columns, event_recorded
from jury.db.queries import Database
from jury.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from jury.scoring.models import (
    MAX_COMMENT,
    AssignedCandidate,
    CandidateRef,
    CriterionView,
    MyAssignments,
    PanelGroup,
    RoundGroup,
    RoundRef,
    Sheet,
    SheetPage,
    SheetSubmission,
)
from jury.scoring.totals import weighted_total

__all__ = [
    "NOT_OPEN",
    "DeclarationsMissing",
    "SaveOutcome",
    "VersionConflict",
    "my_assignments",
    "save_sheet",
    "sheet_page",
    "validate_submission",
]

VISIBLE_TO_JURORS = ("open", "deliberation", "closed")
MAX_CHOICES = 21
NOT_OPEN = "Le tour n'est plus ouvert à la notation."
UNKNOWN_ROUND = "Tour inconnu ou pas encore ouvert à la notation."
STALE = "Une version plus récente de cette feuille existe : rien n'a été enregistré."


class VersionConflict(Conflict):
    """A write over a version that is no longer the stored one; carries the stored sheet for the answer."""

    def __init__(self, current: Sheet | None) -> None:
        super().__init__(STALE)
        self.current = current


class DeclarationsMissing(Conflict):
    """Sheets of a round stay closed until the juror has declared on conflicts for all its candidates."""

    def __init__(self, round_id: int) -> None:
        super().__init__(
            "Déclarez d'abord vos éventuels conflits d'intérêts pour les candidats de ce tour "
            "(« aucun conflit » ou « conflit »)."
        )
        self.round_id = round_id


class SaveOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """The answer to a write, exactly as stored for the key: replays return these very bytes."""

    status_code: int
    body: bytes
    replayed: bool

    def sheet(self) -> Sheet:
        return msgspec.json.decode(self.body, type=Sheet)


@dataclass(frozen=True, slots=True)
class Grid:
    """A criterion with exact decimal bounds for validation, and its view for pages and totals."""

    view: CriterionView
    low: Decimal
    high: Decimal
    step: Decimal


# --- Reading ---------------------------------------------------------------------------------------------


def round_ref(rnd: RoundInEdition) -> RoundRef:
    return RoundRef(
        id=rnd.id,
        name=rnd.name,
        kind=rnd.kind,
        status=rnd.status,
        blind=rnd.blind,
        writable=rnd.status == "open",
    )


def _pair_round_ref(pair: Mapping[str, Any]) -> RoundRef:
    """The round's columns of `scoring_round_pair`, read with the pair in the same statement."""
    return RoundRef(
        id=pair["id"],
        name=pair["name"],
        kind=pair["kind"],
        status=pair["status"],
        blind=pair["blind"],
        writable=pair["status"] == "open",
    )


def _candidate_ref(row: Mapping[str, Any], *, id_field: str = "id", name_field: str = "name") -> CandidateRef:
    return CandidateRef(
        id=row[id_field],
        entry_number=row["entry_number"],
        name=row[name_field],
        title=row["title"],
        category=row["category"],
    )


async def juror_round(
    db: Database, *, identity: Identity, round_id: int, lock: Literal["share"] | None = None
) -> RoundInEdition:
    """The round if this juror's tablet may see it: same edition, and open or past it (drafts are the
    organisers' business). Anything else is 'unknown' (404, not the policy's 403) so that ids of other
    editions say nothing. With `lock`, the status read holds until commit (a write that depends on it)."""
    if identity.kind != "juror" or identity.edition_id is None:
        raise Forbidden("Réservé aux jurés.")
    try:
        rnd = await round_in_edition(db, round_id=round_id, lock=lock)
    except NotFound:
        raise NotFound(UNKNOWN_ROUND) from None
    _check_round(identity, edition_id=rnd.edition_id, status=rnd.status)
    return rnd


def _check_round(identity: Identity, *, edition_id: int, status: str) -> None:
    if edition_id != identity.edition_id or status not in VISIBLE_TO_JURORS:
        raise NotFound(UNKNOWN_ROUND)


async def _round_and_pair(db: Database, *, identity: Identity, round_id: int, candidate_id: int) -> Any:
    """`juror_round`'s checks and the pair, in one query: the round's columns and the candidate's."""
    if identity.kind != "juror" or identity.edition_id is None:
        raise Forbidden("Réservé aux jurés.")
    row = await db.fetchrow(
        "scoring_round_pair", round_id=round_id, candidate_id=candidate_id, person_id=identity.person_id
    )
    if row is None:
        raise NotFound(UNKNOWN_ROUND)
    _check_round(identity, edition_id=row["edition_id"], status=row["status"])
    if row["candidate_id"] is None:
        raise NotFound("Candidat inconnu dans ce tour.")
    return row


def _ensure_may_score(pair: Mapping[str, Any]) -> None:
    if pair["conflicted"]:
        raise Forbidden("Vous avez déclaré un conflit d'intérêts avec ce candidat : vous ne le notez pas.")
    if pair["panel_id"] is None:
        raise Forbidden("Ce candidat ne vous est pas affecté.")


def _choices(*, low: Decimal, high: Decimal, step: Decimal) -> list[float] | None:
    count = int((high - low) / step) + 1
    if count > MAX_CHOICES:
        return None
    return [float(low + i * step) for i in range(count)]


def _grids(pair: Mapping[str, Any]) -> list[Grid]:
    """The grid read with the pair (`scoring_round_pair`); empty for a candidate without a category."""
    grids = []
    for row in pair["criteria"] or ():
        low, high, step = Decimal(row["scale_min"]), Decimal(row["scale_max"]), Decimal(row["scale_step"])
        view = CriterionView(
            id=row["id"],
            code=row["code"],
            label=row["label"],
            help=row["help"],
            min=float(low),
            max=float(high),
            step=float(step),
            weight=float(row["weight"]),
            comment_required=row["comment_required"],
            eliminatory=row["eliminatory"],
            choices=_choices(low=low, high=high, step=step),
        )
        grids.append(Grid(view=view, low=low, high=high, step=step))
    return grids


def _total(grids: Sequence[Grid], values: Mapping[int, float | None]) -> tuple[float | None, bool]:
    known = {g.view.id for g in grids}
    try:
        result = weighted_total(
            criteria=[g.view for g in grids], values={k: v for k, v in values.items() if k in known}
        )
    except ValueError:  # a grid edited under a stored sheet: show no total rather than a wrong one
        return None, False
    total = None if result.total is None else round(result.total, 2)
    return total, result.eliminated


async def _load_sheet(
    db: Database, *, person_id: int, round_id: int, candidate_id: int, grids: Sequence[Grid]
) -> Sheet | None:
    row = await db.fetchrow(
        "scoring_sheet", round_id=round_id, person_id=person_id, candidate_id=candidate_id
    )
    return None if row is None else _sheet(row, scores=row["scores"], grids=grids)


def _sheet(row: Mapping[str, Any], *, scores: Sequence[Mapping[str, Any]], grids: Sequence[Grid]) -> Sheet:
    """A sheet from its row and its marks' rows, as read or as just written (`RETURNING`)."""
    values = {s["criterion_id"]: None if s["value"] is None else float(s["value"]) for s in scores}
    comments = {s["criterion_id"]: s["comment"] for s in scores if s["comment"]}
    total, eliminated = _total(grids, values)
    return Sheet(
        id=row["id"],
        round_id=row["round_id"],
        candidate_id=row["candidate_id"],
        status=row["status"],
        version=row["version"],
        values=values,
        comments=comments,
        comment=row["comment"],
        abstained=row["abstained"],
        abstention_reason=row["abstention_reason"],
        total=total,
        eliminated=eliminated,
        updated_at=row["updated_at"],
        submitted_at=row["submitted_at"],
    )


async def my_assignments(db: Database, *, identity: Identity) -> MyAssignments:
    """The juror's home: rounds → panels → candidates, with their own sheets' states only."""
    if identity.kind != "juror" or identity.edition_id is None:
        raise Forbidden("Réservé aux jurés.")
    rows = await db.fetch(
        "scoring_juror_assignments", person_id=identity.person_id, edition_id=identity.edition_id
    )
    rounds: dict[int, dict[str, Any]] = {}
    seen: set[tuple[int, int]] = set()
    for row in rows:
        pair = (row["round_id"], row["candidate_id"])
        if pair in seen:  # a juror sitting on two panels of a round: one line per candidate
            continue
        seen.add(pair)
        group = rounds.setdefault(
            row["round_id"],
            {
                "round": RoundRef(
                    id=row["round_id"],
                    name=row["round_name"],
                    kind=row["round_kind"],
                    status=row["round_status"],
                    blind=row["blind"],
                    writable=row["round_status"] == "open",
                ),
                "panels": {},
                "pending": 0,
                "evaluated": 0,
            },
        )
        panel = group["panels"].setdefault(row["panel_id"], {"name": row["panel_name"], "candidates": []})
        panel["candidates"].append(
            AssignedCandidate(
                candidate=_candidate_ref(row, id_field="candidate_id"),
                state=row["sheet_status"] or "todo",
                version=row["version"] or 0,
                updated_at=row["updated_at"],
            )
        )
        group["pending"] += 0 if row["declared"] else 1
        group["evaluated"] += row["sheet_status"] == "submitted"
    return MyAssignments(
        edition_id=identity.edition_id,
        rounds=[
            RoundGroup(
                round=group["round"],
                declarations_pending=group["pending"] if group["round"].writable else 0,
                evaluated=group["evaluated"],
                expected=sum(len(p["candidates"]) for p in group["panels"].values()),
                panels=[
                    PanelGroup(id=panel_id, name=p["name"], candidates=p["candidates"])
                    for panel_id, p in group["panels"].items()
                ],
            )
            for group in rounds.values()
        ],
    )


def _ensure_declared(pair: Mapping[str, Any], *, round_id: int) -> None:
    if pair["pending_declarations"]:
        raise DeclarationsMissing(round_id)


async def sheet_page(db: Database, *, identity: Identity, round_id: int, candidate_id: int) -> SheetPage:
    """The grid and the juror's own sheet. In an open round, only once conflicts are declared."""
    pair = await _round_and_pair(db, identity=identity, round_id=round_id, candidate_id=candidate_id)
    _ensure_may_score(pair)
    if pair["status"] == "open":
        _ensure_declared(pair, round_id=round_id)
    grids, _ = _remember_grid((round_id, candidate_id), pair)
    sheet = await _load_sheet(
        db, person_id=identity.person_id, round_id=round_id, candidate_id=candidate_id, grids=grids
    )
    return SheetPage(
        round=_pair_round_ref(pair),
        candidate=_candidate_ref(pair, id_field="candidate_id", name_field="candidate_name"),
        panel_id=pair["panel_id"],
        criteria=[g.view for g in grids],
        sheet=sheet,
        version=sheet.version if sheet else 0,
    )


# --- Validation ------------------------------------------------------------------------------------------


def number_fr(value: Decimal | float) -> str:
    """7.50 → '7,5', 10.00 → '10': how a French juror writes a mark."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text.replace(".", ",")


def validate_submission(submission: SheetSubmission, grids: Sequence[Grid]) -> list[FieldError]:
    """Every problem at once, each naming its field, so the juror fixes the sheet in one go.

    Marks are always checked against the scale and its step (a stored mark must be valid even in a
    draft); completeness — every criterion marked, required comments — only when the sheet is submitted,
    so a juror can save half a sheet when the pitch is interrupted. An abstention needs a reason always.
    """
    errors: list[FieldError] = []
    by_id = {g.view.id: g for g in grids}
    for criterion_id in submission.values:
        if criterion_id not in by_id:
            errors.append(
                FieldError(field=f"values.{criterion_id}", message="Critère inconnu pour ce candidat.")
            )
    for criterion_id in submission.comments:
        if criterion_id not in by_id:
            errors.append(
                FieldError(field=f"comments.{criterion_id}", message="Critère inconnu pour ce candidat.")
            )
    submitting = submission.status == "submitted" and not submission.abstained
    for grid in grids:
        view = grid.view
        raw = submission.values.get(view.id)
        field = f"values.{view.id}"
        if raw is None:
            if submitting:
                errors.append(FieldError(field=field, message=f"{view.label} : note manquante"))
        else:
            errors.extend(_check_mark(grid, raw, field=field))
        comment = submission.comments.get(view.id, "")
        if len(comment) > MAX_COMMENT:
            errors.append(
                FieldError(
                    field=f"comments.{view.id}",
                    message=f"{view.label} : commentaire trop long ({MAX_COMMENT} caractères au plus)",
                )
            )
        elif submitting and view.comment_required and not comment.strip():
            errors.append(
                FieldError(
                    field=f"comments.{view.id}", message=f"Commentaire obligatoire pour « {view.label} »"
                )
            )
    if len(submission.comment) > MAX_COMMENT:
        errors.append(
            FieldError(field="comment", message=f"Commentaire trop long ({MAX_COMMENT} caractères au plus)")
        )
    if submission.abstained and not submission.abstention_reason.strip():
        errors.append(FieldError(field="abstention_reason", message="Motif d'abstention obligatoire"))
    if len(submission.abstention_reason) > MAX_COMMENT:
        errors.append(
            FieldError(
                field="abstention_reason", message=f"Motif trop long ({MAX_COMMENT} caractères au plus)"
            )
        )
    return errors


def _check_mark(grid: Grid, raw: float, *, field: str) -> list[FieldError]:
    label = grid.view.label

    def bounds() -> str:  # only for a refusal: most marks are valid, and this formats two decimals
        return f"entre {number_fr(grid.low)} et {number_fr(grid.high)}"

    if not math.isfinite(raw):
        return [FieldError(field=field, message=f"{label} : la note doit être comprise {bounds()}")]
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        return [FieldError(field=field, message=f"{label} : la note doit être comprise {bounds()}")]
    if not grid.low <= value <= grid.high:
        return [FieldError(field=field, message=f"{label} : la note doit être comprise {bounds()}")]
    if (value - grid.low) % grid.step != 0:
        step = number_fr(grid.step)
        return [
            FieldError(field=field, message=f"{label} : la note doit aller de {step} en {step} ({bounds()})")
        ]
    return []


# --- Writing ---------------------------------------------------------------------------------------------


REFUSED = "JY000"
"""The SQLSTATE `jury_save_sheet` raises a refusal with, its kind as the message (migration 0032)."""

GRIDS_KEPT = 4096
_grids_seen: OrderedDict[tuple[int, int], tuple[list[Grid], str]] = OrderedDict()
"""Per process, the grid (and its digest) last read for a (round, candidate): a write validates against
it without reading it again; `jury_save_sheet` refuses the write when the digest is no longer the
grid's (kind `grid`), and the grid is then read again. Keyed by ids only: a wrong entry costs a retry,
never a mark validated against another grid."""


class _GridChanged(Exception):
    """The grid a write was validated against is no longer the candidate's."""


def _remember_grid(key: tuple[int, int], pair: Mapping[str, Any]) -> tuple[list[Grid], str]:
    grids = _grids(pair)
    if grids:
        _grids_seen[key] = (grids, pair["grid_digest"])
        _grids_seen.move_to_end(key)
        while len(_grids_seen) > GRIDS_KEPT:
            _grids_seen.popitem(last=False)
    return grids, pair["grid_digest"]


async def _grid_for(
    db: Database, *, identity: Identity, round_id: int, candidate_id: int
) -> tuple[list[Grid], str]:
    key = (round_id, candidate_id)
    if key in _grids_seen:
        return _grids_seen[key]
    pair = await db.fetchrow(
        "scoring_round_pair", round_id=round_id, candidate_id=candidate_id, person_id=identity.person_id
    )
    if pair is None or pair["candidate_id"] is None:
        return [], ""  # the write's own checks answer 404
    return _remember_grid(key, pair)


async def save_sheet(
    db: Database, *, identity: Identity, round_id: int, candidate_id: int, submission: SheetSubmission
) -> SaveOutcome:
    """Stores one write of the juror's sheet, or answers a replay of an earlier one with its stored answer.

    201 when the write created the sheet, 200 when it replaced a version. Raises `VersionConflict` (409,
    with the stored sheet), `Invalid` (422, every field error), `Conflict` (409: round not open, conflicts
    not declared), `Forbidden` (403: not assigned, conflict declared) or `NotFound`.

    One statement (`scoring_save_sheet`): the checks, locks and key claim, the sheet with its marks, the
    stored answer and the audit event. The marks are validated before it, against the grid this process
    last read for the pair, which the statement checks is still the candidate's; the answer is built
    before it from what it writes, but for the sheet's id, which the statement writes in.
    """
    if identity.kind != "juror" or identity.edition_id is None:
        raise Forbidden("Réservé aux jurés.")
    for attempt in range(2):
        grids, digest = await _grid_for(db, identity=identity, round_id=round_id, candidate_id=candidate_id)
        try:
            return await _write(
                db,
                identity=identity,
                round_id=round_id,
                candidate_id=candidate_id,
                submission=submission,
                grids=grids,
                digest=digest,
            )
        except _GridChanged:
            _grids_seen.pop((round_id, candidate_id), None)
            if attempt:
                raise Conflict("La grille d'évaluation vient de changer : réessayez.") from None
    raise AssertionError("unreachable")


async def _write(
    db: Database,
    *,
    identity: Identity,
    round_id: int,
    candidate_id: int,
    submission: SheetSubmission,
    grids: list[Grid],
    digest: str,
) -> SaveOutcome:
    key = submission.idempotency_key
    errors = validate_submission(submission, grids)
    now = db.now()
    marks = {"criterion_ids": [], "marks": [], "comments": []} if errors else _marks(submission, grids)
    sheet = _sheet(
        {
            "id": 0,  # written in by the statement, which draws it
            "round_id": round_id,
            "candidate_id": candidate_id,
            "status": submission.status,
            "version": submission.version + 1,
            "comment": submission.comment.strip(),
            "abstained": submission.abstained,
            "abstention_reason": submission.abstention_reason.strip(),
            "updated_at": now,
            "submitted_at": now if submission.status == "submitted" else None,
        },
        scores=[
            {"criterion_id": i, "value": v, "comment": c}
            for i, v, c in zip(marks["criterion_ids"], marks["marks"], marks["comments"], strict=True)
        ],
        grids=grids,
    )
    body = msgspec.json.encode(sheet)
    head = b'{"id":0'
    assert body.startswith(head + b",")  # `id` is the struct's first field
    event = event_columns(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="sheet.submitted" if sheet.status == "submitted" else "sheet.saved",
        # Marks and version only: comments are free text and may name people.
        payload={
            "round_id": round_id,
            "version": sheet.version,
            "status": sheet.status,
            "abstained": sheet.abstained,
            "values": {str(k): v for k, v in sorted(sheet.values.items())},
        },
    )
    where = {"person_id": identity.person_id, "round_id": round_id, "candidate_id": candidate_id}
    params = {
        **where,
        "edition_id": identity.edition_id,
        "key": key,
        "now": now,
        "version": submission.version,
        "grid_digest": digest,
        "valid": not errors,
        "status": sheet.status,
        "abstained": sheet.abstained,
        "abstention_reason": sheet.abstention_reason,
        "comment": sheet.comment,
        "answer_tail": body[len(head) :],
        **marks,
        **event,
    }
    try:
        if db.conn.is_in_transaction():
            async with db.transaction():  # a savepoint: a refusal undoes this write only
                row = await db.fetchrow("scoring_save_sheet", **params)
        else:
            row = await db.fetchrow("scoring_save_sheet", **params)
    except asyncpg.PostgresError as exc:
        if exc.sqlstate != REFUSED:
            raise
        await _refusal(db, getattr(exc, "message", ""), where=where, grids=grids, errors=errors)
        raise  # `_refusal` always raises
    assert row is not None
    if row["replayed"]:
        return _replayed(row, identity=identity, round_id=round_id, candidate_id=candidate_id)
    await event_recorded(db)
    return SaveOutcome(
        status_code=row["status_code"], body=b'{"id":%d' % row["sheet_id"] + body[len(head) :], replayed=False
    )


async def _refusal(
    db: Database, kind: str, *, where: dict[str, int], grids: list[Grid], errors: list[FieldError]
) -> None:
    """The refusal `jury_save_sheet` named, as the service's own exception."""
    if kind == "round":
        raise NotFound(UNKNOWN_ROUND)
    if kind == "candidate":
        raise NotFound("Candidat inconnu dans ce tour.")
    if kind == "conflicted":
        raise Forbidden("Vous avez déclaré un conflit d'intérêts avec ce candidat : vous ne le notez pas.")
    if kind == "not_assigned":
        raise Forbidden("Ce candidat ne vous est pas affecté.")
    if kind == "not_open":
        raise Conflict(NOT_OPEN)
    if kind == "declarations":
        raise DeclarationsMissing(where["round_id"])
    if kind == "no_grid":
        raise Conflict("Aucune grille d'évaluation n'est définie pour la catégorie de ce candidat.")
    if kind == "grid":
        raise _GridChanged
    if kind == "version":
        raise VersionConflict(await _load_sheet(db, **where, grids=grids))
    if kind == "invalid":
        raise Invalid("La feuille n'est pas enregistrée : corrigez les champs signalés.", errors=errors)
    raise AssertionError(f"unknown refusal {kind!r}")


def _replayed(row: Mapping[str, Any], *, identity: Identity, round_id: int, candidate_id: int) -> SaveOutcome:
    """The stored answer of the earlier request that used this key."""
    if (row["owner_person_id"], row["owner_round_id"], row["owner_candidate_id"]) != (
        identity.person_id,
        round_id,
        candidate_id,
    ):
        # Someone else's key (or another sheet's): refuse without saying whose.
        raise Invalid(
            "Clé d'idempotence déjà utilisée pour une autre feuille.",
            errors=[
                FieldError(field="idempotency_key", message="Générez une nouvelle clé pour cette feuille.")
            ],
        )
    if row["status_code"] is None:  # cannot happen once the claiming write committed; be explicit
        raise Conflict("Cette écriture est encore en cours de traitement : réessayez.")
    return SaveOutcome(status_code=row["status_code"], body=bytes(row["response"]), replayed=True)


def _marks(submission: SheetSubmission, grids: Sequence[Grid]) -> dict[str, list[Any]]:
    """The sheet's marks as the write's parallel arrays (criterion order): criteria left without a mark
    or a comment are left out, so the write deletes what they had."""
    ids, marks, comments = [], [], []
    for grid in grids:
        value = submission.values.get(grid.view.id)
        comment = submission.comments.get(grid.view.id, "").strip()
        if value is None and not comment:
            continue
        ids.append(grid.view.id)
        marks.append(None if value is None else Decimal(str(value)))
        comments.append(comment)
    return {"criterion_ids": ids, "marks": marks, "comments": comments}
