"""Organiser pages at the scale of the Concours Général Agricole, timed through a real `jury serve`.

Run with `.venv/bin/python tests/bench/pages.py [--repeat 10] [--data-dir DIR] [--only progress ...]`. Not
collected by pytest. `--data-dir` keeps the generated edition there and reuses it on the next run (new
migrations are applied to it); `--only` times some pages. It starts an
embedded PostgreSQL in a temporary directory, generates the edition of `standings_scale.py` (22,000
candidates in 1,247 sections, 6,520 jurors, about 90,000 submitted sheets) with COPY, assigns every sheet's
pair and records "no conflict" for it, then serves it with `jury serve` and signs in as its organiser.

Each page is fetched once (cold; the standings are computed and cached then), then `--repeat` times in
turn with the other pages (once only when its cold fetch took over 10 s), and its p50/p95 reported. The
baseline, in the same run and on the same server and session, is a static file (`/static/app.css`): what
any answer costs before the page's own work. The goal is p95 < 200 ms per page; a page whose size grows
with the edition should page (its size is printed).

The last printed line is one JSON object: per page p50/p95 (ms) and bytes, the baseline, the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx
import numpy as np

from jury.auth.service import create_organiser
from jury.clock import system_clock
from jury.db.migrate import apply_migrations
from jury.db.queries import Database, Queries
from jury.settings import PROJECT_ROOT

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from intake import _free_port, _wait_healthy  # noqa: E402
from standings_scale import PASSWORD, generate  # noqa: E402

GOAL_MS = 200.0
SLOW_MS = 10_000.0


def pages(*, slug: str, round_id: int, section: str) -> dict[str, str]:
    return {
        "progress": f"/organisation/rounds/{round_id}/suivi",
        "assignments": f"/organisation/rounds/{round_id}/affectations",
        "standings": f"/organisation/rounds/{round_id}/classement?section={section}",
        "qualification": f"/organisation/rounds/{round_id}/etat?to=closed",
        "decisions": f"/organisation/editions/{slug}/decisions/",
        "candidates": f"/organisation/editions/{slug}/candidats",
        "candidates_last_page": f"/organisation/editions/{slug}/candidats?page=440",
        "candidates_search": f"/organisation/editions/{slug}/candidats?q=domaine+0421",
        "jurors": f"/organisation/editions/{slug}/jures",
        "edition": f"/organisation/editions/{slug}",
    }


async def _prepare(database_url: str, migrations: Path) -> dict:
    await apply_migrations(database_url, migrations)
    conn = await asyncpg.connect(database_url)
    try:
        t = time.perf_counter()
        generated = await generate(conn, np.random.default_rng(18))
        await conn.execute(
            "insert into assignments (panel_id, person_id, candidate_id) "
            "select panel_id, person_id, candidate_id from score_sheets on conflict do nothing"
        )
        await conn.execute(
            "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict) "
            "select round_id, person_id, candidate_id, false from score_sheets on conflict do nothing"
        )
        await conn.execute("analyze")
        generated["generation_s"] = round(time.perf_counter() - t, 1)
        db = Database(conn, Queries(PROJECT_ROOT / "sql" / "queries"), clock=system_clock)
        await create_organiser(
            db, full_name="Banc", email="banc@cga.example", password=PASSWORD, contest_slugs=["cga"]
        )
        generated["slug"] = await conn.fetchval(
            "select slug from editions where id = $1", generated["edition"]
        )
        generated["counts"] = {
            name: await conn.fetchval(f"select count(*) from {name}")  # table names from this list only
            for name in ("candidates", "people", "score_sheets", "panels", "assignments")
        }
    finally:
        await conn.close()
    return generated


async def _measure(base: str, urls: dict[str, str], *, repeat: int) -> dict:
    async with httpx.AsyncClient(base_url=base, timeout=300.0) as client:
        signed = await client.post("/connexion", data={"email": "banc@cga.example", "password": PASSWORD})
        assert signed.status_code in (200, 303), signed.text[:300]
        cold, sizes, statuses = {}, {}, {}
        for name, url in urls.items():
            t = time.perf_counter()
            response = await client.get(url)
            for _ in range(120):  # the standings are computed in the background on the first visit
                if response.status_code != 202:
                    break
                await asyncio.sleep(1.0)
                response = await client.get(url)
            cold[name] = round(1000 * (time.perf_counter() - t), 1)
            sizes[name], statuses[name] = len(response.content), response.status_code
            print(
                f"  {name:14} cold {cold[name]:9.1f} ms  {response.status_code}  {sizes[name]:>10,} bytes",
                flush=True,
            )
        times: dict[str, list[float]] = {name: [] for name in [*urls, "static_file"]}
        # A page far over the goal is fetched once more, not `repeat` times: its figure is the point.
        slow = {name for name, ms in cold.items() if ms > SLOW_MS}
        for name in slow:
            t = time.perf_counter()
            statuses[name] = (await client.get(urls[name])).status_code
            times[name].append(1000 * (time.perf_counter() - t))
        for _ in range(repeat):
            for name, url in [*urls.items(), ("static_file", "/static/app.css")]:
                if name in slow:
                    continue
                t = time.perf_counter()
                response = await client.get(url)
                times[name].append(1000 * (time.perf_counter() - t))
                statuses[name] = response.status_code
    out = {}
    for name, values in times.items():
        values.sort()
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        out[name] = {
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(p95, 1),
            "cold_ms": cold.get(name),
            "bytes": sizes.get(name),
            "status": statuses[name],
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="timed fetches of each page")
    parser.add_argument("--workers", type=int, default=1, help="jury serve processes")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="keep the generated edition here and reuse it on the next run (generation takes minutes)",
    )
    parser.add_argument("--only", nargs="*", help="time only these pages (names as printed)")
    args = parser.parse_args()

    from jury.db.embedded import EmbeddedPostgres, ensure_database
    from jury.runtime import EMBEDDED_DATABASE

    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="jury-bench-") as tmp_name:
        tmp = Path(tmp_name)
        data_dir = args.data_dir.resolve() if args.data_dir else tmp / "data"
        kept = data_dir / "bench-pages.json"
        embedded = EmbeddedPostgres(data_dir / "postgres")
        server = None
        try:
            asyncio.run(ensure_database(embedded.url("postgres"), EMBEDDED_DATABASE))
            database_url = embedded.url(EMBEDDED_DATABASE)
            if kept.exists():
                # The same edition as the last run; only the new migrations (indexes) are applied.
                asyncio.run(apply_migrations(database_url, PROJECT_ROOT / "sql" / "migrations"))
                data = json.loads(kept.read_text())
            else:
                data = asyncio.run(_prepare(database_url, PROJECT_ROOT / "sql" / "migrations"))
                kept.write_text(json.dumps(data, default=str))
            print(f"generated {data['counts']} in {data['generation_s']} s", flush=True)
            port = _free_port()
            base = f"http://127.0.0.1:{port}"
            env = os.environ | {"JURY_SECRET_KEY": secrets.token_hex(32), "JURY_LOG_FORMAT": "json"}
            env.pop("DATABASE_URL", None)
            log = (tmp / "server.log").open("wb")
            server = subprocess.Popen(
                [sys.executable, "-m", "jury", "serve", "--data-dir", str(data_dir), "--port", str(port),
                 "--workers", str(args.workers)],
                env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            asyncio.run(_wait_healthy(base, server))
            section = data["first_section"]
            urls = pages(slug=data["slug"], round_id=data["round"], section=section)
            if args.only:
                urls = {name: url for name, url in urls.items() if name in args.only}
            result = asyncio.run(_measure(base, urls, repeat=args.repeat))
        except BaseException:
            if (tmp / "server.log").exists():
                print((tmp / "server.log").read_text(errors="replace")[-3000:], file=sys.stderr)
            raise
        finally:
            if server is not None:
                server.terminate()
                try:
                    server.wait(20)
                except subprocess.TimeoutExpired:
                    server.kill()
            embedded.stop()
    load.append(os.getloadavg()[0])
    baseline = result["static_file"]["p95_ms"]
    print(f"{'page':14} {'p50 ms':>9} {'p95 ms':>9} {'bytes':>12}  (baseline: static file p95 {baseline} ms)")
    for name, r in result.items():
        verdict = "" if name == "static_file" else ("ok" if r["p95_ms"] < GOAL_MS else "MISSED")
        print(
            f"{name:14} {r['p50_ms']:9.1f} {r['p95_ms']:9.1f} {r['bytes'] or 0:>12,}  {r['status']} {verdict}"
        )
    print(f"load average {load[0]:.2f} → {load[1]:.2f}")
    print(
        json.dumps(
            {
                "pages": {k: v for k, v in result.items() if k != "static_file"},
                "baseline_static_file": result["static_file"],
                "goal_p95_ms": GOAL_MS,
                "met": sorted(k for k, v in result.items() if k != "static_file" and v["p95_ms"] < GOAL_MS),
                "missed": sorted(
                    k for k, v in result.items() if k != "static_file" and v["p95_ms"] >= GOAL_MS
                ),
                "counts": data["counts"],
                "load_average": {"start": load[0], "end": load[1]},
            }
        )
    )


if __name__ == "__main__":
    main()
