# %% [markdown]
# # 11 · Toward the equilibrium: D's accuracy drifts back toward 50%
#
# **The claim.** At the game's equilibrium G reproduces the data distribution and D can do no better than a coin flip:
# 50% accuracy. In practice training gets closer to that point without ever reaching it.
#
# **Where it comes from.** CS/DS 541 (Jacob Whitehill), Class 19, slides "Generative Adversarial Networks (GANs)" (the
# equilibrium) and "Difficulty in training"; CS/DS 552 (Jacob Whitehill), Class 7, slide "Difficulty in training".
#
# **What this lesson does.** It trains the ring GAN and, every 25 steps, measures D's accuracy on fresh real and
# generated points. It reports the accuracy early on, at its peak, and in the last fifth of training.
#
# **Run time:** 15 s of CPU, measured from a clean state, one BLAS thread (about the wall time on a
# quiet 2-core machine; 52 s on one shared with other jobs).

# %% [markdown]
# ## Set up
#
# The pieces: the ring recipe and a probe: `d_accuracy` shows D 512 fresh real and 512 fresh generated points and
# counts how many it labels correctly (50% = it cannot tell).

# %%
"""Lesson 11: toward the equilibrium: D's accuracy drifts back toward 50%."""


from __future__ import annotations

from pathlib import Path

from minigan import lessons, no_grad
from minigan.backend import np
from minigan.gans.recipes import build_experiment

NAME = "11_equilibrium"


def d_accuracy(exp, n=512):
    tr = exp.trainer
    with no_grad():
        p_real = tr.D(exp.sample_real(n)).sigmoid().numpy().ravel()
        p_fake = tr.D(tr.G(tr.noise(n))).sigmoid().numpy().ravel()
    return float(((p_real > 0.5).mean() + (p_fake < 0.5).mean()) / 2), float(p_real.mean()), float(p_fake.mean())



# %% [markdown]
# ## Run, measure, picture
#
# 3,000 steps, D's accuracy every 25: the run reports its mean in the first fifth, its peak (a moving average of 5
# evaluations) and its mean in the last fifth, and draws the curve.

# %% the demo
def run(steps=3000, seed=0, eval_every=25, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    exp = build_experiment("gan", "ring", seed=seed)
    hist = {"step": [], "accuracy": [], "d_real": [], "d_fake": []}
    with lessons.Timer() as timer:
        for t in lessons.progress(range(steps + 1), "training the ring GAN", verbose):
            if t % eval_every == 0 and t > 0:
                acc, dr, df = d_accuracy(exp)
                for k, v in zip(hist, (t, acc, dr, df)):
                    hist[k].append(v)
            if t < steps:
                exp.train_step(steps)
    metrics = exp.evaluate()
    acc = np.array(hist["accuracy"])
    fifth = max(1, len(acc) // 5)
    early, late = float(acc[:fifth].mean()), float(acc[-fifth:].mean())
    smooth = np.convolve(acc, np.ones(5) / 5, mode="valid")  # 5-evaluation moving average
    peak = float(smooth.max())
    peak_step = hist["step"][int(smooth.argmax()) + 2]
    say(f"GAN on the ring, {steps} steps ({timer.seconds:.1f} s); D's accuracy on 512 real + 512 fake:")
    say(f"  first fifth of training: {early:.1%}   peak (moving average) {peak:.1%} near step {peak_step}   "
        f"last fifth: {late:.1%}   (equilibrium: 50%)")
    say(f"  |accuracy − 50%|: peak {abs(peak - 0.5):.3f} -> last fifth {abs(late - 0.5):.3f}; "
        f"final G: {metrics['modes_covered']}/8 "
        f"modes, {metrics['high_quality']:.0%} high quality, reverse KL {metrics['reverse_kl']:.3f}")
    if late < peak - 0.05 and abs(late - 0.5) < 0.02:
        outcome, why = "holds", f"D's accuracy falls from a peak of {peak:.0%} to {late:.0%}, at the 50% equilibrium"
    elif late < peak - 0.05:
        outcome, why = "holds partly", (f"D's accuracy drifts back toward 50% (peak {peak:.0%} near step {peak_step}, "
                                        f"{late:.0%} in the last fifth) but does not reach it in {steps} steps, "
                                        "as the lecture warns it may never")
    else:
        outcome, why = "does not hold here", f"D's accuracy does not fall back from its peak ({peak:.0%} -> {late:.0%})"
    line = lessons.verdict(outcome, why, say)
    fig_path = None
    if out_dir is not None:
        plt = lessons.plt()
        fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
        axes[0].plot(hist["step"], hist["accuracy"], "-", color="C0", alpha=0.35, lw=1,
                     label=f"D accuracy, every {eval_every} steps")
        axes[0].plot(hist["step"][2:len(smooth) + 2], smooth, "C0-", lw=2, label="moving average of 5")
        axes[0].plot(peak_step, peak, "v", color="C3", ms=9, label=f"peak {peak:.0%} (moving average)")
        last = hist["step"][-fifth:]
        axes[0].hlines(late, last[0], last[-1], color="C1", lw=3, label=f"last fifth: mean {late:.0%}")
        axes[0].axhline(0.5, color="k", ls=":", label="50%: the equilibrium")
        axes[0].set_ylim(0.3, 1.02)
        axes[0].set_xlabel("GAN step")
        axes[0].set_ylabel("D's accuracy on 512 real + 512 fake")
        axes[0].set_title(f"D accuracy: peak {peak:.0%} -> {late:.0%} in the last fifth")
        axes[0].legend()
        axes[1].plot(hist["step"], hist["d_real"], "C2-", label="mean D(x), real")
        axes[1].plot(hist["step"], hist["d_fake"], "C3-", label="mean D(G(z)), fake")
        axes[1].axhline(0.5, color="k", ls=":")
        axes[1].set_xlabel("GAN step")
        axes[1].set_ylabel("mean output of D")
        axes[1].set_title("D's outputs approach ½ on both")
        axes[1].legend()
        fig.suptitle("Toward the equilibrium: D's accuracy drifts back toward 50% as G improves")
        fig.tight_layout()
        fig_path = lessons.save(fig, out_dir, "d_accuracy.png")
        from minigan import viz

        viz.scatter_2d(exp.trainer.sample(1000), exp.mixture.modes, str(Path(out_dir) / "samples.png"),
                       title=f"G after {steps} steps", std=exp.mixture.std)
    return {"verdict": line, "early_accuracy": early, "late_accuracy": late, "peak_accuracy": peak,
            "peak_step": peak_step,
            "history": hist,
            "metrics": {k: metrics[k] for k in ("modes_covered", "high_quality", "reverse_kl")}, "figure": fig_path}


# %% [markdown]
# ## Run the lesson
#
# It prints what it measures and ends with the verdict. The figure is saved under
# `demos/out/11_equilibrium/` (and shown below in a notebook).

# %% [markdown]
# ## One training step, looked at closely
#
# Before the full run: one step of the ring recipe,
# on a fresh experiment of its own (the run below starts from scratch).
# Each number the step returns, what it means, and how far the step moved each network's weights. At the start D
# cannot tell real from fake, so its outputs sit near ½; every later step of the run is this one, repeated.

# %% one step
if __name__ == "__main__":
    _exp = build_experiment("gan", "ring", seed=0)
    lessons.one_step(_exp.trainer, _exp.sample_real)

# %% main
if __name__ == "__main__":
    lessons.main(run, NAME)
