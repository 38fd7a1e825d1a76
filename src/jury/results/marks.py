"""The marks of a round, read from the submitted sheets and grouped by section.

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
  its own; a key of 0 stands for "no panel" or "no category".
* **Digest.** The SHA-256 of the canonical marks (sorted `[juror, candidate, total, eliminated]`): any
  change of a sheet changes it, so it keys the cache and proves what a publication was computed from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import msgspec

from jury.db.queries import Database
from jury.errors import Conflict, NotFound
from jury.results.calibration import Observation, encode


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
    """How a section is named in URLs and JSON (`3-7`): one string, so a page can link to it."""
    return f"{panel_key}-{category_key}"


def parse_section(text: str) -> tuple[int, int]:
    """The keys of a section named in a URL; anything else is an unknown section (404), not a crash."""
    try:
        panel, category = (int(part) for part in text.split("-"))
    except ValueError:
        raise NotFound("Section de classement inconnue.") from None
    return panel, category


def input_digest(observations: Sequence[Observation]) -> str:
    """SHA-256 of the canonical marks; callers pass them sorted by (juror, candidate)."""
    return hashlib.sha256(encode(observations)).hexdigest()


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


async def round_panel_keys(db: Database, *, round_id: int) -> list[int]:
    """The panels of the round's candidates, sorted (0: candidates with no panel)."""
    return [row["panel_key"] for row in await db.fetch("round_panel_keys", round_id=round_id)]


def group_observations(rows: Iterable[tuple]) -> list[Section]:
    """Rows of `round_observations` (sorted by section) into sections with their digests.

    A value given for a criterion of another category is refused rather than ignored: the total would
    silently leave out what the juror meant to count."""
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
