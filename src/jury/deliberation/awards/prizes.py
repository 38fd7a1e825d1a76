"""Award rules: the prizes of a Made in 92 final and the podium of the Gâteau des Hauts-de-Seine.

The validators return every problem as a French sentence instead of raising on the first one, so the
organiser can fix an award sheet in one pass and the procès-verbal is only signed when the list is empty.
Which prizes exist and whether one laureate may hold two of them are decisions of each edition.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import msgspec

from jury.french.ordinal import prize_ordinal

__all__ = [
    "SPECIAL_PRIZE_CODE",
    "Award",
    "PodiumPlace",
    "Prize",
    "final_prizes",
    "validate_awards",
    "validate_podium",
]

SPECIAL_PRIZE_CODE = "special"


class Prize(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label: str


class Award(msgspec.Struct, frozen=True, kw_only=True):
    prize: str
    candidate: str


class PodiumPlace(msgspec.Struct, frozen=True, kw_only=True):
    """A podium line; entries are the anonymous numbers used during the blind tasting."""

    place: int
    entry: str


def final_prizes(
    *,
    categories: Mapping[str, str] | Sequence[tuple[str, str]],
    special_label: str = "Prix spécial Made in 92",
) -> tuple[Prize, ...]:
    """One prize per category of the edition plus the Prix spécial, which is not tied to a category.

    ``categories`` maps a category code to the prize's label, in the order of the ceremony.
    """
    items = list(categories.items()) if isinstance(categories, Mapping) else list(categories)
    prizes = [Prize(code=code, label=label) for code, label in items]
    prizes.append(Prize(code=SPECIAL_PRIZE_CODE, label=special_label))
    codes = [p.code for p in prizes]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValueError(f"Code de prix en double : {', '.join(duplicates)}")
    return tuple(prizes)


def validate_awards(
    *,
    awards: Sequence[Award],
    prizes: Sequence[Prize],
    allow_multiple: bool,
    require_all: bool = False,
) -> list[str]:
    """Check a final's award sheet.

    A prize goes to one candidate only; unknown prize codes are refused; a candidate holding two prizes is an
    error only when the edition forbids it (``allow_multiple``). A prize may be left unawarded (a jury can
    decide not to give it) unless ``require_all`` is set.
    """
    labels = {p.code: p.label for p in prizes}
    errors: list[str] = []
    holders: dict[str, list[str]] = {}
    for award in awards:
        if award.prize not in labels:
            errors.append(f"Prix inconnu : « {award.prize} » attribué à {award.candidate}")
            continue
        holders.setdefault(award.prize, []).append(award.candidate)

    for prize in prizes:
        winners = holders.get(prize.code, [])
        if len(winners) > 1:
            errors.append(f"Prix attribué plusieurs fois : {prize.label} ({_join(winners)})")
        elif not winners and require_all:
            errors.append(f"Prix non attribué : {prize.label}")

    if not allow_multiple:
        held: dict[str, list[str]] = {}
        for prize in prizes:
            for candidate in dict.fromkeys(holders.get(prize.code, [])):
                held.setdefault(candidate, []).append(prize.label)
        for candidate, won in held.items():
            if len(won) > 1:
                errors.append(
                    f"{candidate} ne peut pas recevoir plusieurs prix dans cette édition : {_join(won)}"
                )
    return errors


def validate_podium(
    *,
    podium: Sequence[PodiumPlace],
    entries: Collection[str] | None = None,
    places: int = 3,
    require_complete: bool = True,
) -> list[str]:
    """Check the Gâteau podium: places 1…``places``, each awarded once, each to a distinct entry.

    ``entries``, when given, are the numbers of the cakes actually tasted, so a typo in an entry number is
    caught. ``require_complete=False`` lets a jury leave a place empty (it once judged the entries
    insufficient).
    """
    errors: list[str] = []
    by_place: dict[int, list[str]] = {}
    by_entry: dict[str, list[int]] = {}
    valid = range(1, places + 1)
    for line in podium:
        if line.place not in valid:
            errors.append(
                f"Place {line.place} inexistante (entrée {line.entry}) : "
                f"le podium compte les places 1 à {places}"
            )
            continue
        if entries is not None and line.entry not in entries:
            errors.append(f"Entrée inconnue : {line.entry} ({prize_ordinal(line.place)})")
        by_place.setdefault(line.place, []).append(line.entry)
        by_entry.setdefault(line.entry, []).append(line.place)

    for place in valid:
        given = by_place.get(place, [])
        if len(given) > 1:
            errors.append(f"{prize_ordinal(place)} attribué plusieurs fois : entrées {_join(given)}")
        elif not given and require_complete:
            errors.append(f"{prize_ordinal(place)} non attribué")
    for entry, held in by_entry.items():
        if len(held) > 1:
            errors.append(
                f"Entrée {entry} classée plusieurs fois : {_join([prize_ordinal(p) for p in sorted(held)])}"
            )
    return errors


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} et {items[-1]}"
