"""EBGAN (Zhao et al. 2016) and ALI/BiGAN (Dumoulin et al. 2016, Donahue et al. 2016): the energy, the margin loss
with its hinge at m and the pulling-away term in closed form; ALI's discriminator on joint pairs, its two losses and
its simultaneous update; checkpoints and the recipes."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigan
from minigan import autograd, nn, optim
from minigan.gans.ali import ALI, joint_losses
from minigan.gans.ebgan import EBGAN, energy, margin_loss, pulling_away
from minigan.gans.models import AutoEncoderDiscriminator, JointDiscriminator, MLPEncoder, MLPGenerator

ETA = 0.1
floats = st.floats(-3.0, 3.0, allow_nan=False, width=64)


def softplus(v):
    return math.log1p(math.exp(-abs(v))) + max(v, 0.0)


# ----------------------------------------------------------------------------- EBGAN: the energy and the margin
@settings(max_examples=40, deadline=None)
@given(real=st.lists(st.floats(0.0, 4.0, width=64), min_size=1, max_size=6),
       fake=st.lists(st.floats(0.0, 4.0, width=64), min_size=1, max_size=6), m=st.floats(0.01, 3.0, width=64))
def test_margin_loss_is_the_real_energy_plus_the_hinge_at_m(real, fake, m):
    """L_D = mean D(x) + mean max(0, m − D(G(z))); its gradient is 1/N on each real energy, −1/M on each fake energy
    under the margin and 0 on one above it (a fake already above m costs D nothing)."""
    r = minigan.tensor(np.array(real), requires_grad=True)
    f = minigan.tensor(np.array(fake), requires_grad=True)
    loss = margin_loss(r, f, m)
    assert loss.item() == pytest.approx(np.mean(real) + np.mean(np.maximum(0.0, m - np.array(fake))), rel=1e-12)
    loss.backward()
    np.testing.assert_allclose(r.grad.numpy(), np.full(len(real), 1 / len(real)), rtol=1e-12)
    expected = np.where(np.array(fake) < m, -1 / len(fake), 0.0)
    np.testing.assert_allclose(f.grad.numpy(), expected, rtol=1e-12, atol=0)


def test_margin_loss_hinges_at_m_and_is_monotone():
    """Below m the fakes' term falls with slope −1 as their energy rises, from m at energy 0; from m on it is 0."""
    m = 0.5
    values = [margin_loss(minigan.zeros(1), minigan.tensor([e]), m).item() for e in (0.0, 0.2, 0.5, 0.7, 5.0)]
    assert values == pytest.approx([0.5, 0.3, 0.0, 0.0, 0.0])


def test_energy_is_the_mean_squared_reconstruction_error_per_example(float64):
    ae = AutoEncoderDiscriminator((3,), (4,), 2).double()
    x = minigan.randn(5, 3)
    with minigan.no_grad():
        expected = ((ae(x) - x).numpy() ** 2).mean(1)
    got = energy(ae, x)
    assert tuple(got.shape) == (5,)
    np.testing.assert_allclose(got.detach().numpy(), expected, rtol=1e-12)


def tiny_ebgan(b, a, d, margin, pt_weight=0.0):
    """G(z) = b (zero weight, bias b) and the 'auto-encoder' D(v) = a·v + d, each with SGD(lr=η)."""
    G, D = nn.Linear(2, 1), nn.Linear(1, 1)
    with minigan.no_grad():
        G.weight.zero_()
        G.bias.fill_(b)
        D.weight.fill_(a)
        D.bias.fill_(d)
    G.double(), D.double()
    return EBGAN(G, D, optim.SGD(G.parameters(), lr=ETA), optim.SGD(D.parameters(), lr=ETA), latent_dim=2,
                 margin=margin, pt_weight=pt_weight, batch_size=4)


@pytest.mark.parametrize("margin", [0.05, 0.001])
def test_ebgan_step_in_closed_form(margin, float64):
    """Energies e(v) = (a·v + d − v)²; D descends e(x) + max(0, m − e(b)), then G descends e(b) through the UPDATED
    D (Zhao et al. 2016, eq. 1 and 2). With m under the fake's energy the hinge is off: D learns from the data only."""
    b, a, d, x_r = 0.45, 0.6, 0.1, 1.0
    ebgan = tiny_ebgan(b, a, d, margin)
    out = ebgan.train_step(lambda m: minigan.full((m, 1), x_r, dtype=minigan.float64))
    r_real, r_fake = a * x_r + d - x_r, a * b + d - b          # −0.3 and −0.08
    e_real, e_fake = r_real ** 2, r_fake ** 2
    hinge = e_fake < margin
    assert out["energy_real"] == pytest.approx(e_real, rel=1e-12)
    assert out["energy_fake"] == pytest.approx(e_fake, rel=1e-12)
    assert out["loss_d"] == pytest.approx(e_real + max(0.0, margin - e_fake), rel=1e-12)
    grad_a = 2 * r_real * x_r - (2 * r_fake * b if hinge else 0.0)
    grad_d = 2 * r_real - (2 * r_fake if hinge else 0.0)
    a1, d1 = a - ETA * grad_a, d - ETA * grad_d
    assert (ebgan.D.weight.item(), ebgan.D.bias.item()) == pytest.approx((a1, d1), rel=1e-12)
    r_g = a1 * b + d1 - b
    assert out["loss_g"] == pytest.approx(r_g ** 2, rel=1e-12)
    assert ebgan.G.bias.item() == pytest.approx(b - ETA * 2 * r_g * (a1 - 1), rel=1e-12)


def brute_pulling_away(s):
    n, total = len(s), 0.0
    for i in range(n):
        for j in range(n):
            if i != j:
                total += (s[i] @ s[j] / (np.linalg.norm(s[i]) * np.linalg.norm(s[j]))) ** 2
    return total / (n * (n - 1))


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 6).flatmap(lambda n: st.lists(st.lists(floats, min_size=3, max_size=3), min_size=n, max_size=n)))
def test_pulling_away_term_is_the_mean_squared_cosine_between_codes(rows):
    s = np.array(rows)
    if (np.linalg.norm(s, axis=1) < 1e-2).any():
        return  # a zero code has no direction
    # (the ε = 1e-12 under each norm moves a cosine by at most ε/‖S_i‖² = 1e-8 here)
    assert pulling_away(minigan.tensor(s)).item() == pytest.approx(brute_pulling_away(s), rel=1e-6, abs=1e-9)


def test_pulling_away_term_is_0_for_orthogonal_codes_1_for_one_direction_and_ignores_length():
    eye = minigan.tensor(np.eye(4) * np.array([[1.0], [2.0], [0.5], [3.0]]))
    assert pulling_away(eye).item() == pytest.approx(0.0, abs=1e-12)
    same = minigan.tensor(np.outer([1.0, -2.0, 3.0], [0.6, 0.8]))  # one direction (and its opposite)
    assert pulling_away(same).item() == pytest.approx(1.0, rel=1e-9)  # (the ε under the norm: 1e-12)


def test_ebgan_generator_loss_adds_the_weighted_pulling_away_term(float64):
    minigan.manual_seed(0)
    G, D = MLPGenerator(2, (2,), (8,)).double(), AutoEncoderDiscriminator((2,), (8,), 2).double()
    trainer = EBGAN(G, D, optim.SGD(G.parameters(), lr=ETA), optim.SGD(D.parameters(), lr=ETA), 2, pt_weight=0.1)
    fake = minigan.randn(6, 2)
    codes = D.encoder(fake)
    expected = energy(D, fake).mean().item() + 0.1 * pulling_away(codes).item()
    assert trainer.generator_loss(fake).item() == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("bad", [0, -1.0, float("inf"), True, "1"])
def test_ebgan_refuses_a_margin_that_is_not_positive(bad):
    G, D = nn.Linear(2, 1), nn.Linear(1, 1)
    with pytest.raises(ValueError, match="EBGAN: margin must be a finite number > 0"):
        EBGAN(G, D, optim.SGD(G.parameters(), lr=ETA), optim.SGD(D.parameters(), lr=ETA), 2, margin=bad)


# ----------------------------------------------------------------------------- ALI: D on joint pairs
@settings(max_examples=30, deadline=None)
@given(st.lists(floats, min_size=1, max_size=5), st.lists(floats, min_size=1, max_size=5))
def test_joint_losses_are_algorithm_1s(vq, vp):
    """L_d = −mean log ρ_q − mean log(1 − ρ_p), L_g = −mean log(1 − ρ_q) − mean log ρ_p, ρ = σ(v) (Dumoulin et al.,
    Algorithm 1): with −log σ(v) = softplus(−v) and −log(1 − σ(v)) = softplus(v)."""
    loss_d, loss_g = joint_losses(minigan.tensor(np.array(vq)), minigan.tensor(np.array(vp)))
    assert loss_d.item() == pytest.approx(np.mean([softplus(-v) for v in vq]) + np.mean([softplus(v) for v in vp]),
                                          rel=1e-9)
    assert loss_g.item() == pytest.approx(np.mean([softplus(v) for v in vq]) + np.mean([softplus(-v) for v in vp]),
                                          rel=1e-9)


def test_the_joint_discriminator_judges_pairs_not_x_alone(float64):
    """The same x beside another z is another input: D(x, z) depends on both, so a generated x that looks real is
    still told apart when its z does not go with it."""
    minigan.manual_seed(1)
    D = JointDiscriminator((2,), 3, (16,)).double()
    x, z = minigan.randn(4, 2), minigan.randn(4, 3)
    with minigan.no_grad():
        a, b, c = D(x, z).numpy(), D(x, z.flip(0)).numpy(), D(x.flip(0), z).numpy()
    assert a.shape == (4, 1) and not np.allclose(a, b) and not np.allclose(a, c)


def small_ali(encoder_kind="deterministic", seed=0):
    minigan.manual_seed(seed)
    G = MLPGenerator(2, (2,), (8,)).double()
    E = MLPEncoder((2,), 2, (8,), gaussian=encoder_kind == "gaussian").double()
    D = JointDiscriminator((2,), 2, (8,)).double()
    opt_g = optim.SGD([*G.parameters(), *E.parameters()], lr=ETA)
    return ALI(G, E, D, opt_g, optim.SGD(D.parameters(), lr=ETA), 2, encoder_kind=encoder_kind, batch_size=5)


def test_ali_update_is_simultaneous_gradient_descent_on_l_d_and_l_g(float64):
    """Every weight moves by −η times its gradient at the SAME point: D's of L_d, G's and E's of L_g, both computed
    from one forward pass before any update (Algorithm 1)."""
    before, after = small_ali(), small_ali()
    x = minigan.randn(5, 2)
    minigan.manual_seed(7)
    z = before.noise(5)
    real_logits, fake_logits = before.D(x, before.E(x)), before.D(before.G(z), z)
    loss_d, loss_g = joint_losses(real_logits, fake_logits)
    d_params, g_params = list(before.D.parameters()), [*before.G.parameters(), *before.E.parameters()]
    grads_d = autograd.grad(loss_d, d_params, retain_graph=True)
    grads_g = autograd.grad(loss_g, g_params)
    minigan.manual_seed(7)
    out = after.train_step(lambda m: x)
    assert out["loss_d"] == pytest.approx(loss_d.item(), rel=1e-12)
    assert out["loss_g"] == pytest.approx(loss_g.item(), rel=1e-12)
    moved = [*after.D.parameters(), *after.G.parameters(), *after.E.parameters()]
    for p0, g, p1 in zip([*d_params, *g_params], [*grads_d, *grads_g], moved):
        np.testing.assert_allclose(p1.detach().numpy(), (p0 - ETA * g).detach().numpy(), rtol=1e-12, atol=1e-15)


def test_ali_gaussian_encoder_learns_through_its_reparameterized_codes(float64):
    ali = small_ali("gaussian")
    sigma_head = [p.detach().numpy().copy() for p in ali.E.parameters()]
    ali.train_step(lambda m: minigan.randn(m, 2))
    assert any(not np.array_equal(a, p.detach().numpy()) for a, p in zip(sigma_head, ali.E.parameters()))
    x = minigan.randn(3, 2)
    assert tuple(ali.encode(x).shape) == (3, 2) and tuple(ali.reconstruct(x).shape) == (3, 2)
    with minigan.no_grad():
        by_hand = ((ali.G(ali.E(x)[0]) - x).numpy() ** 2).mean()  # the code is q(z|x)'s mean
    assert ali.reconstruction_error(x) == pytest.approx(by_hand, rel=1e-12)


def test_ali_state_holds_the_encoder_and_round_trips(float64):
    a, b = small_ali(seed=0), small_ali(seed=1)
    a.train_step(lambda m: minigan.randn(m, 2))
    b.load_state_dict(a.state_dict())
    x = minigan.randn(4, 2)
    np.testing.assert_array_equal(a.encode(x).numpy(), b.encode(x).numpy())
    assert b.step == 1 and "encoder" in a.state_dict()
    with pytest.raises(ValueError, match="got the state of 'ebgan', expected 'ali'"):
        b.load_state_dict({**a.state_dict(), "algorithm": "ebgan"})


# ----------------------------------------------------------------------------- the recipes
@pytest.mark.parametrize("algorithm", ["ebgan", "ali"])
@pytest.mark.parametrize("data", ["ring", "digits"])
def test_recipes_build_and_step(algorithm, data):
    from minigan.gans.recipes import build_experiment

    exp = build_experiment(algorithm, data, seed=0, batch_size=8)
    out = [exp.train_step() for _ in range(2)]
    assert all(math.isfinite(v) for v in out[-1].values()) and exp.trainer.name == algorithm
    assert tuple(exp.trainer.sample(3).shape[1:]) == ((2,) if data == "ring" else (1, 8, 8))
    with pytest.raises(ValueError, match=f"--loss applies to gan and cgan; {algorithm}"):
        build_experiment(algorithm, data, loss="minimax")
