# %% [markdown]
# # 07 · Why the generator minimises −log D(G(z)) rather than log(1 − D(G(z)))
#
# **The claim.** Early in training D easily spots the fakes, so D(G(z)) is close to 0. The minimax generator loss
# log(1 − D(G(z))) is then flat: its gradient almost vanishes and G barely learns. The "non-saturating" loss −log
# D(G(z)) has the same goal but a large gradient exactly there, so G can escape.
#
# **Where it comes from.** CS/DS 541 (Jacob Whitehill), Class 19, slide "Closer look at f_acc"; CS/DS 552 (Jacob
# Whitehill), Class 7, the same slide; Security and Fairness of Deep Learning (Anupam Datta, CMU, Spring 2018),
# lecture "Deep generative models", the slides on the minimax objective and the generator's alternative objective.
#
# **What this lesson does.** It trains D alone on the ring until it rejects the fakes, then measures the norm of G's
# gradient under both losses, sweeps how confident D is, and trains G from that start with each loss.
#
# **Run time:** 9 s of CPU, measured from a clean state, one BLAS thread (about the wall time on a
# quiet 2-core machine; 37 s on one shared with other jobs).

# %%
"""Lesson 07: why the generator minimises −log D(G(z)) rather than log(1 − D(G(z)))."""


from __future__ import annotations

import minigan.functional as F
from minigan import autograd, lessons, no_grad, optim
from minigan.engine.backend import np
from minigan.gans.gan import frozen, full_like
from minigan.gans.recipes import PLAIN_GAN, build_experiment

NAME = "07_saturating_vs_nonsaturating"


def grad_norm(loss, params):
    """‖∇θ loss‖ over ``params``; ``autograd.grad`` returns the gradients and writes no ``.grad``."""
    grads = autograd.grad(loss, params)
    return float(np.sqrt(sum(float((g.detach().cpu().numpy().astype(np.float64) ** 2).sum()) for g in grads)))


# %% [markdown]
# ## Set up: early training, made on purpose
#
# The ring recipe (8 Gaussians on a circle), with D trained alone for a few hundred steps while G stays at its random
# start. That is the situation the claim is about: D confidently rejects the fakes, D(G(z)) ≈ 0.

# %%
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


# %% [markdown]
# ## One step looked at closely: both losses at the same point
#
# Same G, same D, same z: the norm of G's gradient under log(1 − D(G(z))) and under −log D(G(z)). With D = σ(v),
# d/dv log(1 − σ(v)) = −σ(v), which vanishes as D(G(z)) → 0, while d/dv(−log σ(v)) = σ(v) − 1 stays near −1. Adding
# a constant s to D's logit sweeps D(G(z)) from 0 to 1 and shows where each loss is flat.

# %%
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
    x = samples.detach().cpu().numpy().astype(np.float64)
    d2 = ((x[:, None, :] - mixture.modes[None].astype(np.float64)) ** 2).sum(-1)
    return float(np.sqrt(d2.min(axis=1)).mean())


# %% [markdown]
# ## Run: train G from there with each loss
#
# Plain SGD, the same head-started D and seed for both. Every few steps: mean D(G(z)) and the mean distance from G's
# samples to the nearest mode. A G that escapes pushes D(G(z)) up and moves its samples onto the ring.

# %%
def train_curve(loss, steps, head, seed, lr, eval_every, verbose=False):
    exp = build_experiment("gan", "ring", optimizer="sgd", loss=loss, seed=seed, lr=lr, lr_decay=False,
                           data_scale=1.0, **PLAIN_GAN)  # the plain GAN, in the data's units: lesson 12
    head_start(exp, head)
    hist = {"step": [], "d_fake": [], "loss_g": [], "distance": []}
    for t in lessons.progress(range(steps + 1), f"G with the {loss} loss", verbose):
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
    hist["samples"] = np.asarray(exp.trainer.sample(1000).detach().cpu().numpy(), dtype=np.float64)
    hist["modes"] = exp.mixture.modes
    return hist


# %% [markdown]
# ## Measure, picture, verdict
#
# Part 1 prints both gradient norms at the start and across the sweep; part 2 the two training curves. The verdict
# holds when the non-saturating gradient is far larger while D rejects the fakes and only that G escapes.

# %% the demo
def run(steps=600, head=300, seed=0, lr=0.002, eval_every=20, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    # ---- part 1: gradient norms across D(G(z))
    exp = build_experiment("gan", "ring", seed=seed, data_scale=1.0, **PLAIN_GAN)  # SHORT_RUN, lesson 12
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
        with lessons.Timer() as timer:
            curves[loss] = train_curve(loss, steps, head, seed, lr, eval_every, verbose)
        h = curves[loss]
        escaped = [s for s, d in zip(h["step"], h["d_fake"]) if d > 0.05]
        h["escape_step"] = escaped[0] if escaped else None
        h["max_d_fake"] = float(max(h["d_fake"]))
        h["min_distance"] = float(min(h["distance"]))
        say(f"  {loss:<15} D(G(z)) {lessons.small(h['d_fake'][0])} -> {lessons.small(h['d_fake'][-1])}; "
            "mean distance to the nearest "
            f"mode {h['distance'][0]:.3f} -> {h['distance'][-1]:.3f}; modes {h['metrics']['modes_covered']}/8 "
            f"({timer.seconds:.1f} s)")
        say(f"  {'':<15} first step with mean D(G(z)) > 0.05: {h['escape_step']}; max D(G(z)) {h['max_d_fake']:.2e}; "
            f"best mean distance {h['min_distance']:.3f}")

    mm, ns = curves["minimax"], curves["non-saturating"]
    holds = at_start[3] > 100 * at_start[2] and mm["escape_step"] is None and ns["escape_step"] is not None
    line = lessons.verdict(
        "holds" if holds else "does not hold here",
        f"where D rejects the fakes (D(G(z)) = {at_start[1]:.0e}) the non-saturating gradient is "
        f"{at_start[3] / at_start[2]:,.0f}× the saturating one; trained from there, the minimax G never gets "
        f"D(G(z)) above {mm['max_d_fake']:.0e} while the non-saturating G escapes by step {ns['escape_step']} and "
        f"ends {ns['distance'][-1]:.2f} from the modes on average (minimax: {mm['distance'][-1]:.2f})", say)

    figs = {}
    if out_dir is not None:
        plt = lessons.plt()
        fig, axes = plt.subplots(1, 3, figsize=(16, 4.2))
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
            axes[2].scatter(h["samples"][:, 0], h["samples"][:, 1], s=3, alpha=0.35, color=color,
                            label=f"{loss}: mean distance to a mode {h['distance'][-1]:.2f}")
        modes = curves["minimax"]["modes"]
        axes[2].scatter(modes[:, 0], modes[:, 1], s=60, facecolors="none", edgecolors="k", lw=0.8,
                        label="the 8 true modes")
        axes[1].set_xlabel("GAN step")
        axes[1].set_ylabel("mean D(G(z))")
        axes[1].set_title("training: does G escape D's rejection?")
        axes[1].legend(fontsize=8)
        axes[2].set_xlabel("x₁")
        axes[2].set_ylabel("x₂")
        axes[2].set_xlim(-1.35, 1.35)
        axes[2].set_ylim(-1.35, 1.35)
        axes[2].set_aspect("equal")
        axes[2].set_title(f"G's samples after {steps} steps", fontsize=10)
        leg = axes[2].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
        for handle in leg.legend_handles:
            handle.set_alpha(1)
        fig.suptitle("When D rejects the fakes, log(1 − D(G(z))) has almost no gradient; −log D(G(z)) does")
        fig.tight_layout()
        figs["figure"] = lessons.save(fig, out_dir, "gradients_and_curves.png")
    return {"d_fake_at_start": float(at_start[1]), "grad_saturating": float(at_start[2]),
            "grad_nonsaturating": float(at_start[3]), "sweep": sweep.tolist(),
            "verdict": line,
            "curves": {k: {kk: vv for kk, vv in v.items() if kk not in ("metrics", "samples", "modes")} | {"metrics": {
                m: v["metrics"][m] for m in ("modes_covered", "high_quality", "reverse_kl")}}
                for k, v in curves.items()}, **figs}


# %% [markdown]
# ## Run the lesson
#
# It prints what it measures and ends with the verdict. The figure is saved under
# `demos/out/07_saturating_vs_nonsaturating/` (and shown below in a notebook).

# %% main
if __name__ == "__main__":
    lessons.main(run, NAME)
