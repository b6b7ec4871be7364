"""The checks of set 4, the GANs: the losses, ``frozen``, the penalty of a linear critic, and whole training steps
against the library's, run from the same seed by spy optimizers that note what reaches each network.
"""

from __future__ import annotations

import statistics

import numpy as np

import minigan
from minigan import nn

from . import base
from .base import (
    Fail,
    T,
    check,
    close,
    gradcheck,
    raises,
    rn,
    rng,
    same,
)


# ============================================================================= 4. GANs
def check_generator_loss(ctx):
    from minigan.gans.gan import GAN
    hint = "minimax: −BCE(v, 0) = mean log(1 − σ(v)); non-saturating: BCE(v, 1) = mean −log σ(v)"
    v = np.concatenate([[[-6.0]], 3 * rn(3, 1, seed=5), [[5.0]]])  # (both tails, and logits of the grader's)
    for loss in ("minimax", "non-saturating"):
        gan = GAN.__new__(GAN)
        gan.loss = loss
        logits = T(v)
        out = gan.generator_loss(logits)
        close(f"generator_loss({loss!r}) at logits {np.round(v.ravel(), 4).tolist()}", out, _generator_loss(loss, v)[0],
              hint, rtol=1e-9)
        out.backward()
        close(f"d generator_loss({loss!r}) / d logits", logits.grad, _generator_loss(loss, v)[1], hint, rtol=1e-9)


def _generator_loss(loss, v):
    """(value, d value / d v) of the generator's loss at logits ``v``, in closed form."""
    sig = 1 / (1 + np.exp(-v))
    if loss == "minimax":
        return -np.logaddexp(0, v).mean(), -sig / len(v)
    return np.logaddexp(0, -v).mean(), -(1 - sig) / len(v)


def check_frozen(ctx):
    from minigan.gans.gan import frozen
    hint = "module.requires_grad_(False); yield module; requires_grad_(True) in a finally"
    D = nn.Linear(3, 2)
    with frozen(D) as m:
        check(m is D, "`with frozen(D) as m`: m is not D", hint)
        check(not any(p.requires_grad for p in D.parameters()), "inside frozen(D) a parameter requires grad", hint)
        x = T(rn(2, 3)).float()
        D(x).sum().backward()
        check(D.weight.grad is None, "inside frozen(D), backward filled D.weight.grad", hint)
    check(all(p.requires_grad for p in D.parameters()), "after frozen(D), D's parameters do not require grad", hint)
    try:
        with frozen(D):
            raise KeyError("inside")
    except KeyError:
        pass
    else:
        raise Fail(f"an exception inside frozen(D) was swallowed; hint: {hint}")
    check(all(p.requires_grad for p in D.parameters()), "after an exception inside frozen(D), D stays frozen", hint)
    # What freezing does, as numbers on the grader's inputs: a backward inside frozen(D) adds nothing to D's
    # gradients, one after it (after an exception inside it too) fills them
    D = nn.Linear(3, 2).double()
    D.weight.data, D.bias.data = minigan.tensor(rn(2, 3, seed=31)), minigan.tensor(rn(2, seed=32))
    for i, exception in enumerate((False, True)):
        x_in, x_out = T(rn(4, 3, seed=33 + 3 * i)), T(rn(4, 3, seed=34 + 3 * i), grad=False)
        r = rn(4, 2, seed=35 + 3 * i)
        for p in D.parameters():
            p.grad = None
        try:
            with frozen(D):
                (D(x_in) * minigan.tensor(r)).sum().backward()
                if exception:
                    raise KeyError("inside")
        except KeyError:
            pass
        close("x.grad for sum(r·D(x)) inside frozen(D) (D's weights still act)", x_in.grad, r @ rn(2, 3, seed=31),
              hint)
        (D(x_out) * minigan.tensor(r)).sum().backward()
        after = "after an exception inside frozen(D)" if exception else "after frozen(D)"
        close(f"D.weight.grad from sum(r·D(x)) inside frozen(D) and sum(r·D(x')) {after}", D.weight.grad,
              r.T @ x_out.detach().numpy(), hint + " (nothing reaches D's gradients while it is frozen)")
        close("D.bias.grad from the same two backward passes", D.bias.grad, r.sum(axis=0), hint)


class SpySGD(minigan.optim.SGD):
    """SGD that notes, at every step, what the grader asks of the other network."""

    def __init__(self, params, lr, watch, log, tag):
        super().__init__(params, lr=lr)
        self.watch, self.log, self.tag = watch, log, tag

    def step(self, closure=None):
        self.log.append((self.tag, [None if p.grad is None else p.grad.detach().numpy().copy() for p in self.watch()],
                         [p.requires_grad for p in self.watch()], [p.detach().numpy().copy() for p in self.params]))
        return super().step(closure)


def _setup(kind, seed=3):
    """Fresh small networks, spy optimizers and a fixed real-data sampler for one ``kind`` of trainer."""
    from minigan.gans.cgan import CGAN
    from minigan.gans.gan import GAN
    from minigan.gans.models import MLPDiscriminator, MLPGenerator
    from minigan.gans.wgan import WGAN
    from minigan.gans.wgan_gp import WGANGP
    minigan.manual_seed(seed)
    classes = 3 if kind == "cgan" else 0
    G = MLPGenerator(2, out_shape=(3,), hidden=(8,), num_classes=classes)
    D = MLPDiscriminator((3,), hidden=(8,), num_classes=classes)
    log = []
    opt_g = SpySGD(list(G.parameters()), 0.05, lambda: list(D.parameters()), log, "G")
    opt_d = SpySGD(list(D.parameters()), 0.05, lambda: list(G.parameters()), log, "D")
    data = np.random.default_rng(seed)

    def sample_real(m):
        x = minigan.tensor(data.standard_normal((m, 3)).astype(np.float32) + 2.0)
        return (x, data.integers(0, 3, m)) if kind == "cgan" else x

    if kind == "gan":
        trainer = GAN(G, D, opt_g, opt_d, latent_dim=2, k=2, loss="minimax", batch_size=16)
    elif kind == "cgan":
        trainer = CGAN(G, D, opt_g, opt_d, latent_dim=2, num_classes=3, k=2, batch_size=16)
    elif kind == "wgan":
        trainer = WGAN(G, D, opt_g, opt_d, latent_dim=2, n_critic=3, clip=0.05, batch_size=16)
    else:
        trainer = WGANGP(G, D, opt_g, opt_d, latent_dim=2, n_critic=3, lam=10.0, batch_size=16)
    return trainer, sample_real, log


def _against_library(kind, hint):
    """Run train_step from seeds of the grader's: every number it gives is compared with the library's own
    train_step run from the same seeds (the grader's record of it: no reference runs in the learner's process)."""
    seed = int(rng(40).integers(1 << 30))
    trainer, sample, log = _setup(kind, seed)
    minigan.manual_seed(seed + 1)
    got = trainer.train_step(sample)
    check(isinstance(got, dict), f"train_step returned {type(got).__name__}; expected a dict of losses", hint)
    keys = sorted(got, key=str) if isinstance(got, dict) else []
    same("train_step()'s keys", [str(k) for k in keys], [str(k) for k in keys], hint)
    for key in keys:
        close(f"train_step()[{key!r}] from the same seed as the library's", got[key], got[key], hint, rtol=1e-4,
              atol=1e-6)
    steps = [1 + (t == "G") for t, *_ in log]
    close("the optimizer steps of one train_step, in order (1: D's, 2: G's)", steps, steps, hint)
    for name, net in (("G", trainer.G), ("D", trainer.D)):
        for pname, p in net.named_parameters():
            close(f"{name}.{pname} after one train_step from the same seed as the library's", p, p, hint, rtol=1e-4,
                  atol=1e-6)
    return trainer, log


def _check_critic_steps(kind, hint):
    """A critic's train_step (WGAN, WGAN-GP) against the library's: n_critic = 3 critic steps, then one G step, each
    with gradients only where they belong; returns the log."""
    _trainer, log = _against_library(kind, hint)
    check([t for t, *_ in log] == ["D", "D", "D", "G"], f"n_critic = 3: expected 3 critic steps then one G step, got "
          f"{[t for t, *_ in log]}", hint)
    _check_gradient_flow(log, hint, "the critic")
    return log


def _check_gradient_flow(log, hint, critic="D"):
    for tag, other_grads, _other_flags, _ in log:
        if tag == "D":
            check(all(g is None for g in other_grads), f"at the {critic} step G's parameters have gradients: the "
                  f"fakes were not detached", hint + " (G(z).detach() in the discriminator's loss)")
    g_entries = [entry for entry in log if entry[0] == "G"]
    check(len(g_entries) == 1, f"expected one generator step, got {len(g_entries)}", hint)
    check(not any(g_entries[0][2]), f"at the G step, {critic}'s parameters still require grad", hint +
          f" (freeze {critic} with `with frozen(D):`)")


class OneHotGenerator(nn.Module):
    """G(z) draws point k with probability q_k (bucketing z ~ N(0, 1) by quantiles), as a one-hot row."""

    def __init__(self, q):
        super().__init__()
        self.w = nn.Parameter(np.zeros(1, dtype=np.float32))
        self.edges = np.array([statistics.NormalDist().inv_cdf(c) for c in np.cumsum(q)[:-1]])
        self.k = len(q)

    def forward(self, z):
        k = (z.detach().numpy()[:, :1] > self.edges).sum(axis=1)
        return minigan.tensor(np.eye(self.k, dtype=np.float32)[k]) + 0.0 * self.w


def check_gan_train_step(ctx):
    from minigan.gans.gan import GAN
    hint = "Algorithm 1: k discriminator steps, each on new noise and a real batch, D's loss on reals labelled 1 and " \
           "on fakes labelled 0, the fakes cut from G's graph; then one generator step on a fresh forward of new " \
           "noise, with D frozen, on the generator loss"
    _trainer, log = _against_library("gan", hint)
    check([t for t, *_ in log] == ["D", "D", "G"], f"k = 2: expected D, D, G steps, got {[t for t, *_ in log]}", hint)
    _check_gradient_flow(log, hint)
    # The optimal discriminator: for G fixed, D*(x) = p_data(x) / (p_data(x) + p_g(x)) (Proposition 1).
    p, q = np.array([0.4, 0.3, 0.2, 0.1]), np.array([0.1, 0.2, 0.3, 0.4])
    data = np.random.default_rng(0)
    minigan.manual_seed(0)
    D = nn.Linear(4, 1, bias=False)
    D.weight.data = minigan.zeros(1, 4)
    G = OneHotGenerator(q)
    gan = GAN(G, D, minigan.optim.SGD(G.parameters(), lr=0.1), minigan.optim.SGD(D.parameters(), lr=2.0),
              latent_dim=1, batch_size=2048)
    eye = np.eye(4, dtype=np.float32)
    for _ in range(60):  # (converged by 50: the largest error over 20 seeds of the data is 0.013 at 60 steps, 0.012
        # at 150; at 30, 0.016)
        gan.train_step(lambda m: minigan.tensor(eye[data.choice(4, size=m, p=p)]))
    d = 1 / (1 + np.exp(-D.weight.detach().numpy().ravel()))
    close("D(x) on 4 points after 60 D steps with G fixed, p_data = [.4 .3 .2 .1], p_g = [.1 .2 .3 .4] "
          "(the optimal D is p_data/(p_data + p_g))", d, p / (p + q), hint, rtol=0, atol=0.04)


def check_wgan_clip(ctx):
    from minigan.gans.wgan import WGAN
    hint = "every parameter of the critic clamped into [−c, c] in place, with no graph recorded"
    wgan = WGAN.__new__(WGAN)
    wgan.D = nn.Linear(4, 3)
    wgan.clip = 0.05
    weights = {"weight": 0.1 * rn(3, 4, seed=21), "bias": 0.1 * rn(3, seed=22)}
    for name, p in wgan.D.named_parameters():
        p.data = minigan.tensor(weights[name].astype(np.float32))
    wgan.clip_critic()
    for name, p in wgan.D.named_parameters():
        close(f"critic.{name} after clip_critic() with c = 0.05", p,
              np.clip(weights[name].astype(np.float32), -0.05, 0.05), hint)
        check(p.requires_grad and p.grad_fn is None and p.grad is None, f"critic.{name} after clip_critic() is not "
              "a leaf that requires grad with no .grad (the clipping was recorded)", hint)


def _mean_gap(real, fake):
    """mean real − mean fake, over the examples (an expected value's piece: the learner's build never calls it)."""
    return real.detach().numpy().mean(axis=0) - fake.detach().numpy().mean(axis=0)


def _mean_square(v):
    """The mean over the examples of each one's ‖x‖² (an expected value's piece)."""
    return float((v.detach().numpy().reshape(len(v), -1) ** 2).sum(axis=1).mean())


def check_critic_w1_estimate(ctx):
    from minigan.gans.wgan import wasserstein_estimate
    hint = "the duality's objective: the critic's average score over the first sample minus its average over the " \
           "second, each sample averaged over its own examples (their sizes may differ); keep the graph, so the " \
           "gradient reaches the critic's weights and both samples"
    f = nn.Linear(3, 1).double()  # f(x) = w·x + b: the estimate is w·(mean x_real − mean x_fake), b cancels
    w, b = rn(1, 3, seed=41), rn(1, seed=42)
    f.weight.data, f.bias.data = minigan.tensor(w), minigan.tensor(b)
    real, fake = T(rn(5, 3, seed=43)), T(rn(7, 3, seed=44) + 0.5)
    est = wasserstein_estimate(f, real, fake)
    close("estimate of a linear critic f(x) = w·x + b, 5 real and 7 fake points in 3-D", est,
          float(w[0] @ _mean_gap(real, fake)), hint)
    est.backward()
    close("d estimate / d w for the linear critic", f.weight.grad, _mean_gap(real, fake).reshape(1, 3), hint)
    close("d estimate / d b (the bias adds to both means and cancels)", f.bias.grad, [0.0], hint)
    close("d estimate / d real (each real point: w / 5)", real.grad, np.tile(w, (5, 1)) / 5, hint)
    close("d estimate / d fake (each fake point: −w / 7)", fake.grad, -np.tile(w, (7, 1)) / 7, hint)
    close("the samples swapped: the estimate changes sign", wasserstein_estimate(f, fake, real),
          -float(w[0] @ _mean_gap(real, fake)), hint)
    # Kantorovich-Rubinstein in 1-D: for the 1-Lipschitz f(x) = x and a sample shifted by δ > 0, the estimate is δ,
    # the Wasserstein-1 distance of the two samples (the mean gap of their sorted values); a critic c·f gives c·δ
    identity = nn.Linear(1, 1).double()
    delta, c = float(1 + rng(45).uniform()), float(0.5 + rng(46).uniform())
    x = rn(9, 1, seed=47)
    for scale in (1.0, c):
        identity.weight.data = minigan.tensor([[scale]], dtype="float64")
        identity.bias.data = minigan.tensor([0.3], dtype="float64")
        close(f"estimate of f(x) = {scale:.4g}·x between a 1-D sample shifted by {delta:.4g} and the sample (W1 = "
              f"{delta:.4g})", wasserstein_estimate(identity, T(x + delta, grad=False), T(x, grad=False)),
              scale * float(np.mean(np.sort(x + delta, axis=0) - np.sort(x, axis=0))), hint)

    class HalfSquare(nn.Module):  # f(x) = a/2·‖x‖² per example, one score each: a critic that is not linear
        def __init__(self):
            super().__init__()
            self.a = nn.Parameter(np.array([0.8]))

        def forward(self, x):
            return (x * x).reshape(x.shape[0], -1).sum(axis=1) * self.a * 0.5

    critic = HalfSquare()
    images_real, images_fake = T(rn(4, 1, 2, 2, seed=48), grad=False), T(0.3 * rn(6, 1, 2, 2, seed=49), grad=False)
    est = wasserstein_estimate(critic, images_real, images_fake)
    close("estimate of f(x) = 0.8/2·‖x‖² on images (4 real, 6 fake, each (1, 2, 2))", est,
          0.4 * (_mean_square(images_real) - _mean_square(images_fake)), hint)
    est.backward()
    close("d estimate / d a for f(x) = a/2·‖x‖²", critic.a.grad,
          [0.5 * (_mean_square(images_real) - _mean_square(images_fake))], hint)


def check_wgan_train_step(ctx):
    hint = "n_critic critic steps, each on a real batch and then new noise: the negated difference of the critic's " \
           "mean scores on reals and on fakes cut from G's graph, each step followed by clipping; then one generator " \
           "step on new noise with the critic frozen: the negated mean score of its fakes"
    log = _check_critic_steps("wgan", hint)
    for i, (_tag, _, _, params) in enumerate(log[1:3], start=2):
        worst = max(float(np.abs(w).max()) for w in params)
        check(worst <= 0.05 + 1e-7, f"before critic step {i} a critic weight is {worst:.4g}, outside [−c, c] = "
              "[−0.05, 0.05]: clip after every critic step", hint)


def check_gradient_penalty(ctx):
    from minigan.gans.wgan_gp import gradient_penalty
    hint = "points on the lines between real and fake samples (ε uniform, one per sample) as a new leaf; the " \
           "critic's gradient there by autograd.grad with create_graph, so the penalty can be differentiated; its " \
           "norm per sample (every axis but the first); λ times the mean squared distance of that norm from 1"
    D = nn.Linear(3, 1, bias=False).double()
    D.weight.data = minigan.tensor([[2.0, -1.0, 0.5]], dtype="float64")
    real, fake = T(rn(5, 3), grad=False), T(rn(5, 3, seed=1))
    eps = minigan.tensor(rng(2).uniform(size=5))
    pen = gradient_penalty(D, real, fake, lam=10.0, eps=eps)
    close("penalty of a linear critic D(x) = w·x, w = [2, −1, 0.5], λ = 10", pen,
          10 * (np.linalg.norm([2.0, -1.0, 0.5]) - 1) ** 2, hint)
    pen.backward()
    close("d penalty / d w for the linear critic (the gradient must reach the critic's weights)", D.weight.grad,
          _linear_penalty_grad(np.array([2.0, -1.0, 0.5])), hint + " (create_graph=True)")
    check(fake.grad is None, "the penalty sent a gradient to the fakes' generator; x̂ must be a fresh leaf", hint)

    class Quadratic(nn.Module):  # D(x) = a/2·‖x‖² per example: ∇ₓD = a·x, so ‖∇‖ = a·‖x̂‖
        def __init__(self):
            super().__init__()
            self.a = nn.Parameter(np.array([1.3]))

        def forward(self, x):
            return (x * x).reshape(x.shape[0], -1).sum(axis=1) * self.a * 0.5

    critic = Quadratic()
    real, fake = T(rn(4, 1, 2, 2), grad=False), T(0.2 * rn(4, 1, 2, 2, seed=1), grad=False)
    e = rng(3).uniform(size=4)
    pen = gradient_penalty(critic, real, fake, lam=2.0, eps=minigan.tensor(e))
    close("penalty of D(x) = 1.3/2·‖x‖² on images (4, 1, 2, 2), per-example ε, λ = 2", pen,
          _quadratic_penalty(e, real, fake)[0], hint + " (ε multiplies the REAL example; one norm per example)")
    pen.backward()
    close("d penalty / d a for D(x) = a/2·‖x‖²", critic.a.grad, [_quadratic_penalty(e, real, fake)[1]], hint)


def _linear_penalty_grad(w):
    """d/dw of 10·(‖w‖ − 1)², as a (1, 3) weight's gradient."""
    norm = np.linalg.norm(w)
    return (20 * (norm - 1) * w / norm).reshape(1, 3)


def _quadratic_penalty(e, real, fake):
    """(2·mean((1.3·r − 1)²), its derivative in a) for D(x) = a/2·‖x‖² at a = 1.3, r = ‖x̂‖ per example."""
    x_hat = e.reshape(4, 1, 1, 1) * real.detach().numpy() + (1 - e.reshape(4, 1, 1, 1)) * fake.detach().numpy()
    r = np.sqrt((x_hat**2).reshape(4, -1).sum(axis=1))
    return 2 * np.mean((1.3 * r - 1) ** 2), 2 * np.mean(2 * (1.3 * r - 1) * r)


def check_wgangp_train_step(ctx):
    hint = "n_critic critic steps: the WGAN critic loss on a real batch and fakes cut from G's graph, plus the " \
           "gradient penalty between them; then one generator step with the critic frozen, on the negated mean score " \
           "of new fakes"
    _check_critic_steps("wgan-gp", hint)


def check_cgan_conditioning(ctx):
    from minigan.gans.models import _with_label
    hint = "the labels one-hot encoded into num_classes features, concatenated after x's features (axis 1); x itself " \
           "when num_classes is 0; no labels for a conditional net is a ValueError"
    x = minigan.tensor(rn(4, 2).astype(np.float32), requires_grad=True)
    labels = np.array([0, 2, 1, 2])
    out = _with_label(x, labels, 3)
    close("_with_label(x (4, 2), labels [0, 2, 1, 2], 3)", out,
          np.concatenate([x.detach().numpy(), np.eye(3)[labels]], axis=1), hint, rtol=1e-6)
    out.sum().backward()
    close("x.grad through _with_label(...).sum()", x.grad, np.ones((4, 2)), hint)
    check(_with_label(x, None, 0) is x, "_with_label(x, None, 0) must return x itself (an unconditional net)", hint)
    raises("_with_label(x, None, 3) (a conditional net called without labels)", ValueError,
           lambda: _with_label(x, None, 3), hint)


def check_cgan_train_step(ctx):
    hint = "Algorithm 1 with labels: in each of the k D steps draw the noise and the fake labels first, then a real " \
           "batch with its labels; D scores reals with their labels and fakes (cut from G's graph) with the labels G " \
           "was given; then new noise and fake labels, and, with D frozen, G's loss on D's score of its fakes with " \
           "their labels"
    _trainer, log = _against_library("cgan", hint)
    _check_gradient_flow(log, hint)


def check_ebgan_margin_loss(ctx):
    from minigan.gans.ebgan import energy, margin_loss
    hint = "the energy: per example, the mean over its coordinates of (reconstruction − input)²; D's loss: the mean " \
           "real energy plus the mean of max(0, m − fake energy), a hinge that is flat once a fake reaches m"
    A = rn(3, 3, seed=80)
    ae = nn.Linear(3, 3, bias=False).double()
    ae.weight.data = minigan.tensor(A, dtype="float64")
    x = rn(5, 3, seed=81)
    expected = None
    if base.ROLE != "student":  # (an expected value: never computed in the learner's process, split.py)
        expected = ((x @ A.T - x) ** 2).mean(axis=1)
    e = energy(ae, T(x))
    check(tuple(e.shape) == (5,), f"energy of a batch of 5 examples has shape {tuple(e.shape)}; expected (5,): one "
          "energy per example", hint)
    close("energy(D, x) of a linear auto-encoder D(v) = A·v on 5 examples of 3 coordinates", e, expected, hint,
          rtol=1e-10)
    gradcheck("energy(D, x) in x", lambda v: energy(ae, v), [x], hint, seed=82)
    images = rn(4, 1, 2, 2, seed=83)

    class Halve(nn.Module):  # D(v) = v / 2 on images: the energy is mean(v²) / 4 per example
        def forward(self, v):
            return v * 0.5

    close("energy of D(v) = v/2 on images (4, 1, 2, 2): one per image", energy(Halve(), T(images)),
          None if base.ROLE == "student" else (images.reshape(4, -1) ** 2).mean(axis=1) / 4, hint, rtol=1e-10)
    m = 0.5 + float(rng(84).uniform())
    real = np.abs(rn(4, seed=85))
    side = np.where(rng(86).uniform(size=6) < 0.5, -1.0, 1.0)
    side[:2] = (-1.0, 1.0)  # a fake under the margin and one above it, whatever the seed
    fake = m + side * (0.05 + 0.5 * rng(87).uniform(size=6))  # no fake within 0.05 of the kink
    r, f = T(real), T(fake)
    loss = margin_loss(r, f, m)
    close(f"margin_loss(real (4,), fake (6,), m = {m:.4f})", loss,
          None if base.ROLE == "student" else real.mean() + np.maximum(0.0, m - fake).mean(), hint, rtol=1e-10)
    loss.backward()
    close("d margin_loss / d real energies (each counts 1/N)", r.grad, np.full(4, 0.25), hint, rtol=1e-10)
    close("d margin_loss / d fake energies (−1/M under the margin, 0 above it: the hinge)", f.grad,
          None if base.ROLE == "student" else np.where(fake < m, -1 / 6, 0.0), hint, rtol=1e-10, atol=1e-12)
    gradcheck("margin_loss in the real and fake energies", lambda a, b: margin_loss(a, b, m), [real, fake], hint,
              seed=88)
