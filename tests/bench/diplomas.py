"""Benchmark: diplomas per second through the process pool, batched vs one document each, and the
download of a stored diploma against the same file served as a static file.

    .venv/bin/python tests/bench/diplomas.py            # 560 diplomas
    .venv/bin/python tests/bench/diplomas.py --n 5600   # the full Hauts-de-Seine volume
    .venv/bin/python tests/bench/diplomas.py --no-download

Both render runs go through the same warmed-up `PdfPool` (spawned workers, fonts loaded), so the
figures compare batching alone. The goal is 5,600 diplomas in under 2 minutes on a 2-core machine.

The download phase starts `jury serve --demo` (one process, its own embedded PostgreSQL, a copy of the
templates folder), generates the Gâteau 2023 diplomas through the organisers' page, opens a winner's link,
copies that diploma's PDF into the static folder, then loads both URLs with `wrk` (alternating phases, the
same server, connections and length): a winner's download (link check, up-to-date check, file) against
`/static/…` serving the same bytes. Goal: the download at ≥ 0.5× the static file's requests per second.
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
import re
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pypdf

from jury.diplomas.models import DiplomaContext, Signatory, new_verification_code
from jury.diplomas.printing import describe, render_diplomas
from jury.diplomas.render import current_renderer
from jury.pdf.pool import DEFAULT_BATCH_SIZE, PdfPool

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
GOAL_N = 5600
GOAL_SECONDS = 120.0
GOAL_DOWNLOAD_RATIO = 0.5

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from intake import _free_port, _wait_healthy  # noqa: E402

DEMO_EDITION = "gateau-des-hauts-de-seine-2023"
DEMO_ORGANISER = "romain.texier@exemple.fr"
DEMO_PASSWORD = "demo-jury-92"

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


def render_before(contexts: list[DiplomaContext]) -> list[bytes]:
    """The same-run baseline: diplomas as they were rendered before the two layers (issue 18), the whole
    page (paper, frame, logos, texts) laid out in one document per batch, then each page written as its
    own PDF (`Document.copy([page]).write_pdf()`: drawing and font subsetting once per diploma)."""
    renderer = current_renderer()
    document = renderer.layout(renderer.document_html(contexts, layer="whole"))
    return [document.copy([page]).write_pdf() for page in document.pages]


async def timed(renderer: PdfPool, contexts: list[DiplomaContext], *, batch_size: int, label: str, fn=None):
    marks = {round(len(contexts) * k / 10) for k in range(1, 11)}
    start = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if done in marks or done == total:
            print(f"  {label}: {done}/{total} in {time.perf_counter() - start:.1f} s", file=sys.stderr)

    if fn is None:
        pdfs = await render_diplomas(renderer, contexts, batch_size=batch_size, on_progress=progress)
    else:
        pdfs = await renderer.run_batches(fn, contexts, batch_size=batch_size, on_progress=progress)
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
    args: argparse.Namespace, contexts: list[DiplomaContext], *, batch_size: int, label: str, fn=None
) -> dict:
    """One pool per phase, so the CPU time its workers used can be told apart from the other phase's.
    On a shared machine wall-clock figures depend on the neighbours; CPU time much less."""
    cpu_before = children_cpu_seconds()
    async with PdfPool(args.templates_dir, max_workers=args.workers or os.cpu_count() or 1) as renderer:
        await renderer.warm_up()
        stats = [await describe(renderer)]
        figures = await timed(renderer, contexts, batch_size=batch_size, label=label, fn=fn)
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


async def _winner_link(base: str) -> tuple[str, bytes]:
    """Through the organisers' page, as an organiser would: generate, make the links, download one."""
    page = f"{base}/organisation/editions/{DEMO_EDITION}/diplomes"
    async with httpx.AsyncClient(timeout=120) as client:
        signed_in = await client.post(
            f"{base}/connexion", data={"email": DEMO_ORGANISER, "password": DEMO_PASSWORD}
        )
        assert signed_in.status_code in (200, 303), signed_in.status_code
        assert (await client.post(f"{page}/generer")).status_code in (200, 303)
        for _ in range(600):
            fragment = (await client.get(f"{page}/progression")).text
            if "terminée" in fragment or "échoué" in fragment.lower():
                break
            await asyncio.sleep(0.2)
        assert "terminée" in fragment, fragment
        links = await client.post(f"{page}/liens", data={"days": "30"})
        token = re.findall(r"/diplome/([A-Za-z0-9_-]{40,})", links.text)[0]
        pdf = await client.get(f"{base}/diplome/{token}/pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-"), pdf.status_code
        return f"/diplome/{token}/pdf", pdf.content


def _wrk(url: str, *, seconds: float, connections: int) -> dict:
    done = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {
        "rps": rps,
        "p99_ms": round(float(p99.group(1)) * scale[p99.group(2)], 2) if p99 else None,
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def download_phase(args: argparse.Namespace) -> dict:
    """Cached download vs static file, same server, same run (see the module's docstring)."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed for the download phase (apt-get install wrk), or --no-download")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="jury-bench-diplomas-") as tmp_name:
        tmp = Path(tmp_name)
        templates = tmp / "templates"
        shutil.copytree(args.templates_dir, templates)
        env = os.environ | {
            "JURY_SECRET_KEY": secrets.token_hex(32),
            "JURY_LOG_FORMAT": "json",
            "JURY_TEMPLATES_DIR": str(templates),
        }
        env.pop("DATABASE_URL", None)
        log = tmp / "server.log"
        server = subprocess.Popen(
            [sys.executable, "-m", "jury", "serve", "--demo", "--data-dir", str(tmp / "data"),
             "--port", str(port), "--workers", "1"],
            env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            asyncio.run(_wait_healthy(base, server, timeout=180))
            download_path, pdf = asyncio.run(_winner_link(base))
            (templates / "static" / "diplome-bench.pdf").write_bytes(pdf)
            urls = {"download": base + download_path, "static": f"{base}/static/diplome-bench.pdf"}
            for url in urls.values():  # warm-up, unmeasured
                _wrk(url, seconds=1, connections=args.connections)
            runs: dict[str, list[dict]] = {"download": [], "static": []}
            for _ in range(args.rounds):
                for name in ("static", "download"):
                    runs[name].append(_wrk(urls[name], seconds=args.seconds, connections=args.connections))
        except BaseException:
            print(log.read_text(errors="replace")[-3000:], file=sys.stderr)
            raise
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
    figures = {
        name: {
            "rps": round(statistics.median(r["rps"] for r in rs), 1),
            "rps_runs": [r["rps"] for r in rs],
            "p99_ms": statistics.median(r["p99_ms"] for r in rs if r["p99_ms"] is not None),
            "errors": sum(r["errors"] for r in rs),
        }
        for name, rs in runs.items()
    }
    ratio = figures["download"]["rps"] / figures["static"]["rps"]
    return {
        "pdf_bytes": len(pdf),
        "connections": args.connections,
        "seconds_per_phase": args.seconds,
        "rounds": args.rounds,
        "download": figures["download"],
        "static_file": figures["static"],
        "ratio": round(ratio, 2),
        "goal_ratio": GOAL_DOWNLOAD_RATIO,
        "goal_met": ratio >= GOAL_DOWNLOAD_RATIO,
    }


async def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("n_pos", nargs="?", type=int, help="number of diplomas (same as --n)")
    parser.add_argument("--n", type=int, default=None, help="number of diplomas (default 560)")
    parser.add_argument(
        "--single-n", type=int, default=160, help="diplomas for the one-per-document run (default 160)"
    )
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--workers", type=int, default=None, help="default os.cpu_count()")
    parser.add_argument("--templates-dir", type=Path, default=TEMPLATES_DIR)
    parser.add_argument("--no-download", action="store_true", help="skip the download phase")
    parser.add_argument("--download-only", action="store_true", help="only the download phase")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each download phase")
    parser.add_argument("--rounds", type=int, default=2, help="(static, download) pairs of phases")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    args = parser.parse_args(argv)
    n = args.n or args.n_pos or 560
    single_n = min(args.single_n or n, n)

    contexts = make_contexts(n)
    load_before = os.getloadavg()
    startup_wall, startup_cpu_s = await startup_cpu(args)
    print(f"pool start-up: {startup_wall:.1f} s wall, {startup_cpu_s:.1f} s worker CPU", file=sys.stderr)
    batched = await phase(args, contexts, batch_size=args.batch_size, label="batched")
    before = await phase(
        args, contexts, batch_size=args.batch_size, label="before (whole pages)", fn=render_before
    )
    single = await phase(args, contexts[:single_n], batch_size=1, label="one document each")
    stats = batched.pop("stats")
    single.pop("stats")
    before.pop("stats")
    workers = batched["workers"]
    for figures in (batched, before, single):
        cpu = max(figures.pop("worker_cpu_seconds") - startup_cpu_s, 1e-9)
        figures["worker_cpu_ms_per_diploma"] = round(cpu / figures["n"] * 1000, 1)
        figures["idle_machine_per_second"] = round(workers * figures["n"] / cpu, 2)
        del figures["workers"]

    ratio = batched["per_second"] / single["per_second"]
    cpu_ratio = single["worker_cpu_ms_per_diploma"] / batched["worker_cpu_ms_per_diploma"]
    projected = GOAL_N / batched["per_second"]
    projected_idle = GOAL_N / batched["idle_machine_per_second"]
    result = {
        "_args": vars(args),
        "benchmark": "diplomas",
        "batch_per_s": batched["per_second"],
        "projected_5600_s": round(projected, 1),
        "baseline_before_per_s": before["per_second"],
        "n": n,
        "workers": workers,
        "cpu_count": os.cpu_count(),
        "render": "layers (static layer once, winner layer per batch, cut and stacked by pikepdf)",
        "startup_seconds": round(startup_wall, 2),
        "batched": batched,
        "before": before,
        "batched_over_before": round(batched["per_second"] / before["per_second"], 2),
        "batched_over_before_cpu": round(
            before["worker_cpu_ms_per_diploma"] / batched["worker_cpu_ms_per_diploma"], 2
        ),
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
        f"before (whole pages):     {before['per_second']:.1f} diplomas/s wall, "
        f"{before['worker_cpu_ms_per_diploma']:.0f} ms CPU each  (same-run baseline)"
    )
    print(
        f"one document each:        {single['per_second']:.1f} diplomas/s wall, "
        f"{single['worker_cpu_ms_per_diploma']:.0f} ms CPU each"
    )
    print(
        f"ratio {ratio:.2f}× wall, {cpu_ratio:.2f}× CPU; 5,600 diplomas projected in {projected:.0f} s "
        f"({projected_idle:.0f} s on an idle machine; goal {GOAL_SECONDS:.0f} s)"
    )
    if not args.no_download:
        result["load_average_before_download"] = [round(x, 2) for x in os.getloadavg()]
    return result


def run(argv: list[str]) -> dict:
    if "--download-only" in argv:
        result = {"benchmark": "diplomas", "load_average_before": [round(x, 2) for x in os.getloadavg()]}
        args = argparse.Namespace(
            templates_dir=TEMPLATES_DIR, no_download=False, seconds=5.0, rounds=2, connections=16
        )
    else:
        result = asyncio.run(main(argv))
        args = argparse.Namespace(**result.pop("_args"))
    if not args.no_download:
        download = download_phase(args)
        result["download"] = download
        result["download_ratio"] = download["ratio"]
        result["load_average_after_download"] = [round(x, 2) for x in os.getloadavg()]
        print(
            f"cached download: {download['download']['rps']:.0f} req/s (p99 {download['download']['p99_ms']} ms)"
            f" against the same file as a static file: {download['static_file']['rps']:.0f} req/s "
            f"(p99 {download['static_file']['p99_ms']} ms); ratio {download['ratio']:.2f} "
            f"(goal ≥ {GOAL_DOWNLOAD_RATIO})"
        )
    print(json.dumps(result, ensure_ascii=False))
    return result


if __name__ == "__main__":
    run(sys.argv[1:])
