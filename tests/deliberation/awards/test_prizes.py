import pytest

from jury.deliberation.awards.prizes import (
    SPECIAL_PRIZE_CODE,
    Award,
    PodiumPlace,
    Prize,
    Problem,
    award_problems,
    final_prizes,
    podium_problems,
    prize_of,
    validate_awards,
    validate_podium,
)

CATEGORIES = {
    "transition": "Prix de la transition énergétique",
    "feminin": "Prix de l'entrepreneuriat au féminin",
    "territorial": "Prix territorial",
}


@pytest.fixture
def prizes() -> tuple[Prize, ...]:
    return final_prizes(categories=CATEGORIES)


def test_final_has_one_prize_per_category_plus_the_special_prize(prizes):
    assert [p.code for p in prizes] == ["transition", "feminin", "territorial", SPECIAL_PRIZE_CODE]
    assert prizes[-1] == Prize(code="special", label="Prix spécial Made in 92")


def test_final_prizes_from_pairs_and_duplicate_codes():
    prizes = final_prizes(
        categories=[("sante", "Prix santé, sport et bien-être")], special_label="Prix spécial"
    )
    assert [p.label for p in prizes] == ["Prix santé, sport et bien-être", "Prix spécial"]
    with pytest.raises(ValueError, match="Code de prix en double : special"):
        final_prizes(categories={"special": "Prix spécial bis"})


def award(prize: str, candidate: str) -> Award:
    return Award(prize=prize, candidate=candidate)


def test_valid_award_sheet(prizes):
    awards = [
        award("transition", "Nobsolete"),
        award("feminin", "Dos Palomas"),
        award("territorial", "Atelier Sèvres"),
        award("special", "Hélio 92"),
    ]
    assert validate_awards(awards=awards, prizes=prizes, allow_multiple=False) == []
    assert validate_awards(awards=awards, prizes=prizes, allow_multiple=False, require_all=True) == []


def test_prize_awarded_twice(prizes):
    awards = [award("transition", "Nobsolete"), award("transition", "Hélio 92")]
    assert validate_awards(awards=awards, prizes=prizes, allow_multiple=True) == [
        "Prix attribué plusieurs fois : Prix de la transition énergétique (Nobsolete et Hélio 92)"
    ]


def test_same_award_entered_twice_is_reported(prizes):
    awards = [award("special", "Nobsolete"), award("special", "Nobsolete")]
    assert validate_awards(awards=awards, prizes=prizes, allow_multiple=False) == [
        "Prix attribué plusieurs fois : Prix spécial Made in 92 (Nobsolete et Nobsolete)"
    ]


def test_two_prizes_for_one_candidate_when_forbidden(prizes):
    awards = [
        award("transition", "Nobsolete"),
        award("special", "Nobsolete"),
        award("feminin", "Dos Palomas"),
    ]
    assert validate_awards(awards=awards, prizes=prizes, allow_multiple=False) == [
        "Nobsolete ne peut pas recevoir plusieurs prix dans cette édition : "
        "Prix de la transition énergétique et Prix spécial Made in 92"
    ]


def test_two_prizes_for_one_candidate_when_allowed(prizes):
    awards = [
        award("transition", "Nobsolete"),
        award("special", "Nobsolete"),
        award("feminin", "Dos Palomas"),
    ]
    assert validate_awards(awards=awards, prizes=prizes, allow_multiple=True) == []


def test_unknown_prize(prizes):
    awards = [award("gastronomie", "Le Miel de Greg"), award("special", "Nobsolete")]
    assert validate_awards(awards=awards, prizes=prizes, allow_multiple=False) == [
        "Prix inconnu : « gastronomie » attribué à Le Miel de Greg"
    ]


def test_unawarded_prize_is_an_error_only_when_all_are_required(prizes):
    awards = [award("transition", "Nobsolete"), award("special", "Hélio 92")]
    assert validate_awards(awards=awards, prizes=prizes, allow_multiple=False) == []
    assert validate_awards(awards=awards, prizes=prizes, allow_multiple=False, require_all=True) == [
        "Prix non attribué : Prix de l'entrepreneuriat au féminin",
        "Prix non attribué : Prix territorial",
    ]


def test_all_errors_are_reported_together(prizes):
    awards = [
        award("inconnu", "X"),
        award("transition", "A"),
        award("transition", "B"),
        award("special", "A"),
    ]
    assert validate_awards(awards=awards, prizes=prizes, allow_multiple=False) == [
        "Prix inconnu : « inconnu » attribué à X",
        "Prix attribué plusieurs fois : Prix de la transition énergétique (A et B)",
        "A ne peut pas recevoir plusieurs prix dans cette édition : "
        "Prix de la transition énergétique et Prix spécial Made in 92",
    ]


# --- Gâteau podium --------------------------------------------------------------------------------------

TASTED = {"07", "12", "17", "23", "31"}


def podium(*lines: tuple[int, str]) -> list[PodiumPlace]:
    return [PodiumPlace(place=p, entry=e) for p, e in lines]


def test_valid_podium():
    assert validate_podium(podium=podium((1, "12"), (2, "07"), (3, "31")), entries=TASTED) == []
    # Order of the lines does not matter.
    assert validate_podium(podium=podium((3, "31"), (1, "12"), (2, "07"))) == []


def test_place_awarded_twice():
    errors = validate_podium(podium=podium((1, "12"), (2, "07"), (2, "17"), (3, "31")), entries=TASTED)
    assert errors == ["2e prix attribué plusieurs fois : entrées 07 et 17"]


def test_entry_on_two_places():
    errors = validate_podium(podium=podium((1, "12"), (2, "12"), (3, "31")), entries=TASTED)
    assert errors == ["Entrée 12 classée plusieurs fois : 1er prix et 2e prix"]


def test_missing_place_required_or_not():
    lines = podium((1, "12"), (2, "07"))
    assert validate_podium(podium=lines) == ["3e prix non attribué"]
    assert validate_podium(podium=lines, require_complete=False) == []


def test_place_outside_the_podium():
    errors = validate_podium(podium=podium((1, "12"), (2, "07"), (3, "31"), (4, "23")))
    assert errors == ["Place 4 inexistante (entrée 23) : le podium compte les places 1 à 3"]
    assert validate_podium(podium=podium((0, "12")), require_complete=False) == [
        "Place 0 inexistante (entrée 12) : le podium compte les places 1 à 3"
    ]


def test_podium_size_is_an_edition_setting():
    lines = podium((1, "12"), (2, "07"), (3, "31"), (4, "23"))
    assert validate_podium(podium=lines, places=4) == []


def test_unknown_entry_number():
    errors = validate_podium(podium=podium((1, "12"), (2, "07"), (3, "99")), entries=TASTED)
    assert errors == ["Entrée inconnue : 99 (3e prix)"]


def test_empty_podium():
    assert validate_podium(podium=[]) == [
        "1er prix non attribué",
        "2e prix non attribué",
        "3e prix non attribué",
    ]
    assert validate_podium(podium=[], require_complete=False) == []


# --- Ex aequo and prizes several laureates hold ------------------------------------------------------------


def test_a_prize_of_one_place_is_shared_ex_aequo_only_where_it_allows_it():
    shared = [award("coeur", "Nobsolete"), award("coeur", "Hélio 92")]
    closed = Prize(code="coeur", label="Prix coup de cœur")
    assert award_problems(awards=shared, prizes=[closed], allow_multiple=False) == [
        Problem(message="Prix attribué plusieurs fois : Prix coup de cœur (Nobsolete et Hélio 92)", line=1)
    ]
    tied = Prize(code="coeur", label="Prix coup de cœur", ex_aequo=True)
    three = [*shared, award("coeur", "Dos Palomas")]
    assert validate_awards(awards=three, prizes=[tied], allow_multiple=False) == []
    # Ex aequo shares a place between candidates; the same candidate twice is still a slip.
    assert award_problems(
        awards=[*shared, award("coeur", "Hélio 92")], prizes=[tied], allow_multiple=False
    ) == [Problem(message="Hélio 92 reçoit deux fois : Prix coup de cœur", line=2)]


def test_a_label_goes_to_every_holder_and_a_cohort_to_its_places_only():
    label = prize_of(
        code="label",
        label="Label « Artisan du tourisme »",
        kind="label",
        max_winners=None,
        ex_aequo_allowed=False,
    )
    assert label == Prize(code="label", label="Label « Artisan du tourisme »", holders=None)
    artisans = [award("label", name) for name in ("Sèvres", "Parc", "Vasseur", "Lemoine", "Coteaux")]
    assert award_problems(awards=artisans, prizes=[label], allow_multiple=False) == []

    cohort = prize_of(code="promo", label="Promotion", kind="cohort", max_winners=4, ex_aequo_allowed=False)
    four = [award("promo", name) for name in ("Lumen", "Bocal", "Kinésis", "Nomade")]
    assert award_problems(awards=four, prizes=[cohort], allow_multiple=False) == []
    assert award_problems(awards=[*four, award("promo", "Verte")], prizes=[cohort], allow_multiple=False) == [
        Problem(
            message="Promotion : au plus 4 lauréat(s), 5 désigné(s) (Lumen, Bocal, Kinésis, Nomade et Verte)",
            line=4,
        )
    ]
    # The same candidate named twice is reported, and counts once against the places.
    assert award_problems(
        awards=[*four[:3], award("promo", "Lumen"), award("promo", "Nomade")],
        prizes=[cohort],
        allow_multiple=False,
    ) == [Problem(message="Lumen reçoit deux fois : Promotion", line=3)]


def test_a_stored_prize_becomes_its_rule():
    assert prize_of(code="x", label="X", kind="special", max_winners=1, ex_aequo_allowed=True) == Prize(
        code="x", label="X", holders=1, ex_aequo=True
    )
    assert prize_of(code="x", label="X", kind="category", max_winners=1, ex_aequo_allowed=False) == Prize(
        code="x", label="X"
    )
    # Laureates of a call for projects are counted, never shared ex aequo (they hold no place).
    assert prize_of(code="x", label="X", kind="laureate", max_winners=7, ex_aequo_allowed=True) == Prize(
        code="x", label="X", holders=7
    )


def test_one_prize_per_candidate_holds_for_labels_too():
    label = Prize(code="label", label="Label", holders=None)
    special = Prize(code="special", label="Prix spécial")
    sheet = [award("label", "Sèvres"), award("special", "Sèvres")]
    assert award_problems(awards=sheet, prizes=[label, special], allow_multiple=False) == [
        Problem(
            message="Sèvres ne peut pas recevoir plusieurs prix dans cette édition : Label et Prix spécial"
        )
    ]
    assert award_problems(awards=sheet, prizes=[label, special], allow_multiple=True) == []


def test_a_podium_place_is_shared_ex_aequo_only_where_the_prize_allows_it():
    tie = podium((1, "12"), (1, "07"), (3, "31"))
    assert podium_problems(podium=tie, entries=TASTED, require_complete=False) == [
        Problem(message="1er prix attribué plusieurs fois : entrées 12 et 07", line=1)
    ]
    assert validate_podium(podium=tie, entries=TASTED, require_complete=False, ex_aequo_places={1}) == []
    # Sharing a place never lets one entry hold two.
    assert validate_podium(
        podium=podium((1, "12"), (1, "12")), require_complete=False, ex_aequo_places={1}
    ) == ["Entrée 12 classée plusieurs fois : 1er prix et 1er prix"]
