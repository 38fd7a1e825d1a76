"""Award rules: the prizes of a Made in 92 final, the podium of the Gâteau des Hauts-de-Seine, a label or a
cohort held by several laureates.

The validators return every problem as a French sentence instead of raising on the first one, so the
organiser can fix an award sheet in one pass and the procès-verbal is only signed when the list is empty.
Which prizes exist, how many candidates may hold each and whether one laureate may hold two of them are
decisions of each edition:

- a prize of one place (category, special, territorial, podium) goes to one candidate; two or more share
  it ex aequo only where the prize allows it (``ex_aequo_allowed``);
- a prize several laureates hold (a label, a cohort, the laureates of a call for projects) goes to up to
  ``max_winners`` candidates (None: no limit); ex aequo means nothing there, having no place to share.

The ``*_problems`` functions say which line of the sheet each problem is about (the line that goes over
what the prize allows), so an answer can name it; ``validate_*`` give the sentences only.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import msgspec

from jury.contests.grid_rules import SEVERAL_HOLDER_KINDS
from jury.french.ordinal import prize_ordinal

__all__ = [
    "SPECIAL_PRIZE_CODE",
    "Award",
    "PodiumPlace",
    "Prize",
    "Problem",
    "award_problems",
    "final_prizes",
    "podium_problems",
    "prize_of",
    "validate_awards",
    "validate_podium",
]

SPECIAL_PRIZE_CODE = "special"


class Prize(msgspec.Struct, frozen=True, kw_only=True):
    """A prize as the sheet rules see it. ``holders``: how many candidates may hold it (1: a prize of one
    place; None: no limit); ``ex_aequo``: whether several candidates may share its one place."""

    code: str
    label: str
    holders: int | None = 1
    ex_aequo: bool = False


class Award(msgspec.Struct, frozen=True, kw_only=True):
    prize: str
    candidate: str


class PodiumPlace(msgspec.Struct, frozen=True, kw_only=True):
    """A podium line; entries are the anonymous numbers used during the blind tasting."""

    place: int
    entry: str


class Problem(msgspec.Struct, frozen=True, kw_only=True):
    """One refusal; ``line`` is the index of the sheet's line it is about, when one line is (a candidate
    holding two prizes, or a prize left unawarded, is about the sheet)."""

    message: str
    line: int | None = None


def prize_of(*, code: str, label: str, kind: str, max_winners: int | None, ex_aequo_allowed: bool) -> Prize:
    """The rule of a stored prize: a prize several laureates hold counts its holders up to
    ``max_winners``; any other has one place, which ``ex_aequo_allowed`` lets several candidates share."""
    if kind in SEVERAL_HOLDER_KINDS:
        return Prize(code=code, label=label, holders=max_winners)
    return Prize(code=code, label=label, holders=1, ex_aequo=ex_aequo_allowed)


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
    """Check a final's award sheet: the sentences of `award_problems`."""
    return [
        p.message
        for p in award_problems(
            awards=awards, prizes=prizes, allow_multiple=allow_multiple, require_all=require_all
        )
    ]


def award_problems(
    *,
    awards: Sequence[Award],
    prizes: Sequence[Prize],
    allow_multiple: bool,
    require_all: bool = False,
) -> list[Problem]:
    """Check an award sheet.

    Unknown prize codes are refused; a prize of one place goes to one candidate unless it allows ex aequo;
    a prize several laureates hold goes to at most its ``holders`` candidates, each once; a candidate
    holding two prizes is an error only when the edition forbids it (``allow_multiple``). A prize may be
    left unawarded (a jury can decide not to give it) unless ``require_all`` is set.
    """
    by_code = {p.code: p for p in prizes}
    problems: list[Problem] = []
    lines: dict[str, list[int]] = {}
    for index, award in enumerate(awards):
        if award.prize not in by_code:
            problems.append(
                Problem(message=f"Prix inconnu : « {award.prize} » attribué à {award.candidate}", line=index)
            )
            continue
        lines.setdefault(award.prize, []).append(index)

    for prize in prizes:
        given = lines.get(prize.code, [])
        winners = [awards[i].candidate for i in given]
        if not given:
            if require_all:
                problems.append(Problem(message=f"Prix non attribué : {prize.label}"))
            continue
        if prize.holders == 1 and not prize.ex_aequo:
            if len(given) > 1:
                problems.append(
                    Problem(
                        message=f"Prix attribué plusieurs fois : {prize.label} ({_join(winners)})",
                        line=given[1],
                    )
                )
            continue
        seen: set[str] = set()
        distinct: list[int] = []
        for i in given:
            if awards[i].candidate in seen:
                problems.append(
                    Problem(message=f"{awards[i].candidate} reçoit deux fois : {prize.label}", line=i)
                )
            else:
                seen.add(awards[i].candidate)
                distinct.append(i)
        # One place shared ex aequo takes as many candidates as the jury found tied.
        limit = None if prize.ex_aequo else prize.holders
        if limit is not None and len(distinct) > limit:
            names = [awards[i].candidate for i in distinct]
            problems.append(
                Problem(
                    message=f"{prize.label} : au plus {limit} lauréat(s), "
                    f"{len(distinct)} désigné(s) ({_join(names)})",
                    line=distinct[limit],
                )
            )

    if not allow_multiple:
        held: dict[str, list[tuple[str, int]]] = {}
        for prize in prizes:
            for i in lines.get(prize.code, []):
                won = held.setdefault(awards[i].candidate, [])
                if prize.label not in [label for label, _ in won]:
                    won.append((prize.label, i))
        for candidate, won in held.items():
            if len(won) > 1:
                problems.append(
                    Problem(
                        message=f"{candidate} ne peut pas recevoir plusieurs prix dans cette édition : "
                        f"{_join([label for label, _ in won])}",
                    )
                )
    return problems


def validate_podium(
    *,
    podium: Sequence[PodiumPlace],
    entries: Collection[str] | None = None,
    places: int = 3,
    require_complete: bool = True,
    ex_aequo_places: Collection[int] = (),
) -> list[str]:
    """Check the Gâteau podium: the sentences of `podium_problems`."""
    return [
        p.message
        for p in podium_problems(
            podium=podium,
            entries=entries,
            places=places,
            require_complete=require_complete,
            ex_aequo_places=ex_aequo_places,
        )
    ]


def podium_problems(
    *,
    podium: Sequence[PodiumPlace],
    entries: Collection[str] | None = None,
    places: int = 3,
    require_complete: bool = True,
    ex_aequo_places: Collection[int] = (),
) -> list[Problem]:
    """Check the Gâteau podium: places 1…``places``, each awarded once, each to a distinct entry.

    ``entries``, when given, are the numbers of the cakes actually tasted, so a typo in an entry number is
    caught. ``require_complete=False`` lets a jury leave a place empty (it once judged the entries
    insufficient). A place of ``ex_aequo_places`` may be shared by several entries.
    """
    problems: list[Problem] = []
    by_place: dict[int, list[tuple[str, int]]] = {}
    by_entry: dict[str, list[tuple[int, int]]] = {}
    valid = range(1, places + 1)
    for index, line in enumerate(podium):
        if line.place not in valid:
            problems.append(
                Problem(
                    message=f"Place {line.place} inexistante (entrée {line.entry}) : "
                    f"le podium compte les places 1 à {places}",
                    line=index,
                )
            )
            continue
        if entries is not None and line.entry not in entries:
            problems.append(
                Problem(message=f"Entrée inconnue : {line.entry} ({prize_ordinal(line.place)})", line=index)
            )
        by_place.setdefault(line.place, []).append((line.entry, index))
        by_entry.setdefault(line.entry, []).append((line.place, index))

    for place in valid:
        given = by_place.get(place, [])
        if len(given) > 1 and place not in ex_aequo_places:
            problems.append(
                Problem(
                    message=f"{prize_ordinal(place)} attribué plusieurs fois : "
                    f"entrées {_join([entry for entry, _ in given])}",
                    line=given[1][1],
                )
            )
        elif not given and require_complete:
            problems.append(Problem(message=f"{prize_ordinal(place)} non attribué"))
    for entry, held in by_entry.items():
        if len(held) > 1:
            problems.append(
                Problem(
                    message=f"Entrée {entry} classée plusieurs fois : "
                    f"{_join([prize_ordinal(p) for p in sorted(p for p, _ in held)])}",
                )
            )
    return problems


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} et {items[-1]}"
