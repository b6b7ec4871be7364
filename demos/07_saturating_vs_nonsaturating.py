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
# gradient under both losses, sweeps how confident D is, and trains G from that start with each loss; from five
# seeds.
#
# **The rule.** On a seed the claim shows when, where D rejects the fakes, the non-saturating gradient is more than
# 100× the saturating one, and trained from there the minimax G never gets mean D(G(z)) above 0.05 while the
# non-saturating G does. The claim holds when it shows on at least 4 of the 5 seeds; holds partly when only the
# gradient part does; does not hold otherwise.
#
# **Run time:** 53 s of CPU (five seeds), from a clean state with one BLAS thread, as `python
# demos/lesson_times.py 07` measured it (demos/lesson_times.json, which records the machine's load and the wall
# time beside it: on a shared machine both grow; a quiet one takes less).

# %%
"""Lesson 07: why the generator minimises −log D(G(z)) rather than log(1 − D(G(z)))."""


from __future__ import annotations

import minigan.functional as F
from minigan import autograd, lessons, no_grad, optim
from minigan.engine.backend import np
from minigan.gans.gan import frozen, full_like
from minigan.gans.recipes import PLAIN_GAN, build_experiment

NAME = "07_saturating_vs_nonsaturating"
SEEDS = (0, 1, 2, 3, 4)
STEPS, HEAD, LR = 600, 300, 0.002


def grad_norm(loss, params):
    """‖∇θ loss‖ over ``params``; ``autograd.grad`` returns the gradients and writes no ``.grad``."""
    grads = autograd.grad(loss, params)
    return float(np.sqrt(sum(float((g.detach().cpu().numpy().astype(np.float64) ** 2).sum()) for g in grads)))


# %% [markdown]
# ## Set up: early training, made on purpose
#
# The ring recipe (8 Gaussians on a circle), with D trained alone for a few hundred steps while G stays at its random
# start. That is the situation the claim is about: D confidently rejects the fakes, D(G(z)) ≈ 0. The cell does it
# for the first seed and prints mean D(G(z)) before and after.

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


def mean_d_fake(exp, n=512):
    tr = exp.trainer
    with no_grad():
        return float(tr.D(tr.G(tr.noise(n))).sigmoid().mean().item())


if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)
    exp0 = build_experiment("gan", "ring", seed=SEEDS[0], data_scale=1.0, **PLAIN_GAN)  # SHORT_RUN, lesson 12
    print(f"mean D(G(z)) before the head start: {mean_d_fake(exp0):.3f}")
    head_start(exp0, HEAD)
    print(f"after {HEAD} steps of D alone: {mean_d_fake(exp0):.2e}: D rejects the fakes")


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


def show_norms(at_start, sweep, say=print):
    say(f"  mean D(G(z)) = {at_start[1]:.2e}: ‖∇θ_G log(1 − D(G(z)))‖ = {at_start[2]:.3e} (saturating), "
        f"‖∇θ_G −log D(G(z))‖ = {at_start[3]:.3e} (non-saturating): {at_start[3] / at_start[2]:,.0f}× larger")
    say(f"  sweep of D's logit: at mean D(G(z)) = {sweep[0, 1]:.1e} the ratio is {sweep[0, 3] / sweep[0, 2]:,.0f}; "
        f"at {sweep[-1, 1]:.3f} it is {sweep[-1, 3] / sweep[-1, 2]:.3f}")


if __name__ == "__main__":
    at_start0, sweep0 = gradient_norms(exp0, [0.0])[0], gradient_norms(exp0, np.linspace(-4.0, 14.0, 37))
    show_norms(at_start0, sweep0)


# %% [markdown]
# ## A run: train G from there with each loss
#
# Plain SGD, the same head-started D and seed for both. Every few steps: mean D(G(z)) and the mean distance from G's
# samples to the nearest mode. A G that escapes pushes D(G(z)) up and moves its samples onto the ring.
# `one_seed` does all of it for one seed: the head start, the gradient norms, both trainings.

# %%
def distance_to_ring(samples, mixture):
    x = samples.detach().cpu().numpy().astype(np.float64)
    d2 = ((x[:, None, :] - mixture.modes[None].astype(np.float64)) ** 2).sum(-1)
    return float(np.sqrt(d2.min(axis=1)).mean())


def train_curve(loss, steps, head, seed, lr, eval_every, verbose=False):
    exp = build_experiment("gan", "ring", optimizer="sgd", loss=loss, seed=seed, lr=lr, lr_decay=False,
                           data_scale=1.0, **PLAIN_GAN)  # the plain GAN, in the data's units: lesson 12
    head_start(exp, head)
    hist = {"step": [], "d_fake": [], "distance": []}
    for t in lessons.progress(range(steps + 1), f"seed {seed}, G with the {loss} loss", verbose):
        if t % eval_every == 0:
            hist["step"].append(t)
            hist["d_fake"].append(mean_d_fake(exp))
            hist["distance"].append(distance_to_ring(exp.trainer.sample(1000), exp.mixture))
        if t < steps:
            exp.train_step()
    hist["metrics"] = exp.evaluate(2000)
    hist["samples"] = np.asarray(exp.trainer.sample(1000).detach().cpu().numpy(), dtype=np.float64)
    hist["modes"] = exp.mixture.modes
    escaped = [s for s, d in zip(hist["step"], hist["d_fake"]) if d > 0.05]
    hist["escape_step"] = escaped[0] if escaped else None
    hist["max_d_fake"] = float(max(hist["d_fake"]))
    return hist


def one_seed(seed, steps=STEPS, head=HEAD, lr=LR, eval_every=20, verbose=False, say=print, exp=None):
    if exp is None:
        exp = build_experiment("gan", "ring", seed=seed, data_scale=1.0, **PLAIN_GAN)
        head_start(exp, head)
    at_start = gradient_norms(exp, [0.0])[0]
    r = {"seed": seed, "d_fake_at_start": float(at_start[1]), "ratio": float(at_start[3] / at_start[2]),
         "grad_saturating": float(at_start[2]), "grad_nonsaturating": float(at_start[3])}
    with lessons.Timer() as timer:
        r["curves"] = {loss: train_curve(loss, steps, head, seed, lr, eval_every, verbose)
                       for loss in ("minimax", "non-saturating")}
    mm, ns = r["curves"]["minimax"], r["curves"]["non-saturating"]
    r["shows"] = {"gradient": r["ratio"] > 100, "escape": mm["escape_step"] is None and ns["escape_step"] is not None}
    say(f"seed {seed}: D(G(z)) = {r['d_fake_at_start']:.1e}, gradient ratio {r['ratio']:,.0f}; minimax G: max "
        f"D(G(z)) {mm['max_d_fake']:.1e}, ends {mm['distance'][-1]:.2f} from the modes; non-saturating G: escapes "
        f"at step {ns['escape_step']}, ends {ns['distance'][-1]:.2f} from the modes ({timer.seconds:.1f} s)")
    return r


if __name__ == "__main__":
    first = one_seed(SEEDS[0], exp=exp0, verbose=True)


# %% [markdown]
# ## The measurement: every seed
#
# One seed could be a lucky start, so the same head start, gradient norms and two trainings run from each of the
# five seeds (the first is the run above).

# %%
def over_seeds(seeds, steps=STEPS, head=HEAD, lr=LR, eval_every=20, first=None, verbose=False, say=print):
    runs = [first] if first is not None else []
    runs += [one_seed(s, steps, head, lr, eval_every, verbose, say) for s in seeds[len(runs):]]
    return runs


def spreads(runs):
    return {"ratio": lessons.spread([r["ratio"] for r in runs]),
            "d_fake_at_start": lessons.spread([r["d_fake_at_start"] for r in runs]),
            "minimax_max_d_fake": lessons.spread([r["curves"]["minimax"]["max_d_fake"] for r in runs]),
            "minimax_distance": lessons.spread([r["curves"]["minimax"]["distance"][-1] for r in runs]),
            "nonsaturating_distance": lessons.spread([r["curves"]["non-saturating"]["distance"][-1] for r in runs])}


if __name__ == "__main__":
    runs = over_seeds(SEEDS, first=first)
    for key, s in spreads(runs).items():
        print(f"{key:<24} {lessons.show_spread(s, '.3g')}")


# %% [markdown]
# ## The verdict, by the rule stated at the top
#
# `judge` counts the seeds on which the gradient part shows (ratio above 100) and those on which the training part
# shows (only the non-saturating G escapes).

# %%
def judge(runs):
    grad = [r["shows"]["gradient"] for r in runs]
    both = [r["shows"]["gradient"] and r["shows"]["escape"] for r in runs]
    enough = len(runs) - 1 if len(runs) > 2 else len(runs)
    outcome = "holds" if sum(both) >= enough else ("holds partly" if sum(grad) >= enough else "does not hold here")
    s = spreads(runs)
    escapes = [r["curves"]["non-saturating"]["escape_step"] for r in runs]
    why = (f"where D rejects the fakes (mean D(G(z)) {lessons.show_spread(s['d_fake_at_start'], '.0e')}) the "
           f"non-saturating gradient is more than 100× the saturating one on {lessons.tally(grad)} (ratio "
           f"{lessons.show_spread(s['ratio'], ',.0f')}); trained from there, only the non-saturating G escapes on "
           f"{lessons.tally(both)} (it does at steps {', '.join(str(e) for e in escapes)}; the minimax G's mean "
           f"D(G(z)) stays at most {s['minimax_max_d_fake']['max']:.0e})")
    return outcome, why, sum(both)


if __name__ == "__main__":
    outcome, why, shows = judge(runs)
    lessons.verdict(outcome, why)


# %% [markdown]
# ## The picture: the sweep, every seed's training, the first seed's samples
#
# Left: both gradient norms against mean D(G(z)), the first seed. Middle: mean D(G(z)) during training for every
# seed (red: minimax, blue: non-saturating). Right: the first seed's samples after training. The title is the
# verdict and its count.

# %%
def picture(runs, sweep, steps, out_dir):
    plt = lessons.plt()
    outcome, _, shows = judge(runs)
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.4))
    ax = axes[0]
    ax.loglog(sweep[:, 1], sweep[:, 2], "C3o-", ms=3, label="saturating: log(1 − D(G(z)))")
    ax.loglog(sweep[:, 1], sweep[:, 3], "C0o-", ms=3, label="non-saturating: −log D(G(z))")
    ax.axvline(runs[0]["d_fake_at_start"], color="0.5", ls=":", label="where the trained D puts the fakes")
    ax.set(xlabel="mean D(G(z))", ylabel="‖∇θ_G loss‖", title=f"generator gradient norm, seed {runs[0]['seed']}")
    ax.legend(fontsize=8)
    for loss, color in (("minimax", "C3"), ("non-saturating", "C0")):
        for i, r in enumerate(runs):
            h = r["curves"][loss]
            axes[1].semilogy(h["step"], h["d_fake"], color=color, lw=1, alpha=0.8, label=loss if i == 0 else None)
        h = runs[0]["curves"][loss]
        axes[2].scatter(h["samples"][:, 0], h["samples"][:, 1], s=3, alpha=0.35, color=color,
                        label=f"{loss}: mean distance to a mode {h['distance'][-1]:.2f}")
    modes = runs[0]["curves"]["minimax"]["modes"]
    axes[2].scatter(modes[:, 0], modes[:, 1], s=60, facecolors="none", edgecolors="k", lw=0.8,
                    label="the 8 true modes")
    axes[1].set(xlabel="GAN step", ylabel="mean D(G(z))", title=f"does G escape D's rejection? {len(runs)} seeds")
    axes[1].legend(fontsize=8)
    axes[2].set(xlabel="x₁", ylabel="x₂", xlim=(-1.35, 1.35), ylim=(-1.35, 1.35))
    axes[2].set_aspect("equal")
    axes[2].set_title(f"G's samples after {steps} steps, seed {runs[0]['seed']}", fontsize=10)
    leg = axes[2].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    for handle in leg.legend_handles:
        handle.set_alpha(1)
    fig.suptitle(f"verdict: {outcome}: where D rejects the fakes, only −log D(G(z)) has a gradient, and only its G "
                 f"escapes, on {shows} of {len(runs)} seeds")
    fig.tight_layout()
    return lessons.save(fig, out_dir, "gradients_and_curves.png")


if __name__ == "__main__":
    picture(runs, sweep0, STEPS, OUT)


# %% [markdown]
# ## Try it
#
# The claim is about *early* training, when D already rejects the fakes. Give D a much shorter head start
# (`head=10`): it hardly rejects them yet, mean D(G(z)) stays near ½, the two gradients are of the same size, and
# the minimax G is no longer stuck. One seed; a progress bar shows how long is left.

# %%
if __name__ == "__main__":
    one_seed(0, head=10)


# %% [markdown]
# ## All of it in one function
#
# `run` chains the cells above, for the tests and `demos/lesson_numbers.py` (which records its numbers).

# %%
def run(steps=STEPS, head=HEAD, seeds=SEEDS, lr=LR, eval_every=20, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    exp = build_experiment("gan", "ring", seed=seeds[0], data_scale=1.0, **PLAIN_GAN)
    head_start(exp, head)
    at_start, sweep = gradient_norms(exp, [0.0])[0], gradient_norms(exp, np.linspace(-4.0, 14.0, 37))
    show_norms(at_start, sweep, say)  # the same calls, in the same order, as the cells above
    first = one_seed(seeds[0], steps, head, lr, eval_every, verbose, say, exp=exp)
    runs = over_seeds(seeds, steps, head, lr, eval_every, first, verbose, say)
    outcome, why, shows = judge(runs)
    lessons.verdict(outcome, why, say)
    figure = picture(runs, sweep, steps, out_dir) if out_dir is not None else None
    return {"verdict": outcome, "why": why, "shows_on": shows,
            "gradient_on": sum(r["shows"]["gradient"] for r in runs), "sweep": sweep.tolist(), **spreads(runs),
            "figure": figure}
