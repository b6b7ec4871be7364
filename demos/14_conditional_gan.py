# %% [markdown]
# # 14 · A realistic 3 is still a fake 7: the conditional discriminator checks the label
#
# **The claim.** In a conditional GAN the label must go to D as well as to G: otherwise D could only judge realism,
# and G could draw a perfect 3 when asked for a 7. With the label, D learns to reject a real-looking image that does
# not match it.
#
# **Where it comes from.** CS/DS 552 (Jacob Whitehill), Class 7, slide "Conditional GANs"; CS/DS 541 (Jacob
# Whitehill), Class 19, slide "Conditional GANs".
#
# **What this lesson does.** It trains a small conditional GAN on the digits, then shows D the real test digits once
# with their true label and once with a wrong one, and compares D's scores.
#
# **Run time:** 11 s of CPU, measured from a clean state, one BLAS thread (about the wall time on a
# quiet 2-core machine; 43 s on one shared with other jobs).

# %% [markdown]
# ## Set up: a conditional GAN on the digits
#
# The conditional GAN of `minigan.gans.recipes` on the 8×8 digits, with MLPs: G gets the one-hot label
# concatenated to its noise z, D gets the one-hot label concatenated to the (flattened) image, so D(x, y) can ask
# "is this a real *y*?", not only "is this real?" (`_with_label` in `minigan/gans/models.py`).

# %%
"""Lesson 14: a realistic 3 is still a fake 7: the conditional discriminator checks the label."""


from __future__ import annotations

from pathlib import Path

from minigan import Tensor, lessons, no_grad
from minigan.data.digits import load_digits
from minigan.engine.backend import np
from minigan.gans.recipes import build_experiment

NAME = "14_conditional_gan"


def make_experiment(seed=0):
    return build_experiment("cgan", "digits", seed=seed, arch="mlp", lr=2e-3, steps=3_000)


# %% [markdown]
# ## One training step, looked at closely
#
# Before the full run: one step of the conditional digits GAN, on a fresh experiment of its own (the run below
# starts from scratch). Each number the step returns, what it means, and how far the step moved each network's
# weights. In a conditional step every real image comes with its own label, and G's fakes with the label G was
# asked for: D only ever sees *matching* pairs labelled real. Nothing in the loss shows it a real image under a
# wrong label; whether D checks the label at all is what the lesson measures.

# %% one step
if __name__ == "__main__":
    _exp = make_experiment(seed=0)
    lessons.one_step(_exp.trainer, _exp.sample_real)


# %% [markdown]
# ## Run: 1,500 steps
#
# Each `exp.train_step()` is one D step and one G step on a batch of labelled digits.

# %%
def train(exp, steps, verbose):
    for _ in lessons.progress(range(steps), "training the cGAN", verbose):
        exp.train_step()


# %% [markdown]
# ## Measure: the same real digit, the right label and a wrong one
#
# Every real test digit goes to D twice: once with its true label y, once with a wrong label (y plus a random
# 1–9, mod 10). D runs in eval mode under `no_grad()`: a measurement, not a step. If D checks the label, the
# wrong pair scores lower: a realistic 3 labelled 7 is a fake 7.

# %%
def label_check(exp, seed):
    x, y = load_digits("test", scale="pm1")
    rng = np.random.default_rng(seed)
    wrong = (y + rng.integers(1, 10, size=y.shape)) % 10
    D = exp.trainer.D
    device = next(D.parameters()).device  # images and labels go where D is (a GPU too)
    x, y_on, wrong_on = Tensor(x).to(device), Tensor(y).to(device), Tensor(wrong).to(device)
    D.eval()
    with no_grad():
        right_p = D(x, y_on).sigmoid().detach().cpu().numpy().ravel()
        wrong_p = D(x, wrong_on).sigmoid().detach().cpu().numpy().ravel()
    D.train()
    return y, right_p, wrong_p


# %% [markdown]
# ## Verdict
#
# "holds" needs D to prefer the right label on more than 80% of the digits *and* to call a real digit with a wrong
# label fake on average (mean D below ½); preferring the right label while still scoring the wrong pair as real is
# "holds partly": D then mostly judges realism, and the label is a second effect.

# %%
def decide(frac, right_p, wrong_p, steps, say=print):
    if frac > 0.8 and right_p.mean() > wrong_p.mean() and wrong_p.mean() < 0.5:
        return lessons.verdict("holds", f"D scores the right label higher on {frac:.0%} of real digits and calls "
                               f"real digits with a wrong label fake (mean D {wrong_p.mean():.2f})", say)
    if frac > 0.8 and right_p.mean() > wrong_p.mean():
        return lessons.verdict(
            "holds partly", f"D scores the right label higher on {frac:.0%} of real digits, but a real digit with "
            f"a wrong label still gets D = {wrong_p.mean():.2f} on average (right label: {right_p.mean():.2f}): "
            f"after {steps} steps this D mostly judges realism, and the label is a smaller, second effect", say)
    return lessons.verdict("does not hold here", f"D prefers the right label on only {frac:.0%} of real "
                           "digits", say)


# %% [markdown]
# ## Picture: D's scores, overall and per class
#
# Left: the two distributions of D(x, label) over the test digits. Right: the mean score per true class, right
# label beside wrong. A second file, `samples.png`, shows G's samples, one row per label it was asked for.

# %%
def picture(y, right_p, wrong_p, frac, out_dir):
    plt = lessons.plt()
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    bins = np.linspace(0, 1, 31)
    axes[0].hist(right_p, bins, alpha=0.6, label=f"right label (mean {right_p.mean():.2f})")
    axes[0].hist(wrong_p, bins, alpha=0.6, label=f"wrong label (mean {wrong_p.mean():.2f})")
    axes[0].set(xlabel="D(x, label) on real test digits", ylabel="number of test digits",
                title=f"D prefers the right label on {frac:.0%} of real digits")
    axes[0].legend()
    per_class = [(right_p[y == c].mean(), wrong_p[y == c].mean()) for c in range(10)]
    axes[1].bar(np.arange(10) - 0.2, [a for a, _ in per_class], 0.4, label="right label")
    axes[1].bar(np.arange(10) + 0.2, [b for _, b in per_class], 0.4, label="wrong label")
    axes[1].set_xticks(range(10))
    axes[1].set(xlabel="true class", ylabel="mean D")
    axes[1].legend()
    fig.suptitle("A conditional D checks the label: a realistic 3 shown as a 7 should score lower")
    fig.tight_layout()
    return lessons.save(fig, out_dir, "label_check.png")


def samples(exp, out_dir):
    from minigan import viz

    imgs, labels = exp.trainer.sample_grid(8)
    return viz.image_grid((imgs.detach().cpu().numpy() + 1) / 2, str(Path(out_dir) / "samples.png"), nrow=8,
                          row_labels=list(range(10)), title="cGAN samples, one row per label")


# %% [markdown]
# ## The whole lesson, one function
#
# `run` chains the steps above: train, the label check, verdict, pictures.

# %% the demo
def run(steps=1500, seed=0, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    exp = make_experiment(seed)
    with lessons.Timer() as timer:
        train(exp, steps, verbose)
    y, right_p, wrong_p = label_check(exp, seed)
    frac = float((right_p > wrong_p).mean())
    say(f"cGAN on the digits, {steps} steps ({timer.seconds:.1f} s); D on the {len(y)} real test digits:")
    say(f"  with the right label: mean D = {right_p.mean():.3f}")
    say(f"  with a wrong label:   mean D = {wrong_p.mean():.3f}")
    say(f"  D(x, right) > D(x, wrong) for {frac:.1%} of the images")
    line = decide(frac, right_p, wrong_p, steps, say)
    figs = {}
    if out_dir is not None:
        figs["figure"] = picture(y, right_p, wrong_p, frac, out_dir)
        figs["samples"] = samples(exp, out_dir)
    return {"verdict": line, "mean_right": float(right_p.mean()), "mean_wrong": float(wrong_p.mean()),
            "fraction_right_higher": frac, **figs}


# %% [markdown]
# ## Run the lesson
#
# It prints what it measures and ends with the verdict. The figure is saved under
# `demos/out/14_conditional_gan/` (and shown below in a notebook).

# %% main
if __name__ == "__main__":
    lessons.main(run, NAME)
