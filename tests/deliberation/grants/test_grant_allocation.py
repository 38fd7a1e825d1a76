import pytest

from jury.deliberation.grants.allocation import (
    Grant,
    GrantRequest,
    propose_allocation,
    ranking_order,
    validate_allocation,
)

MAX = 15_000
BUDGET = 100_000
FORMS_2022 = ["association", "structure agréée ESUS"]
COMMUNES_92 = {"92002", "92012", "92020", "92050", "92063"}


def plain(text: str) -> str:
    """Messages use French typographic spaces; compare them with ordinary ones for readability."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def plain_all(texts: list[str]) -> list[str]:
    return [plain(t) for t in texts]


# --- Proposed allocation --------------------------------------------------------------------------------


def amounts(allocation) -> list[tuple[str, int, str]]:
    return [(g.candidate, g.granted, g.status) for g in allocation.grants]


def test_everything_fits():
    allocation = propose_allocation(
        ranked=[("A", 15_000), ("B", 10_000), ("C", 5_000)], budget=BUDGET, max_grant=MAX
    )
    assert amounts(allocation) == [("A", 15_000, "full"), ("B", 10_000, "full"), ("C", 5_000, "full")]
    assert allocation.total == 30_000
    assert allocation.remaining == 70_000
    assert plain(allocation.grants[0].note) == "Montant demandé accordé en totalité : 15 000 €"


def test_budget_exactly_spent():
    ranked = [GrantRequest(candidate=f"P{i}", requested=12_500) for i in range(1, 9)]
    allocation = propose_allocation(ranked=ranked, budget=BUDGET, max_grant=MAX)
    assert [g.granted for g in allocation.grants] == [12_500] * 8
    assert allocation.total == 100_000
    assert allocation.remaining == 0


SEVEN_AT_14K = [(f"P{i}", 14_000) for i in range(1, 8)]  # 7 × 14 000 € = 98 000 €, 2 000 € left


def test_without_partial_grants_skip_to_the_next_that_fits():
    ranked = [*SEVEN_AT_14K, ("P8", 10_000), ("P9", 3_000), ("P10", 2_000), ("P11", 500)]
    allocation = propose_allocation(ranked=ranked, budget=BUDGET, max_grant=MAX)
    assert amounts(allocation)[7:] == [
        ("P8", 0, "unfunded"),
        ("P9", 0, "unfunded"),
        ("P10", 2_000, "full"),
        ("P11", 0, "unfunded"),
    ]
    assert allocation.total == 100_000
    assert allocation.remaining == 0
    assert plain(allocation.grants[7].note) == (
        "Non financé : la demande (10 000 €) dépasse le reliquat du budget (2 000 €) "
        "et l'édition n'admet pas de financement partiel"
    )
    assert allocation.grants[10].note == "Non financé : budget épuisé"


def test_partial_grant_when_the_remainder_reaches_the_minimum():
    ranked = [*SEVEN_AT_14K[:6], ("P7", 10_000), ("P8", 12_000), ("P9", 4_000)]  # 84 000 + 10 000 = 94 000
    allocation = propose_allocation(ranked=ranked, budget=BUDGET, max_grant=MAX, min_partial=5_000)
    # 6 000 € remain for P8's 12 000 €: it is better ranked than P9, so it gets the remainder.
    assert amounts(allocation)[6:] == [
        ("P7", 10_000, "full"),
        ("P8", 6_000, "partial"),
        ("P9", 0, "unfunded"),
    ]
    assert allocation.total == 100_000
    assert plain(allocation.grants[7].note) == (
        "Financement partiel : reliquat du budget de 6 000 € accordé sur 12 000 € demandés "
        "(minimum de financement partiel : 5 000 €)"
    )


def test_remainder_equal_to_the_minimum_is_granted():
    allocation = propose_allocation(
        ranked=[("A", 8_000), ("B", 5_000)], budget=10_000, max_grant=MAX, min_partial=2_000
    )
    assert amounts(allocation) == [("A", 8_000, "full"), ("B", 2_000, "partial")]


def test_remainder_below_the_minimum_skips_to_the_next_that_fits():
    ranked = [*SEVEN_AT_14K[:6], ("P7", 12_000), ("P8", 10_000), ("P9", 3_000)]  # 96 000 €, 4 000 € left
    allocation = propose_allocation(ranked=ranked, budget=BUDGET, max_grant=MAX, min_partial=5_000)
    assert amounts(allocation)[6:] == [("P7", 12_000, "full"), ("P8", 0, "unfunded"), ("P9", 3_000, "full")]
    assert allocation.total == 99_000
    assert allocation.remaining == 1_000
    assert plain(allocation.grants[7].note) == (
        "Non financé : le reliquat du budget (4 000 €) est inférieur au minimum de financement partiel "
        "(5 000 €) et à la demande (10 000 €)"
    )


def test_grants_follow_standing_order_and_respect_every_bound():
    ranked = [("A", 15_000), ("B", 1_000), ("C", 14_999), ("D", 7_777), ("E", 15_000), ("F", 9_000)]
    allocation = propose_allocation(ranked=ranked, budget=40_000, max_grant=MAX, min_partial=1_000)
    assert [g.candidate for g in allocation.grants] == ["A", "B", "C", "D", "E", "F"]
    for grant, (_, requested) in zip(allocation.grants, ranked, strict=True):
        assert isinstance(grant, Grant)
        assert 0 <= grant.granted <= grant.requested == requested <= MAX
    assert allocation.total == sum(g.granted for g in allocation.grants) <= 40_000
    # 15 000 + 1 000 + 14 999 + 7 777 = 38 776: E's 15 000 € meets 1 224 € left, above the 1 000 € minimum.
    assert amounts(allocation) == [
        ("A", 15_000, "full"),
        ("B", 1_000, "full"),
        ("C", 14_999, "full"),
        ("D", 7_777, "full"),
        ("E", 1_224, "partial"),
        ("F", 0, "unfunded"),
    ]


def test_zero_budget_funds_nobody():
    allocation = propose_allocation(ranked=[("A", 1_000)], budget=0, max_grant=MAX)
    assert amounts(allocation) == [("A", 0, "unfunded")]
    assert allocation.total == 0


@pytest.mark.parametrize(
    ("ranked", "message"),
    [
        ([("A", 15_001)], "Montant demandé par A \\(15.001.€\\) supérieur au plafond de 15.000.€"),
        ([("A", 0)], "Montant demandé invalide pour A : 0"),
        ([("A", -10)], "Montant demandé invalide pour A : -10"),
        ([("A", 1_000), ("A", 2_000)], "Candidat en double dans le classement : A"),
    ],
)
def test_invalid_requests_are_refused(ranked, message):
    with pytest.raises(ValueError, match=message):
        propose_allocation(ranked=ranked, budget=BUDGET, max_grant=MAX)


def test_invalid_parameters_are_refused():
    with pytest.raises(ValueError, match="Budget invalide"):
        propose_allocation(ranked=[], budget=-1, max_grant=MAX)
    with pytest.raises(ValueError, match="Minimum de financement partiel invalide"):
        propose_allocation(ranked=[], budget=BUDGET, max_grant=MAX, min_partial=0)


# --- Validation of the committee's allocation ------------------------------------------------------------


def test_valid_allocation_has_no_error():
    grants = {"A": 15_000, "B": 8_000, "C": 0}
    requests = {"A": 15_000, "B": 10_000, "C": 4_000}
    assert validate_allocation(grants=grants, requests=requests, budget=BUDGET, max_grant=MAX) == []


def test_total_exactly_at_budget_is_valid():
    grants = {f"P{i}": 10_000 for i in range(10)}
    assert validate_allocation(grants=grants, requests=grants, budget=BUDGET, max_grant=MAX) == []


def test_total_over_budget():
    grants = {f"P{i}": 15_000 for i in range(6)} | {"P6": 10_500}  # 90 000 + 10 500 = 100 500
    errors = validate_allocation(grants=grants, requests=grants, budget=BUDGET, max_grant=MAX)
    assert plain_all(errors) == [
        "Total accordé (100 500 €) supérieur au budget (100 000 €) : dépassement de 500 €"
    ]


def test_granted_more_than_requested():
    errors = validate_allocation(
        grants={"Asso Lien": 12_000}, requests={"Asso Lien": 10_000}, budget=BUDGET, max_grant=MAX
    )
    assert plain_all(errors) == [
        "Montant accordé à Asso Lien (12 000 €) supérieur au montant demandé (10 000 €)"
    ]


def test_request_and_grant_above_the_cap():
    errors = validate_allocation(
        grants={"Cap": 16_000}, requests={"Cap": 16_000}, budget=BUDGET, max_grant=MAX
    )
    assert plain_all(errors) == [
        "Montant demandé par Cap (16 000 €) supérieur au plafond de 15 000 €",
        "Montant accordé à Cap (16 000 €) supérieur au plafond de 15 000 €",
    ]


def test_negative_amount_does_not_hide_an_overrun():
    grants = {"A": 15_000, "B": -500} | {f"P{i}": 15_000 for i in range(6)}  # 105 000 € paid out
    requests = dict.fromkeys(grants, 15_000)
    errors = validate_allocation(grants=grants, requests=requests, budget=BUDGET, max_grant=MAX)
    assert plain_all(errors) == [
        "Montant négatif pour B : -500 €",
        "Total accordé (105 000 €) supérieur au budget (100 000 €) : dépassement de 5 000 €",
    ]


def test_grant_without_request_and_non_integer_amounts():
    errors = validate_allocation(
        grants={"Ghost": 3_000, "Zero": 0, "Float": 1_500.5},
        requests={"Float": 2_000},
        budget=BUDGET,
        max_grant=MAX,
    )
    assert plain_all(errors) == [
        "Subvention de 3 000 € accordée à Ghost sans demande enregistrée",
        "Montant accordé à Float non entier : 1500.5",
    ]


def test_proposed_allocation_passes_validation():
    ranked = [
        ("A", 15_000),
        ("B", 14_000),
        ("C", 13_000),
        ("D", 15_000),
        ("E", 15_000),
        ("F", 15_000),
        ("G", 12_000),
        ("H", 9_000),
    ]
    allocation = propose_allocation(ranked=ranked, budget=BUDGET, max_grant=MAX, min_partial=2_000)
    grants = {g.candidate: g.granted for g in allocation.grants}
    assert grants["G"] == 12_000
    assert grants["H"] == 0  # 87 000 + 12 000 = 99 000: 1 000 € left, below the 2 000 € minimum
    assert validate_allocation(grants=grants, requests=dict(ranked), budget=BUDGET, max_grant=MAX) == []


# --- Standing order ---------------------------------------------------------------------------------


def test_one_standing_gives_its_ranking():
    assert ranking_order([[(7, 2), (3, 1), (9, 3)]]) == [3, 7, 9]


def test_several_standings_are_merged_rank_by_rank_and_unranked_come_last():
    nord = [(1, 1), (2, 2), (5, None)]
    sud = [(3, 2), (4, 1), (2, 3)]
    assert ranking_order([nord, sud]) == [1, 4, 2, 3, 5]


def test_ties_keep_the_standing_order():
    assert ranking_order([[(8, 1), (6, 1), (4, 3)]]) == [8, 6, 4]
