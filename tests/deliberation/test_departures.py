"""The sentences that name a decision going against its standing (pure rules)."""

from __future__ import annotations

from jury.deliberation.departures import Ranked, grant_departures, prize_departure

RANKING = [
    Ranked(candidate_id=1, name="Atelier Lumen", rank=1),
    Ranked(candidate_id=2, name="Solaris Seine", rank=2),
    Ranked(candidate_id=3, name="Voltaïque", rank=2),
    Ranked(candidate_id=4, name="Kiosque", rank=4),
    Ranked(candidate_id=5, name="Sans note", rank=None),
]


def test_a_prize_to_the_first_or_within_its_place_departs_from_nothing():
    assert prize_departure(candidate_id=1, place=1, ranking=RANKING) == ""
    assert prize_departure(candidate_id=3, place=2, ranking=RANKING) == ""  # tied 2nd: the 2nd place holds


def test_a_prize_below_its_place_names_who_is_ahead():
    assert prize_departure(candidate_id=2, place=1, ranking=RANKING) == (
        "Contraire au classement : classé 2e pour la 1re place ; devant : Atelier Lumen (1er)."
    )
    assert prize_departure(candidate_id=4, place=3, ranking=RANKING) == (
        "Contraire au classement : classé 4e pour la 3e place ; devant : Atelier Lumen (1er), Solaris Seine (2e), "
        "Voltaïque (2e)."
    )
    assert prize_departure(candidate_id=5, place=1, ranking=RANKING).startswith(
        "Contraire au classement : non classé pour la 1re place"
    )


def test_a_candidate_ahead_who_holds_another_prize_does_not_count():
    assert prize_departure(candidate_id=2, place=1, ranking=RANKING, unavailable={1}) == ""
    assert prize_departure(candidate_id=4, place=1, ranking=RANKING, unavailable={1}) != ""


def test_a_grant_departs_when_a_better_ranked_fundable_project_is_passed_over():
    passed_over = {1: False, 2: True, 3: False, 4: False}
    assert grant_departures(funded=[1, 4], ranking=RANKING, passed_over=passed_over) == {
        4: "Contraire au classement : classé 4e, financé avant Solaris Seine (2e), non retenu(s)."
    }
    assert grant_departures(funded=[1, 2], ranking=RANKING, passed_over={}) == {}
