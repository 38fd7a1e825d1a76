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

__all__ = ["Component", "DesignCheck", "check_design", "check_indexed", "id_sort_key"]

DENSE_NODES = 5_000  # jurors + candidates up to which components come from a plain union–find
DENSE_CELLS = 4_000_000  # jurors × candidates up to which the overlap matrix is computed densely


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
    rows = np.fromiter((j_index[j] for j, _ in unique), dtype=np.intp, count=len(unique))
    cols = np.fromiter((c_index[c] for _, c in unique), dtype=np.intp, count=len(unique))
    return check_indexed(jurors, candidates, rows, cols)


def check_indexed(jurors: list, candidates: list, rows: np.ndarray, cols: np.ndarray) -> DesignCheck:
    """`check_design` for callers that already hold the sorted ids and one `(rows[k], cols[k])` index
    pair per distinct mark (as `jury.results.normalise` does): skips hashing and sorting the ids again.

    Small designs (the usual section: a handful of jurors) take a dense path, a union–find for the
    components and a dense overlap matrix for the Fiedler value, which gives exactly the same figures
    as the sparse one (the overlap counts are integers) without scipy.sparse's per-call overhead.
    """
    n_j, n_c = len(jurors), len(candidates)
    if len(rows) == 0:
        return DesignCheck(components=[], connected=False, fiedler=0.0)
    if n_j + n_c <= DENSE_NODES:
        labels = _union_find_labels(rows, cols + n_j, n_j + n_c)
        n_comp = int(labels.max()) + 1
    else:
        graph = coo_matrix((np.ones(len(rows)), (rows, cols + n_j)), shape=(n_j + n_c, n_j + n_c)).tocsr()
        n_comp, labels = connected_components(graph, directed=False)
    if n_comp == 1:
        components = [Component(jurors=list(jurors), candidates=list(candidates))]
    else:
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
    fiedler = 0.0
    if connected and n_j >= 2:
        if n_j * n_c <= DENSE_CELLS:
            incidence = np.zeros((n_j, n_c))
            incidence[rows, cols] = 1.0
            overlap = incidence @ incidence.T
        else:
            sparse = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_j, n_c)).tocsr()
            overlap = (sparse @ sparse.T).toarray()
        fiedler = _normalised_fiedler(overlap)
    return DesignCheck(components=components, connected=connected, fiedler=fiedler)


def _union_find_labels(left: np.ndarray, right: np.ndarray, n: int) -> np.ndarray:
    """Component labels 0..k-1 of an undirected graph on n nodes (edges `left[k]`–`right[k]`), numbered
    in order of each component's smallest node. Every node here has at least one edge."""
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for u, v in zip(left.tolist(), right.tolist(), strict=True):
        ru, rv = root(u), root(v)
        if ru != rv:
            if ru < rv:
                parent[rv] = ru
            else:
                parent[ru] = rv
    labels = np.empty(n, dtype=np.intp)
    numbers: dict[int, int] = {}
    for x in range(n):
        labels[x] = numbers.setdefault(root(x), len(numbers))
    return labels


def _normalised_fiedler(overlap: np.ndarray) -> float:
    """`overlap`: the dense juror × juror matrix of shared candidates (loads on the diagonal)."""
    loads = np.diag(overlap).copy()
    np.fill_diagonal(overlap, 0.0)
    laplacian = np.diag(overlap.sum(axis=1)) - overlap
    eigenvalues = np.linalg.eigvalsh(laplacian)
    value = float(eigenvalues[1]) / float(loads.mean())
    # Round away floating-point noise so that the same design always prints the same figure.
    return max(round(value, 10), 0.0)
