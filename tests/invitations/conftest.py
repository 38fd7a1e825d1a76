"""A Made in 92 semi-final being marked (opened, dated 3 December 2026; the tests' clock reads 27 November):
Claire has validated her two sheets, Marc one of two, Sophie none of her one but declared a conflict with
that candidate. Their organiser, another contest's organiser, and an SMTP server on a local port."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass

import msgspec
import pytest
from litestar.testing import AsyncTestClient
from tests import factories
from tests.helpers import make_organiser, sign_in
from tests.mail_server import Inbox, smtp_server  # noqa: F401 (fixture)

from jury.app import create_app
from jury.clock import Clock
from jury.db.queries import Database
from jury.settings import Settings

SLUG = "made-in-92-2026"
ORGANISER = "cci@exemple.fr"
OTHER_ORGANISER = "cma@exemple.fr"


@dataclass(frozen=True)
class Jury:
    edition_id: int
    round_id: int
    claire: int
    marc: int
    sophie: int


@pytest.fixture
async def jury(db: Database) -> Jury:
    contest = await factories.contest(db, slug="made-in-92", kind="company")
    edition_id = await factories.edition(db, contest_id=contest, year=2026, status="judging")
    category = await factories.category(db, edition_id=edition_id)
    await factories.criterion(db, category_id=category)
    round_id = await factories.round_(
        db, edition_id=edition_id, kind="semi_final", name="Demi-finale", scheduled_on=dt.date(2026, 12, 3)
    )
    panel = await factories.panel(db, round_id=round_id, name="Jury Nord")
    claire = await factories.person(db, full_name="Claire Dubois", email="claire@exemple.fr")
    marc = await factories.person(db, full_name="Marc Lefèvre", email="marc@exemple.fr")
    sophie = await factories.person(db, full_name="Sophie Martin", email="sophie@exemple.fr")
    for person in (claire, marc, sophie):
        await factories.member(db, panel_id=panel, person_id=person)
    first = await factories.candidate(db, edition_id=edition_id, entry_number=1, organisation_name="Alpha")
    second = await factories.candidate(db, edition_id=edition_id, entry_number=2, organisation_name="Beta")
    for candidate in (first, second):
        await factories.enter_round(db, candidate_id=candidate, round_id=round_id, panel_id=panel)
        await factories.assign(db, panel_id=panel, person_id=claire, candidate_id=candidate)
        await factories.assign(db, panel_id=panel, person_id=marc, candidate_id=candidate)
        await factories.sheet(db, round_id=round_id, panel_id=panel, person_id=claire, candidate_id=candidate)
    await factories.sheet(db, round_id=round_id, panel_id=panel, person_id=marc, candidate_id=first)
    await factories.sheet(
        db, round_id=round_id, panel_id=panel, person_id=marc, candidate_id=second, status="draft"
    )
    await factories.assign(db, panel_id=panel, person_id=sophie, candidate_id=second)
    await db.conn.execute(
        "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict, reason) "
        "values ($1, $2, $3, true, 'Associée de Beta')",
        round_id,
        sophie,
        second,
    )
    await make_organiser(db, email=ORGANISER, contests=["made-in-92"])
    await factories.contest(db, slug="gateau", kind="artisan")
    await make_organiser(db, email=OTHER_ORGANISER, contests=["gateau"])
    return Jury(edition_id=edition_id, round_id=round_id, claire=claire, marc=marc, sophie=sophie)


@pytest.fixture
def mail_settings(settings: Settings, smtp_server: Inbox) -> Settings:  # noqa: F811
    return msgspec.structs.replace(
        settings,
        render_workers=1,
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        smtp_from="concours@exemple.fr",
        base_url="http://jury.test",
    )


@pytest.fixture
async def organiser(mail_settings: Settings, clock: Clock, jury: Jury) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=create_app(mail_settings, clock=clock)) as client:
        await sign_in(client, email=ORGANISER)
        yield client
