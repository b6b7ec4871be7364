"""Every claim a demo makes, asserted on the number it measures (small, fast settings).

The demos live in demos/NN_name.py (not a package); each exposes ``run(...) -> dict``.
Long trainings are marked ``slow``; each has a fast variant here where one is meaningful.
"""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import pytest

# No warning at a student from inside the library in any lesson (tests/product/test_no_library_warnings.py for the
# commands): a warning raised in minigan's own modules fails the lesson's test.
pytestmark = pytest.mark.filterwarnings("error::Warning:minigan.*")

DEMOS = Path(__file__).resolve().parents[2] / "demos"


@pytest.fixture(autouse=True)
def _output_in_a_tmp_folder(tmp_path_factory, monkeypatch):
    """A lesson's output goes to a tmp folder.  A reference classifier a lesson needs comes from the run's own
    cache (tests/conftest.py's $MINIGAN_CACHE, never ~/.cache/minigan): trained once per run by the first test
    that needs it and loaded after that, as a learner's second lesson loads it (the GPU code-path runs below too)."""
    monkeypatch.setenv("MINIGAN_DEMO_OUT", str(tmp_path_factory.getbasetemp() / "lesson-out"))


def load(name: str):
    """Import demos/<name>.py as a module (minigan is installed: nothing goes on sys.path)."""
    spec = importlib.util.spec_from_file_location(f"demo_{name}", DEMOS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cells(name: str, out_dir):
    """Run demos/<name>.py, a lesson written as top-level cells, top to bottom with its output under ``out_dir``;
    its ``results`` dict (what demos/lesson_numbers.py records)."""
    import os
    import runpy

    previous = os.environ.get("MINIGAN_DEMO_OUT")
    os.environ["MINIGAN_DEMO_OUT"] = str(out_dir)
    try:
        return runpy.run_path(str(DEMOS / f"{name}.py"), run_name="lesson")["results"]
    finally:
        os.environ.pop("MINIGAN_DEMO_OUT") if previous is None else os.environ.update(MINIGAN_DEMO_OUT=previous)


# ----------------------------------------------------------------------------- 01 autograd tour
def test_01_autograd_tour_gradients_match_hand_derivation_and_gradcheck(tmp_path):
    r = cells("01_autograd_tour", tmp_path)
    tmp_path = tmp_path / "01_autograd_tour"
    assert r["gradcheck"] is True
    assert r["max_abs_error"] < 1e-12
    assert r["num_nodes"] == 8  # w, x, b, Mul, Add, Sigmoid, Log, Neg
    assert r["loss_after_step"] < r["loss"]
    assert (tmp_path / "graph.png").stat().st_size > 1000
    assert (tmp_path / "graph_viz.png").stat().st_size > 1000
    # a gradient of a gradient: the first three derivatives of tanh equal their closed forms
    assert len(r["tanh_derivatives"]) == 3
    assert r["higher_order_max_abs_error"] < 1e-12


# ----------------------------------------------------------------------------- 02 backward step by step
def test_02_replayed_backward_equals_backward_on_neuron_diamond_and_gradient_penalty(tmp_path):
    r = cells("02_backward_step_by_step", tmp_path)
    tmp_path = tmp_path / "02_backward_step_by_step"
    assert r["gap"] == 0.0 and r["diamond_gap"] == 0.0 and r["gp_gap"] == 0.0
    assert r["steps"] == 5 and r["u_visits"] == 1  # Neg, Log, Sigmoid, Add, Mul; u's Mul once, with the sum
    assert r["gp_nodes"] > r["d_nodes"]  # the penalty's graph holds D's recorded backward as well
    assert r["by_hand_gap"] < 1e-12
    assert len(list((tmp_path / "frames").glob("step_*.png"))) == 5
    assert (tmp_path / "backward.gif").stat().st_size > 1000 and r["verdict"].startswith("verdict: holds")


def test_stepthrough_records_arriving_gradient_derivative_and_accumulation():
    import minigan
    from minigan import stepthrough
    from minigan.engine.backend import np

    a = minigan.tensor(np.array(3.0), requires_grad=True)
    a.name = "a"
    y = a * a  # a used twice by one Mul: two shares, accumulated
    (s,) = stepthrough.steps(y)
    assert s.node.op == "Mul" and s.derivative == "d(ab)/da = b, d(ab)/db = a"
    assert float(s.grad_in) == 1.0 and [float(v) for _, v in s.sends] == [3.0, 3.0]
    assert float(s.grads["a"]) == 6.0
    with pytest.raises(ValueError, match="no graph"):
        stepthrough.steps(a)


# ----------------------------------------------------------------------------- 03 topological order
def test_03_visit_once_walk_is_wrong_on_a_diamond_and_topological_walk_visits_each_op_once(tmp_path):
    r = cells("03_why_topological_order", tmp_path)
    assert abs(r["found"]["visit once"] - r["truth"]) > 1.0
    assert r["found"]["every arrival"] == pytest.approx(r["truth"], abs=1e-12)
    assert r["found"]["topological"] == pytest.approx(r["truth"], abs=1e-12)
    last = r["rows"][-1]
    assert last["topological"] == (last["ops"], True) and last["every arrival"][0] > 100 * last["ops"]
    assert not last["visit once"][1]
    orders = r["orders"]  # float32: backward() sums a value's three contributions newest first, as PyTorch's engine
    assert orders["backward()"] == orders["newest first"] == 0.0 and orders["oldest first"] != 0.0


# ----------------------------------------------------------------------------- 04 accumulation, in place
def test_04_backward_twice_doubles_grad_quarters_accumulate_and_in_place_after_save_is_refused(tmp_path):
    r = cells("04_accumulation_and_in_place", tmp_path)
    assert r["ratio"] == 0.0 and r["accumulation_gap"] < 1e-6
    assert "modified in place" in r["refused"] and "y = y + 1" in r["refused"]
    assert "retain_graph=True" in r["freed"]
    assert r["verdict"].startswith("verdict: holds")


# ----------------------------------------------------------------------------- 05 detach
def test_05_detach_forward_same_no_gradient_to_a_or_f_and_f_unchanged_by_step(tmp_path):
    r = cells("05_detach", tmp_path)
    assert r["forward_difference"] == 0.0
    assert r["detached_grad_is_none"] == {"a": True, "f.weight": True, "f.bias": True,
                                          "g.weight": False, "g.bias": False}
    assert not any(r["plain_grad_is_none"].values())
    assert r["f_change_detached"] == 0.0  # bit-for-bit unchanged
    assert r["f_change_plain"] > 1e-3 and r["g_change_detached"] > 1e-3
    assert r["g_change_detached"] == r["g_change_plain"]
    gan = r["gan"]  # a GAN's D step: detach() leaves G's .grad empty; without it G keeps a gradient against its own
    assert gan["g_grad_none_with_detach"] and gan["ops_with_detach"] < gan["ops_without_detach"]
    assert gan["leftover_cosine"] < -0.5


# ----------------------------------------------------------------------------- 06 optimal discriminator
def test_06_trained_discriminator_approaches_d_star_fast():
    r = load("06_optimal_discriminator").run(steps=500, batch=256, seeds=(0, 1), verbose=False)
    assert r["mean_gap"]["n"] == 2 and r["mean_gap"]["max"] < 0.04 and r["max_gap"]["max"] < 0.25
    assert abs(r["v_equal"] - r["minus_log4"]) < 1e-6  # V(D*, G) = −log 4 at p_g = p_data
    assert abs(r["v_equal_trained"] - r["minus_log4"]) < 0.01
    assert r["v_trained"]["max"] <= r["v_star"] + 1e-9 and r["jsd"] > 0.05
    assert r["verdict"] == "holds" and "2 of 2 seeds" in r["why"]


@pytest.mark.slow
def test_06_trained_discriminator_approaches_d_star_full(tmp_path):
    r = load("06_optimal_discriminator").run(out_dir=tmp_path, verbose=False)
    assert r["mean_gap"]["n"] == 5 and r["mean_gap"]["median"] < 0.02 and r["max_gap"]["max"] < 0.2
    assert abs(r["v_trained"]["median"] - r["v_star"]) < 0.01
    assert r["verdict"] == "holds" and r["figure"].exists()


# ----------------------------------------------------------------------------- 09 limit cycles
def test_09_gd_spirals_out_by_sqrt_1_plus_eta2_and_omd_converges(tmp_path):
    r = load("09_limit_cycles").run(steps=300, lr=0.1, out_dir=tmp_path, verbose=False)
    assert r["gd_max_ratio_deviation"] < 1e-12  # every GD step multiplies the distance by √(1+η²)
    assert abs(r["gd_growth_per_step"] - math.sqrt(1 + 0.1**2)) < 1e-12
    assert r["gd_final_distance"] > 4 * r["start_distance"]
    assert r["omd_final_distance"] < 0.5 * r["start_distance"]


# ----------------------------------------------------------------------------- 08 linear autoencoder saddle
def test_08_origin_is_a_saddle_and_zero_loss_set_is_the_hyperbola(tmp_path):
    r = load("08_linear_autoencoder_saddle").run(out_dir=tmp_path, verbose=False)
    m = r["mean_x2"]
    assert r["grad_norm_at_origin"] == 0.0
    assert abs(r["loss_at_origin"] - m) < 1e-12
    lo, hi = r["eigenvalues"]
    assert lo < 0 < hi  # opposite signs: a saddle, not a minimum or maximum
    assert abs(lo + 2 * m) < 1e-12 and abs(hi - 2 * m) < 1e-12  # double backward: exact, not O(h²)
    assert r["hessian_fd_max_diff"] < 1e-6  # finite differences of the gradient agree
    assert r["max_loss_on_hyperbola"] < 1e-20
    assert max(r["gd_final_losses"]) < 1e-10


# ----------------------------------------------------------------------------- 07 saturating vs non-saturating
def test_07_saturating_gradient_vanishes_when_d_rejects_fakes_and_only_nonsaturating_escapes():
    # a 100-step head start leaves mean D(G(z)) at 1e-3 on both seeds (10× under the bound) and the non-saturating G
    # escapes at step 40 of 60 (as it does at 200 and 120): the verdict's both parts at a third of the work
    r = load("07_saturating_vs_nonsaturating").run(steps=60, head=100, eval_every=20, seeds=(0, 1), verbose=False)
    assert r["d_fake_at_start"]["max"] < 0.01  # the head-started D rejects the fakes, on both seeds
    assert r["ratio"]["min"] > 100 and r["gradient_on"] == 2
    sweep = r["sweep"]  # rows (shift, mean D(G(z)), ‖∇ saturating‖, ‖∇ non-saturating‖)
    assert sweep[0][3] / sweep[0][2] > 1e4 and sweep[-1][3] < sweep[-1][2]  # the ratio flips as D(G(z)) → 1
    assert r["minimax_max_d_fake"]["max"] < 1e-2
    assert r["verdict"] == ("holds" if r["shows_on"] == 2 else "holds partly")


@pytest.mark.slow
def test_07_full_run_shows_the_claim_on_most_seeds(tmp_path):
    r = load("07_saturating_vs_nonsaturating").run(out_dir=tmp_path, verbose=False)
    assert r["gradient_on"] >= 4 and r["verdict"] in ("holds", "holds partly")
    assert r["verdict"] == ("holds" if r["shows_on"] >= 4 else "holds partly")
    assert r["figure"].exists()


# ----------------------------------------------------------------------------- 11 equilibrium
def test_11_probe_and_rule_over_seeds_fast(tmp_path):
    from minigan.lessons import VERDICTS

    r = load("11_equilibrium").run(steps=150, seeds=(0, 1), eval_every=25, out_dir=tmp_path, verbose=False)
    assert r["verdict"] in VERDICTS and r["peak_accuracy"]["n"] == 2 and 0 <= r["drifts_back"] <= 2
    assert r["peak_accuracy"]["min"] >= r["early_accuracy"]["min"] - 0.2  # a moving average of the same curve
    assert r["figure"].exists() and (tmp_path / "samples.png").exists()


@pytest.mark.slow
def test_11_d_learns_then_the_verdict_follows_the_drift_it_measures(tmp_path):
    # five seeds, 3,000 steps: D learns to tell the fakes apart (peak > 70%) on every seed; its accuracy drifts back
    # on some seeds (3 of 5 on the current engine) without reaching 50%, and the verdict counts them
    r = load("11_equilibrium").run(out_dir=tmp_path, verbose=False)
    assert r["peak_accuracy"]["min"] > 0.7 and r["peak_accuracy"]["n"] == 5
    expected = "holds partly" if r["drifts_back"] >= 2 else "does not hold here"
    assert r["verdict"] in (expected, "holds")
    assert r["modes_covered"]["median"] >= 6


# ----------------------------------------------------------------------------- 12 mode collapse
def test_12_effective_modes_and_the_rule_fast(tmp_path):
    from minigan.lessons import VERDICTS

    r = load("12_mode_collapse").run(steps=30, seeds=(0, 1), out_dir=tmp_path, verbose=False, animate=False)
    for b in (32, 256):  # 8·exp(−reverse KL): 8 for an even spread over the modes, 1 for total collapse
        s = r[f"effective_modes_{b}"]
        assert s["n"] == 2 and 1.0 - 1e-9 <= s["min"] <= s["max"] <= 8.0 + 1e-9
        assert all(abs(e - 8 * math.exp(-k)) < 1e-9 for e, k in zip(s["per_seed"], r[f"reverse_kl_{b}"]["per_seed"]))
    assert r["verdict"] in VERDICTS and r["figure"].exists() and r["scatter_32"]


def test_12_verdict_follows_the_rule_on_the_seeds_and_their_pairs():
    lesson = load("12_mode_collapse")

    def runs(pairs):
        return [{32: {"effective_modes": a}, 256: {"effective_modes": b}} for a, b in pairs]

    judged = {}
    for name, pairs in (("holds", [(1.0, 7.0), (3.0, 6.0), (7.0, 7.5), (7.2, 7.0)]),  # 2 of 4 below 5; wider
                        ("not wider", [(1.0, 1.0), (3.0, 2.0), (7.0, 7.5), (7.2, 7.0)]),
                        ("rare", [(4.0, 7.0)] + [(6.0, 7.0)] * 4),  # 1 of 5: under 1/4 of the seeds
                        ("never", [(6.0, 7.0), (7.0, 6.0)])):
        outcome, _, counts = lesson.judge(runs(pairs))
        judged[name] = outcome, counts[32], counts[256], round(counts["wider"]["median"], 6)
    assert judged == {"holds": ("holds", 2, 0, 1.75), "not wider": ("holds partly", 2, 2, -0.1),
                      "rare": ("holds partly", 1, 0, 1.0), "never": ("does not hold here", 0, 0, 0.0)}


@pytest.mark.slow
def test_12_small_batch_covers_only_part_of_the_data_on_many_seeds(tmp_path):
    r = load("12_mode_collapse").run(out_dir=tmp_path, verbose=False)
    # ten seeds, 1,500 steps: batch 32 spreads its realistic samples over fewer than 5 effective modes on many seeds
    # (at least 1/4; one total collapse or more), and the batch-256 run from the same seed spreads wider on the
    # median seed, though batch 256 also covers only part of the data on some
    assert r["only_part_32"] >= 3 and r["effective_modes_32"]["min"] < 2 and r["more_modes_256"]["median"] > 0
    assert r["verdict"] == "holds" and r["effective_modes_32"]["n"] == 10


# ----------------------------------------------------------------------------- 14 conditional GAN
@pytest.mark.slow
def test_14_conditional_d_scores_right_label_above_wrong_label(tmp_path):
    r = load("14_conditional_gan").run(out_dir=tmp_path, verbose=False)
    assert r["mean_right"]["n"] == 5 and r["mean_right"]["median"] > r["mean_wrong"]["median"]
    assert r["fraction_right_higher"]["median"] > 80  # in %, over the 5 seeds
    expected = ("holds" if r["seeds_full"] >= 4 else "holds partly" if r["seeds_weak"] >= 4
                else "does not hold here")
    assert r["outcome"] == expected and r["verdict"].startswith(f"verdict: {expected} ")


def test_14_verdict_follows_the_seeds_it_counts():
    lesson = load("14_conditional_gan")
    quiet = {"say": lambda *a, **k: None}
    seeds = [{"mean_right": 0.6, "mean_wrong": 0.3, "fraction_right_higher": 0.9, "outcome": "holds"}] * 4
    weak = {"mean_right": 0.6, "mean_wrong": 0.55, "fraction_right_higher": 0.85, "outcome": "holds partly"}
    assert lesson.decide(seeds + [weak], 1500, **quiet)["outcome"] == "holds"  # 4 of 5
    assert lesson.decide(seeds[:3] + [weak, weak], 1500, **quiet)["outcome"] == "holds partly"
    assert lesson.seed_outcome(0.85, 0.6, 0.55) == "holds partly" and lesson.seed_outcome(0.6, 0.6, 0.3) == (
        "does not hold here")


# ----------------------------------------------------------------------------- 10 Adam vs Optimistic Adam
def test_10_paired_comparison_over_seeds_fast(tmp_path):
    from minigan.lessons import VERDICTS

    r = load("10_adam_vs_optimistic_adam").run(steps=20, seeds=(0, 1), out_dir=tmp_path, verbose=False,
                                                 animate=False)
    assert r["verdict"] in VERDICTS and r["reverse_kl_adam"]["n"] == 2 and 0 <= r["ends_better"] <= 2
    assert r["figure"].exists()


def test_10_verdict_follows_the_paired_rule():
    lesson = load("10_adam_vs_optimistic_adam")

    def runs(kl_pairs, swing_pairs):
        return [{"adam": {"reverse_kl": ka, "modes_covered": 8, "slow_swing": sa},
                 "optimistic-adam": {"reverse_kl": kb, "modes_covered": 8, "slow_swing": sb}}
                for (ka, kb), (sa, sb) in zip(kl_pairs, swing_pairs)]

    better, worse, damped, doubled, even = (0.5, 0.1), (0.1, 0.5), (0.04, 0.01), (0.01, 0.02), (0.02, 0.02)
    judged = {}
    for name, kl, swing in (("both", [better] * 4, [damped] * 4), ("kl only", [better] * 3 + [worse], [even] * 4),
                            ("swing only", [better] * 2 + [worse] * 2, [damped, damped, doubled, even]),
                            ("neither", [better] * 2 + [worse] * 2, [damped, doubled, even, even])):
        outcome, _, counts = lesson.judge(runs(kl, swing))
        judged[name] = outcome, counts["ends_better"], round(counts["swing_ratio"], 6)
    # ends better on 3/4 of the seeds or more; swing factor: geometric mean of the per-seed ratios, below 0.8
    assert judged == {"both": ("holds", 4, 0.25), "kl only": ("holds partly", 3, 1.0),
                      "swing only": ("holds partly", 2, round((0.25 * 0.25 * 2) ** 0.25, 6)),
                      "neither": ("does not hold here", 2, round(0.5 ** 0.25, 6))}


def test_10_slow_swing_is_the_std_of_the_moving_average():
    lesson = load("10_adam_vs_optimistic_adam")
    noise = [(-1) ** i for i in range(100)]  # batch-to-batch noise only: averaged out over an even window
    assert lesson.slow_swing(noise, k=2) == 0  # the std of 0, 1, ..., 29 (k=1: nothing averaged) is √((30² − 1)/12)
    assert lesson.slow_swing(list(range(30)), k=1) == pytest.approx(math.sqrt((30 ** 2 - 1) / 12))


@pytest.mark.slow
def test_10_optimistic_adam_ends_better_on_most_seeds(tmp_path):
    r = load("10_adam_vs_optimistic_adam").run(out_dir=tmp_path, verbose=False)
    # twelve seeds, 800 steps: Optimistic Adam ends better on 12 of 12 (SkylakeX, PyTorch's stream; 11 of 12 under
    # the earlier stream on both kernel sets), with 8/8 modes every time, and D's slow swing is 0.72 Adam's (geometric
    # mean; 0.52-0.60 before), damped on the seeds where Adam collapses: "holds" by the rule
    assert r["ends_better"] >= 9 and r["modes_covered_optimistic_adam"]["min"] >= 7
    assert r["swing_ratio"] < 0.8 and r["verdict"] == "holds"
    assert (tmp_path / "training_adam.gif").exists()


# ----------------------------------------------------------------------------- 15 WGAN learning curve
def test_15_both_critics_log_an_estimate_and_a_quality_curve_fast(tmp_path):
    r = load("15_wgan_learning_curve").run(steps=10, seeds=(0,), eval_every=5, out_dir=tmp_path, verbose=False)
    for algorithm in ("wgan", "wgan-gp"):
        (h,) = r["runs"][algorithm]
        assert h["step"] == [5, 10] and all(math.isfinite(w) for w in h["wasserstein"])
        assert -1.0 <= h["spearman_hq"] <= 1.0
    assert r["figure"].exists()


@pytest.mark.slow
def test_15_wgan_gp_estimate_tracks_quality_and_clipped_wgan_less(tmp_path):
    r = load("15_wgan_learning_curve").run(out_dir=tmp_path, verbose=False)
    gp, clip = r["summary"]["wgan-gp"], r["summary"]["wgan"]
    assert gp["spearman"]["n"] == 5 and gp["spearman"]["median"] <= -0.8  # falls as quality rises
    assert gp["spearman"]["median"] < clip["spearman"]["median"]
    assert r["gp_tracks_quality"] is True and r["gp_seeds_tracking"] >= 4
    assert r["outcome"] == ("holds" if r["clipped_seeds_tracking"] >= 4 else "holds partly")
    for h in r["runs"]["wgan-gp"]:
        assert h["wasserstein"][-1] < 0.5 * h["wasserstein"][0] and h["high_quality"][-1] > h["high_quality"][0]


# ----------------------------------------------------------------------------- 13 input dropout
@pytest.mark.slow
def test_13_input_dropout_both_generators_healthy_and_verdict_follows_the_numbers(tmp_path):
    r = load("13_input_dropout").run(out_dir=tmp_path, verbose=False)
    # three seeds, 1,500 steps: every G covers 9 or 10 classes with a diversity near the real digits'; the verdict
    # counts the seeds on which input dropout lowers the border noise by more than 0.01
    assert r["healthy"] is True
    for arm in ("no_dropout", "dropout"):
        assert r[arm]["classes_covered"]["min"] >= 9 and r[arm]["diversity"]["min"] > 0.5 * r["real_diversity"]
    expected = {3: "holds", 2: "holds partly"}.get(r["lowered_on"], "does not hold here")
    assert r["verdict"] == expected and r["lowered"]["n"] == 3


# ----------------------------------------------------------------------------- 16 BEGAN
def test_16_began_logs_m_global_k_and_quality_per_gamma_fast(tmp_path):
    r = load("16_began").run(steps=10, gammas=(0.5, 1.0), seeds=(0, 1), eval_every=5, batch_size=16,
                             out_dir=tmp_path, verbose=False)
    assert r["outcome"] in ("holds", "holds partly", "does not hold here") and r["spearman_hq"][1.0]["n"] == 2
    for gamma in (0.5, 1.0):
        h = r["runs"][gamma]
        assert h["step"] == [5, 10] and all(m > 0 for m in h["m_global"])
        assert all(0.0 <= k <= 1.0 for k in h["k"])
    assert r["figure"].exists()


def test_16_image_part_records_the_controller_and_draws_samples(tmp_path):
    """The images part, on a small MNIST-format folder (no reference classifier: classes stay None)."""
    from minigan.data import write_idx

    rng = __import__("numpy").random.default_rng(0)
    folder = tmp_path / "idx"
    folder.mkdir()
    for prefix, n in (("train", 64), ("t10k", 8)):
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", rng.integers(0, 256, (n, 8, 8)).astype("uint8"))
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", (rng.integers(0, 3, n)).astype("uint8"))
    r = load("16_began").run(steps=4, gammas=(0.5, 1.0), seeds=(0,), eval_every=2, batch_size=16, out_dir=tmp_path,
                             verbose=False, image_steps=4, image_gammas=(1.0,), image_eval_every=2,
                             image_settings={"data": f"idx:{folder}", "batch_size": 8})
    h = r["image_runs"][1.0]
    assert h["step"] == [2, 4] and all(m > 0 for m in h["m_global"]) and all(0.0 <= k <= 1.0 for k in h["k"])
    assert h["classes"] == [None, None] and r["samples"].endswith("began_samples_1.0.png")
    assert (tmp_path / "began_images.png").exists()


@pytest.mark.slow
def test_16_m_global_falls_over_training(tmp_path):
    # 3 seeds, 3,000 steps: M_global falls for every γ on seed 0 (demos/numbers.json has the measured values);
    # whether it tracks quality (Spearman ρ < 0) differs by γ and seed, and the verdict is the seeds' majority
    r = load("16_began").run(out_dir=tmp_path, verbose=False)
    for h in r["runs"].values():
        assert h["m_global"][-1] < 0.75 * h["m_global"][0]
    outcomes = r["per_seed_outcome"]
    assert len(outcomes) == 3 and r["outcome"] == load("16_began").over_seeds(outcomes)[0]
    assert r["verdict"].startswith(f"verdict: {r['outcome']} ")


def test_16_verdict_over_seeds_is_the_same_on_both_kernel_sets():
    """The seeds' outcomes each kernel set gave (3,000 steps, seeds 0-2): SkylakeX holds, holds, holds partly;
    Haswell holds, holds partly, holds partly. A majority rule said "holds" on the one and "holds partly" on the
    other; "holds" now needs every seed, and both say "holds partly"."""
    over_seeds = load("16_began").over_seeds
    assert over_seeds(["holds", "holds", "holds partly"]) == ("holds partly", 3)
    assert over_seeds(["holds", "holds partly", "holds partly"]) == ("holds partly", 3)
    assert over_seeds(["holds"] * 3) == ("holds", 3)
    assert over_seeds(["holds partly", "does not hold here", "does not hold here"]) == ("does not hold here", 2)


def test_majority_of_seeds():
    from minigan import lessons

    assert lessons.majority(["holds", "holds", "holds partly"]) == ("holds", 2)
    assert lessons.majority(["holds", "does not hold here", "holds partly"]) == ("holds partly", 1)
    with pytest.raises(ValueError, match="expected one of"):
        lessons.majority(["maybe"])


# ----------------------------------------------------------------------------- 17 FGSM
def test_17_verdict_counts_the_seeds_adversarial_training_helped():
    lesson = load("17_fgsm")
    quiet = {"say": lambda *a, **k: None}
    clean, before = {"error_rate": 0.01}, {0.25: {"error_rate": 0.9}}
    good, bad = {"after": {0.25: 0.2}, "clean_error": 0.01}, {"after": {0.25: 0.5}, "clean_error": 0.01}
    r = lesson.decide(clean, before, [good, good, bad], **quiet)
    assert r["outcome"] == "holds" and r["helped_seeds"] == 2 and r["fewer_errors_factor"]["n"] == 3
    assert lesson.decide(clean, before, [good, bad, bad], **quiet)["outcome"] == "holds partly"  # fooled only
    costly = {"after": {0.25: 0.2}, "clean_error": 0.05}  # four-fold fewer errors, but 4 points of clean accuracy
    assert lesson.decide(clean, before, [costly] * 3, **quiet)["helped_seeds"] == 0


# ----------------------------------------------------------------------------- 18 gradient masking
@pytest.mark.slow
def test_18_fgsm_training_masks_the_gradient_and_pgd_training_does_not(tmp_path):
    r = load("18_gradient_masking").run(out_dir=tmp_path, verbose=False)
    # digits, ε = 0.1, 3 seeds (seed 0 fine-tunes the reference CNN): PGD-40 finds more errors than FGSM on the
    # FGSM-trained CNN than on the PGD-trained one (in points, spreads over the seeds; demos/numbers.json)
    assert r["fgsm_trained_gap"]["n"] == 3
    assert r["fgsm_trained_gap"]["median"] > 2 * r["pgd_trained_gap"]["median"]
    assert r["pgd_trained_pgd40_accuracy"]["median"] > r["fgsm_trained_pgd40_accuracy"]["median"]
    assert r["masked"] == (r["masked_seeds"] >= 2) and r["cured"] == (r["cured_seeds"] >= 2)
    expected = "holds" if r["masked"] and r["cured"] else "holds partly" if r["masked"] else "does not hold here"
    assert r["outcome"] == expected
    assert (tmp_path / "gradient_masking.png").stat().st_size > 1000


# ----------------------------------------------------------------------------- 19 discriminator susceptibility
@pytest.mark.slow
def test_19_gan_discriminator_is_not_less_susceptible_at_matched_accuracy(tmp_path):
    r = load("19_discriminator_susceptibility").run(out_dir=tmp_path, verbose=False)
    # 3 seeds, 3,000 GAN steps each: the twin is trained to D's held-out accuracy, then PGD-20 searches the smallest
    # ε that flips each real digit; the verdict is the majority of the seeds' outcomes
    for seed in r["per_seed"]:
        assert seed["static_accuracy"] >= seed["d_accuracy"]  # matched: the twin trained until it was as accurate
        assert seed["static_accuracy"] - seed["d_accuracy"] < 0.05
    for c in r["curves"].values():
        assert c["flipped"][-1] >= 0.9 and c["n_called_real"] > 100
    assert r["ratio"]["n"] == 3 and r["ratio"]["median"] < 1.0  # D flips at a SMALLER ε: the claim does not hold
    assert r["outcome"] == "does not hold here" and r["seeds_agreeing"] >= 2


# ----------------------------------------------------------------------------- 20 GAN projection defence
@pytest.mark.slow
def test_20_gan_projection_survives_unaware_attacks_and_is_measured_against_aware_ones(tmp_path):
    r = load("20_gan_projection_defense").run(out_dir=tmp_path, verbose=False)
    acc = r["accuracy"]  # in %, each a spread over the 3 seeds (3 GANs)
    assert acc["clean"]["defended"]["median"] >= acc["clean"]["undefended"]["median"] - 5  # keeps clean digits
    assert r["unaware_accuracy"]["median"] > r["alone_accuracy"]["median"] + 20
    assert set(acc) >= {"BPDA-PGD-10 (aware)", "on G's range (aware)"}
    assert r["aware_accuracy"]["median"] > r["alone_accuracy"]["median"]
    assert r["outcome"] == __import__("minigan").lessons.majority(r["per_seed_outcome"])[0]
    assert r["outcome"] in ("holds", "holds partly")


# ----------------------------------------------------------------------------- 21 the VAE, the reparameterization trick
def test_21_gradient_reaches_mu_and_sigma_through_rsample_and_stops_at_sample_fast(tmp_path):
    r = load("21_vae_reparameterization").run(steps=100, seeds=(0,), eval_every=50, out_dir=tmp_path, verbose=False)
    g = r["gradients"]
    assert g["rsample"]["grad_mu"] > 0 and g["rsample"]["grad_sigma"] > 0 and g["rsample"]["requires_grad"]
    assert g["sample"] == {"grad_mu": None, "grad_sigma": None, "requires_grad": False}
    assert g["rsample_is_mu_plus_sigma_eps"] is True
    t = r["terms_at_start"]  # the closed-form KL is the Monte Carlo mean of log Q(z|x) − log P(z)
    assert abs(t["kl"] - t["kl_monte_carlo"]) < 4 * t["kl_standard_error"] + 1e-6
    assert t["elbo"] == pytest.approx(t["log_px"] - t["kl"], rel=1e-5)
    assert r["final"]["sample"]["kl"]["max"] < 0.05  # no gradient from the reconstruction: the codes collapse
    assert (tmp_path / "vae.png").stat().st_size > 1000


@pytest.mark.slow
def test_21_rsample_climbs_higher_and_keeps_its_codes_on_every_seed(tmp_path):
    r = load("21_vae_reparameterization").run(out_dir=tmp_path, verbose=False)
    assert r["outcome"] == "holds" and r["seeds_agreeing"] == 3
    assert r["elbo_gap"]["min"] > 1.0 and r["final"]["rsample"]["kl"]["min"] > 1.0


# ----------------------------------------------------------------------------- 22 one objective against a game
def test_22_the_vaes_elbo_is_a_learning_curve_and_both_models_are_scored_fast(tmp_path):
    lesson = load("22_vae_vs_gan")
    assert lesson.trend([1, 2, 3, 4]) == 1.0 and lesson.trend([4, 3, 2, 1]) == -1.0 and lesson.trend([2, 2]) == 0.0
    r = lesson.run(steps=200, seeds=(0,), batch_size=64, out_dir=tmp_path, verbose=False)
    assert r["rho_elbo"]["min"] > 0.9  # 200 steps: the ELBO already only rises
    assert set(r["metrics"]["gan"]) == {"modes_covered", "high_quality", "reverse_kl"}
    assert r["outcome"] == __import__("minigan").lessons.majority(r["per_seed_outcome"])[0]
    assert (tmp_path / "vae_vs_gan.png").stat().st_size > 1000


def test_22_verdict_follows_the_two_halves():
    lesson = load("22_vae_vs_gan")

    def runs(rho_elbo, rho_g, hq_vae, hq_gan, kl_vae, kl_gan):
        return {"vae": {"rho_objective": rho_elbo, "metrics": {"high_quality": hq_vae, "reverse_kl": kl_vae}},
                "gan": {"rho_loss_g": rho_g, "metrics": {"high_quality": hq_gan, "reverse_kl": kl_gan}}}

    assert lesson.decide_seed(runs(0.95, 0.2, 0.3, 0.7, 0.01, 0.2))[0] == "holds"
    assert lesson.decide_seed(runs(0.95, 0.6, 0.3, 0.7, 0.01, 0.2))[0] == "holds partly"  # G's loss fell
    assert lesson.decide_seed(runs(0.95, 0.2, 0.3, 0.7, 0.3, 0.2))[0] == "holds partly"   # the GAN was more even
    assert lesson.decide_seed(runs(0.5, 0.2, 0.8, 0.7, 0.3, 0.2))[0] == "does not hold here"


def test_22_digits_part_scores_both_recipes_with_the_reference_classifier(digits_reference):
    r = load("22_vae_vs_gan").image_part(5, seed=0)
    for model in ("vae", "gan"):
        assert set(r[model]) == {"frechet_distance", "frechet_floor", "classes_covered", "precision", "recall"}
        assert r[model]["frechet_distance"] > r[model]["frechet_floor"] > 0  # 5 steps are far from real digits


@pytest.mark.slow
def test_22_one_objective_rises_the_game_does_not_and_they_draw_differently(tmp_path):
    r = load("22_vae_vs_gan").run(out_dir=tmp_path, verbose=False)
    # (3 of 3 seeds with OpenBLAS's Haswell kernels, 2 of 3 with SkylakeX: seed 2's G loss falls there, ρ +0.73)
    assert r["outcome"] == "holds" and r["seeds_agreeing"] >= 2 and r["rho_elbo"]["min"] >= 0.9


# ----------------------------------------------------------------------------- 23 the adversarial autoencoder
def test_23_sliced_wasserstein_is_zero_for_one_cloud_and_grows_with_a_shift():
    lesson = load("23_adversarial_autoencoder")
    from minigan.engine.backend import np

    a = np.random.default_rng(0).standard_normal((500, 2))
    assert lesson.sliced_wasserstein(a, a) == 0.0
    # a shift by d along x moves each projection by d·|cos θ|: the mean over θ uniform on [0, π) is 2d/π
    assert lesson.sliced_wasserstein(a, a + [3.0, 0.0], directions=4000) == pytest.approx(6 / np.pi, rel=0.02)


def test_23_the_discriminator_on_z_pulls_the_codes_to_the_prior_fast(tmp_path, digits_reference):
    r = load("23_adversarial_autoencoder").run(steps=100, seeds=(0,), out_dir=tmp_path, verbose=False)
    sw = r["sliced_wasserstein"]
    assert sw["aae"]["max"] < sw["autoencoder"]["min"] / 3
    assert r["outcome"] == __import__("minigan").lessons.majority(r["per_seed_outcome"])[0]
    assert (tmp_path / "aae.png").stat().st_size > 1000


@pytest.mark.slow
def test_23_aae_codes_match_the_prior_and_its_prior_draws_look_like_digits(tmp_path):
    r = load("23_adversarial_autoencoder").run(out_dir=tmp_path, verbose=False)
    assert r["outcome"] == "holds" and r["seeds_agreeing"] == 3
    assert r["frechet"]["aae"]["max"] < r["frechet"]["autoencoder"]["min"]


# ----------------------------------------------------------------------------- any lesson, as a learner runs it
def test_a_lesson_runs_from_any_folder_and_writes_only_under_its_out_folder(tmp_path):
    """`python demos/NN_name.py --out DIR` from a folder that is not demos/: no import of a helper beside the
    script, output under DIR/NN_name/, and the committed figures (demos/figures) untouched."""
    import os
    import subprocess
    import sys

    figures = {p: p.stat().st_mtime_ns for p in (DEMOS / "figures").glob("*.png")}
    env = {k: v for k, v in os.environ.items() if k != "MINIGAN_DEMO_OUT"}
    run = subprocess.run([sys.executable, str(DEMOS / "05_detach.py"), "--out", str(tmp_path / "o")],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "verdict: holds" in run.stdout
    assert (tmp_path / "o" / "05_detach" / "detach.png").stat().st_size > 1000
    assert {p: p.stat().st_mtime_ns for p in (DEMOS / "figures").glob("*.png")} == figures


# ----------------------------------------------------------------------------- the numbers the pages state
def _numbers_module():
    spec = importlib.util.spec_from_file_location("lesson_numbers", DEMOS / "lesson_numbers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


STATED = json.loads((DEMOS / "numbers.json").read_text()) if (DEMOS / "numbers.json").exists() else {}


def test_every_lesson_has_its_numbers_recorded():
    """demos/numbers.json (written by `python demos/lesson_numbers.py`) holds every lesson's numbers."""
    stems = sorted(p.stem for p in DEMOS.glob("[0-9][0-9]_*.py"))
    assert sorted(STATED) == stems, "run: python demos/lesson_numbers.py NN for the missing lessons"
    assert all(entry["numbers"] for entry in STATED.values())


def test_flatten_keeps_numbers_and_drops_arrays_and_timings():
    from minigan.engine.backend import np

    ln = _numbers_module()
    flat = ln.flatten({"a": 1, "b": {"c": 0.5, "seconds": 3.0, "d": [1, 2]}, "e": np.zeros(5), "f": True,
                       "g": np.float64(2.5)})
    assert flat == {"a": 1, "b.c": 0.5, "b.d.0": 1, "b.d.1": 2, "f": True, "g": 2.5}


def test_spreads_and_verdicts_are_recorded_and_compared_by_the_stated_rule():
    """numbers.json keeps a lesson's verdict and its spreads; a fresh median inside the stored range (widened by a
    tenth of its width) passes, one outside fails, and so does another verdict."""
    from minigan import lessons

    ln = _numbers_module()
    result = {"verdict": "verdict: holds partly — 3 of 5 seeds", "modes": lessons.spread([8, 7, 8, 5, 8]),
              "steps": 800, "arms": {"adam": {"kl": lessons.spread([0.1, 0.4, 0.3])}}}
    found = {"verdict": "holds partly", "numbers": ln.flatten(result), "spreads": ln.spreads(result)}
    assert found["spreads"] == {"modes": {"median": 8.0, "min": 5.0, "max": 8.0, "n": 5,
                                          "per_seed": [8.0, 7.0, 8.0, 5.0, 8.0]},
                                "arms.adam.kl": {"median": 0.3, "min": 0.1, "max": 0.4, "n": 3,
                                                 "per_seed": [0.1, 0.4, 0.3]}}
    assert ln.outcome_of(ln.find_verdict(result, "")) == "holds partly"
    assert ln.find_verdict({}, "text\nverdict: holds — why\n") == "verdict: holds — why"
    assert ln.compare(found, found) == []
    moved = {**found, "spreads": {**found["spreads"], "arms.adam.kl": {"median": 0.42, "min": 0.2, "max": 0.5,
                                                                       "n": 3}}}
    assert ln.compare(found, moved) == []  # 0.42 is within 0.4 + 0.1·(0.4 − 0.1)
    moved["spreads"]["arms.adam.kl"]["median"] = 0.45
    assert [d.split(":")[0] for d in ln.compare(found, moved)] == ["arms.adam.kl"]
    assert ln.compare(found, {**found, "verdict": "holds"})[0].startswith("verdict:")
    assert ln.compare(found, {**found, "numbers": {**found["numbers"], "steps": 801}}) == ["steps: stated 800, now 801"]
    assert set(ln.kernels()) == {"backend", "blas", "core", "OPENBLAS_CORETYPE"}  # and "gpu" on CuPy


def test_a_second_kernel_sets_run_pools_into_the_spread_over_seeds_and_kernel_sets():
    """--pool: each spread becomes the range over every seed of both runs (n stays the seeds of one run), a plain
    number the kernel sets disagree on becomes their spread, and the verdicts must agree."""
    from minigan import lessons

    ln = _numbers_module()

    def run(core, kl, acc, verdict="holds"):
        result = {"verdict": f"verdict: {verdict} — why", "arms": {"adam": {"kl": lessons.spread(kl)}},
                  "steps": 800, "accuracy": acc}
        return {"kernels": {"backend": "numpy", "core": core}, "verdict": verdict,
                "verdict_line": result["verdict"], "numbers": ln.flatten(result), "spreads": ln.spreads(result)}

    first, second = run("SkylakeX", [0.1, 0.4, 0.3], 0.9), run("Haswell", [0.5, 0.2, 0.6], 0.8)
    pooled = ln.pool(first, second)
    assert pooled["kernels"] == [first["kernels"], second["kernels"]] and pooled["verdict"] == "holds"
    assert pooled["spreads"]["arms.adam.kl"] == {"median": 0.35, "min": 0.1, "max": 0.6, "n": 3,
                                                 "per_seed": [0.1, 0.4, 0.3, 0.5, 0.2, 0.6]}
    assert pooled["spreads"]["accuracy"] == {"median": pytest.approx(0.85), "min": 0.8, "max": 0.9, "n": 1,
                                             "per_seed": [0.9, 0.8]}
    assert pooled["numbers"]["steps"] == 800 and pooled["numbers"]["arms.adam.kl.max"] == 0.6
    assert [r["kernels"]["core"] for r in pooled["runs"]] == [
        "SkylakeX", "Haswell"]
    # a fresh run on either kernel set reproduces the pooled entry; one outside both does not
    assert ln.compare(pooled, first) == [] and ln.compare(pooled, second) == []
    assert [d.split(":")[0] for d in ln.compare(pooled, run("SkylakeX", [0.9, 0.9, 0.9], 0.5))] == [
        "arms.adam.kl", "accuracy"]
    with pytest.raises(ValueError, match="already measured"):
        ln.pool(pooled, second)
    with pytest.raises(ValueError, match="not robust"):
        ln.pool(first, run("Haswell", [0.5, 0.2, 0.6], 0.8, verdict="holds partly"))


@pytest.mark.slow
@pytest.mark.parametrize("stem", sorted(STATED))
def test_stated_verdict_and_numbers_reproduce(stem, tmp_path):
    """Rerun the lesson from its defaults and compare with numbers.json (demos/lesson_numbers.py states the rule):
    the same verdict; each spread's median inside its stated range, widened by a tenth of its width; every other
    number exact (rel 1e-6). An entry pooled over both OpenBLAS kernel sets (--pool) states each range over every
    seed of both, so a fresh run on either kernel set must fall inside it, with no further widening. The kernel
    sets each entry was measured on are in the failure message."""
    ln = _numbers_module()
    found = ln.measure(DEMOS / f"{stem}.py", tmp_path)
    stated = STATED[stem]
    differ = ln.compare(stated, found)
    assert not differ, (f"{stem}: {len(differ)} differ (stated on {stated.get('kernels')}, now on {ln.kernels()}):\n"
                        + "\n".join(differ[:20]))


@pytest.mark.parametrize("script", sorted(DEMOS.glob("[0-9][0-9]_*.py")), ids=lambda s: s.stem)
def test_a_lesson_imports_nothing_from_its_folder_and_never_writes_the_committed_figures(script):
    """No sys.path bootstrap (minigan is installed; the shared helpers are minigan.lessons), and no lesson names
    demos/figures: refreshing those is python demos/refresh_figures.py, on purpose."""
    text = script.read_text()
    assert "sys.path" not in text and "_common" not in text
    assert "figures/" not in text.replace("demos/figures/ only", "") and "publish(" not in text
    # one closing function for every lesson, or (lessons run cell by cell) one way to the output folder
    assert "lessons.main(run, NAME)" in text or "lessons.cell_out(NAME)" in text or "def run(" not in text


def test_small_numbers_print_readably():
    from minigan.lessons import small

    assert small(1.1e-4) == "1.10e-04" and small(0.0123) == "0.0123" and small(0.0) == "0"


def test_a_lesson_run_cell_by_cell_writes_under_out_and_counts_its_seeds(tmp_path, capsys):
    from minigan.lessons import cell_out, span, tally

    path = cell_out("99_x", ["--out", str(tmp_path)])  # `python demos/99_x.py --out DIR`
    assert path == tmp_path / "99_x" and path.is_dir() and str(path) in capsys.readouterr().out
    assert tally([True, False, True]) == "2 of 3 seeds"
    assert span([0.55, 0.58]) == "55%–58%" and span([0.551, 0.552]) == "55%" and span([1.5], ".2f") == "1.50"


def test_a_quiet_loop_of_a_lesson_shows_its_bar_once_it_runs_long(monkeypatch, capsys):
    """Lesson 17's per-seed fine-tuning ran 40-60 s without a word: a quiet loop (``verbose=False``) and a library
    function's ``progress`` callback show a bar with an estimate once they have run ``QUIET_BAR_AFTER`` seconds
    (in a terminal or a notebook; never in a log)."""
    pytest.importorskip("tqdm")
    from minigan import lessons

    monkeypatch.setattr(lessons, "in_notebook", lambda: True)  # (a notebook shows the bar; capsys is no terminal)
    monkeypatch.setattr(lessons, "QUIET_BAR_AFTER", 0.0)
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    with lessons.Bar("fine-tuning, seed 0", "batches") as bar:
        for done in range(1, 41):
            bar(done, 40)
    assert "fine-tuning, seed 0" in capsys.readouterr().err
    monkeypatch.setattr(lessons, "QUIET_BAR_AFTER", 60.0)
    for _ in lessons.progress(range(40), "short loop", verbose=False):
        pass
    assert "short loop" not in capsys.readouterr().err  # a loop shorter than that says nothing
