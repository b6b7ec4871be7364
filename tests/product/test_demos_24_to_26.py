"""The claims of lessons 24-26 (the convergence result, the critic's W1, WGAN's promises), asserted on the numbers they
measure at small, fast settings; their full runs are ``slow``. (tests/product/test_demos.py holds the other lessons'
and what every lesson shares.)"""

from __future__ import annotations

import math

import pytest

from product.test_demos import load

pytestmark = pytest.mark.filterwarnings("error::Warning:minigan.*")


# ----------------------------------------------------------------------------- 24 convergence with D at its optimum
def test_24_the_criterion_is_minus_log4_plus_2_jsd_and_its_autograd_gradient_is_the_hand_one():
    lesson = load("24_gan_convergence")
    from minigan.engine.backend import np

    rng = np.random.default_rng(3)
    for _ in range(5):
        p = rng.dirichlet(np.ones(8))
        assert lesson.criterion(p) == pytest.approx(-math.log(4) + 2 * lesson.jsd(lesson.P_DATA, p), abs=1e-12)
    assert lesson.criterion(lesson.P_DATA) == pytest.approx(-math.log(4), abs=1e-15)
    theta = rng.standard_normal(8)
    p = np.exp(theta) / np.exp(theta).sum()
    g = np.log(1 - lesson.d_star(p))
    grad, _ = lesson.generator_gradient(theta, lesson.d_star(p))
    assert np.abs(grad - p * (g - p @ g)).max() < 1e-12  # the softmax's Jacobian times ∂V/∂p_g


def test_24_optimal_d_converges_and_a_lagging_d_does_not_yet_fast(tmp_path):
    r = load("24_gan_convergence").run(steps=150, seeds=(0, 1), segments=20, out_dir=tmp_path, verbose=False)
    optimal, one = r["final_jsd_optimal"], r["final_jsd_1_D_step"]
    assert optimal["n"] == 2 and optimal["max"] < 3e-4 < one["min"]  # D*: within 3e-4 in 150 steps; 1 D step: not
    assert r["largest_rise_optimal"]["max"] <= 1e-12 < r["largest_rise_1_D_step"]["min"]  # monotone only under D*
    assert r["above_chord_p"] <= 1e-12 and r["above_chord_theta"] > 0.01  # convex in p_g, not in the logits
    assert r["outcome"] == "holds partly" and r["figure"].exists()  # 150 steps: JSD not yet below 1e-8


@pytest.mark.slow
def test_24_proposition_2_holds_with_d_optimal_and_convexity(tmp_path):
    r = load("24_gan_convergence").run(out_dir=tmp_path, verbose=False)
    assert r["outcome"] == "holds" and r["final_jsd_optimal"]["max"] < 1e-8
    assert r["final_jsd_1_D_step"]["min"] > 1e3 * r["final_jsd_optimal"]["max"]


# ----------------------------------------------------------------------------- 25 the critic estimates W1
def test_25_closed_forms_of_w1_and_the_penalty_prediction():
    lesson = load("25_critic_estimates_w1")
    from minigan.engine.backend import np

    assert lesson.w1(2.0, 1.0) == 2.0 and lesson.w1(0.0, 2.0) == pytest.approx(math.sqrt(math.pi / 2))
    # W1 of a spread pair is E‖x‖ (s − 1) in 2-D: the mean of a Rayleigh(1) variable, checked by sampling
    x = np.random.default_rng(0).standard_normal((200_000, 2))
    assert np.linalg.norm(x, axis=1).mean() == pytest.approx(lesson.w1(0.0, 2.0), rel=0.01)
    assert lesson.penalty_prediction(4.0, 10.0) == pytest.approx(4.8)  # argmax_k k·W − λ(k − 1)² = 1 + W/2λ


def test_25_both_critics_estimate_and_the_rule_reads_them_fast(tmp_path, monkeypatch):
    lesson = load("25_critic_estimates_w1")
    monkeypatch.setattr(lesson, "PAIRS", {"shift 1": (1.0, 1.0), "shift 2": (2.0, 1.0)})
    monkeypatch.setattr(lesson, "N_EVAL", 2000)
    r = lesson.run(seeds=(0,), steps=150, out_dir=tmp_path, verbose=False)
    est = r["estimates"]
    # 150 steps: the penalty's critic is already near W1 (within 30%); both rank a shift of 2 above a shift of 1
    assert all(abs(est["gradient penalty"][name]["median"] / w - 1) < 0.3 for name, w in r["w1"].items())
    for kind in ("clipped", "gradient penalty"):
        assert est[kind]["shift 2"]["median"] > est[kind]["shift 1"]["median"] > 0
    assert r["outcome"] in __import__("minigan").lessons.VERDICTS and r["figure"].exists()


@pytest.mark.slow
def test_25_the_penalty_critic_tracks_w1_and_the_clipped_one_does_not(tmp_path):
    r = load("25_critic_estimates_w1").run(out_dir=tmp_path, verbose=False)
    gp, clip = r["critics"]["gradient penalty"], r["critics"]["clipped"]
    assert gp["tracks"] and gp["worst_error"] < 0.25 and not clip["tracks"]
    assert r["outcome"] == "holds partly"


# ----------------------------------------------------------------------------- 26 WGAN's benefits
def test_26_every_algorithm_trains_and_is_measured_fast(tmp_path):
    r = load("26_wgan_benefits").run(steps=20, seeds=(4,), eval_every=10, out_dir=tmp_path, verbose=False)
    for algorithm in ("gan", "wgan", "wgan-gp"):
        s = r[f"effective_modes_{algorithm}"]
        assert s["n"] == 1 and 1.0 - 1e-9 <= s["min"] <= 8.0 + 1e-9
        assert 0.0 <= r[f"high_quality_{algorithm}"]["min"] <= 1.0 and r[f"swing_{algorithm}"]["min"] >= 0
    assert r["outcome"] in __import__("minigan").lessons.VERDICTS and r["figure"].exists()


def test_26_verdict_follows_the_rule():
    lesson = load("26_wgan_benefits")

    def runs(gan, wgan, gp):  # per algorithm: [(final effective modes, final realistic share, effective modes path)]
        return {a: [{"effective_modes": path, "high_quality": [hq]} for path, hq in seeds]
                for a, seeds in (("gan", gan), ("wgan", wgan), ("wgan-gp", gp))}

    wobbly, steady, collapsed = [7.0, 3.0, 6.0, 2.0], [6.0, 6.2, 6.1, 6.3], [2.0, 1.5, 1.2, 1.0]
    keeps = runs([(wobbly, 0.3)] * 2, [(steady, 0.4)] * 2, [(collapsed, 0.5)] * 2)
    assert lesson.judge(keeps, say=lambda *a: None)[0] == "holds"
    blurry = runs([(wobbly, 0.3)] * 2, [(steady, 0.05)] * 2, [(collapsed, 0.5)] * 2)  # no collapse, few realistic
    assert lesson.judge(blurry, say=lambda *a: None)[0] == "holds partly"
    neither = runs([(wobbly, 0.3)] * 2, [(collapsed, 0.4)] * 2, [(steady, 0.5), (collapsed, 0.5)])
    assert lesson.judge(neither, say=lambda *a: None)[0] == "does not hold here"


@pytest.mark.slow
def test_26_stated_measurement(tmp_path):
    r = load("26_wgan_benefits").run(out_dir=tmp_path, verbose=False)
    assert r["effective_modes_gan"]["n"] == 3 and r["collapsed"]["gan"] >= 1  # lesson 12's collapsing seeds
    assert r["figure"].exists()
