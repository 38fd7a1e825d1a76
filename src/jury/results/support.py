"""What a design can support: the affine model, only the additive one, or nothing but the raw mean.

A model is only as good as the overlap it is fitted on. The affine model spends two parameters per juror
(severity and range use); the additive one, one (severity). A section of three candidates and two jurors,
a juror with a single mark, or candidates each marked by one juror do not carry that information: the
model would reproduce every mark exactly and "correct" noise. The engine then falls back (affine →
additive → raw) and the standing says which method was actually used, and why, in plain French.

Pure: index arrays in, a method and a reason out.
"""

from __future__ import annotations

import numpy as np

ORDER = ("raw", "additive", "affine")
MIN_MARKS_FOR_RANGE = 7  # median marks per juror below which range use is not estimated. With the severity
# prior estimated properly (engine 3), sections whose jurors have 7 or 9 marks rank better with range use
# too (tests/bench/fairness.py, seeds 7, 99 and 2024, 150 replications each: comité 7c/5j τ +0.005,
# 12c/4j τ +0.005, each seed positive) while a Gâteau table of 5 marks per juror ranks worse (τ −0.01);
# 6, between the two, is left to the simpler model.
FEW_MARKS = 3  # a juror with fewer marks gets « trop peu de notes » in the diagnostics


def supported(
    juror: np.ndarray, candidate: np.ndarray, *, n_jurors: int, n_candidates: int
) -> tuple[str, str]:
    """The richest model one linked component supports ("affine", "additive" or "raw") and, below
    affine, the reason in French (empty when affine is supported)."""
    m = len(juror)
    if n_jurors < 2:
        return "raw", "un seul juré : ses notes ne se comparent à celles d'aucun autre"
    per_candidate = np.bincount(candidate, minlength=n_candidates)
    if per_candidate.max(initial=0) < 2:
        return "raw", (
            "aucun candidat noté par deux jurés : la sévérité d'un juré ne se distingue pas du niveau des "
            "candidats qu'il a vus"
        )
    if m - (n_candidates + n_jurors - 1) < 1:
        return "raw", (
            "trop peu de notes en commun entre jurés : corriger la sévérité reproduirait exactement chaque "
            "note"
        )
    per_juror = np.bincount(juror, minlength=n_jurors)
    if np.median(per_juror) < MIN_MARKS_FOR_RANGE or m - (n_candidates + 2 * n_jurors - 2) < n_jurors:
        return "additive", (
            "trop peu de notes par juré pour estimer l'étendue de notation de chacun : seule la sévérité "
            "est corrigée"
        )
    return "affine", ""


def effective(requested: str, caps: list[tuple[str, str]]) -> tuple[str, str]:
    """The method actually used for a requested model-based method, given each component's cap: the
    weakest cap wins (one standing, one method). Methods without a model (zscore, trimmed, median, raw)
    are used as asked."""
    family = {"affine": "affine", "affine-huber": "affine", "additive": "additive"}.get(requested)
    if family is None or not caps:
        return requested, ""
    level, reason = min(caps, key=lambda cap: ORDER.index(cap[0]))
    if ORDER.index(level) >= ORDER.index(family):
        return requested, ""
    return level, reason
