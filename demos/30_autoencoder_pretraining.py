# %% [markdown]
# # 30 · Autoencoders as pretraining where labels are few
#
# **The claim.** Unlabelled images are cheap, labels are dear. An autoencoder learns features from unlabelled
# images alone (it is trained to rebuild its input); a classifier whose layers start from those features, then
# fine-tuned on the few labelled images there are, classifies better than the same network trained from random
# weights on those labels. A deep encoder is pretrained one layer at a time (greedy layer-wise stacking): each layer
# is the encoder of an autoencoder of the layer below's output.
#
# **Where it comes from.** Security and Fairness of Deep Learning (Anupam Datta, CMU 2018), lecture "Deep generative
# models", slides "Why generative models?" (pretraining where labelled data is expensive), "Unsupervised pretraining"
# and "Autoencoders for unsupervised pretraining"; the papers they cite: Bengio, Lamblin, Popovici & Larochelle 2006,
# "Greedy Layer-Wise Training of Deep Networks", and Erhan et al. 2010, "Why Does Unsupervised Pre-training Help Deep
# Learning?".
#
# **What this lesson does.** One network, 64 pixels → 64 → 32 → 16 sigmoid units → 10 classes, on the bundled
# digits. Pretrained: each of its three layers trained as the encoder of an autoencoder on all 1,438 training
# images, without their labels, the first on the pixels, the next on the first's codes, and so on; then the whole
# network, with a fresh output layer, fine-tuned on k labelled images a class. From scratch: the same network from
# random weights, trained on the same labels with the same steps. k = 1, 5 and 20 (10, 50 and 200 labels), 5 seeds
# (each draws its labelled images and its weights), test accuracy on the 359 held-out digits.
#
# **Run time:** 42 s of CPU, from a clean state with one BLAS thread, as `python demos/lesson_times.py 30` measured it
# (demos/lesson_times.json, which records the machine's load and the wall time beside it).

# %% [markdown]
# ## Set up: the network, layer by layer
#
# `encoder()` builds the three layers, each a `Linear` and a sigmoid (the units of the 2006 paper); `classifier`
# puts a `Linear(16, 10)` on top. Pixels in [0, 1], flattened to 64 numbers.

# %% set-up
"""Lesson 30: autoencoders as pretraining where labels are few."""

from __future__ import annotations

import time

import minigan
import minigan.functional as F
from minigan import lessons, nn
from minigan.data.digits import load_digits
from minigan.engine.backend import np

NAME = "30_autoencoder_pretraining"
SEEDS = (0, 1, 2, 3, 4)
WIDTHS = (64, 64, 32, 16)   # pixels, then the three encoder layers
PER_CLASS = (1, 5, 20)      # labelled images a class
PRETRAIN_STEPS = 1500       # minibatches of 64 unlabelled images, per layer
FINETUNE_STEPS = 200        # full-batch steps on the labelled images
LR = 1e-2                   # Adam, for both

TRAIN, TRAIN_LABELS = load_digits("train")
TEST, TEST_LABELS = load_digits("test")
X, X_TEST = TRAIN.reshape(len(TRAIN), -1), TEST.reshape(len(TEST), -1)


def encoder():
    return [nn.Sequential(nn.Linear(a, b), nn.Sigmoid()) for a, b in zip(WIDTHS[:-1], WIDTHS[1:])]


def classifier(layers):
    return nn.Sequential(*layers, nn.Linear(WIDTHS[-1], 10))


if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)  # --out FOLDER from a shell; demos/out/30_autoencoder_pretraining/ by default
    started = time.perf_counter()
    minigan.manual_seed(0)
    print(classifier(encoder()))


# %% [markdown]
# ## Greedy layer-wise pretraining
#
# Layer i is trained as the encoder half of an autoencoder whose decoder, a `Linear` back to the layer's input, is
# thrown away afterwards. The first rebuilds the pixels (cross-entropy per pixel, as the pixels are in [0, 1]); each
# later one rebuilds the previous layer's codes (squared error). No label is read. Then the codes of all images are
# passed up, and the next layer learns on them.

# %% pretraining
def pretrain(layers, images, steps=PRETRAIN_STEPS, seed=0, verbose=False):
    """Train ``layers`` in place, one at a time, each as an autoencoder's encoder; the reconstruction losses."""
    rng = np.random.default_rng(seed)
    device = next(layers[0].parameters()).device
    h, losses = images, []  # on the host; each minibatch goes to the layers' device
    for i, layer in enumerate(layers):
        decoder = nn.Linear(WIDTHS[i + 1], WIDTHS[i])
        opt = minigan.optim.Adam([*layer.parameters(), *decoder.parameters()], lr=LR)
        for _ in lessons.progress(range(steps), f"seed {seed}, pretraining layer {i + 1}", verbose):
            x = minigan.from_numpy(h[rng.integers(0, len(h), 64)]).to(device)
            logits = decoder(layer(x))
            loss = F.binary_cross_entropy_with_logits(logits, x) if i == 0 else F.mse_loss(logits.sigmoid(), x)
            opt.zero_grad()
            loss.backward()
            opt.step()
        losses.append(loss.item())
        with minigan.no_grad():
            h = layer(minigan.from_numpy(h).to(device)).cpu().numpy()  # the codes the next layer learns on
    return losses


if __name__ == "__main__":
    minigan.manual_seed(0)
    _pretrained = encoder()
    _losses = pretrain(_pretrained, X, seed=0, verbose=True)
    print("reconstruction loss at the end of each layer's pretraining:", [round(v, 4) for v in _losses])


# %% [markdown]
# ## Fine-tuning on a few labels, and the same network from scratch
#
# `labelled(k, seed)` draws k training images a class. `fine_tune` trains a whole classifier (every layer and the
# head) on them by cross-entropy, full batch, and returns its accuracy on the labelled images and on the held-out
# test digits. The from-scratch network gets exactly the same labels, steps and learning rate.

# %% fine-tuning
def labelled(k, seed):
    rng = np.random.default_rng(1000 + seed)
    return np.concatenate([rng.choice(np.flatnonzero(TRAIN_LABELS == c), k, replace=False) for c in range(10)])


def fine_tune(layers, idx, steps=FINETUNE_STEPS):
    net = classifier(layers)
    opt = minigan.optim.Adam(net.parameters(), lr=LR)
    device = next(net.parameters()).device
    x, y = minigan.from_numpy(X[idx]).to(device), minigan.from_numpy(TRAIN_LABELS[idx]).to(device)
    for _ in range(steps):
        loss = F.cross_entropy(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with minigan.no_grad():
        fit = float((net(x).cpu().numpy().argmax(1) == TRAIN_LABELS[idx]).mean())
        test = float((net(minigan.from_numpy(X_TEST).to(device)).cpu().numpy().argmax(1) == TEST_LABELS).mean())
    return fit, test


def copy_of(layers):
    """Fresh layers holding the same weights (each label count fine-tunes its own copy of the pretrained ones)."""
    fresh = encoder()
    for new, old in zip(fresh, layers):
        new.load_state_dict(old.state_dict())
    return fresh


if __name__ == "__main__":
    _idx = labelled(1, 0)
    print("pretrained, 1 label a class (labelled, test accuracy):", fine_tune(copy_of(_pretrained), _idx))
    minigan.manual_seed(0)
    print("from scratch, 1 label a class (labelled, test accuracy):", fine_tune(encoder(), _idx))


# %% [markdown]
# ## One seed, every label count
#
# A seed pretrains one encoder (its weights drawn from the seed) and, for each k, fine-tunes a copy of it and a
# from-scratch network that starts from the same random weights the pretraining started from.

# %% one seed
def one_seed(seed, per_class=PER_CLASS, pretrain_steps=PRETRAIN_STEPS, verbose=False, say=print) -> dict:
    minigan.manual_seed(seed)
    start = encoder()
    scratch_state = [layer.state_dict() for layer in copy_of(start)]
    losses = pretrain(start, X, pretrain_steps, seed, verbose)
    out = {"reconstruction": losses}
    for k in per_class:
        idx = labelled(k, seed)
        fit_p, acc_p = fine_tune(copy_of(start), idx)
        scratch = encoder()
        for layer, state in zip(scratch, scratch_state):
            layer.load_state_dict(state)
        fit_s, acc_s = fine_tune(scratch, idx)
        out[k] = {"pretrained": acc_p, "scratch": acc_s, "gain": acc_p - acc_s, "fit_pretrained": fit_p,
                  "fit_scratch": fit_s}
        say(f"seed {seed}, {k:>2} labels a class: test accuracy pretrained {acc_p:.1%}, from scratch {acc_s:.1%} "
            f"(gain {100 * (acc_p - acc_s):+.1f} points; labelled images fitted {fit_p:.0%} and {fit_s:.0%})")
    return out


if __name__ == "__main__":
    per_seed = [one_seed(SEEDS[0], verbose=True)]


# %% [markdown]
# ## Verdict: the rule
#
# At each label count the gain is the pretrained network's test accuracy minus the from-scratch one's, paired by
# seed. Pretraining "helps" at a count when the gain is positive on at least 4 of the 5 seeds and its median is at
# least 2 points. The claim "holds" when it helps at every count up to 5 labels a class (the few-label regime),
# "holds partly" when it helps at 1 label a class only, and "does not hold here" otherwise. Whether it still helps
# at 20 a class is reported beside it.

# %% verdict rule
def helps(gains) -> bool:
    return sum(g > 0 for g in gains) >= 0.8 * len(gains) and float(np.median(gains)) >= 0.02


def summarise(per_seed, per_class=PER_CLASS, say=print) -> dict:
    gain = {k: lessons.spread([100 * r[k]["gain"] for r in per_seed]) for k in per_class}
    pre = {k: lessons.spread([100 * r[k]["pretrained"] for r in per_seed]) for k in per_class}
    scr = {k: lessons.spread([100 * r[k]["scratch"] for r in per_seed]) for k in per_class}
    helped = {k: helps([r[k]["gain"] for r in per_seed]) for k in per_class}
    few = [k for k in per_class if k <= 5]
    outcome = ("holds" if all(helped[k] for k in few) else
               "holds partly" if helped[min(per_class)] else "does not hold here")
    parts = "; ".join(f"{k} a class: {pre[k]['median']:.1f}% against {scr[k]['median']:.1f}%, gain "
                      f"{lessons.show_spread(gain[k], '+.1f')} points, positive on "
                      f"{sum(r[k]['gain'] > 0 for r in per_seed)} of {len(per_seed)}" for k in per_class)
    line = lessons.verdict(outcome, (
        f"test accuracy of the pretrained network against the same network from scratch (medians), {parts}; "
        f"pretraining helps at {', '.join(str(k) for k in per_class if helped[k]) or 'no'} label(s) a class"), say)
    return {"verdict": line, "outcome": outcome, "gain_points": gain, "pretrained_percent": pre,
            "scratch_percent": scr, "helps": {str(k): helped[k] for k in per_class}}


# %% [markdown]
# ## Over seeds
#
# Four more seeds, then the verdict by the rule above.

# %% over seeds
if __name__ == "__main__":
    for seed in SEEDS[1:]:
        per_seed.append(one_seed(seed))
    result = summarise(per_seed)


# %% [markdown]
# ## Picture: test accuracy against the number of labels
#
# Left: each seed's test accuracy (thin) and the median (thick), pretrained and from scratch, against the labels a
# class (log scale). Right: the paired gain in points, one dot a seed.

# %% picture
def picture(per_seed, result, out_dir, per_class=PER_CLASS):
    plt = lessons.plt()
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.2))
    for arm, color, label in (("pretrained", "C0", "pretrained as stacked autoencoders"),
                              ("scratch", "C3", "from scratch")):
        for r in per_seed:
            ax.plot(per_class, [100 * r[k][arm] for k in per_class], color=color, alpha=0.25, lw=1)
        key = "pretrained_percent" if arm == "pretrained" else "scratch_percent"
        ax.plot(per_class, [result[key][k]["median"] for k in per_class], "o-", color=color, lw=2.5,
                label=f"{label} (median)")
    ax.set(xscale="log", xlabel="labelled images a class", ylabel="test accuracy (%)", xticks=list(per_class),
           xticklabels=[str(k) for k in per_class], title="the same network, two starts")
    ax.legend(fontsize=8)
    for i, k in enumerate(per_class):
        gains = [100 * r[k]["gain"] for r in per_seed]
        bx.scatter([i] * len(gains), gains, color="C0", s=18)
        bx.plot([i - 0.2, i + 0.2], [result["gain_points"][k]["median"]] * 2, "k-", lw=2)
    bx.axhline(0, color="0.5", lw=1)
    bx.set(xticks=range(len(per_class)), xticklabels=[str(k) for k in per_class], xlabel="labelled images a class",
           ylabel="gain, pretrained − scratch (points)", title="paired by seed (bar: median)")
    fig.suptitle(f"verdict: {result['outcome']}; {len(per_seed)} seeds, digits, 64-64-32-16 sigmoid network",
                 fontsize=10)
    fig.tight_layout()
    return lessons.save(fig, out_dir, "autoencoder_pretraining.png")


if __name__ == "__main__":
    picture(per_seed, result, OUT)
    print(f"\n{NAME}: {time.perf_counter() - started:.0f} s; figures in {OUT}")


# %% [markdown]
# ## The whole lesson, one function
#
# `run` chains the same steps quietly and returns every number (the tests and `demos/lesson_numbers.py` call it).

# %%
def run(seeds=SEEDS, per_class=PER_CLASS, pretrain_steps=PRETRAIN_STEPS, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    per_seed = [one_seed(seed, per_class, pretrain_steps, False, say) for seed in seeds]
    result = summarise(per_seed, per_class, say)
    result["per_seed"] = [{str(k): v for k, v in r.items()} for r in per_seed]
    if out_dir is not None:
        result["figure"] = picture(per_seed, result, out_dir, per_class)
    return result


# %% [markdown]
# ## Try it
#
# Depth is where the 2006 paper found pretraining mattered most. Set `TRY_WIDTHS = (64, 16)` (one hidden layer) and
# run the cell (seed 0, a few seconds): expect the from-scratch network to match the pretrained one or beat it (we
# measured gains of −6.1, +2.5 and −2.2 points at 1, 5 and 20 labels a class), since a shallow sigmoid network is
# easy to train from random weights.

# %% try it
if __name__ == "__main__":
    TRY_WIDTHS = None  # try (64, 16)
    if TRY_WIDTHS:
        WIDTHS = TRY_WIDTHS
        print(one_seed(0))
        WIDTHS = (64, 64, 32, 16)
