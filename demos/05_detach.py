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
# parameters moves f and g; then a GAN's discriminator step with and without `G(z).detach()`. Run it cell by
# cell: each cell prints what it found.
#
# **Run time:** 1 s of CPU, from a clean state with one BLAS thread, as `python demos/lesson_times.py 05`
# measured it (demos/lesson_times.json, which records the machine's load and the wall time beside it: on a
# shared machine both grow; a quiet one takes less).

# %% [markdown]
# ## Set up: two layers, f then g
#
# b = f(a), c = g(b) with f = `nn.Linear(3, 4)`, g = `nn.Linear(4, 1)`, a a batch of 5 inputs. `experiment(detach)`
# builds them from the same seed, runs forward and backward on the loss mean(c²), then one SGD step over all of f's
# and g's parameters, and reports the output, the gradients and how far each layer moved.

# %% set up
"""Lesson 05: detach(): the forward pass goes through, the gradient does not."""

import minigan
import minigan.functional as F
from minigan import lessons, nn, optim, stepthrough
from minigan.engine.backend import np

NAME = "05_detach"
OUT = lessons.output_folder(NAME, script=__name__ == "__main__")  # demos/out/NAME/, or --out DIR
SEED = 0


def _snapshot(module):
    return {k: v.cpu().numpy().copy() for k, v in module.state_dict().items()}  # (the values share the weights)


def _change(before, module):
    after = _snapshot(module)
    return float(max(np.abs(after[k] - before[k]).max() for k in before))


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
# ## The forward pass: the same values
#
# `b.detach()` is a new tensor on the same data with no graph behind it: g computes exactly the same numbers.

# %% the forward pass
plain, cut = experiment(False, SEED), experiment(True, SEED)
forward_difference = float(np.abs(plain["c"] - cut["c"]).max())
print(f"c = g(f(a)):          {plain['c'].ravel().round(4)}")
print(f"c = g(f(a).detach()): {cut['c'].ravel().round(4)}")
print(f"max |c_plain − c_detached| = {forward_difference:.1e}   (detach does not change the values)")

# %% [markdown]
# ## The backward pass: cut at b
#
# After `loss.backward()`, the gradients: without `detach()` every tensor that required grad has one; with it, the
# walk stops at b.detach(), so a, f.weight and f.bias keep `.grad = None`.

# %% the backward pass
print(f"  {'gradient':<10} {'plain ‖grad‖':>14} {'detached':>14}")
for k in plain["grad_norm"]:
    shown = "None" if cut["grad_is_none"][k] else f"{cut['grad_norm'][k]:.4f}"
    print(f"  {k:<10} {plain['grad_norm'][k]:>14.4f} {shown:>14}")

# %% [markdown]
# ## One SGD step: f stays where it was
#
# The optimizer holds all of f's and g's parameters. A parameter whose `.grad` is None is skipped, so f does not
# move at all (bit for bit), while g moves by the same amount either way: g's gradient does not depend on the cut.

# %% one SGD step
print(f"max |Δ f| : plain {plain['f_change']:.2e}   detached {cut['f_change']:.2e}")
print(f"max |Δ g| : plain {plain['g_change']:.2e}   detached {cut['g_change']:.2e}")
plt = lessons.plt()
fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
keys = list(plain["grad_norm"])
pos = np.arange(len(keys))
axes[0].bar(pos - 0.2, [plain["grad_norm"][k] for k in keys], 0.4, label="c = g(b)")
axes[0].bar(pos + 0.2, [cut["grad_norm"][k] for k in keys], 0.4, label="c = g(b.detach())")
axes[0].set_xticks(pos, keys, rotation=20)
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
figure = lessons.save(fig, OUT, "detach.png")


# %% [markdown]
# ## In a GAN: why the discriminator step detaches the fakes
#
# D's step minimises −log D(x) − log(1 − D(G(z))) over D's weights only. Without `detach()`, `loss_D.backward()`
# also walks back through G: it spends the work of G's whole backward pass, and it leaves in G's `.grad` the
# gradient of *D's* loss, which points against G's own objective. If G's step then runs without `zero_grad()`,
# that leftover pulls G the wrong way. Below: a 2-D G and D, one D step with and without `detach()`.

# %% a GAN's D step
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


left_cut, _, ops_with_detach = d_step(True, SEED)
left, own, ops_without_detach = d_step(False, SEED)
flat_left = np.concatenate([g.ravel() for g in left])
flat_own = np.concatenate([g.ravel() for g in own])
leftover_cosine = float(flat_left @ flat_own / (np.linalg.norm(flat_left) * np.linalg.norm(flat_own)))
print(f"with detach():    G's .grad after loss_D.backward() = {left_cut}; backward visits {ops_with_detach} ops")
print(f"without detach(): G's .grad holds ‖·‖ = {np.linalg.norm(flat_left):.4f}; "
      f"backward visits {ops_without_detach} ops")
print(f"cosine between that leftover and G's own gradient: {leftover_cosine:+.3f} (it points against G's objective)")
gan = {"g_grad_none_with_detach": all(g is None for g in left_cut), "ops_with_detach": ops_with_detach,
       "ops_without_detach": ops_without_detach, "leftover_cosine": leftover_cosine}

# %% [markdown]
# ## Verdict
#
# The claim holds when the outputs are identical, a and f get no gradient, one SGD step leaves f unchanged bit for
# bit while g moves, and in the GAN's D step `detach()` leaves G's `.grad` empty while without it G keeps a gradient
# pointing against its own (negative cosine).

# %% the verdict
holds = (forward_difference == 0.0 and cut["f_change"] == 0.0 and cut["g_change"] > 0
         and all(cut["grad_is_none"][k] for k in ("a", "f.weight", "f.bias"))
         and gan["g_grad_none_with_detach"] and leftover_cosine < 0)
verdict = lessons.verdict(
    "holds" if holds else "does not hold here",
    f"with detach() the output is identical (difference {forward_difference:.1e}), a and f get no gradient, and "
    f"one SGD step moves f by {cut['f_change']:.1e} while g moves by {cut['g_change']:.1e}; in a GAN's D step "
    f"detach() leaves G's .grad empty and saves {ops_without_detach - ops_with_detach} of "
    f"{ops_without_detach} backward ops, and without it G keeps a gradient at cosine {leftover_cosine:+.2f} to its own")
results = {"forward_difference": forward_difference,
           "detached_grad_is_none": cut["grad_is_none"], "plain_grad_is_none": plain["grad_is_none"],
           "f_change_detached": cut["f_change"], "g_change_detached": cut["g_change"],
           "f_change_plain": plain["f_change"], "g_change_plain": plain["g_change"], "figure": figure,
           "verdict": verdict, "gan": gan}

# %% [markdown]
# ## Try it
#
# Detach one step later: set `cut_at = "c"` to compute the loss from `c.detach()`. Expect `backward()` to refuse:
# nothing in that loss requires a gradient any more, so there is no graph to walk (PyTorch raises the same way).
# With `cut_at = "nowhere"` every layer gets a gradient again.

# %% try it
cut_at = "b"  # try "c", then "nowhere"
minigan.manual_seed(SEED)
f_try, g_try = nn.Linear(3, 4), nn.Linear(4, 1)
b_try = f_try(minigan.randn(5, 3))
c_try = g_try(b_try.detach() if cut_at == "b" else b_try)
loss_try = ((c_try.detach() if cut_at == "c" else c_try) ** 2).mean()
try:
    loss_try.backward()
    print(f"cut at {cut_at}: f.weight.grad is {'None' if f_try.weight.grad is None else 'set'}, "
          f"g.weight.grad is {'None' if g_try.weight.grad is None else 'set'}")
except RuntimeError as e:
    print(f"cut at {cut_at}: backward() refused: {e}")
