# %% [markdown]
# # 23 · The adversarial autoencoder: the VAE's KL term replaced by a discriminator on z
#
# **The claim.** An autoencoder can be made generative by a GAN played on its codes. A discriminator D learns to tell
# draws of the prior P(z) = N(0, I) from the codes z = enc(x) of the data, and the encoder, the GAN's generator
# here, learns to fool it. What this matches is the aggregate posterior q(z), the codes of the whole data set, to
# the prior: so the decoder, fed prior draws, draws data. The same autoencoder without D leaves its codes wherever
# reconstruction put them, and prior draws decode to things that are not digits.
#
# **Where it comes from.** IT3320E (Hung Son Nguyen), the GAN lecture, slide "GAN variants (> 100)", which lists the
# adversarial autoencoder among the GAN's variants; the VAE is lesson 21's. The paper: Makhzani, Shlens, Jaitly,
# Goodfellow & Frey 2016, "Adversarial Autoencoders", Section 2 (the two phases of training) and Figure 2 (2-D codes
# of MNIST against the prior).
#
# **What this lesson does.** It trains three models with the same MLP encoder and decoder and 2-D codes on the
# bundled digits: a plain autoencoder (the reconstruction phase alone), the adversarial autoencoder
# (`minigan.gans.AAE`: the reconstruction phase, then D's step and the encoder's step against D) and, for reference,
# the VAE (lesson 21: the KL term in closed form). For each, on 3 seeds, it measures how far the codes of 2,000
# digits lie from 2,000 prior draws (the sliced Wasserstein distance: the mean over 64 directions of the 1-D
# distance between the sorted projections) and how close 1,000 decoded prior draws come to real digits (the Fréchet
# distance in the reference classifier's features, and the classes it sees).
#
# **Run time:** 23 s of CPU (nine runs of 800 steps, and the reference classifier trained once), from a clean state
# with one BLAS thread, as `python demos/lesson_times.py 23` measured it (demos/lesson_times.json, which records the
# machine's load and the wall time beside it).

# %% [markdown]
# ## Set up: one encoder, one decoder, three ways to train them
#
# `build_experiment("aae", "digits", latent_dim=2, hidden=(128, 128))` builds the encoder (64 pixels → 2 numbers),
# the decoder (2 numbers → 64 logits) and D (2 numbers → one logit). The plain autoencoder is the same experiment,
# trained by `reconstruction_phase` alone.

# %% set-up
"""Lesson 23: the adversarial autoencoder: the VAE's KL term replaced by a discriminator on z."""

from __future__ import annotations

import time

import minigan
from minigan import lessons
from minigan.engine.backend import np
from minigan.gans.recipes import build_experiment
from minigan.metrics.images import dataset_metrics
from minigan.nn.module import module_device

NAME = "23_adversarial_autoencoder"
SEEDS = (0, 1, 2)
STEPS = 800
SETTINGS = dict(latent_dim=2, hidden=(128, 128))
MODELS = ("autoencoder", "aae", "vae")
LABEL = {"autoencoder": "autoencoder (no D)", "aae": "adversarial autoencoder", "vae": "VAE (KL term)"}

if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)  # --out FOLDER from a shell; demos/out/23_adversarial_autoencoder/ by default
    started = time.perf_counter()
    _exp = build_experiment("aae", "digits", seed=0, **SETTINGS)
    print(_exp.trainer.encoder, _exp.trainer.D, sep="\n")


# %% [markdown]
# ## One minibatch, both phases
#
# The reconstruction phase moves the encoder and the decoder toward −log P(x|enc(x)); the regularization phase
# first trains D to say 1 on prior draws and 0 on codes (D's loss is 2·log 2 = 1.386 when it says ½ to all), then
# the encoder to make D say 1 on its codes.

# %% one minibatch
if __name__ == "__main__":
    _x = _exp.sample_real(_exp.trainer.batch_size)
    print(_exp.trainer.reconstruction_phase(_x))
    print(_exp.trainer.regularization_phase(_x))


# %% [markdown]
# ## Measure: how far the codes lie from the prior
#
# The sliced Wasserstein distance between two clouds of 2-D points: project both on a direction, sort, average the
# gaps; then average over 64 directions. 0 for the same cloud; a cloud shifted by d is d·(2/π) away on average.

# %% measure
def sliced_wasserstein(a, b, directions=64, seed=0) -> float:
    """The mean over ``directions`` random directions of the 1-D Wasserstein-1 distance between ``a`` and ``b``
    (two (n, 2) arrays of the same n) projected on it."""
    angles = np.random.default_rng(seed).uniform(0, np.pi, directions)
    d = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return float(np.abs(np.sort(a @ d.T, axis=0) - np.sort(b @ d.T, axis=0)).mean())


if __name__ == "__main__":
    _rng = np.random.default_rng(0)
    _p = _rng.standard_normal((2000, 2))
    print("N(0, I) against itself:", round(sliced_wasserstein(_p, _rng.standard_normal((2000, 2))), 3),
          "; shifted by (3, 0):", round(sliced_wasserstein(_p, _p + [3, 0]), 3))


# %% [markdown]
# ## Run: the three models on one seed
#
# `train` runs one model for `STEPS` minibatches; `judge` then encodes 2,000 training digits (the VAE's codes are
# drawn from Q(z|x), its aggregate posterior), measures their distance to as many prior draws, and decodes 1,000
# prior draws for the reference classifier (trained once on first use, then cached).

# %% run
def train(model, seed, steps=STEPS, verbose=False):
    exp = build_experiment("vae" if model == "vae" else "aae", "digits", seed=seed, **SETTINGS)
    trainer = exp.trainer
    for _ in lessons.progress(range(steps), f"seed {seed}, {LABEL[model]}", verbose):
        if model == "vae":
            trainer.train_step(exp.sample_real)
            continue
        x = exp.sample_real(trainer.batch_size)
        trainer.reconstruction_phase(x)
        if model == "aae":
            trainer.regularization_phase(x)
    return exp


def judge(exp, model, seed, n=2000) -> dict:
    trainer, device = exp.trainer, module_device(exp.trainer.decoder)
    x = minigan.from_numpy(exp.images[:n]).to(device)
    minigan.manual_seed(10_000 + seed)  # the codes' and the samples' own draws, apart from training's
    with minigan.no_grad():
        z = trainer.posterior(x).sample() if model == "vae" else trainer.encode(x)
    codes = z.cpu().numpy().astype(np.float64)
    prior = np.random.default_rng(seed).standard_normal(codes.shape)
    fake01 = (trainer.sample(1000).cpu().numpy() + 1) / 2
    m = dataset_metrics(fake01, "digits", None)
    return {"sliced_wasserstein": sliced_wasserstein(codes, prior), "code_mean": codes.mean(0).tolist(),
            "code_std": codes.std(0).tolist(), "frechet": m["frechet_distance"], "frechet_floor": m["frechet_floor"],
            "classes": m["classes_covered"], "codes": codes, "labels": exp.labels[:n], "samples": fake01[:32]}


def one_seed(seed, steps, verbose, say=print) -> dict:
    out = {}
    for model in MODELS:
        with lessons.Timer() as clock:
            out[model] = judge(train(model, seed, steps, verbose), model, seed)
        r = out[model]
        say(f"seed {seed}, {LABEL[model]:<24}: codes {r['sliced_wasserstein']:.3f} from the prior (sliced W), "
            f"std {r['code_std'][0]:.2f}, {r['code_std'][1]:.2f}; prior draws decoded: Fréchet {r['frechet']:.0f} "
            f"(floor {r['frechet_floor']:.0f}), {r['classes']}/10 classes ({clock.seconds:.0f} s)")
    return out


if __name__ == "__main__":
    per_seed = [one_seed(SEEDS[0], STEPS, True)]


# %% [markdown]
# ## Verdict: the rule
#
# Per seed, the claim "holds" when the adversarial autoencoder's codes lie at under a third of the plain
# autoencoder's distance from the prior AND its decoded prior draws have the lower Fréchet distance; "holds partly"
# with one of the two. The VAE is the reference, not part of the rule. The verdict is the majority over the seeds.

# %% verdict rule
def decide_seed(r) -> str:
    matched = r["aae"]["sliced_wasserstein"] < r["autoencoder"]["sliced_wasserstein"] / 3
    draws = r["aae"]["frechet"] < r["autoencoder"]["frechet"]
    return "holds" if matched and draws else "holds partly" if matched or draws else "does not hold here"


def summarise(per_seed, say=print) -> dict:
    outcomes = [decide_seed(r) for r in per_seed]
    outcome, agree = lessons.majority(outcomes)
    sw = {m: lessons.spread([r[m]["sliced_wasserstein"] for r in per_seed]) for m in MODELS}
    fd = {m: lessons.spread([r[m]["frechet"] for r in per_seed]) for m in MODELS}
    classes = {m: lessons.spread([r[m]["classes"] for r in per_seed]) for m in MODELS}
    line = lessons.verdict(outcome, (
        f"the codes' distance from the prior (sliced Wasserstein): autoencoder "
        f"{lessons.show_spread(sw['autoencoder'], '.2f')}, adversarial autoencoder "
        f"{lessons.show_spread(sw['aae'], '.2f')}, VAE {lessons.show_spread(sw['vae'], '.2f')}; prior draws decoded, "
        f"Fréchet distance: {fd['autoencoder']['median']:.0f} / {fd['aae']['median']:.0f} / {fd['vae']['median']:.0f} "
        f"(medians; classes seen {classes['autoencoder']['median']:.0f} / {classes['aae']['median']:.0f} / "
        f"{classes['vae']['median']:.0f} of 10); {agree} of {len(per_seed)} seeds say '{outcome}'"), say)
    return {"verdict": line, "outcome": outcome, "seeds_agreeing": agree, "per_seed_outcome": outcomes,
            "sliced_wasserstein": sw, "frechet": fd, "classes": classes}


# %% [markdown]
# ## Over seeds
#
# Two more seeds, all three models, then the verdict by the rule above.

# %% over seeds
if __name__ == "__main__":
    for seed in SEEDS[1:]:
        per_seed.append(one_seed(seed, STEPS, True))
    result = summarise(per_seed)


# %% [markdown]
# ## Picture: the codes against the prior, and what the prior decodes to
#
# Top: the 2-D codes of 2,000 digits, coloured by class, over the circles that hold 39% and 86% of N(0, I) (radius 1
# and 2), for seed 0. Bottom: 32 decoded prior draws of each model.

# %% picture
def picture(per_seed, result, out_dir):
    plt = lessons.plt()
    fig, axes = plt.subplots(2, 3, figsize=(13, 7.6), gridspec_kw={"height_ratios": [3, 1.3]})
    first = per_seed[0]
    circle = np.linspace(0, 2 * np.pi, 200)
    for ax, model in zip(axes[0], MODELS):
        r = first[model]
        ax.scatter(r["codes"][:, 0], r["codes"][:, 1], c=r["labels"], cmap="tab10", s=3, vmin=0, vmax=9)
        for radius in (1, 2):
            ax.plot(radius * np.cos(circle), radius * np.sin(circle), "k--", lw=0.8)
        ax.set(title=f"{LABEL[model]}: sliced W {r['sliced_wasserstein']:.2f}", xlabel="z₁", ylabel="z₂")
        ax.set_aspect("equal", adjustable="datalim")
    for ax, model in zip(axes[1], MODELS):
        images = first[model]["samples"][:, 0]
        strip = np.concatenate([np.concatenate(list(images[i * 16:(i + 1) * 16]), axis=1) for i in range(2)], axis=0)
        ax.imshow(strip, cmap="gray", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"prior draws decoded: Fréchet {first[model]['frechet']:.0f}, {first[model]['classes']}/10 "
                     "classes", fontsize=9)
    fig.suptitle(f"verdict: {result['outcome']} ({result['seeds_agreeing']} of {len(per_seed)} seeds); seed "
                 f"{SEEDS[0]}: the codes of 2,000 digits against N(0, I) (dashed: radius 1 and 2)", fontsize=10)
    fig.tight_layout()
    return lessons.save(fig, out_dir, "aae.png")


if __name__ == "__main__":
    picture(per_seed, result, OUT)
    print(f"\n{NAME}: {time.perf_counter() - started:.0f} s; figures in {OUT}")


# %% [markdown]
# ## The whole lesson, one function
#
# `run` chains the same steps quietly and returns every number (the tests and `demos/lesson_numbers.py` call it).

# %%
def run(steps=STEPS, seeds=SEEDS, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    per_seed = [one_seed(seed, steps, verbose, say) for seed in seeds]
    result = summarise(per_seed, say)
    result["per_seed"] = [{m: {k: v for k, v in r[m].items() if k not in ("codes", "labels", "samples")}
                           for m in MODELS} for r in per_seed]
    if out_dir is not None:
        result["figure"] = picture(per_seed, result, out_dir)
    return result


# %% [markdown]
# ## Try it
#
# The adversarial autoencoder needs no closed-form KL: any prior it can draw from will do. Set `TRY_PRIOR =
# "uniform"` and run the cell (a few seconds): the codes should fill the square [−1, 1]², where the VAE's KL term
# has no such closed form for it.

# %% try it
if __name__ == "__main__":
    TRY_PRIOR = None  # try "uniform"
    if TRY_PRIOR:
        trial = build_experiment("aae", "digits", seed=0, prior=TRY_PRIOR, **SETTINGS)
        for _ in range(STEPS):
            trial.train_step()
        z = trial.trainer.encode(minigan.from_numpy(trial.images[:2000])).numpy()
        print(f"prior {TRY_PRIOR}: codes from {z.min(0).round(2)} to {z.max(0).round(2)}, mean {z.mean(0).round(2)}")
