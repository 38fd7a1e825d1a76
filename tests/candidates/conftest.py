"""Three editions with the demo's rules (Made in 92, the Gâteau, Progr'ESS) and their organisers' clients."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from litestar.testing import AsyncTestClient
from tests import factories
from tests.helpers import make_organiser, sign_in

from jury.app import create_app
from jury.db.queries import Database
from jury.settings import Settings

M92, GATEAU, PROGRESS = "made-in-92-2025", "gateau-2025", "progress-2025"
ORGANISER = "claire@exemple.fr"  # organises all three
OTHER = "romain@exemple.fr"  # organises only the Gâteau


@dataclass
class World:
    rounds: dict[str, int]
    semi_final: int
    panel: int
    juror: int


@pytest.fixture
async def world(db: Database) -> World:
    m92 = await factories.contest(db, slug="made-in-92", kind="company")
    gateau = await factories.contest(db, slug="gateau", kind="artisan")
    progress = await factories.contest(db, slug="progress", kind="organisation")
    m92_ed = await factories.edition(
        db,
        contest_id=m92,
        slug=M92,
        status="applications",
        closes_on=dt.date(2025, 5, 31),
        max_company_age_years=8,
        accepted_outside_insee=["95018"],
    )
    gateau_ed = await factories.edition(
        db, contest_id=gateau, slug=GATEAU, status="applications", closes_on=dt.date(2025, 3, 1)
    )
    progress_ed = await factories.edition(
        db,
        contest_id=progress,
        slug=PROGRESS,
        status="applications",
        budget_eur=100_000,
        max_grant_eur=15_000,
        eligible_legal_forms=["Association", "ESUS"],
    )
    await factories.category(db, edition_id=m92_ed, code="TE", name="Transition énergétique")
    rounds = {
        M92: await factories.round_(
            db, edition_id=m92_ed, kind="preselection", name="Présélection", position=1, status="draft"
        ),
        GATEAU: await factories.round_(
            db, edition_id=gateau_ed, kind="tasting", name="Dégustation", position=1, status="draft"
        ),
        PROGRESS: await factories.round_(
            db, edition_id=progress_ed, kind="eligibility", name="Éligibilité", position=1, status="draft"
        ),
    }
    semi = await factories.round_(
        db, edition_id=m92_ed, kind="semi_final", name="Demi-finale", position=2, status="draft"
    )
    panel = await factories.panel(db, round_id=rounds[M92], name="Jury de présélection")
    juror = await factories.person(db, full_name="Jean Juré")
    await factories.member(db, panel_id=panel, person_id=juror)
    await make_organiser(db, email=ORGANISER, contests=["made-in-92", "gateau", "progress"])
    await make_organiser(db, email=OTHER, contests=["gateau"])
    return World(rounds=rounds, semi_final=semi, panel=panel, juror=juror)


@pytest.fixture
async def organiser(settings: Settings, world: World) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=create_app(settings)) as client:
        await sign_in(client, email=ORGANISER)
        yield client


@pytest.fixture
async def other(settings: Settings, world: World) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=create_app(settings)) as client:
        await sign_in(client, email=OTHER)
        yield client


@pytest.fixture
async def anonymous(settings: Settings, world: World) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield client
