"""Micro-benchmark of the normalisation engine on many small sections (no database).

Run with `.venv/bin/python tests/bench/engine_sections.py [--sections 1247] [--bootstrap 200]`. Not collected
by pytest. It generates 1,247 synthetic sections shaped like the scale benchmark's
(`tests/bench/standings_scale.py`): 17–18 candidates, 5–6 jurors, 4 marks per candidate (5 for some),
marks `50 + scale_j·quality_i + severity_j + noise` on 0–100, and times, on one core:

1. `check_design` on every section;
2. `normalise(method="raw")` and `normalise(method="affine")` section by section;
3. `normalise_many(...)` (the batched entry point) with `affine`;
4. `affine` with a 200-replicate bootstrap (on a subset, extrapolated to every section, unless
   `--full-bootstrap`);
5. the bootstrap's refits alone on the same replicate marks: `bootstrap.refit` (the batched affine
   refit, `jury.results.batched_fit`) against the engine's own loop (`refit_engine_s`, same run).

Times are CPU seconds of this process (`time.process_time`), so that a busy machine does not blur them.
With `--before`, the same measurements are also run on the engine of commit `--rev` (default
55ca2564683a, the last commit before the speed work: its engine files, `git show REV:src/jury/results/...`,
copied over a temporary copy of the package, in a subprocess), so that
"before" and "after" come from the same run on the same data; without it, `BEFORE` below gives the
figures measured (wall clock, busy machine) when the speed work started. The last printed line is one JSON
object.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from jury.results.design import check_design
from jury.results.normalise import normalise

ENGINE = ("normalise.py", "affine.py", "design.py", "diagnostics.py", "bootstrap.py")
ROOT = Path(__file__).resolve().parents[2]

# Wall-clock seconds measured at the start of the speed work with the original engine (seconds, one core, 1,247 sections).
BEFORE: dict[str, float] = {
    "design_s": 3.982,
    "raw_s": 9.209,
    "affine_s": 37.969,
    "affine_bootstrap_s": 268.861,
}


def sections(count: int, seed: int = 2025) -> list[list[tuple[int, int, float]]]:
    rng = np.random.default_rng(seed)
    out = []
    juror_id = 0
    candidate_id = 0
    for _ in range(count):
        n_c = int(rng.integers(17, 19))
        n_j = int(rng.integers(5, 7))
        jurors = np.arange(juror_id, juror_id + n_j)
        juror_id += n_j
        severity = rng.normal(0.0, 6.0, n_j)
        scale = np.clip(rng.normal(1.0, 0.25, n_j), 0.4, 1.8)
        marks = []
        for k in range(n_c):
            quality = rng.normal(0.0, 12.0)
            chosen = rng.choice(n_j, 5 if rng.random() < 0.1 else 4, replace=False)
            for j in sorted(chosen):
                value = 50.0 + scale[j] * quality + severity[j] + rng.normal(0.0, 6.0)
                marks.append((int(jurors[j]), candidate_id + k, float(np.clip(round(value * 4) / 4, 0, 100))))
        candidate_id += n_c
        out.append(marks)
    return out


def timed(function) -> tuple[float, object]:
    start = time.process_time()
    value = function()
    return time.process_time() - start, value


def refit_times(subset, *, replicates: int) -> tuple[float, float] | None:
    """CPU seconds of the bootstrap's refits alone on the same replicate marks: the engine's loop
    (`normalise._estimate` per chunk, the baseline) and `bootstrap.refit` (the batched affine refit).
    None with an engine that has no batched refit (`--before`)."""
    try:
        from jury.results import bootstrap as resampling
        from jury.results.affine import Linked
        from jury.results.normalise import _estimate, _prepare

        resampling.refit  # noqa: B018
    except (ImportError, AttributeError):
        return None
    problems = []
    for i, marks in enumerate(subset):
        jurors, candidates, jj, cc, y = _prepare(marks, (0, 100))
        data = Linked(juror=jj, candidate=cc, n_jurors=len(jurors), n_candidates=len(candidates))
        problems.append(
            (
                data,
                resampling.replicate_marks(
                    fitted=y, sigma=np.full(len(y), 6.0), replicates=replicates, seed=i
                ),
            )
        )
    engine, _ = timed(
        lambda: [
            _estimate("affine", data, marks[chunk], shrink=True)[0]
            for data, marks in problems
            for chunk in resampling.chunks(replicates)
        ]
    )
    batched, _ = timed(
        lambda: [
            resampling.refit(method="affine", data=data, marks=marks, shrink=True, estimate=_estimate)
            for data, marks in problems
        ]
    )
    return engine, batched


BEFORE_REV = "55ca2564683a9aa313f7928f093dba4fb890f077"


def measure_before(argv: list[str], rev: str) -> dict:
    """Runs this script in a subprocess against the committed engine; returns its figures."""
    with tempfile.TemporaryDirectory() as tmp:
        package = Path(tmp) / "jury"
        shutil.copytree(ROOT / "src" / "jury", package)
        for name in ENGINE:
            old = subprocess.run(
                ["git", "show", f"{rev}:src/jury/results/{name}"], cwd=ROOT, capture_output=True, check=True
            ).stdout
            (package / "results" / name).write_bytes(old)
        env = {**os.environ, "PYTHONPATH": tmp}
        out = subprocess.run(
            [sys.executable, __file__, *argv], env=env, capture_output=True, text=True, check=True
        ).stdout
        return json.loads(out.strip().splitlines()[-1])["after"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, default=1247)
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--bootstrap-sections", type=int, default=100)
    parser.add_argument("--full-bootstrap", action="store_true")
    parser.add_argument("--before", action="store_true", help="also measure the engine of --rev")
    parser.add_argument("--rev", default=BEFORE_REV, help="commit whose engine is the 'before'")
    args = parser.parse_args()
    before = BEFORE
    if args.before:
        argv = [a for a in sys.argv[1:] if a != "--before"]
        before = measure_before(argv, args.rev)
    data = sections(args.sections)
    n = len(data)
    figures: dict[str, float] = {"sections": n}

    figures["design_s"], _ = timed(lambda: [check_design((j, c) for j, c, _ in marks) for marks in data])
    figures["raw_s"], _ = timed(lambda: [normalise(m, method="raw", top_k=3, scale=(0, 100)) for m in data])
    figures["affine_s"], _ = timed(
        lambda: [normalise(m, method="affine", top_k=3, scale=(0, 100)) for m in data]
    )
    try:
        from jury.results.normalise import normalise_many
    except ImportError:
        normalise_many = None
    if normalise_many is not None:
        keyed = dict(enumerate(data))
        figures["affine_many_s"], _ = timed(
            lambda: normalise_many(keyed, method="affine", top_k=3, scale=(0, 100))
        )
    subset = data if args.full_bootstrap else data[: args.bootstrap_sections]
    seconds, _ = timed(
        lambda: [
            normalise(m, method="affine", top_k=3, bootstrap=args.bootstrap, seed=i, scale=(0, 100))
            for i, m in enumerate(subset)
        ]
    )
    figures["affine_bootstrap_s"] = seconds * n / len(subset)
    refits = refit_times(subset, replicates=args.bootstrap)
    if refits is not None:
        engine, batched = refits
        figures["refit_engine_s"] = engine * n / len(subset)
        figures["refit_batched_s"] = batched * n / len(subset)
    if "affine_many_s" in figures and before.get("affine_s"):
        # What the standings service now pays (it calibrates through `normalise_many`).
        figures["affine_many_speedup"] = before["affine_s"] / figures["affine_many_s"]
    figures = {k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}
    for key, value in figures.items():
        was = before.get(key)
        suffix = (
            f"   (before {was:.3f} s, ×{was / value:.1f})" if was and value and key.endswith("_s") else ""
        )
        print(f"{key:>22}: {value}{suffix}")
    print(json.dumps({"before": before, "after": figures}))


if __name__ == "__main__":
    main()
