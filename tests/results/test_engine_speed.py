"""The engine's fast paths give exactly what the general ones give (speed work must not move a standing)."""

from __future__ import annotations

import msgspec
import numpy as np
import pytest
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from jury.results import affine, design
from jury.results.affine import Linked
from jury.results.design import Component, check_design, check_indexed
from jury.results.normalise import METHODS, normalise, normalise_many


def section(rng, *, candidates=18, jurors=5, per_candidate=4, prefix=""):
    severity = rng.normal(0, 6, jurors)
    scale = np.clip(rng.normal(1, 0.25, jurors), 0.4, 1.8)
    marks = []
    for c in range(candidates):
        quality = rng.normal(0, 12)
        for j in sorted(rng.choice(jurors, per_candidate, replace=False)):
            value = 50 + scale[j] * quality + severity[j] + rng.normal(0, 6)
            marks.append((f"{prefix}j{j}", f"{prefix}c{c:02d}", float(np.clip(value, 0, 100))))
    return marks


def sparse_reference(pairs):
    """The original sparse computation of components and Fiedler value."""
    unique = set(pairs)
    jurors = sorted({j for j, _ in unique})
    candidates = sorted({c for _, c in unique})
    ji = {j: i for i, j in enumerate(jurors)}
    ci = {c: i for i, c in enumerate(candidates)}
    rows = np.array([ji[j] for j, _ in unique])
    cols = np.array([ci[c] for _, c in unique])
    n_j, n_c = len(jurors), len(candidates)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols + n_j)), shape=(n_j + n_c, n_j + n_c)).tocsr()
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
    components.sort(key=lambda comp: (-(len(comp.jurors) + len(comp.candidates)), comp.jurors[0]))
    fiedler = 0.0
    if n_comp == 1 and n_j >= 2:
        incidence = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_j, n_c)).tocsr()
        fiedler = design._normalised_fiedler((incidence @ incidence.T).toarray())
    return components, fiedler


@pytest.mark.parametrize("seed", range(6))
def test_dense_design_path_matches_the_sparse_one(seed):
    rng = np.random.default_rng(seed)
    pairs = [(j, c) for j, c, _ in section(rng, prefix="a")]
    if seed % 2:  # a second, unbridged panel, and sometimes a bridge
        pairs += [(j, c) for j, c, _ in section(rng, candidates=7, jurors=3, per_candidate=2, prefix="b")]
    if seed % 3 == 0:
        pairs.append(("aj0", "bc00"))
    components, fiedler = sparse_reference(pairs)

    check = check_design(pairs)

    assert check.components == components
    assert check.fiedler == fiedler
    assert check.connected is (len(components) == 1)


def test_large_designs_take_the_sparse_path_with_the_same_answer(monkeypatch):
    rng = np.random.default_rng(3)
    pairs = [(j, c) for j, c, _ in section(rng, candidates=12, jurors=4, per_candidate=3)]
    dense = check_design(pairs)
    monkeypatch.setattr(design, "DENSE_NODES", 0)
    monkeypatch.setattr(design, "DENSE_CELLS", 0)

    assert check_design(pairs) == dense


def test_check_indexed_on_empty_input():
    empty = check_indexed([], [], np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp))

    assert empty.components == [] and empty.connected is False and empty.fiedler == 0.0


def test_cached_grouped_sums_equal_sum_by_bit_for_bit():
    rng = np.random.default_rng(0)
    jj = np.sort(rng.integers(0, 5, 60))
    cc = rng.integers(0, 18, 60)
    data = Linked(juror=jj, candidate=cc, n_jurors=5, n_candidates=18)
    for shape in [(1, 60), (3, 1, 60), (2, 7, 60)]:
        values = rng.normal(size=shape)
        for _ in range(2):  # the second call uses the cached index
            assert np.array_equal(data.per_juror(values), affine.sum_by(jj, values, 5))
            assert np.array_equal(data.per_candidate(values), affine.sum_by(cc, values, 18))


def test_helpers_do_the_same_arithmetic_as_numpy():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(4, 17)) * 1e3
    assert np.array_equal(affine._row_mean(x), x.mean(axis=1, keepdims=True))
    assert np.array_equal(affine._stack(x, 2 * x, x * x), np.stack([x, 2 * x, x * x]))


@pytest.mark.parametrize("method", METHODS)
def test_normalise_many_equals_normalise_section_by_section(method):
    rng = np.random.default_rng(11)
    sections = {f"s{k}": section(rng, prefix=f"s{k}") for k in range(3)}
    options = {"method": method, "top_k": 3, "bootstrap": 20, "seed": 5, "scale": (0, 100)}

    many = normalise_many(sections, **options)

    assert list(many) == list(sections)
    for key, marks in sections.items():
        assert msgspec.to_builtins(many[key]) == msgspec.to_builtins(normalise(marks, **options))


def test_normalise_many_checks_options_before_any_section():
    with pytest.raises(ValueError, match="unknown method"):
        normalise_many({1: [("a", "x", 1.0)]}, method="nope")
    assert normalise_many({}) == {}


@pytest.mark.parametrize("method", ["affine", "affine-huber"])
def test_batched_fits_match_single_fits_whatever_the_batch_holds(method):
    rng = np.random.default_rng(5)
    sections = {k: section(rng, prefix=f"s{k}") for k in range(6)}  # same shape: fitted in one batch
    sections["odd"] = section(rng, candidates=9, jurors=4, per_candidate=3)
    sections["split"] = section(rng, prefix="n") + section(rng, prefix="s")
    sections["empty"] = []
    options = {"method": method, "top_k": 3, "scale": (0, 100)}

    many = normalise_many(sections, **options)
    fewer = normalise_many({k: sections[k] for k in (0, 3)}, **options)

    for key, marks in sections.items():
        assert msgspec.to_builtins(many[key]) == msgspec.to_builtins(normalise(marks, **options))
    for key in (0, 3):
        assert msgspec.to_builtins(fewer[key]) == msgspec.to_builtins(many[key])


def test_normalise_many_rejects_unknown_options():
    with pytest.raises(TypeError, match="unknown options"):
        normalise_many({}, metod="affine")
