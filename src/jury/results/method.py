"""The method a round's standings are calculated with, chosen by its organisers.

Publications keep the method they were made with, so changing it never alters what was published; a
closed round's method no longer changes, so its live standings stay those it was closed on.
"""

from __future__ import annotations

from jury.access.identity import Identity
from jury.access.policy import actor_label, organised_round
from jury.audit.service import append_event
from jury.db.queries import Database
from jury.errors import Conflict, Invalid
from jury.results.models import MethodChange
from jury.results.normalise import METHODS


async def set_method(db: Database, *, identity: Identity, round_id: int, method: str) -> MethodChange:
    """Changes the method of a round's standings, audited; the round's row is locked until commit so
    that a concurrent close cannot slip between the check and the change."""
    rnd = await organised_round(db, identity=identity, round_id=round_id, lock="update")
    if method not in METHODS:
        raise Invalid(f"Méthode inconnue : {method!r}.")
    if rnd.status == "closed":
        raise Conflict("Le tour est clos : sa méthode de calcul ne change plus.")
    previous = rnd.method
    if method != previous:
        await db.execute("set_round_method", round_id=round_id, method=method)
        await append_event(
            db,
            actor_id=identity.person_id,
            actor_label=actor_label(identity),
            action="round.method_changed",
            target=f"round:{round_id}",
            payload={"from": previous, "to": method},
        )
    return MethodChange(round_id=round_id, previous=previous, method=method)
