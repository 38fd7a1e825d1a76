"""An edition of Made in 92 taking applications: opened 1 November 2026, closing 15 December 2026 (the
tests' clock reads 27 November 2026), companies under 8 years old, two categories, a first round; its
organiser, and an SMTP server on a local port that the job queue sends through."""

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
# A company of Nanterre founded in 2021: every rule of the edition holds.
GOOD = {
    "nom_structure": "Vasques & Grès SAS",
    "nom_porteur": "Inès Morel",
    "courriel": "ines.morel@vasques.example",
    "code_insee": "92050",
    "forme_juridique": "SAS",
    "date_creation": "2021-03-15",
    "projet": "Vasques en grès recyclé",
    "categorie": "industrie",
}
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
NO_FILE = [("documents", ("", b"", "application/octet-stream"))]
"""What a browser sends for a file input left empty: the form stays multipart."""


@dataclass(frozen=True)
class Edition:
    edition_id: int
    round_id: int
    other_edition_id: int


@pytest.fixture
async def edition(db: Database) -> Edition:
    contest = await factories.contest(db, slug="made-in-92", kind="company")
    edition_id = await factories.edition(
        db,
        contest_id=contest,
        year=2026,
        status="applications",
        opens_on=dt.date(2026, 11, 1),
        closes_on=dt.date(2026, 12, 15),
        max_company_age_years=8,
    )
    industry = await factories.category(db, edition_id=edition_id, code="industrie", name="Industrie")
    await factories.category(db, edition_id=edition_id, code="services", name="Services", position=2)
    await factories.criterion(db, category_id=industry)
    round_id = await factories.round_(
        db, edition_id=edition_id, kind="preselection", name="Présélection", status="draft"
    )
    other = await factories.contest(db, slug="gateau", kind="artisan")
    other_edition = await factories.edition(db, contest_id=other, year=2026, status="applications")
    await make_organiser(db, email=ORGANISER, contests=["made-in-92"])
    await make_organiser(db, email=OTHER_ORGANISER, contests=["gateau"])
    return Edition(edition_id=edition_id, round_id=round_id, other_edition_id=other_edition)


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
async def applicant(
    mail_settings: Settings, clock: Clock, edition: Edition
) -> AsyncIterator[AsyncTestClient]:
    """A visitor with no account, on the app that sends mail through the local SMTP server."""
    async with AsyncTestClient(app=create_app(mail_settings, clock=clock)) as client:
        yield client


@pytest.fixture
async def organiser(
    mail_settings: Settings, clock: Clock, edition: Edition
) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=create_app(mail_settings, clock=clock)) as client:
        await sign_in(client, email=ORGANISER)
        yield client


async def apply(client: AsyncTestClient, values: dict[str, str] | None = None, *, files=None):
    """Sends the form as a browser does (multipart, with the documents)."""
    return await client.post(
        f"/candidater/{SLUG}",
        data=GOOD if values is None else values,
        files=files or [("documents", ("statuts.pdf", PDF, "application/pdf"))],
        follow_redirects=False,
    )
