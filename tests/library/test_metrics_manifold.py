"""Precision, recall, density and coverage (minigan.metrics.manifold) against hand-computed cases,
the definitions written as loops, and their properties."""

import numpy as np
import pytest

from minigan.metrics import manifold as M


def by_definition(real, fake, k_pr=3, k_dc=5):
    """The four metrics straight from the papers' formulas, one pair of points at a time."""
    def radius(x, i, k):
        d = sorted(np.linalg.norm(x[i] - x[j]) for j in range(len(x)) if j != i)
        return d[k - 1]

    def dist(a, b):
        return np.linalg.norm(a - b)

    rr3 = [radius(real, i, k_pr) for i in range(len(real))]
    rf3 = [radius(fake, j, k_pr) for j in range(len(fake))]
    rr5 = [radius(real, i, k_dc) for i in range(len(real))]
    precision = np.mean([any(dist(y, x) <= r for x, r in zip(real, rr3)) for y in fake])
    recall = np.mean([any(dist(x, y) <= r for y, r in zip(fake, rf3)) for x in real])
    density = sum(dist(y, x) <= r for y in fake for x, r in zip(real, rr5)) / (k_dc * len(fake))
    coverage = np.mean([any(dist(y, x) <= r for y in fake) for x, r in zip(real, rr5)])
    return {"precision": precision, "recall": recall, "density": density, "coverage": coverage}


def test_hand_computed_1d_case():
    real, fake = np.array([0.0, 1.0, 2.0, 3.0]), np.array([0.5, 10.0])
    # k = 1: every real ball has radius 1; fake radii 9.5
    assert M.knn_radii(real, 1) == pytest.approx([1, 1, 1, 1])
    pr = M.precision_recall(real, fake, k=1)
    assert pr == {"precision": 0.5, "recall": 1.0}      # 0.5 in the balls of 0 and 1; 10 in none
    dc = M.density_coverage(real, fake, k=1)
    assert dc == {"density": 1.0, "coverage": 0.5}      # (2 + 0) / (1·2); balls of 0 and 1 hit


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_the_definitions(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    real = rng.standard_normal((40, 3))
    fake = 0.5 + 1.5 * rng.standard_normal((33, 3))
    want = by_definition(real, fake)
    monkeypatch.setattr(M, "BLOCK_ROWS", 7)  # blocks that do not divide the sizes
    got = M.manifold_metrics(real, fake)
    assert got == pytest.approx(want, abs=1e-12)


def test_identical_sets_and_far_apart_sets():
    x = np.random.default_rng(3).standard_normal((200, 8))
    same = M.manifold_metrics(x, x.copy())
    assert same["precision"] == same["recall"] == same["coverage"] == 1.0
    assert same["density"] >= 1.0  # each point is in its own ball, plus its neighbours'
    far = M.manifold_metrics(x, x + 1e3)
    assert far == {"precision": 0.0, "recall": 0.0, "density": 0.0, "coverage": 0.0}


def test_precision_and_recall_swap_with_the_sets():
    rng = np.random.default_rng(4)
    a, b = rng.standard_normal((60, 4)), 0.3 + rng.standard_normal((50, 4))
    ab, ba = M.precision_recall(a, b), M.precision_recall(b, a)
    assert ab["precision"] == ba["recall"] and ab["recall"] == ba["precision"]


def test_collapse_keeps_precision_and_loses_recall_and_coverage():
    rng = np.random.default_rng(5)
    real = np.concatenate([rng.normal(-5, 1, (300, 2)), rng.normal(5, 1, (300, 2))])
    collapsed = rng.normal(-5, 1, (600, 2))  # only the first of the two clusters
    m = M.manifold_metrics(real, collapsed)
    assert m["precision"] > 0.9 and m["recall"] < 0.55 and m["coverage"] < 0.55


def test_same_distribution_scores_near_the_papers_expectations():
    rng = np.random.default_rng(6)
    a, b = rng.standard_normal((2000, 4)), rng.standard_normal((2000, 4))
    m = M.manifold_metrics(a, b)
    # Naeem et al.: E[density] = 1 for identical distributions; coverage 1 - 2^-k = 0.97 for k = 5, N = M
    assert m["density"] == pytest.approx(1.0, abs=0.08)
    assert m["coverage"] == pytest.approx(1 - 0.5 ** 5, abs=0.02)
    assert 0.6 < m["precision"] < 1.0 and 0.6 < m["recall"] < 1.0


def test_bad_inputs_name_the_function():
    with pytest.raises(ValueError, match="precision_recall.*same feature dimension"):
        M.precision_recall(np.zeros((10, 3)), np.zeros((10, 4)))
    with pytest.raises(ValueError, match="density_coverage.*more than k=5"):
        M.density_coverage(np.zeros((5, 3)), np.zeros((10, 3)))
    with pytest.raises(ValueError, match="knn_radii.*k=0"):
        M.knn_radii(np.zeros((10, 3)), 0)
    with pytest.raises(ValueError, match="NaN or inf"):
        M.precision_recall(np.full((10, 2), np.nan), np.zeros((10, 2)))
