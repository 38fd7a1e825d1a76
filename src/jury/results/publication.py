"""Publishing a round's standings, and checking a publication against the sheets as they are now.

A publication freezes every standing of the round under a new version number: marks, input digest,
method, parameters, seed and result, so that it can be shown as it was and recomputed exactly
(`verify_published`). The audit event carries the digests and a hash of each result, and the publication
keeps the audit chain's head (event count and last hash) once that event is appended, shown wherever the
publication is: written down by a reader, it lets `jury audit verify --expect-head H --expect-count N`
detect a trail truncated or rewritten since.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import Executor

from jury.access.identity import Identity
from jury.access.policy import actor_label, organised_round
from jury.audit.service import append_event, chain_head
from jury.db.queries import Database
from jury.errors import Conflict, Invalid, NotFound
from jury.results.calibration import Calibration, decode_result, encode
from jury.results.compute import PAGE_BOOTSTRAP, compute, read_and_compute, round_calibration
from jury.results.marks import read_sections, section_key
from jury.results.models import PublishedItem, PublishReceipt, Verification

PUBLISHABLE = frozenset({"deliberation", "closed"})


async def publish(
    db: Database,
    *,
    identity: Identity,
    round_id: int,
    bootstrap: int = PAGE_BOOTSTRAP,
    executor: Executor | None = None,
) -> PublishReceipt:
    """Freezes every standing of the round as a new numbered publication, and audits it.

    The round's row stays locked until commit, so two publications cannot take the same number and the
    status checked is the one that holds."""
    rnd = await organised_round(db, identity=identity, round_id=round_id, lock="update")
    if rnd.status not in PUBLISHABLE:
        raise Conflict("Le classement se publie une fois la notation close (délibération ou tour clos).")
    calibration = round_calibration(rnd, bootstrap=bootstrap)
    computed = await read_and_compute(db, round_id=round_id, calibration=calibration, executor=executor)
    if not computed:
        raise Invalid("Aucune fiche soumise : il n'y a pas de classement à publier.")
    version = await db.fetchval("next_standing_version", round_id=round_id)
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="standings.published",
        target=f"round:{round_id}",
        payload={
            "version": version,
            "method": calibration.method,
            "seed": calibration.seed,
            "bootstrap": calibration.bootstrap,
            "standings": [
                {
                    "panel_id": c.section.panel_key or None,
                    "category_id": c.section.category_key or None,
                    "input_digest": c.section.digest,
                    "result_sha256": hashlib.sha256(c.encoded).hexdigest(),
                }
                for c in computed
            ],
        },
    )
    # The head once this publication's event is in: the appender's lock, held until commit, keeps any
    # other event out in between, so the pair names exactly that event.
    audit_count, audit_head = await chain_head(db)
    await db.execute(
        "insert_standings",
        round_id=round_id,
        version=version,
        published_by=identity.person_id,
        audit_count=audit_count,
        audit_head=audit_head,
        panel_ids=[c.section.panel_key or None for c in computed],
        category_ids=[c.section.category_key or None for c in computed],
        methods=[c.result.method for c in computed],
        parameters=[encode(c.result.parameters).decode() for c in computed],
        seeds=[c.result.seed for c in computed],
        input_digests=[c.section.digest for c in computed],
        observations=[encode(c.section.observations).decode() for c in computed],
        results=[c.encoded.decode() for c in computed],
    )
    rows = await db.fetch("published_standing_ids", round_id=round_id, version=version)
    items = [PublishedItem(**dict(row)) for row in rows]
    return PublishReceipt(
        round_id=round_id, version=version, standings=items, audit_count=audit_count, audit_head=audit_head
    )


async def verify_published(
    db: Database,
    *,
    identity: Identity,
    round_id: int,
    version: int | None = None,
    executor: Executor | None = None,
) -> list[Verification]:
    """Recomputes a publication from the sheets as they are now, bypassing the cache, with the
    parameters stored in the publication (not the round's current method)."""
    await organised_round(db, identity=identity, round_id=round_id)
    rows = await db.fetch("published_standings", round_id=round_id, version=version)
    if not rows:
        raise NotFound("Aucun classement publié pour ce tour.")
    current = {s.key: s for s in await read_sections(db, round_id=round_id)}
    checks = []
    for row in rows:
        stored = decode_result(row["result"])
        section = current.get(section_key(row["panel_id"] or 0, row["category_id"] or 0))
        same_result = False
        if section is not None:
            calibration = Calibration(
                method=stored.method,
                top_k=stored.top_k,
                bootstrap=stored.parameters["bootstrap"],
                seed=stored.seed,
            )
            [again] = await compute(
                db,
                round_id=round_id,
                sections=[section],
                calibration=calibration,
                use_cache=False,
                executor=executor,
            )
            same_result = again.result == stored
        checks.append(
            Verification(
                standing_id=row["id"],
                panel_id=row["panel_id"],
                category_id=row["category_id"],
                published_digest=row["input_digest"],
                current_digest=section.digest if section else None,
                same_input=section is not None and section.digest == row["input_digest"],
                same_result=same_result,
            )
        )
    return checks
