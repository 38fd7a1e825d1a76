"""Setting up an edition's rounds and panels: add, rename, reorder, remove while empty, each round's
qualification rule, and panels with their zone and categories. Every change is checked and audited.

Positions stay unique and contiguous (1..n): the advancement reads "the round after" by position, so a gap
or a tie would send qualified candidates nowhere. Only rounds still in preparation move: a round that
started keeps its place in the order its candidates went through.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

from jury.access.identity import Identity
from jury.access.policy import actor_label, organised_round
from jury.audit.service import append_event
from jury.bounds import bounded
from jury.contests.models import EditionDetail, Round
from jury.contests.service import list_categories, list_rounds, organised_edition
from jury.db.queries import Database, fetch_as
from jury.errors import Conflict, FieldError, Invalid
from jury.labels import label
from jury.results.method_names import MethodName
from jury.results.normalise import METHODS
from jury.rounds.quota import MAX_QUOTA, describe_quota, quota_errors
from jury.rounds.service import readiness_errors

KINDS: dict[str, str] = {
    "eligibility": "Éligibilité",
    "preselection": "Présélection",
    "semi_final": "Demi-finale",
    "final": "Finale",
    "tasting": "Dégustation",
    "committee": "Comité",
}
MAX_ROUNDS = 20


# The request types say in the schema what the checks below refuse (422 either way, the field named):
# `tests/security/test_strict_request_schemas.py` keeps them equal to KINDS and SCOPES.
RoundKind = Literal["eligibility", "preselection", "semi_final", "final", "tasting", "committee"]
QuotaScope = Literal["overall", "zone", "category"]
RoundName = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
Position = Annotated[int, msgspec.Meta(ge=1, le=MAX_ROUNDS)]
Quota = Annotated[int, bounded(ge=0, le=MAX_QUOTA)]


class RoundCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    kind: RoundKind
    name: RoundName
    position: Position | None = None
    advance_count: Quota | None = None
    quota_scope: QuotaScope = "overall"
    wildcards: Quota = 0
    blind: bool = False
    method: MethodName = "affine"
    scheduled_on: dt.date | None = None


class RoundPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Only the fields sent change; ``null`` clears the quota or the date."""

    name: RoundName | msgspec.UnsetType = msgspec.UNSET
    position: Position | msgspec.UnsetType = msgspec.UNSET
    advance_count: Quota | msgspec.UnsetType | None = msgspec.UNSET
    quota_scope: QuotaScope | msgspec.UnsetType = msgspec.UNSET
    wildcards: Quota | msgspec.UnsetType = msgspec.UNSET
    blind: bool | msgspec.UnsetType = msgspec.UNSET
    method: MethodName | msgspec.UnsetType = msgspec.UNSET
    scheduled_on: dt.date | msgspec.UnsetType | None = msgspec.UNSET


class PanelCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: RoundName
    zone: str | None = None
    venue: Annotated[str, msgspec.Meta(max_length=300)] = ""
    categories: list[str] = msgspec.field(default_factory=list)


class RoundSetup(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    edition_slug: str
    kind: str
    name: str
    position: int
    status: str
    advance_count: int | None
    quota_scope: str
    wildcards: int
    blind: bool
    method: str
    scheduled_on: dt.date | None
    rule: str  # the qualification rule in words


class PanelSetup(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    round_id: int
    edition_slug: str
    name: str
    venue: str
    zone: str | None
    categories: list[str]
    member_count: int
    placed: int = 0  # candidates of the round put before it because it is the round's only panel


class _PanelRow(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    round_id: int
    name: str
    venue: str
    zone: str | None
    categories: list[str]
    member_count: int


class RoundView(msgspec.Struct, frozen=True, kw_only=True):
    """One round on the setup page: its settings, rule in words, panels, and what it lacks to open."""

    round: Round
    rule: str
    panels: list[_PanelRow]
    missing: list[FieldError]


class RoundsPage(msgspec.Struct, frozen=True, kw_only=True):
    edition: EditionDetail
    rounds: list[RoundView]
    kinds: dict[str, str]
    methods: tuple[str, ...]
    zones: list[str]
    categories: list[tuple[str, str]]


# --- Reading --------------------------------------------------------------------------------------------


async def rounds_page(db: Database, *, identity: Identity, slug: str) -> RoundsPage:
    edition = await organised_edition(db, identity=identity, slug=slug)
    rounds = await list_rounds(db, edition.id)
    panels = await fetch_as(db, "setup_panels", row_type=_PanelRow, edition_id=edition.id)
    views = []
    for r in rounds:
        missing = (
            await readiness_errors(
                db, round_id=r.id, kind=r.kind, position=r.position, edition_slug=edition.slug
            )
            if r.status == "draft"
            else []
        )
        views.append(
            RoundView(
                round=r,
                rule=r.rule,
                panels=[p for p in panels if p.round_id == r.id],
                missing=missing,
            )
        )
    zones = [row["code"] for row in await db.fetch("edition_zone_codes", edition_id=edition.id)]
    categories = [(c.code, c.name) for c in await list_categories(db, edition.id)]
    return RoundsPage(
        edition=edition, rounds=views, kinds=KINDS, methods=METHODS, zones=zones, categories=categories
    )


async def _round_setup(db: Database, *, round_id: int, slug: str) -> RoundSetup:
    row = dict(await db.fetchrow("setup_round_rule", round_id=round_id))
    row.pop("edition_id")
    return RoundSetup(
        **row,
        edition_slug=slug,
        rule=describe_quota(
            advance_count=row["advance_count"], quota_scope=row["quota_scope"], wildcards=row["wildcards"]
        ),
    )


# --- Rounds ---------------------------------------------------------------------------------------------


def _text_errors(field: str, value: str, *, limit: int, what: str) -> list[FieldError]:
    if not value.strip():
        return [FieldError(field=field, message=f"{what} obligatoire.")]
    if len(value) > limit:
        return [FieldError(field=field, message=f"{what} trop long : {limit} caractères au plus.")]
    return []


async def _rule_errors(
    db: Database,
    *,
    edition_id: int,
    advance_count: int | None,
    quota_scope: str,
    wildcards: int,
    method: str,
) -> list[FieldError]:
    shape = await db.fetchrow("setup_edition_shape", edition_id=edition_id)
    errors = quota_errors(
        advance_count=advance_count,
        quota_scope=quota_scope,
        wildcards=wildcards,
        zones=shape["zones"],
        categories=shape["categories"],
    )
    if method not in METHODS:
        errors.append(
            FieldError(field="method", message="Méthode inconnue ; attendu : " + ", ".join(METHODS) + ".")
        )
    return errors


async def create_round(db: Database, *, identity: Identity, slug: str, data: RoundCreate) -> RoundSetup:
    """A new round, at the end or at ``position`` (the rounds from there on move one place down)."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    order = [dict(r) for r in await db.fetch("setup_round_order", edition_id=edition.id)]
    errors = _text_errors("name", data.name, limit=200, what="Nom du tour")
    if data.kind not in KINDS:
        errors.append(FieldError(field="kind", message="Type attendu : " + ", ".join(KINDS) + "."))
    position = len(order) + 1 if data.position is None else data.position
    if not 1 <= position <= len(order) + 1:
        errors.append(FieldError(field="position", message=f"La position va de 1 à {len(order) + 1}."))
    if len(order) >= MAX_ROUNDS:
        errors.append(FieldError(field="kind", message=f"Une édition compte au plus {MAX_ROUNDS} tours."))
    errors += await _rule_errors(
        db,
        edition_id=edition.id,
        advance_count=data.advance_count,
        quota_scope=data.quota_scope,
        wildcards=data.wildcards,
        method=data.method,
    )
    if errors:
        raise Invalid("Tour refusé : rien n'a été enregistré.", errors=errors)
    _ensure_movable(order[position - 1 :], reason="passer après le nouveau tour")
    round_id = await db.fetchval(
        "insert_round",
        edition_id=edition.id,
        kind=data.kind,
        round_name=data.name.strip(),
        position=900_000,  # out of the way of the renumbering below (100 001…100 000 + n)
        advance_count=data.advance_count,
        quota_scope=data.quota_scope,
        wildcards=data.wildcards,
        blind=data.blind,
        method=data.method,
        scheduled_on=data.scheduled_on,
    )
    ids = [r["id"] for r in order]
    ids.insert(position - 1, round_id)
    await _renumber(db, edition_id=edition.id, ids=ids)
    created = await _round_setup(db, round_id=round_id, slug=edition.slug)
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="round.created",
        target=f"round:{round_id}",
        payload={"edition": edition.slug, **msgspec.to_builtins(created)},
    )
    return created


def _ensure_movable(rounds: list[dict], *, reason: str) -> None:
    started = [r for r in rounds if r["status"] != "draft"]
    if started:
        raise Conflict(
            f"Le tour « {started[0]['name']} » a commencé : il ne peut plus {reason} "
            "(seuls les tours en préparation changent de place)."
        )


async def _renumber(db: Database, *, edition_id: int, ids: list[int]) -> None:
    await db.execute("shift_round_positions", edition_id=edition_id, ids=ids)
    await db.execute("settle_round_positions", edition_id=edition_id)


async def update_round(db: Database, *, identity: Identity, round_id: int, data: RoundPatch) -> RoundSetup:
    """Rename, move, change the rule, blind judging, method or date. A closed round only takes a new name;
    blind judging changes only before jurors see the files; a round moves only among rounds in preparation."""
    rnd = await organised_round(db, identity=identity, round_id=round_id, lock="update")
    before = dict(await db.fetchrow("setup_round_rule", round_id=round_id))
    after = dict(before)
    for name in RoundPatch.__struct_fields__:
        value = getattr(data, name)
        if value is not msgspec.UNSET:
            after[name] = value.strip() if name == "name" else value
    changed = sorted(k for k in RoundPatch.__struct_fields__ if after[k] != before[k])
    errors = _text_errors("name", after["name"], limit=200, what="Nom du tour")
    order = [dict(r) for r in await db.fetch("setup_round_order", edition_id=rnd.edition_id)]
    if not 1 <= after["position"] <= len(order):
        errors.append(FieldError(field="position", message=f"La position va de 1 à {len(order)}."))
    errors += await _rule_errors(
        db,
        edition_id=rnd.edition_id,
        advance_count=after["advance_count"],
        quota_scope=after["quota_scope"],
        wildcards=after["wildcards"],
        method=after["method"],
    )
    if errors:
        raise Invalid("Modification refusée : rien n'a été enregistré.", errors=errors)
    if rnd.status == "closed" and set(changed) - {"name"}:
        raise Conflict("Le tour est clos : seul son nom peut encore changer.")
    if "blind" in changed and rnd.status != "draft":
        raise Conflict(
            "La notation a commencé : les jurés ont déjà vu les dossiers, l'anonymat ne change plus."
        )
    if "position" in changed:
        ids = [r["id"] for r in order]
        old_index, new_index = ids.index(round_id), after["position"] - 1
        low, high = min(old_index, new_index), max(old_index, new_index)
        _ensure_movable(order[low : high + 1], reason="changer de place")
        ids.insert(new_index, ids.pop(old_index))
        await _renumber(db, edition_id=rnd.edition_id, ids=ids)
    await db.execute(
        "update_round",
        round_id=round_id,
        round_name=after["name"],
        advance_count=after["advance_count"],
        quota_scope=after["quota_scope"],
        wildcards=after["wildcards"],
        blind=after["blind"],
        method=after["method"],
        scheduled_on=after["scheduled_on"],
    )
    updated = await _round_setup(db, round_id=round_id, slug=rnd.edition_slug)
    if changed:
        await append_event(
            db,
            actor_id=identity.person_id,
            actor_label=actor_label(identity),
            action="round.updated",
            target=f"round:{round_id}",
            payload={k: {"from": before[k], "to": after[k]} for k in changed},
        )
    return updated


async def delete_round(db: Database, *, identity: Identity, round_id: int) -> str:
    """Remove a round still in preparation that holds nothing; answers the edition's slug. Empty panels go
    with it; the rounds after it move up one place."""
    rnd = await organised_round(db, identity=identity, round_id=round_id, lock="update")
    if rnd.status != "draft":
        raise Conflict(f"Le tour est « {_status(rnd.status)} » : seul un tour en préparation se supprime.")
    held = await db.fetchrow("round_contents", round_id=round_id)
    what = [
        text
        for count, text in (
            (held["candidates"], "candidat(s)"),
            (held["staffed_panels"], "jury(s) avec des membres"),
            (held["sheets"], "feuille(s) de notation"),
            (held["decisions"], "décision(s)"),
        )
        if count
        for text in [f"{count} {text}"]
    ]
    if what:
        raise Conflict("Le tour n'est pas vide : il contient " + ", ".join(what) + ".")
    await db.execute("delete_round", round_id=round_id)
    order = [r["id"] for r in await db.fetch("setup_round_order", edition_id=rnd.edition_id)]
    await _renumber(db, edition_id=rnd.edition_id, ids=order)
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="round.deleted",
        target=f"round:{round_id}",
        payload={"edition": rnd.edition_slug, "name": rnd.name, "kind": rnd.kind, "position": rnd.position},
    )
    return rnd.edition_slug


def _status(status: str) -> str:
    return label(status, "round")


# --- Panels ---------------------------------------------------------------------------------------------


async def create_panel(db: Database, *, identity: Identity, round_id: int, data: PanelCreate) -> PanelSetup:
    """A panel of the round, judging a zone (territorial semi-finals) or some categories (none: all).
    Its members come from the jurors' import and the assignment page. The first panel of a round takes the
    round's candidates that have none: with one panel there is nothing to choose."""
    rnd = await organised_round(db, identity=identity, round_id=round_id, lock="update")
    if rnd.status == "closed":
        raise Conflict("Le tour est clos : on n'y ajoute plus de jury.")
    errors = _text_errors("name", data.name, limit=200, what="Nom du jury")
    name = data.name.strip()
    if not errors and await db.fetchval("panel_name_taken", round_id=round_id, panel_name=name):
        errors.append(FieldError(field="name", message=f"Ce tour a déjà un jury « {name} »."))
    if len(data.venue) > 300:
        errors.append(FieldError(field="venue", message="Lieu trop long : 300 caractères au plus."))
    zone_id = None
    if data.zone is not None:
        zone_id = await db.fetchval("edition_zone_by_code", edition_id=rnd.edition_id, code=data.zone)
        if zone_id is None:
            errors.append(
                FieldError(field="zone", message=f"Zone inconnue dans cette édition : {data.zone}.")
            )
    codes = list(dict.fromkeys(data.categories))
    found = {
        row["code"]: row["id"]
        for row in await db.fetch("edition_category_ids", edition_id=rnd.edition_id, codes=codes)
    }
    errors += [
        FieldError(field=f"categories[{i}]", message=f"Catégorie inconnue dans cette édition : {code}.")
        for i, code in enumerate(data.categories)
        if code not in found
    ]
    if errors:
        raise Invalid("Jury refusé : rien n'a été enregistré.", errors=errors)
    panel_id = await db.fetchval(
        "insert_panel", round_id=round_id, zone_id=zone_id, panel_name=name, venue=data.venue.strip()
    )
    if codes:
        await db.execute("insert_panel_categories", panel_id=panel_id, category_ids=[found[c] for c in codes])
    placed = len(await db.fetch("place_in_first_panel", round_id=round_id, panel_id=panel_id, now=db.now()))
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="panel.created",
        target=f"panel:{panel_id}",
        payload={
            "round": round_id,
            "name": name,
            "zone": data.zone,
            "venue": data.venue.strip(),
            "categories": codes,
            "placed": placed,
        },
    )
    return PanelSetup(
        id=panel_id,
        round_id=round_id,
        edition_slug=rnd.edition_slug,
        name=name,
        venue=data.venue.strip(),
        zone=data.zone,
        categories=codes,
        member_count=0,
        placed=placed,
    )
