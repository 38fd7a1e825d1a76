"""Reading the audit trail out for people: the filters of the organisers' page and its CSV file.

Who sees what is decided in SQL (`audit_browse`), from the event's target alone, so nothing new is
stored: administrators see every event, organisers the events of their contests' editions.

The CSV follows the French spreadsheet dialect of the standings export (`;`, UTF-8 byte-order mark).
Actors' names come from imported files, so a name starting with `=`, `+`, `-`, `@`, a tab or a carriage
return would run as a formula in a spreadsheet: every text cell starting with one gets an apostrophe.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlencode

import msgspec

from jury.access.identity import Identity
from jury.audit.chain import encode_checkpoint
from jury.audit.service import checkpoint
from jury.db.queries import Database
from jury.errors import Invalid
from jury.french.dates import paris_day
from jury.spreadsheet import french_csv, neutralise

PAGE_SIZE = 100
COLUMNS = (
    "N°",
    "Date (heure de Paris)",
    "Acteur",
    "Nom de l'acteur",
    "Action",
    "Cible",
    "Édition",
    "Empreinte du contenu",
    "Maillon précédent",
    "Maillon",
)


class AuditFilters(msgspec.Struct, frozen=True, kw_only=True):
    action: str | None = None
    target_prefix: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def query_string(self, **extra: object) -> str:
        """The filters as the page's query string, so paging and export keep them."""
        pairs = {
            "action": self.action,
            "cible": self.target_prefix,
            "du": self.date_from.isoformat() if self.date_from else None,
            "au": self.date_to.isoformat() if self.date_to else None,
            **extra,
        }
        return urlencode({k: v for k, v in pairs.items() if v not in (None, "")})


class AuditLine(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    local_time: str
    actor_label: str
    actor_name: str
    action: str
    target: str
    edition_slug: str
    digest: str
    prev_hash: str
    hash: str


class AuditPage(msgspec.Struct, frozen=True, kw_only=True):
    filters: AuditFilters
    lines: list[AuditLine]
    actions: list[str]
    page: int
    total: int
    pages: int
    scope_all: bool


def parse_filters(
    *, action: str | None, target_prefix: str | None, date_from: str | None, date_to: str | None
) -> AuditFilters:
    """Empty form fields mean no filter; a malformed date is the user's typo, answered in French."""
    start, end = _day(date_from, "du"), _day(date_to, "au")
    if start and end and end < start:
        raise Invalid("La date de fin précède la date de début.")
    return AuditFilters(
        action=(action or "").strip() or None,
        target_prefix=(target_prefix or "").strip() or None,
        date_from=start,
        date_to=end,
    )


def _day(text: str | None, label: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"Date « {label} » invalide : {text} (attendu AAAA-MM-JJ).") from None


async def browse(
    db: Database, *, identity: Identity, filters: AuditFilters, page: int | None
) -> tuple[list[AuditLine], int]:
    """One page of the events the identity may see (all of them when `page` is None) and their total."""
    rows = await db.fetch(
        "audit_browse",
        action=filters.action,
        target_prefix=filters.target_prefix,
        date_from=filters.date_from,
        date_to=filters.date_to,
        is_admin=identity.is_admin,
        person_id=identity.person_id,
        page_size=PAGE_SIZE if page is not None else None,
        offset=(page - 1) * PAGE_SIZE if page is not None else 0,
    )
    total = rows[0]["total"] if rows else 0
    lines = [msgspec.convert({k: v for k, v in dict(r).items() if k in _FIELDS}, AuditLine) for r in rows]
    return lines, total


_FIELDS = set(AuditLine.__struct_fields__)


async def audit_page(db: Database, *, identity: Identity, filters: AuditFilters, page: int) -> AuditPage:
    page = max(page, 1)
    lines, total = await browse(db, identity=identity, filters=filters, page=page)
    return AuditPage(
        filters=filters,
        lines=lines,
        actions=[r["action"] for r in await db.fetch("audit_actions")],
        page=page,
        total=total,
        pages=max(1, -(-total // PAGE_SIZE)),
        scope_all=identity.is_admin,
    )


def to_csv(lines: list[AuditLine]) -> bytes:
    return french_csv(
        COLUMNS,
        (
            [
                line.id,
                *(
                    neutralise(text)
                    for text in (
                        line.local_time,
                        line.actor_label,
                        line.actor_name,
                        line.action,
                        line.target,
                        line.edition_slug,
                        line.digest,
                        line.prev_hash,
                        line.hash,
                    )
                ),
            ]
            for line in lines
        ),
    )


async def audit_csv(db: Database, *, identity: Identity, filters: AuditFilters) -> tuple[str, bytes]:
    """Every event the page would list with these filters, as a CSV named after today in Paris."""
    lines, _ = await browse(db, identity=identity, filters=filters, page=None)
    return f"journal-audit-{paris_day(db.now()):%Y-%m-%d}.csv", to_csv(lines)


# --- Checkpoints on a schedule ------------------------------------------------------------------------------

CHECKPOINTS_DIR = "audit-checkpoints"
"""Under the data directory: where `jury audit checkpoint` and the worker's schedule write checkpoints."""


def latest_checkpoint(directory: Path) -> tuple[int, str] | None:
    """(count, head) of the newest checkpoint file in `directory` (names sort by time), or None."""
    for path in sorted(directory.glob("*.json"), reverse=True):
        try:
            written = msgspec.json.decode(path.read_bytes())
            return int(written["count"]), str(written["head_hash"])
        except (msgspec.DecodeError, KeyError, TypeError, ValueError):
            continue
    return None


async def export_checkpoint(db: Database, *, data_dir: Path) -> Path | None:
    """A signed checkpoint of the verified chain in DATA_DIR/audit-checkpoints, when the chain moved since
    the newest one there (a quiet night writes nothing); the file written, or None.

    Run by the worker on a schedule (`jury.worker.AUDIT_CHECKPOINT_EVERY`), so that a head exists outside
    the database even when nobody thinks of `jury audit checkpoint`. A broken chain raises `ChainBroken`:
    no checkpoint vouches for it.
    """
    pinned = await checkpoint(db)
    directory = data_dir / CHECKPOINTS_DIR
    if latest_checkpoint(directory) == (pinned.count, pinned.head_hash):
        return None
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{pinned.created_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_bytes(encode_checkpoint(pinned))
    return path
