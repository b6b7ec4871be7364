"""Why the generator descends −log D(G(z)) instead of log(1 − D(G(z))).

Seeds 000, 001 and 003: "What happens early during training, when G is not very good (but D typically
is fairly good)? D will output ~0", so "∇θ_G log(1 − D(G(z))) ≈ −1 × 0 × ∂v/∂G ∂G/∂θ_G" (000), while
"the gradient of −log(q) for q ≈ 0 is very large, whereas the gradient of log(1 − q) ≈ 1" (003); 001:
"Gradient signal dominated by region where sample is already good ... Instead: Gradient ascent on
generator, different objective ... higher gradient signal for bad samples => works much better!".
With D(x) = σ(v(x)) the two per-sample gradients are −D·∂v/∂θ_G and −(1 − D)·∂v/∂θ_G: their ratio is
D/(1 − D). Part 1 measures both gradient norms with minigan autodiff on a ring generator whose
discriminator has been trained to reject its fakes, then sweeps D(G(z)) from 10⁻⁵ to 0.99 (by adding a
constant to D's logit) and plots the two norms. Part 2 trains the same GAN with each generator loss
from the same start — D first gets a head start so that it rejects the fakes, and both players use
SGD with momentum as in Goodfellow et al. ("We used momentum"), which does not rescale gradients the
way Adam does — and shows the training curves: mean D(G(z)) and the samples' distance to the ring.
Measured: the minimax G never escapes (D(G(z)) stays below 10⁻³), the non-saturating G escapes within
a few dozen steps — but plain SGD training is then unstable (the distance curve spikes), and neither
short run reaches the ring's 3σ = 0.03 modes: the loss fixes the start, not the whole game.
"""

# %% imports
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common

import minigan.functional as F
from minigan import autograd, optim
from minigan.backend import np
from minigan.function import no_grad
from minigan.gans.gan import frozen, full_like
from minigan.gans.recipes import build_experiment

NAME = "03_saturating_vs_nonsaturating"


def grad_norm(loss, params):
    """‖∇θ loss‖ over ``params``; ``autograd.grad`` returns the gradients and writes no ``.grad``."""
    grads = autograd.grad(loss, params)
    return float(np.sqrt(sum(float((g.numpy().astype(np.float64) ** 2).sum()) for g in grads)))


def head_start(exp, steps, lr=1e-3):
    """Train D alone (G fixed) so that it confidently rejects G's samples: early training."""
    tr = exp.trainer
    opt = optim.Adam(tr.D.parameters(), lr=lr, betas=(0.5, 0.999))
    for _ in range(steps):
        x = exp.sample_real(tr.batch_size)
        with no_grad():
            fake = tr.G(tr.noise(tr.batch_size))
        real_logits, fake_logits = tr.D(x), tr.D(fake)
        loss = (F.binary_cross_entropy_with_logits(real_logits, full_like(real_logits, 1.0))
                + F.binary_cross_entropy_with_logits(fake_logits, full_like(fake_logits, 0.0)))
        opt.zero_grad()
        loss.backward()
        opt.step()


def gradient_norms(exp, shifts, n=512):
    """‖∇θ_G‖ of both generator losses, D's logit shifted by s (so mean D(G(z)) sweeps (0, 1))."""
    tr = exp.trainer
    params = list(tr.G.parameters())
    z = tr.noise(n)
    rows = []
    with frozen(tr.D):
        for s in shifts:
            v = tr.D(tr.G(z)) + float(s)
            d = float(v.detach().sigmoid().mean().item())
            sat = -F.binary_cross_entropy_with_logits(v, full_like(v, 0.0))   # mean log(1 − D(G(z)))
            n_sat = grad_norm(sat, params)
            v = tr.D(tr.G(z)) + float(s)
            nonsat = F.binary_cross_entropy_with_logits(v, full_like(v, 1.0))  # mean −log D(G(z))
            n_ns = grad_norm(nonsat, params)
            rows.append((float(s), d, n_sat, n_ns))
    return np.array(rows)


def distance_to_ring(samples, mixture):
    x = np.asarray(samples.array if hasattr(samples, "array") else samples, dtype=np.float64)
    d2 = ((x[:, None, :] - mixture.modes[None].astype(np.float64)) ** 2).sum(-1)
    return float(np.sqrt(d2.min(axis=1)).mean())


def train_curve(loss, steps, head, seed, lr, eval_every):
    exp = build_experiment("gan", "ring", optimizer="sgd", loss=loss, seed=seed, lr=lr, lr_decay=False)
    head_start(exp, head)
    hist = {"step": [], "d_fake": [], "loss_g": [], "distance": []}
    for t in range(steps + 1):
        if t % eval_every == 0:
            tr = exp.trainer
            with no_grad():
                d = tr.D(tr.G(tr.noise(512))).sigmoid().mean().item()
            hist["step"].append(t)
            hist["d_fake"].append(float(d))
            hist["distance"].append(distance_to_ring(exp.trainer.sample(1000), exp.mixture))
        if t < steps:
            out = exp.train_step()
            hist["loss_g"].append(out["loss_g"])
    hist["metrics"] = exp.evaluate(2000)
    return hist


# %% the demo
def run(steps=600, head=300, seed=0, lr=0.002, eval_every=20, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    # ---- part 1: gradient norms across D(G(z))
    exp = build_experiment("gan", "ring", seed=seed)
    head_start(exp, head)
    at_start = gradient_norms(exp, [0.0])[0]
    say(f"Part 1. After {head} steps of D alone, D rejects the fakes: mean D(G(z)) = {at_start[1]:.2e}")
    say(f"  ‖∇θ_G log(1 − D(G(z)))‖ = {at_start[2]:.3e}   (saturating, Algorithm 1)")
    say(f"  ‖∇θ_G −log D(G(z))‖     = {at_start[3]:.3e}   (non-saturating): {at_start[3] / at_start[2]:.0f}× larger")
    sweep = gradient_norms(exp, np.linspace(-4.0, 14.0, 37))
    ratio_low = sweep[0, 3] / sweep[0, 2]
    say(f"  sweep of D's logit: at mean D(G(z)) = {sweep[0, 1]:.1e} the ratio is {ratio_low:.0f}; "
        f"at {sweep[-1, 1]:.3f} it is {sweep[-1, 3] / sweep[-1, 2]:.3f}")

    # ---- part 2: training curves from the same start
    say(f"Part 2. Training from the same start ({head} head-start D steps, then {steps} GAN steps, SGD momentum "
        f"0.9, lr {lr}):")
    curves = {}
    for loss in ("minimax", "non-saturating"):
        with _common.Timer() as timer:
            curves[loss] = train_curve(loss, steps, head, seed, lr, eval_every)
        h = curves[loss]
        escaped = [s for s, d in zip(h["step"], h["d_fake"]) if d > 0.05]
        h["escape_step"] = escaped[0] if escaped else None
        h["max_d_fake"] = float(max(h["d_fake"]))
        h["min_distance"] = float(min(h["distance"]))
        say(f"  {loss:<15} D(G(z)) {h['d_fake'][0]:.1e} -> {h['d_fake'][-1]:.3f}; mean distance to the nearest "
            f"mode {h['distance'][0]:.3f} -> {h['distance'][-1]:.3f}; modes {h['metrics']['modes_covered']}/8 "
            f"({timer.seconds:.1f} s)")
        say(f"  {'':<15} first step with mean D(G(z)) > 0.05: {h['escape_step']}; max D(G(z)) {h['max_d_fake']:.2e}; "
            f"best mean distance {h['min_distance']:.3f}")

    figs = {}
    if out_dir is not None:
        plt = _common.plt()
        fig, axes = plt.subplots(1, 3, figsize=(14, 4))
        ax = axes[0]
        ax.loglog(sweep[:, 1], sweep[:, 2], "C3o-", ms=3, label="saturating: log(1 − D(G(z)))")
        ax.loglog(sweep[:, 1], sweep[:, 3], "C0o-", ms=3, label="non-saturating: −log D(G(z))")
        ax.axvline(at_start[1], color="0.5", ls=":", label="where the trained D puts the fakes")
        ax.set_xlabel("mean D(G(z))")
        ax.set_ylabel("‖∇θ_G loss‖")
        ax.set_title("generator gradient norm (minigan autodiff)")
        ax.legend(fontsize=8)
        for loss, color in (("minimax", "C3"), ("non-saturating", "C0")):
            h = curves[loss]
            axes[1].semilogy(h["step"], h["d_fake"], color=color, label=loss)
            axes[2].plot(h["step"], h["distance"], color=color, label=loss)
        axes[1].set_xlabel("GAN step")
        axes[1].set_ylabel("mean D(G(z))")
        axes[1].set_title("training: does G escape D's rejection?")
        axes[1].legend(fontsize=8)
        axes[2].set_xlabel("GAN step")
        axes[2].set_ylabel("mean distance of G(z) to the nearest mode")
        axes[2].set_title("training: sample quality (ring of radius 1)")
        axes[2].legend(fontsize=8)
        fig.suptitle("seeds 000/001/003: the saturating generator loss vanishes when D rejects the fakes")
        fig.tight_layout()
        figs["figure"] = _common.save(fig, out_dir, "gradients_and_curves.png")
    return {"d_fake_at_start": float(at_start[1]), "grad_saturating": float(at_start[2]),
            "grad_nonsaturating": float(at_start[3]), "sweep": sweep.tolist(),
            "curves": {k: {kk: vv for kk, vv in v.items() if kk != "metrics"} | {"metrics": {
                m: v["metrics"][m] for m in ("modes_covered", "high_quality", "reverse_kl")}}
                for k, v in curves.items()}, **figs}


# %% main
if __name__ == "__main__":
    result = run(out_dir=_common.out_dir(NAME))
    _common.publish(result.get("figure"), NAME)
    print(f"figure: {result.get('figure')}")
