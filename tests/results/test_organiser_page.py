"""The organisers' page view-model, refused to an organiser of another contest (its rendering is tested
through HTTP in test_web.py)."""

from __future__ import annotations

import pytest
from tests.helpers import make_contest, make_organiser

from jury.access.identity import Identity
from jury.errors import Forbidden
from jury.results.organiser_page import organiser_page


async def test_an_organiser_of_another_contest_is_refused(db, small_round):
    await make_contest(db, slug="progress", kind="organisation")
    await make_organiser(db, email="dep@exemple.fr", contests=["progress"])
    person = await db.conn.fetchval("select id from people where email = 'dep@exemple.fr'")
    other = Identity(person_id=person, name="Département", kind="organiser")
    with pytest.raises(Forbidden):
        await organiser_page(db, identity=other, round_id=small_round.round)
