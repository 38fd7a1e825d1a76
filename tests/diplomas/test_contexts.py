"""What a diploma prints, from its `diploma_sources` row: the built-in contests' choices, everything an award
states for any other contest, and the granted amount whatever the contest."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jury.diplomas.contexts import build_context
from jury.diplomas.models import Signatory

SIGNATORIES = (Signatory(name="Georges Siffredi", title="Le Président du Département des Hauts-de-Seine"),)


def source(contest: str, **changes: Any) -> dict[str, Any]:
    row = {
        "contest": contest,
        "contest_name": "Curious Lab'",
        "edition_number": 5,
        "year": 2023,
        "person_name": "Inès Garnier",
        "organisation_name": "Ville de Sèvres",
        "commune": "Sèvres",
        "prize": "Solution retenue Curious Lab'",
        "prize_kind": "laureate",
        "place": None,
        "category": "Défis des communes",
        "creation_name": "",
        "project_title": "Un guichet unique",
        "granted_eur": 20000,
        "decided_on": dt.date(2023, 6, 15),
        "signed_at": "",
        "verification_code": "CL23-5VR5-0001",
    }
    return {**row, **changes}


def context(contest: str, **changes: Any):
    return build_context(
        source(contest, **changes), signatories=SIGNATORIES, base_url="https://concours.example.fr"
    )


def test_a_contest_set_up_through_the_api_prints_what_its_award_states() -> None:
    ctx = context("curious-lab")
    assert (ctx.contest, ctx.prize, ctx.project_name, ctx.amount_euros, ctx.category, ctx.place) == (
        "curious-lab",
        "Solution retenue Curious Lab'",
        "Un guichet unique",
        20000,
        None,  # a laureate prize is not a category's
        None,
    )
    assert (ctx.signed_at, ctx.signatories, ctx.template_names[-1]) == (
        "Nanterre",
        SIGNATORIES,
        "generic.html",
    )
    category = context("curious-lab", prize_kind="category", granted_eur=None, project_title="")
    assert (category.prize, category.category, category.amount_euros, category.project_name) == (
        "Solution retenue Curious Lab'",
        "Défis des communes",
        None,
        None,
    )
    podium = context("curious-lab", prize_kind="podium", place=2, creation_name="L'écrin")
    assert (podium.prize, podium.place, podium.creation_name) == (None, 2, "L'écrin")


@pytest.mark.parametrize("contest", ["progress", "made-in-92", "gateau-des-hauts-de-seine", "curious-lab"])
def test_a_granted_amount_is_printed_whatever_the_contest(contest: str) -> None:
    kind = {"gateau-des-hauts-de-seine": "podium"}.get(contest, "laureate")
    assert context(contest, prize_kind=kind, place=1).amount_euros == 20000
    assert context(contest, prize_kind=kind, place=1, granted_eur=None).amount_euros is None


def test_the_built_in_contests_keep_their_choices() -> None:
    progress = context("progress")
    assert (progress.prize, progress.project_name, progress.category) == (None, "Un guichet unique", None)
    made_in_92 = context("made-in-92", prize_kind="category", granted_eur=None)
    assert (made_in_92.category, made_in_92.project_name, made_in_92.amount_euros) == (
        "Défis des communes",
        None,
        None,
    )
    gateau = context("gateau-des-hauts-de-seine", prize_kind="podium", place=1, creation_name="L'écrin")
    assert (gateau.place, gateau.prize, gateau.creation_name, gateau.project_name) == (
        1,
        None,
        "L'écrin",
        None,
    )
