"""Fairness benchmark: how well each normalisation method recovers a known true ranking.

Run with `.venv/bin/python tests/bench/fairness.py [--replications N]`. Not collected by pytest.

Each replication draws true qualities, a jury (severity, range use and noise per juror) and a design,
turns them into integer marks on a contest scale, and compares every method's standing with the truth:
Kendall τ over all candidates and top-k precision (share of the true top k that the method selects).
The simulation is meant to look like real contests of the Hauts-de-Seine, not to flatter a method:
jurors' parameters are drawn from wide ranges, marks are rounded and clipped to the scale, and two of
the designs are territorial semi-finals whose panels differ in true level.

The last printed line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.stats import kendalltau

from jury.results.normalise import METHODS, normalise


@dataclass(frozen=True)
class Scenario:
    name: str
    top_k: int
    build: Callable[[np.random.Generator], tuple[np.ndarray, list[tuple[int, int]], int]]
    scale: tuple[int, int] = (0, 20)
    favouritism: int = 0  # number of marks inflated by a conflicted juror


def complete(rng: np.random.Generator):
    """Final: 6 jurors see all 20 finalists."""
    quality = rng.normal(0.0, 1.0, 20)
    return quality, [(j, i) for j in range(6) for i in range(20)], 6


def random_incomplete(rng: np.random.Generator, *, candidates=40, jurors=10, marks=4):
    """One pool, each candidate seen by `marks` jurors, loads balanced (what an assignment tool gives)."""
    quality = rng.normal(0.0, 1.0, candidates)
    loads = np.zeros(jurors)
    pairs = []
    for i in rng.permutation(candidates):
        chosen = np.argsort(loads + rng.uniform(0.0, 0.5, jurors))[:marks]
        loads[chosen] += 1
        pairs.extend((int(j), int(i)) for j in chosen)
    return quality, pairs, jurors


def territorial(rng: np.random.Generator, *, per_panel=20, local=4, seen_by_local=None, bridge_sees=8):
    """Two territorial semi-finals whose true levels differ, each with its local jurors, plus two
    bridging jurors who each see `bridge_sees` candidates of every panel."""
    gap = rng.normal(0.0, 0.6)
    quality = np.concatenate([rng.normal(gap / 2, 1.0, per_panel), rng.normal(-gap / 2, 1.0, per_panel)])
    pairs = []
    juror = 0
    for panel in range(2):
        members = np.arange(panel * per_panel, (panel + 1) * per_panel)
        if seen_by_local is None:
            for _ in range(local):
                pairs.extend((juror, int(i)) for i in members)
                juror += 1
        else:
            # Sparse panel: each candidate gets `seen_by_local` of the local jurors, round robin.
            for slot, i in enumerate(rng.permutation(members)):
                for r in range(seen_by_local):
                    pairs.append((juror + (slot + r) % local, int(i)))
            juror += local
    for _ in range(2):
        for panel in range(2):
            members = np.arange(panel * per_panel, (panel + 1) * per_panel)
            pairs.extend((juror, int(i)) for i in rng.choice(members, bridge_sees, replace=False))
        juror += 1
    return quality, pairs, juror


SCENARIOS = [
    Scenario("complete 6x20", 5, complete),
    Scenario("random 40c/10j, 4 marks", 8, random_incomplete),
    Scenario("random 40c/10j, 4 marks, 1-10", 8, random_incomplete, scale=(1, 10)),
    Scenario("territorial 2x20, full panels", 8, territorial),
    Scenario(
        "territorial 2x20, sparse panels",
        8,
        lambda rng: territorial(rng, local=6, seen_by_local=3),
    ),
    Scenario("random 40c/10j, favouritism", 8, random_incomplete, favouritism=3),
]


def marks_for(scenario: Scenario, rng: np.random.Generator):
    quality, pairs, jurors = scenario.build(rng)
    low, high = scenario.scale
    span = high - low
    centre = low + 0.55 * span
    spread = 0.15 * span  # one SD of true quality, in points
    severity = rng.normal(0.0, 0.5, jurors) * spread
    range_use = np.exp(rng.normal(0.0, 0.35, jurors))
    noise = rng.uniform(0.3, 1.0, jurors) * spread
    observations = []
    for j, i in pairs:
        value = centre + range_use[j] * spread * quality[i] + severity[j] + rng.normal(0.0, noise[j])
        observations.append([j, i, value])
    for k in rng.choice(len(observations), scenario.favouritism, replace=False):
        observations[k][2] += 2.5 * spread
    rounded = [(j, i, float(np.clip(np.round(v), low, high))) for j, i, v in observations]
    truth = {"centre": centre, "spread": spread, "severity": severity, "range_use": range_use, "noise": noise}
    return quality, rounded, truth


def oracle(observations, truth, n_candidates: int) -> dict:
    """Reference ceiling: knows every juror's severity, range use and noise, and inverts them exactly
    (precision-weighted). What is left is the noise and rounding no method can remove."""
    total = np.zeros(n_candidates)
    weight = np.zeros(n_candidates)
    for j, i, value in observations:
        scale = truth["range_use"][j] * truth["spread"]
        estimate = (value - truth["centre"] - truth["severity"][j]) / scale
        precision = (scale / truth["noise"][j]) ** 2
        total[i] += precision * estimate
        weight[i] += precision
    return {i: total[i] / weight[i] for i in range(n_candidates)}


def evaluate(scores: dict, quality: np.ndarray, k: int) -> tuple[float, float]:
    estimate = np.array([scores[i] for i in range(len(quality))])
    tau = kendalltau(estimate, quality).statistic
    true_top = set(np.argsort(-quality, kind="stable")[:k])
    chosen = set(np.argsort(-estimate, kind="stable")[:k])
    return float(tau), len(true_top & chosen) / k


COLUMNS = (*METHODS, "oracle")


def run(replications: int, seed: int) -> dict:
    per_scenario: dict[str, dict[str, list[tuple[float, float]]]] = {}
    for number, scenario in enumerate(SCENARIOS):
        rng = np.random.default_rng([seed, number])
        results = {method: [] for method in COLUMNS}
        for _ in range(replications):
            quality, observations, truth = marks_for(scenario, rng)
            for method in METHODS:
                result = normalise(observations, method=method, across_components="equal-severity")
                results[method].append(evaluate(result.scores, quality, scenario.top_k))
            ceiling = oracle(observations, truth, len(quality))
            results["oracle"].append(evaluate(ceiling, quality, scenario.top_k))
        per_scenario[scenario.name] = results
    return per_scenario


def table(per_scenario: dict) -> tuple[str, dict]:
    header = f"{'scenario':34s}" + "".join(f"{m:>14s}" for m in COLUMNS)
    lines = [
        "Kendall tau / top-k precision against the true quality (mean over replications);",
        "'oracle' knows every juror's parameters: the ceiling left by noise and rounding.",
        header,
        "-" * len(header),
    ]
    overall = {m: ([], []) for m in COLUMNS}
    for name, results in per_scenario.items():
        cells = []
        for method in COLUMNS:
            taus, precisions = zip(*results[method], strict=True)
            overall[method][0].extend(taus)
            overall[method][1].extend(precisions)
            cells.append(f"{np.mean(taus):7.3f}/{np.mean(precisions):.2f}")
        lines.append(f"{name:34s}" + "".join(f"{c:>14s}" for c in cells))
    lines.append("-" * len(header))
    summary = {m: {"tau": float(np.mean(t)), "top_k": float(np.mean(p))} for m, (t, p) in overall.items()}
    lines.append(
        f"{'all scenarios':34s}"
        + "".join(f"{summary[m]['tau']:7.3f}/{summary[m]['top_k']:.2f}".rjust(14) for m in COLUMNS)
    )
    return "\n".join(lines), summary


def time_one_fit(seed: int, **options) -> float:
    """Milliseconds for one `normalise` call on a 40-candidate, 10-juror, 160-mark panel."""
    rng = np.random.default_rng(seed)
    _, observations, _ = marks_for(SCENARIOS[1], rng)
    normalise(observations, **options)  # warm-up (imports, caches)
    repeats = 3 if options.get("bootstrap") else 20
    start = time.perf_counter()
    for _ in range(repeats):
        normalise(observations, **options)
    return (time.perf_counter() - start) / repeats * 1000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=120, help="per scenario")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    started = time.perf_counter()
    per_scenario = run(args.replications, args.seed)
    text, summary = table(per_scenario)
    print(text)
    fit_ms = time_one_fit(args.seed)
    bootstrap_ms = time_one_fit(args.seed, bootstrap=1000, top_k=8)
    print(f"one affine fit, 40 candidates / 10 jurors / 160 marks (with diagnostics): {fit_ms:.1f} ms")
    print(f"the same with a 1000-replicate bootstrap and P(top 8): {bootstrap_ms:.0f} ms")
    default = summary["affine"]["tau"]
    beaten = [m for m in ("raw", "zscore", "additive") if summary[m]["tau"] >= default]
    print("affine beats raw, zscore and additive on mean tau" if not beaten else f"NOT beating: {beaten}")
    print(f"total time {time.perf_counter() - started:.1f} s")
    figures = {
        "replications": args.replications,
        "scenarios": len(SCENARIOS),
        "seed": args.seed,
        "affine_fit_ms": round(fit_ms, 2),
        "affine_bootstrap_1000_ms": round(bootstrap_ms, 1),
        "methods": {m: {k: round(v, 4) for k, v in s.items()} for m, s in summary.items()},
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
