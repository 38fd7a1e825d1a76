"""Issuing diplomas from the demo's decided editions, and the stored PDFs they give."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from jury.clock import fixed_clock
from jury.contests.service import get_edition
from jury.db.queries import Database
from jury.demo.loader import load_demo
from jury.diplomas import service
from jury.diplomas.contexts import content_digest
from jury.french.money import euros
from jury.pdf.pool import PdfPool
from jury.settings import Settings
from jury.templates_digest import templates_digest

from .conftest import normalise

DECIDED = ("made-in-92-2024", "gateau-des-hauts-de-seine-2023", "progress-2023")


@pytest.fixture(scope="module")
async def renderer(templates_root: Path) -> AsyncIterator[PdfPool]:
    async with PdfPool(templates_root, max_workers=1, batch_size=4) as pool:
        yield pool


@pytest.fixture
async def demo(db: Database) -> Database:
    await load_demo(db)
    return db


async def _edition_id(db: Database, slug: str) -> int:
    return (await get_edition(db, slug=slug)).id


async def test_one_diploma_per_award_and_issuing_again_adds_none(demo: Database) -> None:
    db = demo
    for slug in DECIDED:
        edition_id = await _edition_id(db, slug)
        awards = await db.fetch("diploma_awards_of_edition", edition_id=edition_id)
        assert awards, f"the demo's {slug} has no award"
        issued = await service.issue_diplomas(db, edition_id=edition_id)
        assert len(issued) == len(awards)
        assert await service.issue_diplomas(db, edition_id=edition_id) == []
        sources = await service.sources_of_edition(db, edition_id=edition_id)
        assert sorted(s["diploma_id"] for s in sources) == sorted(issued)
        assert len({s["verification_code"] for s in sources}) == len(sources)
    events = await db.conn.fetchval("select count(*) from audit_events where action = 'diploma.issue'")
    assert events == sum(
        [
            len(await db.fetch("diploma_awards_of_edition", edition_id=await _edition_id(db, s)))
            for s in DECIDED
        ]
    )


async def test_contexts_of_every_decided_edition_are_valid(demo: Database, settings: Settings) -> None:
    """DiplomaContext refuses 'Meilleur Ouvrier de France' outside a distinction: the demo's chair
    carries it in `signatories.distinction`, so every context builds."""
    db = demo
    for slug in DECIDED:
        edition_id = await _edition_id(db, slug)
        await service.issue_diplomas(db, edition_id=edition_id)
        for source in await service.sources_of_edition(db, edition_id=edition_id):
            ctx = await service.context_of(db, source, settings=settings)
            assert ctx.verification_code == source["verification_code"]
            if slug.startswith("gateau"):
                chair = [s for s in ctx.signatories if s.distinction]
                assert len(chair) == 1 and chair[0].name == "Stéphane Glacier"
                assert "Meilleur Ouvrier" in chair[0].distinction and "Meilleur" not in chair[0].title


@pytest.mark.pdf
async def test_progress_diploma_shows_laureat_and_granted_amount(
    demo: Database, settings: Settings, renderer: PdfPool, read_pdf
) -> None:
    db = demo
    edition_id = await _edition_id(db, "progress-2023")
    await service.issue_diplomas(db, edition_id=edition_id)
    source = next(s for s in await service.sources_of_edition(db, edition_id=edition_id) if s["granted_eur"])
    facts = read_pdf(
        (await service.diploma_pdf(db, source, settings=settings, renderer=renderer)).path.read_bytes()
    )
    assert facts.pages == 1
    assert "Lauréat" in facts.text
    assert normalise(euros(source["granted_eur"])) in facts.text
    assert source["organisation_name"].split()[0] in facts.text


@pytest.mark.pdf
async def test_gateau_diploma_shows_place_creation_and_mof_only_for_the_chair(
    demo: Database, settings: Settings, renderer: PdfPool, read_pdf
) -> None:
    db = demo
    edition_id = await _edition_id(db, "gateau-des-hauts-de-seine-2023")
    await service.issue_diplomas(db, edition_id=edition_id)
    source = next(s for s in await service.sources_of_edition(db, edition_id=edition_id) if s["place"] == 1)
    facts = read_pdf(
        (await service.diploma_pdf(db, source, settings=settings, renderer=renderer)).path.read_bytes()
    )
    assert facts.pages == 1
    assert "1er prix" in facts.text
    assert normalise(source["creation_name"]) in facts.text
    assert facts.text.count("Meilleur Ouvrier de France") == 1
    # Printed in the chair's signature block: right after the chair's name and quality line.
    chair = facts.text.index("Stéphane Glacier")
    mof = facts.text.index("Meilleur Ouvrier de France")
    assert 0 < mof - chair < 80, facts.text


@pytest.mark.pdf
async def test_stored_pdf_is_reused_then_rerendered_after_a_changed_decision(
    demo: Database, settings: Settings, renderer: PdfPool, read_pdf
) -> None:
    db = demo
    edition_id = await _edition_id(db, "progress-2023")
    await service.issue_diplomas(db, edition_id=edition_id)
    source = next(s for s in await service.sources_of_edition(db, edition_id=edition_id) if s["granted_eur"])
    await service.diploma_pdf(db, source, settings=settings, renderer=renderer)
    first = await service.source_by_id(db, diploma_id=source["diploma_id"])
    path = Path(first["pdf_path"])
    code, digest = source["verification_code"], first["content_digest"]
    assert path == settings.storage_dir / "diplomas" / f"{code}-{digest[:16]}.pdf"
    assert path.is_file() and digest

    await service.diploma_pdf(db, first, settings=settings, renderer=renderer)
    again = await service.source_by_id(db, diploma_id=source["diploma_id"])
    assert again["rendered_at"] == first["rendered_at"], "an up-to-date PDF must not be rendered again"

    new_amount = source["granted_eur"] + 1234
    await db.conn.execute("update awards set granted_eur = $1 where id = $2", new_amount, source["award_id"])
    changed = await service.source_by_id(db, diploma_id=source["diploma_id"])
    db.clock = fixed_clock(first["rendered_at"] + dt.timedelta(minutes=5))  # the decision changed later on
    facts = read_pdf(
        (await service.diploma_pdf(db, changed, settings=settings, renderer=renderer)).path.read_bytes()
    )
    after = await service.source_by_id(db, diploma_id=source["diploma_id"])
    assert after["content_digest"] != first["content_digest"]
    assert after["rendered_at"] == first["rendered_at"] + dt.timedelta(minutes=5)
    assert normalise(euros(new_amount)) in facts.text
    new_path = Path(after["pdf_path"])
    assert new_path != path and not path.exists(), "the outdated version is removed once replaced"
    assert normalise(euros(new_amount)) in read_pdf(new_path.read_bytes()).text


@pytest.mark.pdf
async def test_a_stored_file_not_yet_recorded_is_adopted_not_rendered_again(
    demo: Database, settings: Settings, renderer: PdfPool
) -> None:
    """A worker killed between writing a PDF and recording it: the next attempt keeps the file."""
    db = demo
    edition_id = await _edition_id(db, "progress-2023")
    await service.issue_diplomas(db, edition_id=edition_id)
    source = (await service.sources_of_edition(db, edition_id=edition_id))[0]
    await service.diploma_pdf(db, source, settings=settings, renderer=renderer)
    stored = await service.source_by_id(db, diploma_id=source["diploma_id"])
    before = Path(stored["pdf_path"]).stat()
    await db.conn.execute(
        "update diplomas set content_digest = null, pdf_path = null, rendered_at = null where id = $1",
        source["diploma_id"],
    )

    stored_paths = await service.render_edition(
        db, edition_id=edition_id, settings=settings, renderer=renderer
    )

    adopted = await service.source_by_id(db, diploma_id=source["diploma_id"])
    assert adopted["content_digest"] == stored["content_digest"]
    assert adopted["pdf_path"] == stored["pdf_path"]
    after = Path(stored["pdf_path"]).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert len(stored_paths) == len(await service.sources_of_edition(db, edition_id=edition_id))
    assert all(path is not None and path.is_file() for _, path in stored_paths)


async def test_a_changed_template_file_changes_the_digest(
    demo: Database, settings: Settings, templates_dir: Path, tmp_path: Path
) -> None:
    db = demo
    edition_id = await _edition_id(db, "progress-2023")
    await service.issue_diplomas(db, edition_id=edition_id)
    [source, *_] = await service.sources_of_edition(db, edition_id=edition_id)
    ctx = await service.context_of(db, source, settings=settings)
    copy = tmp_path / "diplomas"
    shutil.copytree(templates_dir, copy)
    before = content_digest(ctx, templates=templates_digest(copy))
    assert before == content_digest(ctx, templates=templates_digest(templates_dir))
    (copy / "progress.html").write_text((copy / "progress.html").read_text() + "\n{# changed #}\n")
    assert content_digest(ctx, templates=templates_digest(copy)) != before
