# %% [markdown]
# # 24 · With D at its optimum, p_g converges to p_data
#
# **The claim.** If the discriminator is brought to its optimum D* = p_data / (p_data + p_g) before every update of
# the generator, and the generator can represent any distribution, then improving the criterion
# C(p_g) = E_{p_data}[log D*(x)] + E_{p_g}[log(1 − D*(x))] drives p_g to p_data. The reason: C(p_g) equals
# −log 4 + 2·JSD(p_data ‖ p_g), which is convex in p_g with its only minimum at p_g = p_data, so a descent on it has
# nowhere else to stop. The proof needs D optimal at every step; Algorithm 1 gives D only k gradient steps.
#
# **Where it comes from.** Security and Fairness of Deep Learning (Anupam Datta, CMU, Spring 2018), lecture "Deep
# generative models", slide "Convergence theorem" (Proposition 2 of the paper); the GAN paper lecture (a lecture on
# Goodfellow et al. 2014, course and lecturer not named), slide "Further Proofs" (V is convex in p_g, its optimum at
# p_g = p_data). The paper: Goodfellow et al. 2014, "Generative Adversarial Nets", Proposition 2.
#
# **What this lesson does.** It takes a distribution small enough that D* can be written down exactly: p_data over 8
# points. The generator is a softmax over 8 logits (any distribution on the 8 points: enough capacity), started from
# five seeds and moved by gradient descent on the criterion, with D in one of three states at each step:
#
# * **D = D\***, computed exactly from p_data and the current p_g (the proposition's condition);
# * **5 D steps**: D's own 8 logits take 5 gradient-ascent steps on V(D, G) before each G step (Algorithm 1, k = 5);
# * **1 D step**: the same with k = 1, as most GANs are trained.
#
# It measures JSD(p_data ‖ p_g) after every step, and checks the convexity of C along 200 random segments between two
# distributions (and, for contrast, along segments between two sets of the generator's logits).
#
# **The rule.** The claim holds when, with D = D*, p_g comes within JSD 1e-8 of p_data on every seed and its JSD never
# rises (by more than 1e-12) from one step to the next, AND C lies below every chord of the 200 segments (no point
# above the chord by more than 1e-12). It holds partly when only one of the two is met, and does not hold here when
# neither is. The runs with 1 and 5 D steps are the contrast: measured and reported, not part of the rule.
#
# **Run time:** 27 s of CPU (five seeds × three states of D), from a clean state with one BLAS thread, as `python
# demos/lesson_times.py 24` measured it (demos/lesson_times.json, which records the machine's load and the wall
# time beside it: on a shared machine both grow; a quiet one takes less).

# %% [markdown]
# ## Set up: a distribution small enough to hold D* exactly
#
# p_data puts its mass on the points 0 to 7 in two bumps. `d_star` is Proposition 1's optimal discriminator, one
# number per point; `criterion` is V(D*, G) summed over the 8 points, and `jsd` the Jensen–Shannon divergence. The
# cell checks the identity the proof rests on: C(p_g) = −log 4 + 2·JSD(p_data ‖ p_g), for a random p_g.

# %%
"""Lesson 24: with D at its optimum, p_g converges to p_data."""


from __future__ import annotations

import minigan
import minigan.functional as F
from minigan import lessons, optim
from minigan.engine.backend import np

NAME = "24_gan_convergence"
SEEDS = (0, 1, 2, 3, 4)
STEPS = 1000
LR_G, LR_D = 1.0, 0.1  # gradient steps on G's logits and on D's logits (D slower than G, as in a GAN's early steps)
ARMS = {"optimal": None, "5 D steps": 5, "1 D step": 1}  # how D is set before each G step: D*, or k ascent steps
CONVERGED, RISE, ABOVE_CHORD = 1e-8, 1e-12, 1e-12  # the rule's thresholds (round-off of float64 sums of 8 terms)
SEGMENTS, TS = 200, np.linspace(0.0, 1.0, 21)  # the convexity check: 200 segments, 21 points along each

_points = np.arange(8.0)
P_DATA = np.exp(-0.5 * ((_points - 1.5) / 0.8) ** 2) + 0.6 * np.exp(-0.5 * ((_points - 5.5) / 0.7) ** 2)
P_DATA = P_DATA / P_DATA.sum()


def d_star(p_g):
    """Proposition 1: the optimal D at each point, p_data / (p_data + p_g)."""
    return P_DATA / (P_DATA + p_g)


def criterion(p_g):
    """C(p_g) = V(D*, G) = Σ p_data log D* + Σ p_g log(1 − D*), the value of the game with D at its optimum."""
    d = d_star(p_g)
    return float(np.sum(P_DATA * np.log(d)) + np.sum(p_g * np.log(1 - d)))


def jsd(p, q):
    """Jensen–Shannon divergence (nats) between two distributions on the same points (0·log 0 = 0)."""
    m = (p + q) / 2
    kl = lambda a: float(np.sum(np.where(a > 0, a * np.log(np.where(a > 0, a, 1) / m), 0.0)))  # noqa: E731
    return 0.5 * kl(p) + 0.5 * kl(q)


if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)
    _p = np.random.default_rng(0).dirichlet(np.ones(8))
    print("p_data:", np.round(P_DATA, 3).tolist())
    print(f"a random p_g: C = {criterion(_p):.10f}, −log 4 + 2·JSD = {-np.log(4) + 2 * jsd(P_DATA, _p):.10f}")
    print(f"at p_g = p_data: C = {criterion(P_DATA):.10f} (−log 4 = {-np.log(4):.10f}), D* = ½ everywhere")


# %% [markdown]
# ## One step, looked at closely
#
# The generator's logits θ give p_g = softmax(θ). With D held at D* (a constant: the generator's step does not move
# it), minigan's autograd gives ∂V/∂θ; by hand it is p_g ⊙ (g − p_g·g) with g = log(1 − D*), the softmax's Jacobian
# times ∂V/∂p_g. The two agree; the step lowers the criterion.

# %%
def generator_gradient(theta, d):
    """∂V(D, G)/∂θ by autograd for D's values ``d`` on the points (held fixed), and V's G-part Σ p_g log(1 − D)."""
    theta = minigan.tensor(theta, dtype="float64", requires_grad=True)
    value = (F.softmax(theta, dim=0) * minigan.tensor(np.log(1 - d))).sum()
    value.backward()
    return theta.grad.cpu().numpy(), value.item()


if __name__ == "__main__":
    _theta = np.random.default_rng(0).standard_normal(8)
    _p = np.exp(_theta) / np.exp(_theta).sum()
    _grad, _ = generator_gradient(_theta, d_star(_p))
    _g = np.log(1 - d_star(_p))
    print(f"autograd: {np.round(_grad, 5).tolist()}\nby hand:  {np.round(_p * (_g - _p @ _g), 5).tolist()}")
    _after = _theta - LR_G * _grad
    print(f"C before {criterion(_p):.5f}, after one step {criterion(np.exp(_after) / np.exp(_after).sum()):.5f}")


# %% [markdown]
# ## A run: D optimal, or k gradient steps
#
# `train` runs one seed under one state of D and records JSD(p_data ‖ p_g) after every step. D's own parameters are 8
# logits (one per point: D too has every capacity), started at 0 (D = ½) and kept from step to step, each of its
# steps an ascent on V(D, G) = Σ p_data log D + Σ p_g log(1 − D) with G held fixed. The cell shows seed 0 under each.

# %%
def train(seed, d_steps, steps=STEPS, lr_g=LR_G, lr_d=LR_D):
    """One run: JSD(p_data ‖ p_g) after each of ``steps`` G steps (index 0: before any), and the final p_g.
    ``d_steps``: None for D = D* at every step, else the number of D's ascent steps before each G step."""
    theta = minigan.tensor(np.random.default_rng(seed).standard_normal(8), dtype="float64", requires_grad=True)
    d_logits = minigan.tensor(np.zeros(8), dtype="float64", requires_grad=True)
    opt_g, opt_d = optim.SGD([theta], lr=lr_g), optim.SGD([d_logits], lr=lr_d)
    data = minigan.tensor(P_DATA)
    p_g = F.softmax(theta, dim=0)
    curve = [jsd(P_DATA, p_g.detach().cpu().numpy())]
    for _ in range(steps):
        if d_steps is None:
            d = minigan.tensor(d_star(p_g.detach().cpu().numpy()))  # Proposition 1, exactly
        else:
            for _ in range(d_steps):  # ascend V(D, G): descend −V, with G's p_g a constant
                d = F.sigmoid(d_logits)
                loss_d = -((data * d.log()).sum() + (p_g.detach() * (1 - d).log()).sum())
                opt_d.zero_grad()
                loss_d.backward()
                opt_d.step()
            d = F.sigmoid(d_logits).detach()
        loss_g = (p_g * (1 - d).log()).sum()  # the G-part of V(D, G); D's values held fixed
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
        p_g = F.softmax(theta, dim=0)
        curve.append(jsd(P_DATA, p_g.detach().cpu().numpy()))
    return {"jsd": np.array(curve), "p_g": p_g.detach().cpu().numpy()}


def summarize(run):
    """What the rule and the contrast read from one run."""
    curve = run["jsd"]
    below = np.flatnonzero(curve < 1e-4)
    return {"final_jsd": float(curve[-1]), "largest_rise": float(np.max(np.diff(curve))),
            "rises": float(np.mean(np.diff(curve) > RISE)),  # the share of steps on which JSD went up
            "steps_to_close": int(below[0]) if below.size else -1}


if __name__ == "__main__":
    for _arm, _k in ARMS.items():
        _s = summarize(train(SEEDS[0], _k))
        print(f"seed {SEEDS[0]}, {_arm:>10}: JSD {lessons.small(_s['final_jsd'])} after {STEPS} steps, below 1e-4 "
              f"from step {_s['steps_to_close']}, rose on {_s['rises']:.0%} of the steps")


# %% [markdown]
# ## Every seed, every state of D
#
# The same for the five seeds (different starting p_g): per state of D, the final JSD and the steps it took to come
# within 1e-4 of p_data (−1: never), as median and range over the seeds.

# %%
def over_seeds(seeds=SEEDS, steps=STEPS, verbose=False, say=print):
    runs = {}
    for arm, k in ARMS.items():
        runs[arm] = [train(s, k, steps) for s in lessons.progress(seeds, f"D: {arm}", verbose)]
        for seed, r in zip(seeds, runs[arm]):
            s = summarize(r)
            say(f"  {arm:>10}, seed {seed}: JSD {r['jsd'][0]:.3f} -> {lessons.small(s['final_jsd'])}; below 1e-4 from "
                f"step {s['steps_to_close']}; JSD rose on {s['rises']:.0%} of the steps")
    return runs


def spreads(runs):
    return {arm: {key: lessons.spread([summarize(r)[key] for r in rs])
                  for key in ("final_jsd", "steps_to_close", "rises", "largest_rise")} for arm, rs in runs.items()}


if __name__ == "__main__":
    runs = over_seeds(verbose=True)
    for _arm, _s in spreads(runs).items():
        print(f"{_arm:>10}: final JSD {lessons.show_spread(_s['final_jsd'], '.1e')}, steps to 1e-4 "
              f"{lessons.show_spread(_s['steps_to_close'], '.0f')}")


# %% [markdown]
# ## Convexity: C along segments between distributions
#
# For two distributions p_a and p_b (drawn uniformly from all distributions on the 8 points), the segment
# p_t = (1 − t)·p_a + t·p_b stays among distributions; C is convex when C(p_t) never lies above the chord
# (1 − t)·C(p_a) + t·C(p_b). It is: V(D, G) is linear in p_g for a fixed D, and C is their maximum over D. The same
# test on segments between two sets of logits θ (the generator's parameters) shows what convexity in p_g does NOT
# give: C as a function of θ can bulge above its chords.

# %%
def convexity(segments=SEGMENTS, seed=0):
    """The largest height of C above a chord, over ``segments`` random segments in p_g, and over as many in θ
    (the share of θ-segments where C rises above its chord by more than ABOVE_CHORD, too)."""
    rng = np.random.default_rng(seed)
    softmax = lambda t: np.exp(t - t.max()) / np.exp(t - t.max()).sum()  # noqa: E731
    worst_p, worst_theta, bulging = -np.inf, -np.inf, 0
    for _ in range(segments):
        p_a, p_b = rng.dirichlet(np.ones(8)), rng.dirichlet(np.ones(8))
        on_p = [criterion((1 - t) * p_a + t * p_b) for t in TS]
        worst_p = max(worst_p, max(c - ((1 - t) * on_p[0] + t * on_p[-1]) for c, t in zip(on_p, TS)))
        th_a, th_b = 2 * rng.standard_normal(8), 2 * rng.standard_normal(8)
        on_theta = [criterion(softmax((1 - t) * th_a + t * th_b)) for t in TS]
        above = max(c - ((1 - t) * on_theta[0] + t * on_theta[-1]) for c, t in zip(on_theta, TS))
        worst_theta, bulging = max(worst_theta, above), bulging + (above > ABOVE_CHORD)
    return {"above_chord_p": float(worst_p), "above_chord_theta": float(worst_theta),
            "bulging_theta": bulging / segments}


if __name__ == "__main__":
    convex = convexity()
    print(f"along {SEGMENTS} segments in p_g: C rises above its chord by at most {convex['above_chord_p']:.2e}")
    print(f"along {SEGMENTS} segments in θ: by up to {convex['above_chord_theta']:.3f}, on "
          f"{convex['bulging_theta']:.0%} of them")


# %% [markdown]
# ## The verdict, by the rule stated at the top

# %%
def judge(runs, convex, say=print):
    optimal = [summarize(r) for r in runs["optimal"]]
    reached = [s["final_jsd"] < CONVERGED for s in optimal]
    monotone = [s["largest_rise"] <= RISE for s in optimal]
    converges = all(reached) and all(monotone)
    is_convex = convex["above_chord_p"] <= ABOVE_CHORD
    outcome = "holds" if converges and is_convex else "holds partly" if converges or is_convex else \
        "does not hold here"
    s = spreads(runs)
    one, five = s["1 D step"], s["5 D steps"]
    why = (f"with D = D* at every step, p_g came within JSD {CONVERGED:.0e} of p_data on "
           f"{lessons.tally(reached)} (final JSD {lessons.show_spread(s['optimal']['final_jsd'], '.1e')}) and its JSD "
           f"never rose on {lessons.tally(monotone)}; C lay on or below every chord of {SEGMENTS} segments in p_g "
           f"(at most {convex['above_chord_p']:.1e} above), though above the chord on "
           f"{convex['bulging_theta']:.0%} of segments in the logits. The contrast: with 5 D steps the final JSD "
           f"is {lessons.show_spread(five['final_jsd'], '.1e')}, with 1 D step "
           f"{lessons.show_spread(one['final_jsd'], '.1e')}, and JSD rose on "
           f"{lessons.show_spread(one['rises'], '.0%')} of the steps: p_g still approaches p_data here (D's own "
           f"objective is strictly concave), but slower and not monotonically")
    line = lessons.verdict(outcome, why, say)
    return outcome, line


if __name__ == "__main__":
    outcome, line = judge(runs, convex)


# %% [markdown]
# ## The picture
#
# Left: JSD(p_data ‖ p_g) over the steps, one line per seed, one colour per state of D (log scale: D* reaches
# round-off, a lagging D wobbles down slowly). Middle: p_data and p_g after 50 steps of seed 0 under D* and under one D
# step. Right: C along three segments in p_g (solid) and in θ (dotted), each with its chord (thin).

# %%
COLOURS = {"optimal": "C0", "5 D steps": "C2", "1 D step": "C3"}


def picture(runs, outcome, out_dir, early=50):
    plt = lessons.plt()
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.6))
    ax = axes[0]
    for arm, rs in runs.items():
        for i, r in enumerate(rs):
            ax.semilogy(np.maximum(r["jsd"], 1e-17), color=COLOURS[arm], lw=1, alpha=0.8,
                        label=f"D: {arm}" if i == 0 else None)
    ax.axhline(CONVERGED, color="k", ls=":", lw=1, label=f"JSD {CONVERGED:.0e}")
    ax.set(xlabel="G step", ylabel="JSD(p_data ‖ p_g), nats", title=f"{len(next(iter(runs.values())))} seeds each")
    ax.legend(fontsize=8)
    ax = axes[1]
    width = 0.27
    ax.bar(_points - width, P_DATA, width, color="0.4", label="p_data")
    for j, arm in enumerate(("optimal", "1 D step")):
        p = train(SEEDS[0], ARMS[arm], steps=early)["p_g"]
        ax.bar(_points + j * width, p, width, color=COLOURS[arm], label=f"p_g, D: {arm}")
    ax.set(xlabel="point", ylabel="probability", title=f"seed {SEEDS[0]} after {early} G steps")
    ax.legend(fontsize=8)
    ax = axes[2]
    rng = np.random.default_rng(1)
    softmax = lambda t: np.exp(t - t.max()) / np.exp(t - t.max()).sum()  # noqa: E731
    for i in range(3):
        p_a, p_b = rng.dirichlet(np.ones(8)), rng.dirichlet(np.ones(8))
        th_a, th_b = 2 * rng.standard_normal(8), 2 * rng.standard_normal(8)
        for kind, along, style in (("in p_g", [(1 - t) * p_a + t * p_b for t in TS], "-"),
                                   ("in θ", [softmax((1 - t) * th_a + t * th_b) for t in TS], ":")):
            c = [criterion(p) for p in along]
            ax.plot(TS, c, style, color=f"C{i + 4}", lw=1.6, label=f"C along a segment {kind}" if i == 0 else None)
            ax.plot([0, 1], [c[0], c[-1]], "-", color=f"C{i + 4}", lw=0.6)
    ax.axhline(-np.log(4), color="k", ls="--", lw=0.8, label="−log 4 (p_g = p_data)")
    ax.set(xlabel="t along the segment", ylabel="C = V(D*, G)", title="convex in p_g, not in the logits")
    ax.legend(fontsize=8)
    fig.suptitle(f"verdict: {outcome}: with D = D* every step p_g converges to p_data; with fewer D steps, slower")
    fig.tight_layout()
    return lessons.save(fig, out_dir, "convergence.png")


if __name__ == "__main__":
    picture(runs, outcome, OUT)


# %% [markdown]
# ## Try it
#
# Give D a faster learning rate: with `lr_d=2.0` a single D step nearly catches up with D* each time, and the 1-step
# run should converge about as fast as the optimal one. With `lr_d=0.01` D lags further and p_g wobbles for longer.

# %%
if __name__ == "__main__":
    for _lr_d in (2.0, 0.01):
        _s = summarize(train(SEEDS[0], 1, lr_d=_lr_d))
        print(f"1 D step at lr_d = {_lr_d}: final JSD {lessons.small(_s['final_jsd'])}, rose on {_s['rises']:.0%} of "
              "the steps")


# %% [markdown]
# ## All of it in one function
#
# `run` chains the cells above, for the tests and `demos/lesson_numbers.py` (which records its numbers).

# %%
def run(steps=STEPS, seeds=SEEDS, segments=SEGMENTS, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    runs = over_seeds(seeds, steps, verbose, say)
    convex = convexity(segments)
    outcome, line = judge(runs, convex, say)
    result = {"verdict": line, "outcome": outcome, **convex,
              **{f"{key}_{arm.replace(' ', '_')}": v for arm, s in spreads(runs).items() for key, v in s.items()}}
    if out_dir is not None:
        result["figure"] = picture(runs, outcome, out_dir)
    return result
