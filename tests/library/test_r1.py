"""The R1 penalty on D (Mescheder et al. 2018, eq. 9), γ/2 · E‖∇x D(x)‖² over real x, on its own terms: on in the 2-D
GAN recipe (γ = 0.1) and off in the plain GAN (then not computed), its value and D's gradient for a linear D against
the closed form, γ in units of the data's spread (refused when negative), and a D step with R1 differs and trains.

(Its comparisons with PyTorch: tests/pytorch/test_r1.py.)"""

import numpy as np
import pytest

import minigan
import minigan.nn as nn
from library.helpers_r1 import _gan
from minigan.gans.recipes import PLAIN_GAN, build_experiment


def test_on_in_the_2d_recipe_off_in_the_plain_gan_and_then_no_penalty_is_computed():
    exp = build_experiment("gan", "ring:6", seed=0)
    assert exp.config["r1"] == 0.1 and exp.trainer.r1 == pytest.approx(0.1 * exp.config["data_scale"] ** 2)
    plain = build_experiment("gan", "ring:6", seed=0, **PLAIN_GAN)
    assert plain.config["r1"] == 0.0 and plain.trainer.r1 == 0.0
    plain.trainer.r1_penalty = lambda *a: pytest.fail("r1 = 0 must not differentiate D's input")
    plain.train_step()


def test_linear_d_closed_form_value_and_gradient():
    # D(x) = w·x + b: ∇x D = w for every x, so the penalty is γ/2·‖w‖² and its gradient in w is γ·w (b gets none)
    D = nn.Linear(2, 1)
    trainer = _gan(D, r1=0.3)
    x = minigan.randn(8, 2).requires_grad_(True)
    penalty = trainer.r1_penalty(x, D(x))
    w = D.weight.detach().numpy().ravel()
    assert penalty.item() == pytest.approx(0.3 / 2 * (w @ w), rel=1e-6)
    penalty.backward()
    np.testing.assert_allclose(D.weight.grad.detach().numpy().ravel(), 0.3 * w, rtol=1e-6)
    assert D.bias.grad is None  # as in PyTorch: b is not in the graph of ∇x D


def test_gamma_is_in_units_of_the_datas_spread_and_refused_when_negative():
    exp = build_experiment("gan", "grid:6", seed=0, r1=0.1)
    assert exp.trainer.r1 == pytest.approx(0.1 * exp.config["data_scale"] ** 2)  # γ·s² on ∇ in the data's units
    with pytest.raises(ValueError, match="r1"):
        build_experiment("gan", "ring", seed=0, r1=-1.0)


def test_d_step_with_r1_differs_and_trains():
    a = build_experiment("gan", "ring", seed=0, r1=0.0)
    b = build_experiment("gan", "ring", seed=0, r1=1.0)
    sa, sb = a.train_step(), b.train_step()
    assert sa["loss_g"] == pytest.approx(sb["loss_g"], rel=0.2) and sa["loss_d"] != sb["loss_d"]
    assert all(np.isfinite(list(b.train_step().values())))
