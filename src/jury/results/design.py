"""Checks whether a jury design lets scores from different jurors be compared at all.

A calibration method can only separate a candidate's quality from a juror's severity when the
juror–candidate graph links them: two territorial panels with no shared juror carry no information
about which panel was harsher. This module answers that question *before* scoring opens (so that the
assignment can be fixed) and again when standings are computed (so that they can refuse to rank across
unlinked panels).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import msgspec
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

__all__ = ["Component", "DesignCheck", "check_design", "id_sort_key"]


def id_sort_key(value: Hashable) -> tuple[str, Any]:
    """Orders ids of mixed types (ints, strings, UUIDs) without raising, so every output is deterministic.

    Grouping by type name first means `1` and `"1"` never have to be compared with each other.
    """
    return (type(value).__name__, value)


class Component(msgspec.Struct, frozen=True, kw_only=True):
    """One linked group: within it, every juror's scores can be compared with every other's."""

    jurors: list[Any]
    candidates: list[Any]


class DesignCheck(msgspec.Struct, frozen=True, kw_only=True):
    """What the design allows.

    `fiedler` is the algebraic connectivity of the juror-overlap graph (edge weight = number of
    candidates two jurors share) divided by the mean juror load. It grows with how much the jurors'
    samples overlap and is comparable between contests of different sizes: a complete design with J
    jurors scores J, two panels bridged by one juror who sees a couple of candidates score close to 0.
    It is 0.0 when the design is disconnected or has fewer than two jurors.
    """

    components: list[Component]
    connected: bool
    fiedler: float


def check_design(pairs: Iterable[tuple[Hashable, Hashable]]) -> DesignCheck:
    """Analyses `(juror_id, candidate_id)` pairs (duplicates are ignored).

    Components are listed largest first (jurors + candidates), ties broken by their smallest juror id,
    so that callers can label them "panel 1", "panel 2" reproducibly.
    """
    unique = {(juror, candidate) for juror, candidate in pairs}
    jurors = sorted({juror for juror, _ in unique}, key=id_sort_key)
    candidates = sorted({candidate for _, candidate in unique}, key=id_sort_key)
    if not unique:
        return DesignCheck(components=[], connected=False, fiedler=0.0)

    j_index = {juror: i for i, juror in enumerate(jurors)}
    c_index = {candidate: i for i, candidate in enumerate(candidates)}
    n_j, n_c = len(jurors), len(candidates)
    rows = np.array([j_index[j] for j, _ in unique])
    cols = np.array([c_index[c] for _, c in unique])
    incidence = coo_matrix((np.ones(len(unique)), (rows, cols)), shape=(n_j, n_c)).tocsr()

    # Bipartite graph: jurors are nodes 0..n_j-1, candidates n_j..n_j+n_c-1.
    graph = coo_matrix((np.ones(len(unique)), (rows, cols + n_j)), shape=(n_j + n_c, n_j + n_c)).tocsr()
    n_comp, labels = connected_components(graph, directed=False)
    components = []
    for label in range(n_comp):
        members = np.flatnonzero(labels == label)
        components.append(
            Component(
                jurors=[jurors[i] for i in members if i < n_j],
                candidates=[candidates[i - n_j] for i in members if i >= n_j],
            )
        )
    components.sort(
        key=lambda comp: (-(len(comp.jurors) + len(comp.candidates)), id_sort_key(comp.jurors[0]))
    )
    connected = n_comp == 1
    fiedler = _normalised_fiedler(incidence) if connected and n_j >= 2 else 0.0
    return DesignCheck(components=components, connected=connected, fiedler=fiedler)


def _normalised_fiedler(incidence) -> float:
    overlap = (incidence @ incidence.T).toarray()
    loads = np.diag(overlap).copy()
    np.fill_diagonal(overlap, 0.0)
    laplacian = np.diag(overlap.sum(axis=1)) - overlap
    eigenvalues = np.linalg.eigvalsh(laplacian)
    value = float(eigenvalues[1]) / float(loads.mean())
    # Round away floating-point noise so that the same design always prints the same figure.
    return max(round(value, 10), 0.0)
