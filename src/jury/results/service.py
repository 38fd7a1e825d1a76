"""Standings of a round: computed from the submitted sheets, cached, published, shown and exported.

Choices that shape every figure, and why:

* **Marks.** One mark per submitted, non-abstained sheet: its `weighted_total` over the criteria of the
  candidate's category, computed in SQL (`round_observations`, identical bit for bit to the Python
  function) so that a contest of 90,000 sheets is read in one query. An abstained criterion is left out
  and the weights renormalised; a sheet whose every scored criterion was abstained has no total and
  counts only for its eliminatory flag.
* **Eliminatory criteria.** A sheet failing one keeps its total (what the sheet is worth on the other
  criteria; the eliminatory criterion itself never adds points) and the candidate is flagged with the
  number of jurors who eliminated them ("éliminatoire"). The candidate is not removed and the mark is
  not dropped: dropping it would also shift the calibration of that juror's other marks, and whether a
  failed criterion eliminates is for the deliberation to confirm, not for arithmetic.
* **Sections.** One standing per (panel, category) of the candidates of the round, each calibrated on
  its own with the round's method (`rounds.method`). `rounds.advance_count` is the quota of *each*
  standing (top k, P(top k), borderline); 0 or null means no quota.
* **Reproducibility.** The seed is the round id, so the page is stable and a publication can be
  recomputed. The input digest is the SHA-256 of the canonical marks (sorted `[juror, candidate, total,
  eliminated]`): any change of a sheet changes it. Publishing stores marks, digest, method, parameters,
  seed and result; `verify_published` recomputes from the sheets and compares exactly.
* **Speed.** Intervals and P(top k) come from a 200-replicate bootstrap, run off the event loop (a
  thread, or a process pool the caller passes). Results are cached in `standing_cache` under a key made
  of the input digest and every parameter: shared by replicas, never stale.
* **Jurors** see standings only once the round is in deliberation or closed, only for their own panels,
  never a row of a candidate they declared a conflict with, and never the per-juror diagnostics or the
  outlying marks (those describe colleagues' individual marks; they are for organisers).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import math
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

import anyio.to_thread
import msgspec

from jury.access.identity import Identity
from jury.access.policy import ensure_organiser_of_edition
from jury.audit.service import append_event
from jury.db.queries import Database
from jury.errors import Conflict, Forbidden, Invalid, NotFound
from jury.results import charts
from jury.results.models import (
    DesignSummary,
    JurorLine,
    JurorView,
    Line,
    LineView,
    MethodChange,
    OutlierLine,
    OutlierView,
    Publication,
    PublishedItem,
    PublishReceipt,
    SectionSummary,
    StandingPage,
    StandingResult,
    StandingView,
    Verification,
)
from jury.results.normalise import (
    ENGINE_VERSION,
    METHODS,
    NormalisationResult,
    normalise,
    normalise_many,
    ranking,
)
from jury.rounds.service import organiser_round

PAGE_BOOTSTRAP = 200
SCALE = (0.0, 100.0)
RESULT_FORMAT = 1  # bump when StandingResult changes shape: old cache entries then simply miss
INLINE_SECTIONS = 4  # above this, the page lists the sections and shows the one chosen
VISIBLE_TO_JURORS = frozenset({"deliberation", "closed"})
PUBLISHABLE = frozenset({"deliberation", "closed"})
NO_PANEL = "Sans jury"
NO_CATEGORY = "Sans catégorie"
METHOD_LABELS = {
    "affine": "Affine régularisée : sévérité et étendue de chaque juré (recommandée)",
    "affine-huber": "Affine robuste (Huber) : idem, moins sensible aux notes aberrantes",
    "additive": "Additive : sévérité de chaque juré seulement",
    "zscore": "Centrée réduite par juré (suppose des candidats de même niveau pour chaque juré)",
    "trimmed": "Moyenne tronquée (sans la plus haute ni la plus basse à partir de 5 notes)",
    "median": "Médiane des notes",
    "raw": "Moyenne brute des notes",
}
NUMBER_WORDS = {2: "Deux", 3: "Trois", 4: "Quatre", 5: "Cinq", 6: "Six", 7: "Sept", 8: "Huit", 9: "Neuf"}

# (juror, candidate, total or None when nothing was scored, eliminated)
Observation = tuple[int, int, float | None, bool]

_decode_result = msgspec.json.Decoder(StandingResult).decode
_encode = msgspec.json.Encoder().encode


# --- Reading the marks ---------------------------------------------------------------------------------


class Section(msgspec.Struct, frozen=True, kw_only=True):
    """The marks of one standing; keys are 0 when the candidates have no panel or no category."""

    panel_key: int
    category_key: int
    observations: list[Observation]
    digest: str

    @property
    def key(self) -> str:
        return section_key(self.panel_key, self.category_key)


def section_key(panel_key: int, category_key: int) -> str:
    return f"{panel_key}-{category_key}"


def parse_section(text: str) -> tuple[int, int]:
    try:
        panel, category = (int(part) for part in text.split("-"))
    except ValueError:
        raise NotFound("Section de classement inconnue.") from None
    return panel, category


def input_digest(observations: Sequence[Observation]) -> str:
    """SHA-256 of the canonical marks; callers pass them sorted by (juror, candidate)."""
    return hashlib.sha256(_encode(observations)).hexdigest()


async def read_sections(
    db: Database,
    *,
    round_id: int,
    panel_keys: Sequence[int] | None = None,
    category_keys: Sequence[int] | None = None,
) -> list[Section]:
    """All marks of the round (or of some sections) in one query, grouped by section."""
    rows = await db.fetch(
        "round_observations",
        round_id=round_id,
        panel_keys=list(panel_keys) if panel_keys is not None else None,
        category_keys=list(category_keys) if category_keys is not None else None,
    )
    return group_observations(tuple(row) for row in rows)


def group_observations(rows: Iterable[tuple]) -> list[Section]:
    """Rows of `round_observations` (sorted by section) into sections with their digests."""
    buckets: dict[tuple[int, int], list[Observation]] = {}
    for panel_key, category_key, juror, candidate, total, eliminated, stray in rows:
        if stray:
            raise Conflict(
                f"Une fiche du candidat {candidate} contient des notes de critères d'une autre catégorie : "
                "corrigez la catégorie du candidat ou la fiche avant de calculer le classement."
            )
        buckets.setdefault((panel_key, category_key), []).append((juror, candidate, total, eliminated))
    sections = []
    for (panel_key, category_key), observations in sorted(buckets.items()):
        observations.sort(key=lambda o: (o[0], o[1]))
        sections.append(
            Section(
                panel_key=panel_key,
                category_key=category_key,
                observations=observations,
                digest=input_digest(observations),
            )
        )
    return sections


# --- Calibrating ---------------------------------------------------------------------------------------


class Calibration(msgspec.Struct, frozen=True, kw_only=True):
    method: str
    top_k: int | None
    bootstrap: int
    seed: int

    def cache_key(self, digest: str) -> str:
        key = [RESULT_FORMAT, ENGINE_VERSION, digest, self.method, self.top_k, self.bootstrap, self.seed]
        return hashlib.sha256(_encode(key)).hexdigest()


def round_calibration(round_row, *, bootstrap: int) -> Calibration:
    method = round_row["method"]
    if method not in METHODS:
        raise Conflict(f"Méthode de calcul inconnue pour ce tour : {method!r}.")
    return Calibration(
        method=method, top_k=round_row["advance_count"] or None, bootstrap=bootstrap, seed=round_row["id"]
    )


def calibrate(
    observations: Sequence[Observation], *, calibration: Calibration, fit: NormalisationResult | None = None
) -> StandingResult:
    """One standing from its marks: the engine's result plus the raw means and eliminatory flags.

    Pure and picklable, so it can run in a thread or in a worker process. `fit`: the engine's result
    when already computed for these marks (by `calibrate_many`, through `normalise_many`).
    """
    if fit is None:
        fit = normalise(_marks(observations), **_engine_options(calibration))
    totals: dict[int, list[float]] = {}
    eliminated: dict[int, int] = {}
    for _, candidate, total, failed in observations:
        eliminated[candidate] = eliminated.get(candidate, 0) + int(failed)
        if total is not None:
            totals.setdefault(candidate, []).append(total)
    raw = {candidate: math.fsum(values) / len(values) for candidate, values in totals.items()}
    # Raw ranks within the same groups as the calibrated ones, so that the rank change means something.
    groups: dict[int, dict[int, float]] = {}
    for candidate, value in raw.items():
        groups.setdefault(0 if fit.global_ranking else fit.component[candidate], {})[candidate] = value
    raw_rank: dict[int, int] = {}
    for group in groups.values():
        raw_rank.update(ranking(group))
    borderline = set(fit.borderline)
    lines = []
    for candidate in sorted(eliminated):
        interval = fit.intervals.get(candidate)
        lines.append(
            Line(
                candidate_id=candidate,
                marks=fit.marks.get(candidate, 0),
                raw=raw.get(candidate),
                raw_rank=raw_rank.get(candidate),
                score=fit.scores.get(candidate),
                rank=fit.ranks.get(candidate),
                component=fit.component.get(candidate),
                low=interval[0] if interval else None,
                high=interval[1] if interval else None,
                p_top_k=fit.p_top_k.get(candidate),
                borderline=candidate in borderline,
                eliminated_by=eliminated[candidate],
            )
        )
    lines.sort(
        key=lambda line: (
            line.rank is None,
            0 if fit.global_ranking else (line.component or 0),
            line.rank or 0,
            line.candidate_id,
        )
    )
    components = fit.design.components
    return StandingResult(
        method=fit.method,
        parameters=fit.parameters,
        seed=fit.seed,
        top_k=calibration.top_k,
        global_ranking=fit.global_ranking,
        assumption=fit.assumption,
        design=DesignSummary(
            connected=fit.design.connected,
            fiedler=fit.design.fiedler,
            components=len(components),
            jurors=sum(len(c.jurors) for c in components),
            candidates=sum(len(c.candidates) for c in components),
        ),
        lines=lines,
        jurors=[
            JurorLine(
                juror_id=d.juror,
                component=d.component,
                count=d.count,
                severity=d.severity,
                scale=d.scale,
                residual_sd=d.residual_sd,
            )
            for d in fit.jurors
        ],
        outliers=[
            OutlierLine(juror_id=o.juror, candidate_id=o.candidate, score=o.score, expected=o.expected, z=o.z)
            for o in fit.outliers
        ],
    )


def calibrate_many(batch: Sequence[Sequence[Observation]], *, calibration: Calibration) -> list[bytes]:
    """Several standings at once, encoded: one thread hop or one process task for a whole batch.

    The engine calibrates the batch in one `normalise_many` call (same results as one `normalise` per
    standing, much less per-call overhead for many small sections)."""
    fits = normalise_many(
        {i: _marks(observations) for i, observations in enumerate(batch)}, **_engine_options(calibration)
    )
    return [
        _encode(calibrate(observations, calibration=calibration, fit=fits[i]))
        for i, observations in enumerate(batch)
    ]


def _marks(observations: Sequence[Observation]) -> list[tuple]:
    return [(juror, candidate, total) for juror, candidate, total, _ in observations if total is not None]


def _engine_options(calibration: Calibration) -> dict:
    return {
        "method": calibration.method,
        "top_k": calibration.top_k,
        "bootstrap": calibration.bootstrap,
        "seed": calibration.seed,
        "scale": SCALE,
    }


async def run_calibrations(
    batch: Sequence[Sequence[Observation]], *, calibration: Calibration, executor: Executor | None = None
) -> list[bytes]:
    """Calibrates off the event loop: in a worker thread, or spread over `executor` (a process pool
    for a contest of a thousand sections, where one core would take minutes with a bootstrap)."""
    if not batch:
        return []
    if executor is None:
        return await anyio.to_thread.run_sync(
            functools.partial(calibrate_many, batch, calibration=calibration)
        )
    workers = getattr(executor, "_max_workers", 2)
    size = max(1, math.ceil(len(batch) / (workers * 4)))
    loop = asyncio.get_running_loop()
    parts = await asyncio.gather(
        *(
            loop.run_in_executor(
                executor, functools.partial(calibrate_many, batch[i : i + size], calibration=calibration)
            )
            for i in range(0, len(batch), size)
        )
    )
    return [encoded for part in parts for encoded in part]


@dataclass(frozen=True, slots=True)
class Computed:
    section: Section
    result: StandingResult
    encoded: bytes


async def compute(
    db: Database,
    *,
    round_id: int,
    sections: Sequence[Section],
    calibration: Calibration,
    use_cache: bool = True,
    executor: Executor | None = None,
) -> list[Computed]:
    """The standing of every section, from the cache when its key is current, else calibrated now.

    Results always go through their JSON form, so a fresh, a cached and a published result of the same
    marks compare equal.
    """
    keys = [calibration.cache_key(section.digest) for section in sections]
    cached: dict[str, bytes] = {}
    if use_cache and sections:
        rows = await db.fetch("get_standing_cache", round_id=round_id, cache_keys=keys)
        cached = {row["cache_key"]: row["result"].encode() for row in rows}
    missing = [i for i, key in enumerate(keys) if key not in cached]
    fresh = await run_calibrations(
        [sections[i].observations for i in missing], calibration=calibration, executor=executor
    )
    for i, encoded in zip(missing, fresh, strict=True):
        cached[keys[i]] = encoded
    if missing:
        await db.executemany(
            "put_standing_cache",
            [
                {
                    "round_id": round_id,
                    "panel_id": sections[i].panel_key or None,
                    "category_id": sections[i].category_key or None,
                    "cache_key": keys[i],
                    "input_digest": sections[i].digest,
                    "result": cached[keys[i]].decode(),
                }
                for i in missing
            ],
        )
    return [
        Computed(section=section, result=_decode_result(cached[key]), encoded=cached[key])
        for section, key in zip(sections, keys, strict=True)
    ]


# --- Who sees what -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scope:
    organiser: bool
    panels: frozenset[int] | None  # None: every panel
    conflicts: frozenset[int]
    blind: bool = False  # jurors of a blind round see entry numbers, not names


async def _round(db: Database, round_id: int):
    row = await db.fetchrow("standing_round", round_id=round_id)
    if row is None:
        raise NotFound("Tour inconnu.")
    return row


async def _scope(db: Database, *, identity: Identity, round_row) -> Scope:
    if identity.kind == "organiser":
        await ensure_organiser_of_edition(db, identity=identity, edition_id=round_row["edition_id"])
        return Scope(organiser=True, panels=None, conflicts=frozenset())
    if identity.edition_id != round_row["edition_id"]:
        raise Forbidden("Ce tour n'appartient pas à votre édition.")
    if round_row["status"] not in VISIBLE_TO_JURORS:
        raise Forbidden("Le classement n'est visible des jurés qu'à partir de la délibération.")
    panels = frozenset(
        row["panel_id"]
        for row in await db.fetch(
            "juror_round_panels", round_id=round_row["id"], person_id=identity.person_id
        )
    )
    if not panels:
        raise Forbidden("Vous ne siégez dans aucun jury de ce tour.")
    conflicts = frozenset(
        row["candidate_id"]
        for row in await db.fetch("juror_conflicts", round_id=round_row["id"], person_id=identity.person_id)
    )
    return Scope(organiser=False, panels=panels, conflicts=conflicts, blind=round_row["blind"])


def design_message(design: DesignSummary) -> str:
    """The design check in plain French, as organisers (and jurors) read it."""
    if design.candidates == 0:
        return "Aucune note soumise pour l'instant."
    if design.jurors < 2:
        return "Un seul juré : ses notes ne peuvent être comparées à celles d'aucun autre."
    if design.connected:
        return f"Plan connexe : les jurys sont comparables (connectivité {_decimal_fr(design.fiedler)})."
    groups = NUMBER_WORDS.get(design.components, str(design.components))
    return (
        f"{groups} groupes de jurés sans candidat commun : pas de classement global ; classement par groupe."
    )


def _decimal_fr(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


async def _labels(db: Database, round_id: int) -> tuple[dict[int, str], dict[int, tuple[int, str]]]:
    panels: dict[int, str] = {}
    categories: dict[int, tuple[int, str]] = {}
    for row in await db.fetch("round_labels", round_id=round_id):
        if row["kind"] == "panel":
            panels[row["id"]] = row["name"]
        else:
            categories[row["id"]] = (row["position"], row["name"])
    return panels, categories


async def _views(
    db: Database,
    *,
    round_id: int,
    items: Sequence[tuple[int, int, str, StandingResult]],
    scope: Scope,
    labels: tuple[dict[int, str], dict[int, tuple[int, str]]] | None = None,
) -> list[StandingView]:
    """Names and the access filter on top of results: `items` are (panel key, category key, digest,
    result)."""
    panels, categories = labels or await _labels(db, round_id)
    kept = [
        (panel, category, digest, result)
        for panel, category, digest, result in items
        if scope.panels is None or panel in scope.panels
    ]
    candidate_ids = {
        line.candidate_id
        for *_, result in kept
        for line in result.lines
        if line.candidate_id not in scope.conflicts
    }
    if scope.organiser:
        candidate_ids |= {o.candidate_id for *_, result in kept for o in result.outliers}
    candidates = {
        row["id"]: row for row in await db.fetch("standing_candidates", candidate_ids=sorted(candidate_ids))
    }
    people: dict[int, str] = {}
    if scope.organiser:
        person_ids = {j.juror_id for *_, result in kept for j in result.jurors}
        rows = await db.fetch("standing_people", person_ids=sorted(person_ids))
        people = {row["id"]: row["full_name"] for row in rows}

    def name(candidate_id: int) -> str:
        row = candidates.get(candidate_id)
        if row is None:
            return f"Candidat {candidate_id}"
        if scope.blind:
            return f"N° {row['entry_number']}" if row["entry_number"] else f"Candidat {candidate_id}"
        return row["name"]

    views = []
    for panel, category, digest, result in kept:
        lines = [
            LineView(
                **msgspec.structs.asdict(line),
                name=name(line.candidate_id),
                entry_number=candidates[line.candidate_id]["entry_number"]
                if line.candidate_id in candidates
                else None,
            )
            for line in result.lines
            if line.candidate_id not in scope.conflicts
        ]
        jurors = [
            JurorView(**msgspec.structs.asdict(j), name=people.get(j.juror_id, f"Juré {j.juror_id}"))
            for j in (result.jurors if scope.organiser else [])
        ]
        outliers = [
            OutlierView(
                **msgspec.structs.asdict(o),
                juror_name=people.get(o.juror_id, f"Juré {o.juror_id}"),
                candidate_name=name(o.candidate_id),
            )
            for o in (result.outliers if scope.organiser else [])
        ]
        views.append(
            StandingView(
                round_id=round_id,
                section=section_key(panel, category),
                panel_id=panel or None,
                panel_name=panels.get(panel, NO_PANEL),
                category_id=category or None,
                category_name=categories.get(category, (0, NO_CATEGORY))[1],
                input_digest=digest,
                method=result.method,
                parameters=result.parameters,
                seed=result.seed,
                top_k=result.top_k,
                global_ranking=result.global_ranking,
                assumption=result.assumption,
                design=result.design,
                design_message=design_message(result.design),
                lines=lines,
                jurors=jurors,
                outliers=outliers,
            )
        )
    order = {cid: position for cid, (position, _) in categories.items()}
    views.sort(key=lambda v: (v.panel_name, order.get(v.category_id or 0, 0), v.category_name))
    return views


# --- What the routes call ------------------------------------------------------------------------------


async def standings(
    db: Database,
    *,
    identity: Identity,
    round_id: int,
    panel: int | None = None,
    category: int | None = None,
    bootstrap: int = PAGE_BOOTSTRAP,
    executor: Executor | None = None,
) -> list[StandingView]:
    """The current standings of a round (optionally one panel and/or category; 0 = none)."""
    round_row = await _round(db, round_id)
    scope = await _scope(db, identity=identity, round_row=round_row)
    panel_keys = [panel] if panel is not None else None
    if scope.panels is not None:
        panel_keys = sorted(scope.panels if panel_keys is None else scope.panels & set(panel_keys))
        if not panel_keys:
            return []
    sections = await read_sections(
        db,
        round_id=round_id,
        panel_keys=panel_keys,
        category_keys=[category] if category is not None else None,
    )
    computed = await compute(
        db,
        round_id=round_id,
        sections=sections,
        calibration=round_calibration(round_row, bootstrap=bootstrap),
        executor=executor,
    )
    items = [(c.section.panel_key, c.section.category_key, c.section.digest, c.result) for c in computed]
    return await _views(db, round_id=round_id, items=items, scope=scope)


async def publish(
    db: Database,
    *,
    identity: Identity,
    round_id: int,
    bootstrap: int = PAGE_BOOTSTRAP,
    executor: Executor | None = None,
) -> PublishReceipt:
    """Freezes every standing of the round as a new numbered publication, and audits it."""
    await organiser_round(db, identity=identity, round_id=round_id)  # scope check and row lock
    round_row = await _round(db, round_id)
    if round_row["status"] not in PUBLISHABLE:
        raise Conflict("Le classement se publie une fois la notation close (délibération ou tour clos).")
    sections = await read_sections(db, round_id=round_id)
    if not sections:
        raise Invalid("Aucune fiche soumise : il n'y a pas de classement à publier.")
    calibration = round_calibration(round_row, bootstrap=bootstrap)
    computed = await compute(
        db, round_id=round_id, sections=sections, calibration=calibration, executor=executor
    )
    version = await db.fetchval("next_standing_version", round_id=round_id)
    await db.executemany(
        "insert_standing",
        [
            {
                "round_id": round_id,
                "version": version,
                "panel_id": c.section.panel_key or None,
                "category_id": c.section.category_key or None,
                "method": c.result.method,
                "parameters": _encode(c.result.parameters).decode(),
                "seed": c.result.seed,
                "input_digest": c.section.digest,
                "observations": _encode(c.section.observations).decode(),
                "result": c.encoded.decode(),
                "published_by": identity.person_id,
            }
            for c in computed
        ],
    )
    rows = await db.fetch("published_standing_ids", round_id=round_id, version=version)
    items = [PublishedItem(**dict(row)) for row in rows]
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=f"organiser:{identity.person_id}",
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
    return PublishReceipt(round_id=round_id, version=version, standings=items)


async def published(
    db: Database, *, identity: Identity, round_id: int, version: int | None = None
) -> Publication:
    """A publication (the latest by default), filtered like the live standings for jurors."""
    round_row = await _round(db, round_id)
    scope = await _scope(db, identity=identity, round_row=round_row)
    rows = await db.fetch("published_standings", round_id=round_id, version=version)
    if not rows:
        raise NotFound("Aucun classement publié pour ce tour.")
    items = [
        (row["panel_id"] or 0, row["category_id"] or 0, row["input_digest"], _decode_result(row["result"]))
        for row in rows
    ]
    return Publication(
        round_id=round_id,
        version=rows[0]["version"],
        published_at=rows[0]["published_at"],
        published_by=rows[0]["published_by_name"],
        standings=await _views(db, round_id=round_id, items=items, scope=scope),
    )


async def verify_published(
    db: Database,
    *,
    identity: Identity,
    round_id: int,
    version: int | None = None,
    executor: Executor | None = None,
) -> list[Verification]:
    """Recomputes a publication from the sheets as they are now, bypassing the cache."""
    round_row = await _round(db, round_id)
    await ensure_organiser_of_edition(db, identity=identity, edition_id=round_row["edition_id"])
    rows = await db.fetch("published_standings", round_id=round_id, version=version)
    if not rows:
        raise NotFound("Aucun classement publié pour ce tour.")
    current = {s.key: s for s in await read_sections(db, round_id=round_id)}
    checks = []
    for row in rows:
        stored = _decode_result(row["result"])
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


async def set_method(db: Database, *, identity: Identity, round_id: int, method: str) -> MethodChange:
    """Changes the method of a round's standings; publications keep the method they were made with."""
    await organiser_round(db, identity=identity, round_id=round_id)
    round_row = await _round(db, round_id)
    if method not in METHODS:
        raise Invalid(f"Méthode inconnue : {method!r}.")
    if round_row["status"] == "closed":
        raise Conflict("Le tour est clos : sa méthode de calcul ne change plus.")
    previous = round_row["method"]
    if method != previous:
        await db.execute("set_round_method", round_id=round_id, method=method)
        await append_event(
            db,
            actor_id=identity.person_id,
            actor_label=f"organiser:{identity.person_id}",
            action="round.method_changed",
            target=f"round:{round_id}",
            payload={"from": previous, "to": method},
        )
    return MethodChange(round_id=round_id, previous=previous, method=method)


async def organiser_page(
    db: Database,
    *,
    identity: Identity,
    round_id: int,
    section: str | None = None,
    bootstrap: int = PAGE_BOOTSTRAP,
    executor: Executor | None = None,
) -> StandingPage:
    """The context of the organisers' page: the sections, the chosen standings and their charts.

    A round of a few sections shows them all; a larger one (a national contest has a thousand) lists
    them, and a chosen section is shown alone: the page only ever reads and calibrates what it displays.
    """
    round_row = await _round(db, round_id)
    scope = await _scope(db, identity=identity, round_row=round_row)
    if not scope.organiser:
        raise Forbidden("Réservé aux organisateurs.")
    panels, categories = await _labels(db, round_id)
    wanted = parse_section(section) if section is not None else None
    summaries = [
        SectionSummary(
            section=section_key(row["panel_key"], row["category_key"]),
            panel_id=row["panel_key"] or None,
            panel_name=panels.get(row["panel_key"], NO_PANEL),
            category_id=row["category_key"] or None,
            category_name=categories.get(row["category_key"], (0, NO_CATEGORY))[1],
            candidates=row["candidates"],
            sheets=row["sheets"],
            jurors=row["jurors"],
        )
        for row in await db.fetch(
            "round_sections",
            round_id=round_id,
            panel_key=wanted[0] if wanted else None,
            category_key=wanted[1] if wanted else None,
        )
    ]
    if wanted is not None and not summaries:
        raise NotFound("Section de classement inconnue.")
    views: list[StandingView] = []
    spreads: dict[str, dict[int, list[float]]] = {}
    if wanted is not None or len(summaries) <= INLINE_SECTIONS:
        sections = await read_sections(
            db,
            round_id=round_id,
            panel_keys=[wanted[0]] if wanted else None,
            category_keys=[wanted[1]] if wanted else None,
        )
        computed = await compute(
            db,
            round_id=round_id,
            sections=sections,
            calibration=round_calibration(round_row, bootstrap=bootstrap),
            executor=executor,
        )
        for c in computed:
            spread: dict[int, list[float]] = {}
            for _, candidate, total, _ in c.section.observations:
                if total is not None:
                    spread.setdefault(candidate, []).append(total)
            spreads[c.section.key] = spread
        items = [(c.section.panel_key, c.section.category_key, c.section.digest, c.result) for c in computed]
        views = await _views(db, round_id=round_id, items=items, scope=scope, labels=(panels, categories))
    drawn = await anyio.to_thread.run_sync(functools.partial(_draw, views, spreads))
    return StandingPage(
        round={
            "id": round_row["id"],
            "name": round_row["name"],
            "status": round_row["status"],
            "method": round_row["method"],
            "method_label": METHOD_LABELS.get(round_row["method"], round_row["method"]),
            "advance_count": round_row["advance_count"],
            "edition_slug": round_row["edition_slug"],
            "edition_year": round_row["edition_year"],
            "contest_name": round_row["contest_name"],
        },
        methods=list(METHOD_LABELS.items()),
        sections=summaries,
        selected=section,
        standings=views,
        charts=drawn,
        versions=[dict(row) for row in await db.fetch("published_versions", round_id=round_id)],
        bootstrap=bootstrap,
    )


def _draw(
    views: Sequence[StandingView], spreads: dict[str, dict[int, list[float]]]
) -> dict[str, dict[str, str]]:
    """pygal takes tens of milliseconds per chart: drawn in a thread like the calibration."""
    return {
        view.section: {
            "jurors": charts.juror_chart(view) if view.jurors else "",
            "spread": charts.spread_chart(view, spreads[view.section]) if view.lines else "",
        }
        for view in views
    }
