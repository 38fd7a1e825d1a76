"""An edition's categories with their criteria grids, and its prizes: replaced whole, checked, audited.

A grid is replaced as a whole (the API and the page send every line), so what is stored is exactly what
the organiser saw. Criteria are kept by code (their ids stay), which matters to nothing yet but keeps a
re-sent grid a no-op. A grid that score sheets already use cannot change: the marks were given on it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import msgspec

from jury.access.identity import Identity
from jury.access.policy import actor_label
from jury.audit.service import append_event
from jury.contests.grid_rules import (
    PRIZE_KINDS,
    REQUIRED_FIELD_CHOICES,
    SEVERAL_HOLDER_KINDS,
    CriterionIn,
    Positive,
    PrizeIn,
    category_errors,
    criteria_errors,
    decimal,
    prize_errors,
    weights_total_errors,
)
from jury.contests.models import EditionDetail
from jury.contests.rules_setup import EligibilityRules, edition_rules
from jury.contests.service import organised_edition
from jury.db.queries import Database
from jury.errors import Conflict, Invalid, NotFound


class GridRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The grid with its category: ``name`` creates the category (or renames it); ``weights_total`` sets
    the total its weights must reach (``null`` removes the rule, left out keeps it)."""

    criteria: Annotated[list[CriterionIn], msgspec.Meta(min_length=1)]
    name: str | None = None
    weights_total: Positive | msgspec.UnsetType | None = msgspec.UNSET


class PrizesRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The whole prize list; ``allow_multiple_prizes`` (left out: unchanged) lets one candidate win more
    than one prize of the edition."""

    prizes: list[PrizeIn]
    allow_multiple_prizes: bool | msgspec.UnsetType = msgspec.UNSET


class Criterion(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label: str
    help: str
    weight: float
    scale_min: float
    scale_max: float
    scale_step: float
    comment_required: bool
    eliminatory: bool
    position: int


class CategoryGrid(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    name: str
    position: int
    weights_total: float | None
    in_use: bool  # score sheets exist: the grid no longer changes
    criteria: list[Criterion]


class Prize(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    name: str
    kind: str
    category: str | None
    place: int | None
    amount_eur: int | None
    ex_aequo_allowed: bool
    max_winners: int | None
    position: int
    award_count: int


class PrizeList(msgspec.Struct, frozen=True, kw_only=True):
    allow_multiple_prizes: bool
    prizes: list[Prize]


class EditionGrid(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the « Grille » page shows and ``GET /api/editions/{slug}/grid`` answers."""

    edition: str
    categories: list[CategoryGrid]
    allow_multiple_prizes: bool
    prizes: list[Prize]
    eligibility: EligibilityRules


class GridPage(msgspec.Struct, frozen=True, kw_only=True):
    edition: EditionDetail
    grid: EditionGrid
    prize_kinds: dict[str, str]
    required_field_choices: dict[str, str]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


async def _categories(db: Database, *, edition_id: int) -> list[CategoryGrid]:
    criteria: dict[int, list[Criterion]] = {}
    for row in await db.fetch("grid_criteria", edition_id=edition_id):
        fields = dict(row)
        category_id = fields.pop("category_id")
        for key in ("weight", "scale_min", "scale_max", "scale_step"):
            fields[key] = float(fields[key])
        criteria.setdefault(category_id, []).append(Criterion(**fields))
    return [
        CategoryGrid(
            code=row["code"],
            name=row["name"],
            position=row["position"],
            weights_total=_number(row["weights_total"]),
            in_use=row["in_use"],
            criteria=criteria.get(row["id"], []),
        )
        for row in await db.fetch("grid_categories", edition_id=edition_id)
    ]


async def _prizes(db: Database, *, edition_id: int) -> list[Prize]:
    out = []
    for row in await db.fetch("grid_prizes", edition_id=edition_id):
        fields = dict(row)
        fields.pop("id")
        out.append(Prize(**fields))
    return out


async def _grid(db: Database, *, edition: EditionDetail) -> EditionGrid:
    rules = await edition_rules(db, edition_id=edition.id)
    return EditionGrid(
        edition=edition.slug,
        categories=await _categories(db, edition_id=edition.id),
        allow_multiple_prizes=rules.allow_multiple_prizes,
        prizes=await _prizes(db, edition_id=edition.id),
        eligibility=rules.rules,
    )


async def edition_grid(db: Database, *, identity: Identity, slug: str) -> EditionGrid:
    edition = await organised_edition(db, identity=identity, slug=slug)
    return await _grid(db, edition=edition)


async def grid_page(db: Database, *, identity: Identity, slug: str) -> GridPage:
    edition = await organised_edition(db, identity=identity, slug=slug)
    return GridPage(
        edition=edition,
        grid=await _grid(db, edition=edition),
        prize_kinds=PRIZE_KINDS,
        required_field_choices=REQUIRED_FIELD_CHOICES,
    )


# --- Criteria -------------------------------------------------------------------------------------------


async def replace_criteria(
    db: Database, *, identity: Identity, slug: str, code: str, data: GridRequest
) -> CategoryGrid:
    """Store a category's whole grid (creating the category when ``name`` is given and it does not exist).
    Refused with every line's problems (422), or 409 when score sheets of the category exist."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    existing = await db.fetchrow("grid_category_for_update", edition_id=edition.id, code=code)
    if existing is None and data.name is None:
        raise NotFound(f"Catégorie inconnue : {code}. Donnez son nom (« name ») pour la créer.")
    if existing is not None and existing["in_use"]:
        raise Conflict(
            f"Des feuilles de notation utilisent déjà la grille de « {existing['name']} » : elle ne change plus."
        )
    if data.weights_total is msgspec.UNSET:
        weights_total = _number(existing["weights_total"]) if existing is not None else None
    else:
        weights_total = data.weights_total
    errors = category_errors(code=code, name=data.name) + weights_total_errors(weights_total)
    errors += criteria_errors(data.criteria, weights_total=None if errors else weights_total)
    if errors:
        raise Invalid("Grille refusée : rien n'a été enregistré.", errors=errors)
    name = data.name.strip() if data.name is not None else existing["name"]
    total = decimal(weights_total) if weights_total is not None else None
    if existing is None:
        category_id = await db.fetchval(
            "insert_category", edition_id=edition.id, code=code, category_name=name, weights_total=total
        )
    else:
        category_id = existing["id"]
        await db.execute("update_category", category_id=category_id, category_name=name, weights_total=total)
    await db.execute("delete_criteria_not_in", category_id=category_id, codes=[c.code for c in data.criteria])
    await db.executemany(
        "upsert_criterion",
        [
            {
                "category_id": category_id,
                "code": c.code,
                "label": c.label.strip(),
                "help": c.help.strip(),
                "scale_min": decimal(c.scale_min),
                "scale_max": decimal(c.scale_max),
                "scale_step": decimal(c.scale_step),
                "weight": decimal(c.weight),
                "comment_required": c.comment_required,
                "eliminatory": c.eliminatory,
                "position": i + 1,
            }
            for i, c in enumerate(data.criteria)
        ],
    )
    [stored] = [c for c in await _categories(db, edition_id=edition.id) if c.code == code]
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="criteria.replaced",
        target=f"category:{category_id}",
        payload={"edition": edition.slug, "created": existing is None, **msgspec.to_builtins(stored)},
    )
    return stored


# --- Prizes ---------------------------------------------------------------------------------------------


async def replace_prizes(db: Database, *, identity: Identity, slug: str, data: PrizesRequest) -> PrizeList:
    """Store the edition's whole prize list. A prize already awarded cannot be removed (409): the award
    and the diploma that states it would lose what they refer to."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    await db.fetch("lock_edition_prizes", edition_id=edition.id)
    categories = {c.code: c for c in await _category_ids(db, edition_id=edition.id)}
    errors = prize_errors(data.prizes, categories=set(categories))
    if errors:
        raise Invalid("Prix refusés : rien n'a été enregistré.", errors=errors)
    before = {p.code: p for p in await _prizes(db, edition_id=edition.id)}
    kept = {p.code for p in data.prizes}
    awarded = [p for code, p in before.items() if code not in kept and p.award_count]
    if awarded:
        names = ", ".join(f"« {p.name} » ({p.award_count} attribution(s))" for p in awarded)
        raise Conflict(f"Un prix déjà attribué ne peut pas être retiré : {names}.")
    await db.execute("delete_prizes_not_in", edition_id=edition.id, codes=sorted(kept))
    await db.executemany(
        "upsert_prize",
        [
            {
                "edition_id": edition.id,
                "category_id": categories[p.category].id if p.category is not None else None,
                "code": p.code,
                "prize_name": p.name.strip(),
                "kind": p.kind,
                "place": p.place,
                "amount_eur": p.amount_eur,
                "max_winners": _max_winners(p, before.get(p.code)),
                "position": i + 1,
                "ex_aequo_allowed": p.ex_aequo_allowed,
            }
            for i, p in enumerate(data.prizes)
        ],
    )
    if data.allow_multiple_prizes is not msgspec.UNSET:
        await db.execute("set_allow_multiple_prizes", edition_id=edition.id, allow=data.allow_multiple_prizes)
    rules = await edition_rules(db, edition_id=edition.id)
    stored = PrizeList(
        allow_multiple_prizes=rules.allow_multiple_prizes, prizes=await _prizes(db, edition_id=edition.id)
    )
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="prizes.replaced",
        target=f"edition:{edition.slug}",
        payload={
            "removed": sorted(set(before) - kept),
            "added": sorted(kept - set(before)),
            **msgspec.to_builtins(stored),
        },
    )
    return stored


def _max_winners(prize: PrizeIn, stored: Prize | None) -> int | None:
    """Sent: as sent. Left out: a prize of one place has one winner (ex aequo shares that place); a prize
    several laureates hold (laureates, label, cohort) keeps its stored limit, or has none."""
    if prize.max_winners is not msgspec.UNSET:
        return prize.max_winners
    if prize.kind not in SEVERAL_HOLDER_KINDS:
        return 1
    if stored is not None and stored.kind in SEVERAL_HOLDER_KINDS:
        return stored.max_winners
    return None


class _CategoryId(msgspec.Struct, frozen=True):
    id: int
    code: str


async def _category_ids(db: Database, *, edition_id: int) -> list[_CategoryId]:
    return [
        _CategoryId(row["id"], row["code"])
        for row in await db.fetch("grid_categories", edition_id=edition_id)
    ]
