"""Benchmark: diplomas per second through the process pool, batched vs one document each.

    .venv/bin/python tests/bench/diplomas.py            # 560 diplomas
    .venv/bin/python tests/bench/diplomas.py --n 5600   # the full Hauts-de-Seine volume

Both runs go through the same warmed-up `PdfPool` (spawned workers, fonts loaded), so the
figures compare batching alone. The goal is 5,600 diplomas in under 2 minutes on a 2-core machine.
The last line printed is one JSON object with every figure, for comparing runs.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

import pypdf

from jury.diplomas.models import DiplomaContext, Signatory, new_verification_code
from jury.diplomas.printing import describe, render_diplomas
from jury.pdf.pool import DEFAULT_BATCH_SIZE, PdfPool

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
GOAL_N = 5600
GOAL_SECONDS = 120.0

FIRST = [
    "Camille",
    "Inès",
    "Lucas",
    "Marie-Amélie",
    "Youssef",
    "Chloé",
    "Jean-Baptiste",
    "Léa",
    "Hugo",
    "Aïcha",
]
LAST = ["DURAND", "BERNARD", "NGUYEN", "DE LA TOUR D'AUVERGNE", "MARTIN", "BENSAÏD", "LEFÈVRE", "ROUSSEAU"]
COMMUNES = [
    "Nanterre",
    "Sèvres",
    "Boulogne-Billancourt",
    "Issy-les-Moulineaux",
    "Colombes",
    "Antony",
    "Clichy",
]
HOUSES = ["Pâtisserie", "Maison", "Atelier", "Chocolaterie", "Boulangerie"]
PRIZES = [
    "Prix de la transition énergétique",
    "Prix de l'innovation",
    "Prix spécial Made in 92",
    "Prix de l'export",
]
CREATIONS = ["L'écrin", "La Folie-Fontaine", "Arcane", "Le Caramel des coteaux de Meudon", "Plaisir de Seine"]

DEPARTEMENT = Signatory(name="Claire Martin", title="La Présidente du Département des Hauts-de-Seine")
SIGNATORIES = {
    "gateau-des-hauts-de-seine": (
        DEPARTEMENT,
        Signatory(name="Paul Lefèvre", title="Le Président de la CMA Île-de-France – Hauts-de-Seine"),
        Signatory(name="Jean Dupont", title="Le Président du jury", distinction="Meilleur Ouvrier de France"),
    ),
    "made-in-92": (DEPARTEMENT, Signatory(name="Marc Petit", title="Le Président de la CCI Hauts-de-Seine")),
    "progress": (DEPARTEMENT,),
}


def make_contexts(n: int, *, seed: int = 92) -> list[DiplomaContext]:
    """Varied, realistic contexts: all three contests, some long names (up to 80 characters)."""
    rng = random.Random(seed)
    contexts = []
    for i in range(n):
        contest = ("gateau-des-hauts-de-seine", "made-in-92", "progress")[i % 3]
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if i % 17 == 0:
            person = (person + " " + " ".join(rng.choice(LAST) for _ in range(8)))[:80]
        common = dict(
            contest=contest,
            year=2025,
            commune=rng.choice(COMMUNES),
            decision_date=dt.date(2025, 12, rng.randint(1, 28)),
            signatories=SIGNATORIES[contest],
            verification_code=new_verification_code(),
            base_url="https://concours.example.fr",
        )
        if contest == "gateau-des-hauts-de-seine":
            ctx = DiplomaContext(
                contest_name="Imaginez le gâteau des Hauts-de-Seine",
                edition_number=10,
                laureate_person=person,
                laureate_organisation=f"{rng.choice(HOUSES)} {person.split()[-1].title()}",
                place=rng.randint(1, 3),
                creation_name=rng.choice(CREATIONS),
                **common,
            )
        elif contest == "made-in-92":
            ctx = DiplomaContext(
                contest_name="Concours Made in 92",
                edition_number=9,
                laureate_organisation=f"{rng.choice(HOUSES)} {rng.choice(LAST).title()} SAS",
                laureate_person=person,
                prize=rng.choice(PRIZES),
                **common,
            )
        else:
            ctx = DiplomaContext(
                contest_name="Appel à projets Progr'ESS",
                edition_number=3,
                laureate_organisation=f"Association {rng.choice(LAST).title()} solidaire",
                project_name="Une recyclerie solidaire au cœur du quartier",
                amount_euros=rng.choice([5000, 8000, 12500, 15000]),
                **common,
            )
        contexts.append(ctx)
    return contexts


async def timed(renderer: PdfPool, contexts: list[DiplomaContext], *, batch_size: int, label: str):
    marks = {round(len(contexts) * k / 10) for k in range(1, 11)}
    start = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if done in marks or done == total:
            print(f"  {label}: {done}/{total} in {time.perf_counter() - start:.1f} s", file=sys.stderr)

    pdfs = await render_diplomas(renderer, contexts, batch_size=batch_size, on_progress=progress)
    seconds = time.perf_counter() - start
    assert len(pdfs) == len(contexts)
    assert all(pdf.startswith(b"%PDF-") for pdf in pdfs)
    for pdf in pdfs[:: max(1, len(pdfs) // 20)]:
        assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
    return {
        "n": len(contexts),
        "batch_size": batch_size,
        "seconds": round(seconds, 2),
        "per_second": round(len(contexts) / seconds, 2),
        "mean_pdf_bytes": sum(map(len, pdfs)) // len(pdfs),
    }


def children_cpu_seconds() -> float:
    """CPU time of reaped child processes: the pool's workers, once the pool is closed."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def phase(
    args: argparse.Namespace, contexts: list[DiplomaContext], *, batch_size: int, label: str
) -> dict:
    """One pool per phase, so the CPU time its workers used can be told apart from the other phase's.
    On a shared machine wall-clock figures depend on the neighbours; CPU time much less."""
    cpu_before = children_cpu_seconds()
    async with PdfPool(args.templates_dir, max_workers=args.workers or os.cpu_count() or 1) as renderer:
        await renderer.warm_up()
        stats = [await describe(renderer)]
        figures = await timed(renderer, contexts, batch_size=batch_size, label=label)
    figures["worker_cpu_seconds"] = round(children_cpu_seconds() - cpu_before, 2)
    figures["workers"] = renderer.max_workers
    figures["stats"] = stats[0]
    return figures


async def startup_cpu(args: argparse.Namespace) -> tuple[float, float]:
    """Wall time and worker CPU time of starting and stopping a pool, subtracted from each phase."""
    cpu_before = children_cpu_seconds()
    started = time.perf_counter()
    async with PdfPool(args.templates_dir, max_workers=args.workers or os.cpu_count() or 1) as renderer:
        await renderer.warm_up()
        wall = time.perf_counter() - started
    return wall, children_cpu_seconds() - cpu_before


async def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("n_pos", nargs="?", type=int, help="number of diplomas (same as --n)")
    parser.add_argument("--n", type=int, default=None, help="number of diplomas (default 560)")
    parser.add_argument(
        "--single-n", type=int, default=None, help="diplomas for the one-per-document run (default n)"
    )
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--workers", type=int, default=None, help="default os.cpu_count()")
    parser.add_argument("--templates-dir", type=Path, default=TEMPLATES_DIR)
    args = parser.parse_args(argv)
    n = args.n or args.n_pos or 560
    single_n = min(args.single_n or n, n)

    contexts = make_contexts(n)
    load_before = os.getloadavg()
    startup_wall, startup_cpu_s = await startup_cpu(args)
    print(f"pool start-up: {startup_wall:.1f} s wall, {startup_cpu_s:.1f} s worker CPU", file=sys.stderr)
    batched = await phase(args, contexts, batch_size=args.batch_size, label="batched")
    single = await phase(args, contexts[:single_n], batch_size=1, label="one document each")
    stats = batched.pop("stats")
    single.pop("stats")
    workers = batched["workers"]
    for figures in (batched, single):
        cpu = max(figures.pop("worker_cpu_seconds") - startup_cpu_s, 1e-9)
        figures["worker_cpu_ms_per_diploma"] = round(cpu / figures["n"] * 1000, 1)
        figures["idle_machine_per_second"] = round(workers * figures["n"] / cpu, 2)
        del figures["workers"]

    ratio = batched["per_second"] / single["per_second"]
    cpu_ratio = single["worker_cpu_ms_per_diploma"] / batched["worker_cpu_ms_per_diploma"]
    projected = GOAL_N / batched["per_second"]
    projected_idle = GOAL_N / batched["idle_machine_per_second"]
    result = {
        "benchmark": "diplomas",
        "n": n,
        "workers": workers,
        "cpu_count": os.cpu_count(),
        "split": "copy",
        "startup_seconds": round(startup_wall, 2),
        "batched": batched,
        "single": single,
        "batched_over_single": round(ratio, 2),
        "batched_over_single_cpu": round(cpu_ratio, 2),
        "projected_seconds_for_5600": round(projected, 1),
        "projected_seconds_for_5600_idle_machine": round(projected_idle, 1),
        "goal_seconds_for_5600": GOAL_SECONDS,
        "goal_met": projected <= GOAL_SECONDS,
        "weasyprint": stats.weasyprint_version,
        "harfbuzz_subset": stats.harfbuzz_subset,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    print(
        f"batched ({args.batch_size}/document): {batched['per_second']:.1f} diplomas/s wall, "
        f"{batched['worker_cpu_ms_per_diploma']:.0f} ms CPU each"
    )
    print(
        f"one document each:        {single['per_second']:.1f} diplomas/s wall, "
        f"{single['worker_cpu_ms_per_diploma']:.0f} ms CPU each"
    )
    print(
        f"ratio {ratio:.2f}× wall, {cpu_ratio:.2f}× CPU; 5,600 diplomas projected in {projected:.0f} s "
        f"({projected_idle:.0f} s on an idle machine; goal {GOAL_SECONDS:.0f} s)"
    )
    print(json.dumps(result, ensure_ascii=False))
    return result


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
