"""Every fast lesson on a GPU's code path: each run on the strict stand-in for CuPy, which refuses what CuPy
refuses (a host array handed to a device graph, a device array read as NumPy). (tests/product/test_demos.py holds
the lessons' claims.)"""

from __future__ import annotations

import pytest

from product.test_demos import cells, load

pytestmark = pytest.mark.filterwarnings("error::Warning:minigan.*")


# ----------------------------------------------------------------------------- every fast lesson on a GPU's code path
DEVICE_RUNS = {  # lesson -> the fast settings its own test (test_demos*.py) uses
    "15_wgan_learning_curve": dict(steps=10, seeds=(0,), eval_every=5, verbose=False),
    "16_began": dict(steps=10, gammas=(1.0,), seeds=(0,), eval_every=5, batch_size=16, verbose=False),
    # the rest at a few steps: enough to reach every line that moves data between the host and the device (07 at
    # these runs every line of the lesson that its test's settings, steps=60 and head=100, run)
    "07_saturating_vs_nonsaturating": dict(steps=20, head=20, eval_every=10, seeds=(0,), verbose=False),
    "06_optimal_discriminator": dict(steps=20, batch=64, seeds=(0,), verbose=False),
    "08_linear_autoencoder_saddle": dict(n=16),
    "09_limit_cycles": dict(steps=20), "10_adam_vs_optimistic_adam": dict(steps=20, seeds=(0,), animate=False),
    "11_equilibrium": dict(steps=50, eval_every=10, seeds=(0,)),  # five probes: the moving average's width (150 steps,
    # a probe every 25, had cost 4.2-5.1 CPU-s here where these take 2.1-2.5)
    "12_mode_collapse": dict(steps=20, seeds=(0,), animate=False),
    "13_input_dropout": dict(steps=20, seeds=(0,)), "14_conditional_gan": dict(steps=20, seeds=(0,)),
    "21_vae_reparameterization": dict(steps=20, seeds=(0,), eval_every=10),
    "22_vae_vs_gan": dict(steps=100, seeds=(0,), batch_size=16),
    "23_adversarial_autoencoder": dict(steps=10, seeds=(0,)),
    "24_gan_convergence": dict(steps=10, seeds=(0,), segments=2),
    "25_critic_estimates_w1": dict(steps=5, seeds=(0,)),
    "26_wgan_benefits": dict(steps=10, seeds=(4,), eval_every=5),
    "27_adversarial_patch": dict(steps=3, seeds=(0,), sizes=(2,)),
    "28_linearity": dict(epochs=1, seeds=(0,), sides=(4, 8)),
    "30_autoencoder_pretraining": dict(seeds=(0,), per_class=(1,), pretrain_steps=5),
    "31_memorization": dict(steps=5, seeds=(0,)),
    "32_latent_interpolation": dict(steps=5, seeds=(0,)),
}

# the lessons above whose evaluation reads digits with the reference CNN
EVALUATES_DIGITS = {"13_input_dropout", "23_adversarial_autoencoder", "27_adversarial_patch",
                    "32_latent_interpolation"}


# Three lessons drawn by default, every one under -m parity (each also runs on NumPy in its own test)
@pytest.mark.budget(3, cover=False)
@pytest.mark.parametrize("name", DEVICE_RUNS)
def test_a_lesson_runs_on_the_gpus_code_path(name, tmp_path, request):
    """`MINIGAN_BACKEND=cupy python demos/NN_name.py`: the lesson builds its tensors on the device, and hands
    nothing from the host to a device graph, nor reads a device array as NumPy (the strict stand-in refuses both,
    as CuPy does)."""
    from strict_backend import installed

    import minigan

    if name in EVALUATES_DIGITS:  # the reference CNN is loaded onto the device, not trained on the stand-in
        request.getfixturevalue("digits_reference")
    settings = dict(DEVICE_RUNS[name], verbose=False, out_dir=tmp_path)
    with installed():
        minigan.use_backend("cupy")
        try:
            r = load(name).run(**settings)
        finally:
            minigan.use_backend("numpy")
    assert isinstance(r, dict) and r


CELL_LESSONS = ["01_autograd_tour", "02_backward_step_by_step", "03_why_topological_order",
                "04_accumulation_and_in_place", "05_detach"]  # written as top-level cells: run whole


@pytest.mark.budget(2, cover=False)  # two drawn by default, all five under -m parity
@pytest.mark.parametrize("name", CELL_LESSONS)
def test_a_cell_lesson_runs_on_the_gpus_code_path(name, tmp_path):
    """The same for a lesson written as top-level cells, run top to bottom (its "try it" cell included)."""
    from strict_backend import installed

    import minigan

    with installed():
        minigan.use_backend("cupy")
        try:
            r = cells(name, tmp_path)
        finally:
            minigan.use_backend("numpy")
    assert r["verdict"].startswith("verdict: holds")
