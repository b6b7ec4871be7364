"""The memorization distance (minigan.metrics.memorization): each sample's distance to its nearest reference row,
against the definition written as a loop, and its properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minigan.metrics import memorization_distance


def by_definition(samples, reference, leave_one_out=False):
    a, b = samples.reshape(len(samples), -1), reference.reshape(len(reference), -1)
    return np.array([min(np.linalg.norm(a[i] - b[j]) for j in range(len(b)) if not (leave_one_out and i == j))
                     for i in range(len(a))])


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 9), m=st.integers(2, 12), d=st.integers(1, 6), seed=st.integers(0, 2**31 - 1))
def test_agrees_with_the_loop_and_ignores_the_references_order(n, m, d, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=(n, d)), rng.normal(size=(m, d))
    dist, index = memorization_distance(a, b, return_index=True)
    assert dist == pytest.approx(by_definition(a, b), abs=1e-12)
    assert dist == pytest.approx(np.linalg.norm(a - b[index], axis=1), abs=0)
    assert memorization_distance(a, b[rng.permutation(m)]) == pytest.approx(dist, abs=1e-12)
    order = rng.permutation(n)
    assert memorization_distance(a[order], b) == pytest.approx(dist[order], abs=1e-12)
    assert memorization_distance(b, b, leave_one_out=True) == pytest.approx(by_definition(b, b, True), abs=1e-12)


def test_a_copy_is_at_exactly_zero_and_leave_one_out_skips_only_itself():
    rng = np.random.default_rng(0)
    train = rng.random((300, 1, 8, 8)) * 1e3  # large values: the expansion's rounding must not hide a copy
    copies = train[[5, 17, 299]]
    assert memorization_distance(copies, train).tolist() == [0.0, 0.0, 0.0]
    twice = np.concatenate([train, train[:1]])  # image 0 twice: its other copy is at 0, the rest are not
    loo = memorization_distance(twice, twice, leave_one_out=True)
    assert loo[0] == 0.0 and loo[-1] == 0.0 and loo[1:-1].min() > 0


def test_blocks_give_the_same_answer_as_one_pass(monkeypatch):
    from minigan.metrics import memorization as M

    rng = np.random.default_rng(1)
    a, b = rng.random((50, 64)), rng.random((40, 64))
    whole = memorization_distance(a, b, leave_one_out=False)
    monkeypatch.setattr(M, "BLOCK_ROWS", 7)
    assert memorization_distance(a, b) == pytest.approx(whole, abs=0)
    assert memorization_distance(a, a, leave_one_out=True) == pytest.approx(by_definition(a, a, True), abs=1e-12)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="samples have 3 values a row, reference 4"):
        memorization_distance(np.zeros((2, 3)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="leave_one_out"):
        memorization_distance(np.zeros((2, 3)), np.zeros((5, 3)), leave_one_out=True)
    with pytest.raises(ValueError, match="NaN"):
        memorization_distance(np.full((2, 3), np.nan), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="N >= 1"):
        memorization_distance(np.zeros((0, 3)), np.zeros((2, 3)))
