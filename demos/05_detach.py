# %% [markdown]
# # 05 · detach(): the forward pass goes through, the gradient does not
#
# **The claim.** If c = g(b.detach()) with b = f(a), the value of c is exactly what it would be without `detach()`,
# but no gradient flows back into f: f's parameters get no gradient and an SGD step leaves them unchanged. A GAN's
# discriminator step uses exactly this, with `G(z).detach()`.
#
# **Where it comes from.** CS/DS 552 (Jacob Whitehill), Class 7, slide "Controlling gradient flow in PyTorch".
#
# **What this lesson does.** Two small `nn.Linear` layers f and g, the same input run once with and once without
# `detach()`: it compares the outputs, the gradients after `backward()`, and how much one SGD step over *all*
# parameters moves f and g.
#
# **Run time:** under a second of CPU, measured from a clean state, one BLAS thread (about the wall time on a
# quiet 2-core machine; under a second on one shared with other jobs).

# %%
"""Lesson 05: detach(): the forward pass goes through, the gradient does not."""


from __future__ import annotations

import minigan
import minigan.functional as F
from minigan import lessons, nn, optim, stepthrough
from minigan.engine.backend import np

NAME = "05_detach"


def _snapshot(module):
    return {k: np.array(v, copy=True) for k, v in module.state_dict().items()}


def _change(before, module):
    after = _snapshot(module)
    return float(max(np.abs(after[k] - before[k]).max() for k in before))


# %% one experiment: forward, backward, one SGD step
def experiment(detach: bool, seed: int = 0, lr: float = 0.1):
    minigan.manual_seed(seed)
    f, g = nn.Linear(3, 4), nn.Linear(4, 1)
    a = minigan.randn(5, 3, requires_grad=True)
    opt = optim.SGD(list(f.parameters()) + list(g.parameters()), lr=lr)
    f0, g0 = _snapshot(f), _snapshot(g)

    b = f(a)
    c = g(b.detach() if detach else b)
    loss = (c * c).mean()
    loss.backward()
    grads = {"a": a.grad, "f.weight": f.weight.grad, "f.bias": f.bias.grad,
             "g.weight": g.weight.grad, "g.bias": g.bias.grad}
    opt.step()
    return {
        "c": c.detach().cpu().numpy(),
        "grad_is_none": {k: v is None for k, v in grads.items()},
        "grad_norm": {k: (0.0 if v is None else float(np.linalg.norm(v.detach().cpu().numpy())))
                      for k, v in grads.items()},
        "f_change": _change(f0, f),
        "g_change": _change(g0, g),
    }


# %% [markdown]
# ## In a GAN: why the discriminator step detaches the fakes
#
# D's step minimises −log D(x) − log(1 − D(G(z))) over D's weights only. Without `detach()`, `loss_D.backward()`
# also walks back through G: it spends the work of G's whole backward pass, and it leaves in G's `.grad` the
# gradient of *D's* loss, which points against G's own objective. If G's step then runs without `zero_grad()`,
# that leftover pulls G the wrong way. Below: a 2-D G and D, one D step with and without `detach()`.

# %%
def d_step(detach: bool, seed: int = 0):
    """One discriminator loss and backward; returns G's gradient left behind and the ops backward visited."""
    minigan.manual_seed(seed)
    G = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))
    D = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1))
    real, z = minigan.randn(64, 2) + 2.0, minigan.randn(64, 2)
    fake = G(z)
    logits_real, logits_fake = D(real), D(fake.detach() if detach else fake)
    loss_d = (F.binary_cross_entropy_with_logits(logits_real, minigan.ones(64, 1))
              + F.binary_cross_entropy_with_logits(logits_fake, minigan.zeros(64, 1)))
    ops = stepthrough.count_nodes(loss_d)
    loss_d.backward()
    left = [None if p.grad is None else p.grad.detach().cpu().numpy().copy() for p in G.parameters()]
    G.zero_grad()
    loss_g = F.binary_cross_entropy_with_logits(D(G(z)), minigan.ones(64, 1))  # G's own (non-saturating) loss
    loss_g.backward()
    own = [p.grad.detach().cpu().numpy() for p in G.parameters()]
    return left, own, ops


def why_detach_in_d_step(say=print) -> dict:
    left_cut, _, ops_cut = d_step(True)
    left, own, ops = d_step(False)
    flat_left = np.concatenate([g.ravel() for g in left])
    flat_own = np.concatenate([g.ravel() for g in own])
    cosine = float(flat_left @ flat_own / (np.linalg.norm(flat_left) * np.linalg.norm(flat_own)))
    say("\nthe D step of a GAN, with and without detach() on G(z):")
    say(f"  with detach():    G's .grad after loss_D.backward() = {left_cut}; backward visits {ops_cut} ops")
    say(f"  without detach(): G's .grad holds ‖·‖ = {np.linalg.norm(flat_left):.4f}; backward visits {ops} ops")
    say(f"  cosine between that leftover and G's own gradient: {cosine:+.3f} (it points against G's objective)")
    return {"g_grad_none_with_detach": all(g is None for g in left_cut), "ops_with_detach": ops_cut,
            "ops_without_detach": ops, "leftover_cosine": cosine}


# %% the demo
def run(seed: int = 0, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    plain, cut = experiment(False, seed), experiment(True, seed)
    same_forward = float(np.abs(plain["c"] - cut["c"]).max())
    say("c = g(f(a)) vs c = g(f(a).detach()), same weights, same input:")
    say(f"  forward: max |c_plain − c_detached| = {same_forward:.1e}   (detach does not change the values)")
    say(f"  {'gradient':<10} {'plain ‖grad‖':>14} {'detached':>14}")
    for k in plain["grad_norm"]:
        shown = "None" if cut["grad_is_none"][k] else f"{cut['grad_norm'][k]:.4f}"
        say(f"  {k:<10} {plain['grad_norm'][k]:>14.4f} {shown:>14}")
    say("after one SGD step over all of f's and g's parameters:")
    say(f"  max |Δ f| : plain {plain['f_change']:.2e}   detached {cut['f_change']:.2e}")
    say(f"  max |Δ g| : plain {plain['g_change']:.2e}   detached {cut['g_change']:.2e}")

    gan = why_detach_in_d_step(say)
    holds = (same_forward == 0.0 and cut["f_change"] == 0.0 and cut["g_change"] > 0
             and all(cut["grad_is_none"][k] for k in ("a", "f.weight", "f.bias"))
             and gan["g_grad_none_with_detach"] and gan["leftover_cosine"] < 0)
    line = lessons.verdict(
        "holds" if holds else "does not hold here",
        f"with detach() the output is identical (difference {same_forward:.1e}), a and f get no gradient, and "
        f"one SGD step moves f by {cut['f_change']:.1e} while g moves by {cut['g_change']:.1e}; in a GAN's D step "
        f"detach() leaves G's .grad empty and saves {gan['ops_without_detach'] - gan['ops_with_detach']} of "
        f"{gan['ops_without_detach']} backward ops, and without it G keeps a gradient at cosine "
        f"{gan['leftover_cosine']:+.2f} to its own", say)

    fig_path = None
    if out_dir is not None:
        plt = lessons.plt()
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
        keys = list(plain["grad_norm"])
        x = np.arange(len(keys))
        axes[0].bar(x - 0.2, [plain["grad_norm"][k] for k in keys], 0.4, label="c = g(b)")
        axes[0].bar(x + 0.2, [cut["grad_norm"][k] for k in keys], 0.4, label="c = g(b.detach())")
        axes[0].set_xticks(x, keys, rotation=20)
        axes[0].set_title("gradient norm after c.backward()")
        axes[0].legend()
        axes[1].bar([-0.2, 0.8], [plain["f_change"], plain["g_change"]], 0.4, label="c = g(b)")
        axes[1].bar([0.2, 1.2], [cut["f_change"], cut["g_change"]], 0.4, label="c = g(b.detach())")
        axes[1].text(0.2, 0.0, "0 (unchanged)", ha="center", va="bottom", fontsize=8)
        axes[1].set_xticks([0, 1], ["f's parameters", "g's parameters"])
        axes[1].set_title("max |parameter change| after one SGD step")
        axes[1].legend()
        fig.suptitle("detach() keeps the forward pass and cuts the backward pass: f gets no gradient, no update")
        fig.tight_layout()
        fig_path = lessons.save(fig, out_dir, "detach.png")
    return {"forward_difference": same_forward,
            "detached_grad_is_none": cut["grad_is_none"], "plain_grad_is_none": plain["grad_is_none"],
            "f_change_detached": cut["f_change"], "g_change_detached": cut["g_change"],
            "f_change_plain": plain["f_change"], "g_change_plain": plain["g_change"], "figure": fig_path,
            "verdict": line, "gan": gan}


# %% [markdown]
# ## Run the lesson
#
# It prints what it measures and ends with the verdict. The figure is saved under
# `demos/out/05_detach/` (and shown below in a notebook).

# %% main
if __name__ == "__main__":
    lessons.main(run, NAME)
