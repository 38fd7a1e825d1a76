"""The edition's lifecycle and settings rules, as plain values (jury.contests.edition_lifecycle)."""

from __future__ import annotations

import datetime as dt

import pytest

from jury.contests.edition_lifecycle import (
    EditionRules,
    EditionSnapshot,
    is_current,
    locked_fields,
    move_problem,
    next_steps,
    remap_policy,
    requirements,
    settings_errors,
    shift_years,
)

TODAY = dt.date(2026, 11, 27)


def snapshot(**fields) -> EditionSnapshot:
    base = {
        "status": "preparing",
        "opens_on": dt.date(2026, 1, 5),
        "closes_on": dt.date(2026, 3, 31),
        "decision_on": None,
        "rounds": 2,
        "categories_with_criteria": 3,
        "categories_without_criteria": [],
        "candidates": 12,
        "rounds_not_closed": [],
    }
    return EditionSnapshot(**(base | fields))


def test_current_means_not_yet_decided():
    assert [s for s in ("preparing", "applications", "judging", "decided", "archived") if is_current(s)] == [
        "preparing",
        "applications",
        "judging",
    ]


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("preparing", "applications"),
        ("applications", "judging"),
        ("judging", "decided"),
        ("decided", "archived"),
    ],
)
def test_each_step_goes_forward_one_at_a_time(current, target):
    assert move_problem(current=current, target=target, reason="") is None


@pytest.mark.parametrize(
    ("current", "target", "words"),
    [
        ("preparing", "judging", "l'étape suivante est « candidatures ouvertes »"),
        ("judging", "archived", "Seule une édition décidée peut être archivée"),
        ("preparing", "archived", "Seule une édition décidée peut être archivée"),
        ("decided", "judging", "décision ne se défait pas"),
        ("archived", "decided", "archivée"),
        ("judging", "judging", "déjà « jugement »"),
        ("judging", "current", "État inconnu"),
    ],
)
def test_other_moves_are_refused_with_the_reason(current, target, words):
    problem = move_problem(current=current, target=target, reason="un motif")
    assert problem is not None and words in problem


def test_a_step_back_needs_a_written_reason():
    assert "motif" in move_problem(current="applications", target="preparing", reason="  ")
    assert move_problem(current="applications", target="preparing", reason="Grille incomplète") is None
    assert move_problem(current="judging", target="applications", reason="Clôture repoussée") is None
    assert next_steps("judging") == ["decided", "applications"]
    assert next_steps("archived") == []


def test_opening_applications_needs_rounds_a_grid_and_dates():
    empty = snapshot(
        rounds=0,
        categories_with_criteria=0,
        categories_without_criteria=["Innovation"],
        opens_on=None,
        closes_on=None,
    )
    needs = requirements(target="applications", snapshot=empty, today=TODAY)
    assert [(n.field, n.fix) for n in needs] == [
        ("rounds", "rounds"),
        ("categories", "categories"),
        ("categories", "categories"),
        ("opens_on", "settings"),
        ("closes_on", "settings"),
    ]
    assert "« Innovation » n'a aucun critère" in needs[2].message
    assert requirements(target="applications", snapshot=snapshot(), today=TODAY) == []


def test_judging_needs_candidates_and_closed_applications():
    needs = requirements(
        target="judging", snapshot=snapshot(candidates=0, closes_on=dt.date(2026, 12, 15)), today=TODAY
    )
    assert [n.field for n in needs] == ["candidates", "closes_on"]
    assert "15 décembre 2026" in needs[1].message
    assert requirements(target="judging", snapshot=snapshot(closes_on=TODAY), today=TODAY) == []


def test_deciding_needs_every_round_closed():
    needs = requirements(
        target="decided", snapshot=snapshot(rounds_not_closed=["Finale", "Demi-finale Sud"]), today=TODAY
    )
    assert [n.message for n in needs] == [
        "Le tour « Finale » n'est pas clos.",
        "Le tour « Demi-finale Sud » n'est pas clos.",
    ]
    early = snapshot(decision_on=dt.date(2026, 1, 1))
    assert [n.field for n in requirements(target="decided", snapshot=early, today=TODAY)] == ["decision_on"]
    assert requirements(target="decided", snapshot=snapshot(), today=TODAY) == []
    assert requirements(target="archived", snapshot=snapshot(rounds=0), today=TODAY) == []


def test_settings_errors_name_each_field():
    rules = EditionRules(
        number=0,
        year=2026,
        opens_on=dt.date(2026, 3, 1),
        closes_on=dt.date(2026, 2, 1),
        budget_eur=10_000,
        max_grant_eur=15_000,
        retention_months=0,
        accepted_outside_insee=["Argenteuil"],
        tie_break_policy=["calibrated_score", "pile-ou-face"],
        eligible_legal_forms=["Association", "association"],
        place=" ",
    )
    fields = [e.field for e in settings_errors(rules)]
    assert fields == [
        "number",
        "place",
        "closes_on",
        "max_grant_eur",
        "retention_months",
        "eligible_legal_forms",
        "accepted_outside_insee",
        "tie_break_policy",
    ]
    assert (
        settings_errors(EditionRules(number=11, year=2026, tie_break_policy=["criterion:12", "chair"])) == []
    )


def test_a_copied_policy_names_the_copied_criteria():
    assert remap_policy(["criterion:4", "calibrated_score", "criterion:9", "chair"], {4: 40}) == [
        "criterion:40",
        "calibrated_score",
        "chair",
    ]


def test_dates_move_by_whole_years():
    assert shift_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert shift_years(dt.date(2025, 1, 31), 1) == dt.date(2026, 1, 31)
    assert shift_years(None, 1) is None


def test_a_decided_edition_keeps_its_rules():
    assert locked_fields("judging", ["budget_eur", "theme"]) == []
    assert locked_fields("decided", ["budget_eur", "theme", "retention_months"]) == ["budget_eur"]
    assert locked_fields("archived", ["theme"]) == ["theme"]
