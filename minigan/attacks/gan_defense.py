"""A GAN as a defence: project the input onto the generator's range, then classify the projection.

Ilyas, Jalal, Asteri, Daskalakis & Dimakis 2017, "The Robust Manifold Defense: Adversarial Training
using Generative Models" (reviewed in IT3320E, the GAN lecture of Hung Son Nguyen, HUST 2022), and Samangouei,
Kabkab & Chellappa 2018, "Defense-GAN" (ICLR), Section 3 / Algorithm 1: natural images lie near the
range of a generator G, adversarial perturbations push them off it, so replace x by its nearest
point on that range before classifying,

    z* = argmin_z ‖G(z) − x‖²   (L steps of gradient descent from R random z, the best kept),
    predict C(G(z*)).

The projection is an inner optimisation, so ∇ₓ of the defended model is hard to get and an attack
on the classifier alone is not an attack on the defence. The honest test is an attack that KNOWS
the defence: BPDA, the backward-pass differentiable approximation of Athalye, Carlini & Wagner 2018
("Obfuscated Gradients Give a False Sense of Security", Section 4.1). Since G(z*(x)) ≈ x, take the
forward pass through the projection but treat it as the identity in the backward pass:

    ∇ₓ J(C(P(x)), y)  ≈  ∇ᵤ J(C(u), y) |_{u = P(x)}

and run PGD with that gradient (``bpda_pgd``).

The GAN here is the digits DCGAN of ``minigan.gans.recipes`` (pixels in [−1, 1]); classifiers and
attacks work in [0, 1], so ``project`` maps x ↦ 2x − 1 on the way in and back on the way out.
"""

from __future__ import annotations

import hashlib
import json

import minigan.functional as F
from minigan import autograd, nn
from minigan.attacks.fgsm import check_eps, input_gradient
from minigan.attacks.iterative import project as project_ball
from minigan.engine import backend
from minigan.engine.backend import np
from minigan.engine.grad_mode import enable_grad, no_grad
from minigan.nn.module import evaluating
from minigan.optim import Adam
from minigan.progress import check_stop
from minigan.surface import random
from minigan.surface.tensor import Tensor, from_numpy


def digits_gan_path(steps=3000, seed=0):
    """Where ``digits_gan(steps, seed)`` is cached (keyed by every setting of its experiment)."""
    return _cache_path(_digits_gan_key(steps, seed))


def _digits_gan_key(steps, seed, exp=None) -> str:
    from minigan.gans.recipes import build_experiment

    exp = build_experiment("gan", "digits", seed=seed) if exp is None else exp
    return json.dumps({"steps": steps, "seed": seed, "config": {k: str(v) for k, v in exp.config.items()},
                       "version": 1}, sort_keys=True)


def _cache_path(key):
    from minigan import classifier

    return classifier.cache_dir() / f"digits_gan_{hashlib.sha256(key.encode()).hexdigest()[:16]}.npz"


def digits_gan(steps=3000, seed=0, verbose=False):
    """The digits DCGAN (``build_experiment("gan", "digits")``) after ``steps`` steps, cached: the Experiment."""
    from minigan.gans.recipes import build_experiment
    from minigan.progress import Report
    from minigan.serialization import load, save

    exp = build_experiment("gan", "digits", seed=seed)
    key = _digits_gan_key(steps, seed, exp)
    path = _cache_path(key)
    if path.exists():
        try:
            exp.trainer.load_state_dict(load(path)["trainer"])
            exp.trainer.G.eval()
            exp.trainer.D.eval()
            return exp
        except (ValueError, TypeError, KeyError, OSError):
            exp = build_experiment("gan", "digits", seed=seed)
    report = Report(f"training the digits GAN once (seed {seed}; later runs load it)", steps, "steps", path)
    for t in range(steps):
        stats = exp.train_step(total_steps=steps)
        report(t + 1)
        if verbose and (t + 1) % 500 == 0:
            print(f"  GAN step {t + 1}/{steps}  D(x) {stats['d_real']:.2f}  D(G(z)) {stats['d_fake']:.2f}", flush=True)
    report.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    save({"trainer": exp.trainer.state_dict(), "key": key}, path)
    exp.trainer.G.eval()
    exp.trainer.D.eval()
    return exp


def project(generator, x01, latent_dim, steps=100, restarts=4, lr=0.1):
    """P(x) = G(z*) with z* = argmin_z ‖G(z) − (2x − 1)‖², per example: (P(x) in [0, 1], errors, z*) on the host.

    Adam on z alone (G's weights, their .grad and G's mode are left as they were) for ``steps``
    steps from ``restarts`` draws z ~ N(0, I) (``minigan.manual_seed``'s generator); the restart
    with the smallest reconstruction error is kept per example (Defense-GAN's L and R).
    """
    x01 = x01.array if isinstance(x01, Tensor) else x01
    target = from_numpy(backend.asarray(2.0 * backend.asnumpy(x01) - 1.0, dtype="float32"))
    n = len(x01)
    best, best_err, best_z = None, None, None
    with evaluating(generator):
        for _ in range(restarts):
            z = nn.Parameter(random.randn((n, latent_dim)))
            opt = Adam([z], lr=lr)
            for _ in range(steps):
                check_stop()  # a stop request (minigan.progress) ends the attack here
                with enable_grad():
                    err = ((generator(z) - target) ** 2).sum()  # Σᵢ ‖G(zᵢ) − xᵢ‖²: each zᵢ gets its own gradient
                    (z.grad,) = autograd.grad(err, z)  # ∇_z only: G's .grad untouched
                opt.step()
            with no_grad():
                g = generator(z)
                per = ((g - target) ** 2).reshape(n, -1).sum(axis=1)
            g, per, zs = backend.asnumpy(g.array), backend.asnumpy(per.array), backend.asnumpy(z.array)
            if best is None:
                best, best_err, best_z = g, per, zs
            else:
                better = per < best_err
                best = np.where(better.reshape((-1,) + (1,) * (g.ndim - 1)), g, best)
                best_err = np.where(better, per, best_err)
                best_z = np.where(better[:, None], zs, best_z)
    return ((best + 1.0) / 2.0).astype(np.float32), best_err, best_z


def manifold_attack(classifier, generator, x01, y, z_start, eps, steps=100, lr=0.05, penalty=100.0):
    """An attack that knows the defence: look for a misclassified image ON G's range within ε of x.

    The projection can only return points of G's range, so search there (Athalye, Carlini & Wagner
    2018, Section 5.3, attack Defense-GAN this way): from z = z*(x), Adam on

        −J(C(G(z)), y) + penalty · Σ relu(|G(z) − x| − ε)²

    (climb the classifier's loss, stay within ε of x), then x' = Π_{x+S}(G(z)). If G(z) is inside
    the ball, P(x') ≈ G(z), which the classifier gets wrong. Pixels in [0, 1]; G outputs [−1, 1].
    Returns x' (host, [0, 1]). G's and C's weights, their .grad and their modes are left alone.
    """
    eps = check_eps(eps, "manifold_attack")
    x01 = backend.asnumpy(x01.array if isinstance(x01, Tensor) else x01).astype(np.float32)
    x_t = from_numpy(backend.asarray(x01))
    with evaluating(classifier), evaluating(generator):
        z = nn.Parameter(backend.asarray(z_start.astype(np.float32)))
        opt = Adam([z], lr=lr)
        for _ in range(steps):
            check_stop()  # a stop request (minigan.progress) ends the attack here
            with enable_grad():
                g01 = (generator(z) + 1.0) / 2.0
                outside = F.relu((g01 - x_t).abs() - eps)  # how far each pixel of G(z) lies outside the ball
                loss = -F.cross_entropy(classifier(g01), y, reduction="sum") + penalty * (outside ** 2).sum()
                (z.grad,) = autograd.grad(loss, z)
            opt.step()
        with no_grad():
            g01 = backend.asnumpy(((generator(z) + 1.0) / 2.0).array)
    return project_ball(g01.astype(np.float32), x01, eps, (0.0, 1.0))


def bpda_pgd(classifier, projector, x, y, eps, steps=10, step_size=None, clip=(0.0, 1.0)):
    """PGD on the defended model C(P(x)) with BPDA: forward through P, backward as if P(x) = x.

    x_{t+1} = Π_{x+S}( x_t + α · sign(∇ᵤ J(C(u), y)|_{u = P(x_t)}) ), from x_0 = x (no random
    start: the projection is the expensive part). ``projector(x) -> P(x)`` (host [0, 1] images).
    """
    eps = check_eps(eps, "bpda_pgd")
    x = backend.asnumpy(x.array if isinstance(x, Tensor) else x).astype(np.float32)
    alpha = np.float32(2.5 * eps / steps if step_size is None else step_size)
    x_adv = x.copy()
    for _ in range(steps):
        check_stop()  # a stop request (minigan.progress) ends the attack here
        u = projector(x_adv)  # the forward pass through the defence
        g = backend.asnumpy(input_gradient(classifier, u, y, who="bpda_pgd").array)  # ∂J/∂u, used as ∂J/∂x
        x_adv = project_ball(x_adv + alpha * np.sign(g).astype(np.float32), x, eps, clip)
    return x_adv

