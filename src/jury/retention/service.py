"""Purging an edition's personal data once its retention period has elapsed.

What goes and what stays is decided by what must remain true afterwards: results, decisions, awards
and diplomas are public and must stay verifiable, so scores, decisions, laureates' names and the audit
chain are kept; nobody needs to contact a candidate or to read a juror's comment after the period, so
contact data, non-laureates' names and every free-text comment are blanked. Rows are blanked, never
deleted, so every count, total and standing recomputed later gives the same figure. The audit chain
hashes digests, never the data itself, which is why it still verifies after a purge.
"""

from __future__ import annotations

import calendar
import datetime as dt

import msgspec

from jury.audit.service import append_event
from jury.db.queries import Database
from jury.errors import Conflict, NotFound

PLACEHOLDER = "[effacé à l'échéance de la durée de conservation]"
"""Stands in for texts the schema requires to be non-empty (notes, abstention and conflict reasons)."""

ACTOR = "système:purge"


class RetentionStatus(msgspec.Struct, frozen=True, kw_only=True):
    edition_id: int
    slug: str
    retention_months: int
    starts_on: dt.date | None
    ends_on: dt.date | None
    purged_at: dt.datetime | None


class PurgeReport(msgspec.Struct, frozen=True, kw_only=True):
    edition_id: int
    slug: str
    dry_run: bool
    forced: bool
    ends_on: dt.date | None
    contacts: int
    names: int
    laureates_kept: int
    sheet_comments: int
    score_comments: int
    notes: int
    conflict_reasons: int
    submissions: int
    minutes: int
    access_codes: int


class _DryRun(Exception):
    """Raised inside a savepoint to undo a dry run, so that its counts come from the real statements."""

    def __init__(self, report: PurgeReport) -> None:
        super().__init__("dry run")
        self.report = report


def add_months(day: dt.date, months: int) -> dt.date:
    """31 January + 1 month is 28 (or 29) February: a period never ends in the following month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_start(
    *,
    decision_on: dt.date | None,
    rounds: int,
    unclosed_rounds: int,
    last_round_move: dt.datetime | None,
    last_round_day: dt.date | None,
) -> dt.date | None:
    """When the edition ended: its decision date, else the closure of its last round.

    None while the edition is not over (no decision and a round still open, or no round at all): the
    period has not started, so nothing may be purged without forcing it.
    """
    if decision_on is not None:
        return decision_on
    if rounds == 0 or unclosed_rounds > 0:
        return None
    ends = [d for d in (last_round_move.date() if last_round_move else None, last_round_day) if d]
    return max(ends) if ends else None


async def retention_status(db: Database, *, edition_id: int) -> RetentionStatus:
    row = await db.fetchrow("retention_edition", edition_id=edition_id)
    if row is None:
        raise NotFound("Édition inconnue.")
    starts_on = retention_start(
        decision_on=row["decision_on"],
        rounds=row["rounds"],
        unclosed_rounds=row["unclosed_rounds"],
        last_round_move=row["last_round_move"],
        last_round_day=row["last_round_day"],
    )
    return RetentionStatus(
        edition_id=row["id"],
        slug=row["slug"],
        retention_months=row["retention_months"],
        starts_on=starts_on,
        ends_on=add_months(starts_on, row["retention_months"]) if starts_on else None,
        purged_at=row["purged_at"],
    )


async def edition_id_by_slug(db: Database, *, slug: str) -> int:
    edition_id = await db.fetchval("retention_edition_id_by_slug", slug=slug)
    if edition_id is None:
        raise NotFound(f"Édition inconnue : {slug}")
    return edition_id


async def purge_personal_data(
    db: Database,
    *,
    edition_id: int,
    now: dt.datetime,
    force: bool = False,
    dry_run: bool = False,
    actor_id: int | None = None,
    actor_label: str = ACTOR,
) -> PurgeReport:
    """Blank the edition's personal data and record it in the audit trail, in the caller's transaction.

    Refused before the retention period has elapsed unless forced (a candidate's request to be
    forgotten, a legal order): the refusal says until when data must be kept. A dry run performs the
    very same statements in a savepoint and rolls them back, so its figures cannot drift from a real run.
    """
    await db.fetchval("retention_lock_edition", edition_id=edition_id)
    status = await retention_status(db, edition_id=edition_id)
    if not force:
        if status.ends_on is None:
            raise Conflict(
                f"L'édition « {status.slug} » n'est pas terminée (ni date de décision, ni tous ses tours "
                "clos) : sa durée de conservation n'a pas commencé, purge refusée."
            )
        if now.date() < status.ends_on:
            raise Conflict(
                f"La durée de conservation de l'édition « {status.slug} » ({status.retention_months} mois) "
                f"court jusqu'au {status.ends_on:%d/%m/%Y} : purge refusée."
            )
    try:
        async with db.transaction():
            report = await _purge(db, status=status, now=now, force=force, dry_run=dry_run)
            if dry_run:
                raise _DryRun(report)
            await db.execute("retention_mark_purged", edition_id=edition_id, purged_at=now)
            await append_event(
                db,
                actor_id=actor_id,
                actor_label=actor_label,
                action="edition.personal_data_purged",
                target=f"edition:{status.slug}",
                payload={
                    **msgspec.to_builtins(report),
                    "retention_months": status.retention_months,
                    "purged_at": now.isoformat(),
                },
            )
    except _DryRun as undone:
        return undone.report
    return report


async def _purge(
    db: Database, *, status: RetentionStatus, now: dt.datetime, force: bool, dry_run: bool
) -> PurgeReport:
    edition = {"edition_id": status.edition_id}
    return PurgeReport(
        edition_id=status.edition_id,
        slug=status.slug,
        dry_run=dry_run,
        forced=force,
        ends_on=status.ends_on,
        contacts=await db.fetchval("retention_blank_contacts", **edition),
        names=await db.fetchval("retention_blank_non_laureate_names", **edition),
        laureates_kept=await db.fetchval("retention_count_laureates", **edition),
        sheet_comments=await db.fetchval(
            "retention_blank_sheet_comments", **edition, placeholder=PLACEHOLDER
        ),
        score_comments=await db.fetchval("retention_blank_score_comments", **edition),
        notes=await db.fetchval("retention_blank_note_texts", **edition, placeholder=PLACEHOLDER),
        conflict_reasons=await db.fetchval(
            "retention_blank_conflict_reasons", **edition, placeholder=PLACEHOLDER
        ),
        submissions=await db.fetchval("retention_delete_sheet_submissions", **edition),
        minutes=await db.fetchval("retention_delete_minutes", **edition),
        access_codes=await db.fetchval("retention_revoke_access_codes", **edition, purged_at=now),
    )
