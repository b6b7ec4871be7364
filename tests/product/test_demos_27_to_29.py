"""The claims of lessons 27-29 (the adversarial patch, the linearity argument, fooling images),
asserted on the numbers they measure at small, fast settings;
their full runs are ``slow``. (tests/product/test_demos.py holds the other lessons' and what every lesson shares.)"""

from __future__ import annotations

import pytest

from product.test_demos import load

pytestmark = pytest.mark.filterwarnings("error::Warning:minigan.*")


# ----------------------------------------------------------------------------- 27 the adversarial patch
def test_27_verdict_asks_for_a_quarter_of_the_image_and_five_times_the_random_patch():
    lesson = load("27_adversarial_patch")

    def seed(**success):  # size -> (trained, random)
        return {int(k[1:]): {"success": v[0], "random_success": v[1]} for k, v in success.items()}

    assert lesson.decide_seed(seed(s2=(0.0, 0.0), s4=(0.6, 0.05), s6=(0.9, 0.0))) == "holds"
    assert lesson.decide_seed(seed(s2=(0.0, 0.0), s4=(0.6, 0.2), s6=(0.9, 0.0))) == "holds partly"  # 3x random
    assert lesson.decide_seed(seed(s2=(0.0, 0.0), s4=(0.1, 0.0), s6=(0.4, 0.0))) == "does not hold here"


def test_27_a_trained_patch_beats_a_random_one_and_the_run_reports_it_fast(tmp_path, digits_reference):
    r = load("27_adversarial_patch").run(steps=15, seeds=(0,), sizes=(6,), out_dir=tmp_path, verbose=False)
    s = r["per_seed"][0]
    assert s["6"]["target"] == 3 and 0 <= s["6"]["no_patch"] <= 0.05
    assert s["6"]["success"] > s["6"]["random_success"] + 0.1  # 15 steps already pull toward the target
    assert r["outcome"] == r["per_seed_outcome"][0] and r["success"]["6"]["n"] == 1
    assert (tmp_path / "patch.png").stat().st_size > 1000


@pytest.mark.slow
def test_27_the_patch_needs_more_than_a_quarter_of_the_digit(tmp_path):
    r = load("27_adversarial_patch").run(out_dir=tmp_path, verbose=False)
    assert r["success"]["6"]["min"] > 50 and r["random_success"]["6"]["max"] < 5
    assert r["outcome"] == "holds partly" and r["seeds_agreeing"] == 3


# ----------------------------------------------------------------------------- 28 the linearity argument
def test_28_resize_keeps_the_digit_and_the_verdict_follows_the_growth():
    from minigan.engine.backend import np

    lesson = load("28_linearity")
    x = np.random.default_rng(0).uniform(size=(3, 1, 8, 8)).astype(np.float32)
    assert lesson.resize(x, 16).shape == (3, 1, 16, 16) and np.array_equal(lesson.resize(x, 16)[:, :, ::2, ::2], x)
    assert np.allclose(lesson.resize(x, 4)[0, 0, 0, 0], x[0, 0, :2, :2].mean())

    def model(drops, moves, errors):
        return {s: {"fgsm_drop": d, "noise_move": m, "fgsm_error": e}
                for s, d, m, e in zip(lesson.SIDES, drops, moves, errors)}

    good = model([1, 2, 3, 4], [0.2, 0.2, 0.1, 0.1], [0.5, 0.2, 0.25, 0.3])
    assert lesson.decide_seed({"linear": good, "network": good}) == "holds"
    flat_error = model([1, 2, 3, 4], [0.2, 0.2, 0.1, 0.1], [0.5, 0.2, 0.2, 0.1])
    assert lesson.decide_seed({"linear": good, "network": flat_error}) == "holds partly"
    noisy = model([1, 2, 3, 4], [0.1, 0.2, 0.3, 0.4], [0.5, 0.2, 0.25, 0.3])  # random noise grows too
    assert lesson.decide_seed({"linear": good, "network": noisy}) == "does not hold here"


def test_28_fgsm_moves_the_margin_more_than_random_signs_fast(tmp_path):
    r = load("28_linearity").run(epochs=3, seeds=(0,), sides=(8, 16), out_dir=tmp_path, verbose=False)
    for m in ("linear", "network"):
        for side in ("8", "16"):
            row = r["table"][m][side]
            assert row["fgsm_drop"]["median"] > 3 * row["noise_move"]["median"]
            assert row["fgsm_error"]["median"] > row["clean_error"]["median"]
    assert r["table"]["linear"]["16"]["l1_over_l2"]["median"] > r["table"]["linear"]["8"]["l1_over_l2"]["median"]
    assert (tmp_path / "linearity.png").stat().st_size > 1000


@pytest.mark.slow
def test_28_fgsms_effect_grows_with_the_inputs_and_random_noises_does_not(tmp_path):
    r = load("28_linearity").run(out_dir=tmp_path, verbose=False)
    lin = r["table"]["linear"]
    assert lin["32"]["fgsm_drop"]["median"] > 5 * lin["4"]["fgsm_drop"]["median"]  # √n predicts 8
    assert lin["32"]["noise_move"]["median"] <= lin["4"]["noise_move"]["median"]
    assert r["outcome"] == "holds" and r["seeds_agreeing"] >= 2


# ----------------------------------------------------------------------------- 29 fooling images
def test_29_distances_and_the_template_reader_and_the_rule():
    from minigan.engine.backend import np

    lesson = load("29_fooling_images")
    a = np.random.default_rng(0).uniform(size=(4, 1, 8, 8))
    assert np.allclose(lesson.nearest_distance(a, a), 0, atol=1e-6)
    assert np.allclose(lesson.nearest_distance(a[:1] + 0.5, a[:1]), 0.5 * 8)
    means = np.stack([np.full((1, 8, 8), c / 10) for c in range(10)])
    assert list(lesson.template_reading(means + 0.01, means)) == list(range(10))
    sure = {"confidence_per_class": [0.999] * 10, "farther_than_p95": 1.0, "template_reads_target": 0.1}
    assert lesson.decide_seed(sure) == "holds"
    assert lesson.decide_seed({**sure, "template_reads_target": 0.9}) == "holds partly"
    assert lesson.decide_seed({**sure, "confidence_per_class": [0.999] * 9 + [0.9]}) == "does not hold here"


def test_29_noise_climbs_to_a_confident_class_far_from_every_digit_fast(tmp_path, digits_reference):
    from minigan import classifier
    from minigan.data.digits import load_digits

    x, y = load_digits("train", scale="01")
    second = classifier.build("mlp")
    classifier.train_classifier(second, x, y, epochs=1, seed=0)
    r = load("29_fooling_images").run(steps=10, seeds=(0,), per_class=2, out_dir=tmp_path, verbose=False,
                                      second=second)
    assert r["confidence"]["median"] > 0.9 > r["start_confidence"]["median"]
    assert r["nearest_distance"]["median"] > r["real_p95"] > r["real_median"]
    assert (tmp_path / "fooling.png").stat().st_size > 1000


@pytest.mark.slow
def test_29_the_cnn_is_sure_of_pictures_far_from_any_digit(tmp_path):
    r = load("29_fooling_images").run(out_dir=tmp_path, verbose=False)
    assert r["lowest_class_confidence"]["min"] >= 0.99 and r["farther_than_p95"]["min"] >= 0.9
    assert r["outcome"] == lesson_majority(r)


def lesson_majority(r):
    from minigan import lessons

    return lessons.majority(r["per_seed_outcome"])[0]
