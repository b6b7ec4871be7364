# %% [markdown]
# # 01 · A tour of reverse-mode autodiff on one neuron
#
# **The claim.** Backpropagation is nothing but the chain rule applied node by node: if b = f(a) and c = g(b), the
# gradient of c with respect to a is the gradient of c with respect to b times that of b with respect to a. Every GAN
# in minigan is trained by this one rule.
#
# **Where it comes from.** CS/DS 552 (Jacob Whitehill), Class 7, slide "Controlling gradient flow in PyTorch".
#
# **What this lesson does.** It builds the smallest interesting expression, one logistic neuron and its log-loss L =
# −log σ(w·x + b), draws its graph, runs `L.backward()` and prints each gradient beside the formula you would derive
# by hand; `minigan.gradcheck` confirms them with finite differences. Then it differentiates a derivative: the first
# three derivatives of tanh, each by `minigan.autograd.grad(..., create_graph=True)`, against their closed forms.
# Run it cell by cell: each cell prints what it found.
#
# **Run time:** under 1 s of CPU, from a clean state with one BLAS thread, as `python demos/lesson_times.py 01`
# measured it (demos/lesson_times.json, which records the machine's load and the wall time beside it: on a
# shared machine both grow; a quiet one takes less).

# %% [markdown]
# ## Set up: three leaves
#
# x is the input, w and b the neuron's weight and bias. Each is a float64 leaf tensor with `requires_grad=True`:
# minigan records every op applied to it. Naming them (`.name`) makes the graph readable.

# %% set up
"""Lesson 01: a tour of reverse-mode autodiff on one neuron."""

from pathlib import Path

import minigan
from minigan import lessons, viz
from minigan.engine.backend import np

NAME = "01_autograd_tour"
OUT = lessons.output_folder(NAME, script=__name__ == "__main__")  # demos/out/NAME/, or --out DIR

x, w, b = 1.5, -0.8, 0.3
X, W, B = (minigan.tensor(np.array(v, dtype=np.float64), requires_grad=True) for v in (x, w, b))
X.name, W.name, B.name = "x", "w", "b"
print(X, W, B, sep="\n")

# %% [markdown]
# ## The forward pass records a graph
#
# Each op returns a tensor that remembers the op that made it (`._ctx`) and that op's inputs. `viz.graph_text`
# prints the graph, inputs first; the drawing has the leaves on the left and the loss on the right: `backward()`
# walks it from right to left.

# %% the forward pass


def neuron_loss(W, X, B):
    """L = −log σ(w·x + b), every intermediate value named."""
    wx = W * X
    wx.name = "w·x"
    z = wx + B
    z.name = "z"
    p = z.sigmoid()
    p.name = "p"
    L = -p.log()
    L.name = "L"
    return L


def topological_order(output):
    """The nodes of ``output``'s graph, inputs first: a list of (node_id, label, parent_ids, value)."""
    order, seen = [], set()
    stack = [(output, False)]
    while stack:
        t, expanded = stack.pop()
        if id(t) in seen:
            continue
        parents = list(t._ctx.inputs) if t._ctx is not None else []
        if expanded or not parents:
            seen.add(id(t))
            op = type(t._ctx).__name__ if t._ctx is not None else "leaf"
            label = f"{t.name} = {op}" if t._ctx is not None and t.name else (t.name or op)
            order.append((id(t), label, [id(p) for p in parents], t.detach().flatten()[0].item()))
            continue
        stack.append((t, True))
        for p in reversed(parents):
            if id(p) not in seen:
                stack.append((p, False))
    return order


def plot_graph(order, out):
    """A layered drawing: leaves on the left, the loss on the right; one arrow per edge."""
    plt = lessons.plt()
    depth, columns, pos = {}, {}, {}
    for nid, _label, parents, _v in order:
        depth[nid] = 0 if not parents else 1 + max(depth[p] for p in parents)
        columns.setdefault(depth[nid], []).append(nid)
    for d, ids in columns.items():
        for j, nid in enumerate(ids):
            pos[nid] = (d, (len(ids) - 1) / 2 - j)
    fig, ax = plt.subplots(figsize=(1.9 * (max(columns) + 1) + 1, 3.2))
    for nid, label, parents, value in order:
        px0, py0 = pos[nid]
        for p in parents:
            px, py = pos[p]
            ax.annotate("", xy=(px0 - 0.28, py0), xytext=(px + 0.28, py),
                        arrowprops=dict(arrowstyle="->", color="0.4", lw=1.2))
        ax.text(px0, py0, f"{label}\n{value:+.3f}", ha="center", va="center", fontsize=9,
                bbox=dict(boxstyle="round,pad=0.4", fc="#ffe3b3" if parents else "#cfe8ff", ec="0.3"))
    ax.set_xlim(-0.6, max(columns) + 0.6)
    ax.set_ylim(-1.6, 1.6)
    ax.axis("off")
    ax.set_title("L = −log σ(w·x + b): the graph backward() walks from right to left")
    return lessons.save(fig, out, "graph.png")


L = neuron_loss(W, X, B)
order = topological_order(L)
print(viz.graph_text(L))
graph_png = plot_graph(order, OUT)
lessons.show(viz.plot_graph(L, str(Path(OUT) / "graph_viz.png"), title="minigan.viz.plot_graph(L)"))

# %% [markdown]
# ## backward(): the chain rule, node by node
#
# `L.backward()` starts from ∂L/∂L = 1 and hands each op the gradient of L with respect to its output; the op
# multiplies it by its own local derivative and passes the result to its inputs. With p = σ(w·x + b), the chain rule
# on paper gives ∂L/∂w = (p − 1)·x, ∂L/∂x = (p − 1)·w, ∂L/∂b = p − 1. The leaves' `.grad` should hold exactly these.

# %% backward
L.backward()
p = 1.0 / (1.0 + np.exp(-(w * x + b)))
print(f"forward: z = {w}·{x} + {b} = {w * x + b:+.4f},  p = σ(z) = {p:.4f},  L = −log p = {L.item():.4f}")
grads = {"w": float(W.grad), "x": float(X.grad), "b": float(B.grad)}
by_hand = {"w": (p - 1.0) * x, "x": (p - 1.0) * w, "b": p - 1.0}
formulas = {"w": "(p − 1)·x", "x": "(p − 1)·w", "b": "p − 1"}
for k in ("w", "x", "b"):
    print(f"  ∂L/∂{k} = {grads[k]:+.6f}    by hand {formulas[k]:<10} = {by_hand[k]:+.6f}")
max_err = max(abs(grads[k] - by_hand[k]) for k in by_hand)
print(f"largest |autodiff − by hand| = {max_err:.1e}")

# %% [markdown]
# ## A second opinion: finite differences
#
# `minigan.gradcheck` nudges each input by ±h and compares (L(v + h) − L(v − h)) / 2h with what `backward()` gives.
# It needs float64: in float32 the difference of two nearly equal losses loses most of its digits.

# %% gradcheck
for t in (W, X, B):
    t.grad = None
gradcheck_ok = minigan.gradcheck(neuron_loss, (W, X, B))
print(f"minigan.gradcheck (central differences, float64): {'passed' if gradcheck_ok else 'FAILED'}")

# %% [markdown]
# ## What the gradient is for: one step downhill
#
# Moving w and b a little against their gradients lowers the loss: that is gradient descent, the step every
# optimizer in `minigan.optim` refines.

# %% one gradient step
lr = 0.5
w2, b2 = w - lr * grads["w"], b - lr * grads["b"]
loss_after_step = float(-np.log(1.0 / (1.0 + np.exp(-(w2 * x + b2)))))
print(f"one gradient step (lr={lr}) on w and b: L {L.item():.4f} -> {loss_after_step:.4f}")

# %% [markdown]
# ## A gradient of a gradient
#
# `minigan.autograd.grad(y, x, create_graph=True)` returns dy/dx as a tensor with a graph of its own, so it can be
# differentiated again. Three times on y = tanh(x) gives the first three derivatives; with t = tanh x they are
# 1 − t², −2t(1 − t²) and −2(1 − t²)(1 − 3t²). WGAN-GP's penalty λ(‖∇ₓD(x̂)‖ − 1)² contains a gradient, so training
# D on it is such a double backward; so are Newton's method and Hessian-vector products (`minigan.autograd.hvp`).

# %% a gradient of a gradient
x0 = 0.5
X0 = minigan.tensor(np.array(x0, dtype=np.float64), requires_grad=True)
d = X0.tanh()
tanh_derivatives = []
for _ in range(3):
    (d,) = minigan.autograd.grad(d, X0, create_graph=True)  # create_graph: d has a graph, so grad again
    tanh_derivatives.append(float(d.item()))
t = np.tanh(x0)
tanh_by_hand = [1 - t**2, -2 * t * (1 - t**2), -2 * (1 - t**2) * (1 - 3 * t**2)]
for name, a, h, f in zip(("dy/dx", "d²y/dx²", "d³y/dx³"), tanh_derivatives, tanh_by_hand,
                         ("1 − t²", "−2t(1 − t²)", "−2(1 − t²)(1 − 3t²)")):
    print(f"  {name:<8} = {a:+.6f}    by hand {f:<20} = {h:+.6f}")
higher_err = max(abs(a - h) for a, h in zip(tanh_derivatives, tanh_by_hand))
print(f"largest |autodiff − by hand| = {higher_err:.1e}")

# %% [markdown]
# ## Verdict
#
# The claim holds when `backward()` equals the hand-derived gradients to round-off (below 1e-9), `gradcheck`
# passes, and the double backward equals tanh's closed forms to round-off.

# %% the verdict
holds = gradcheck_ok and max_err < 1e-9 and higher_err < 1e-9
verdict = lessons.verdict(
    "holds" if holds else "does not hold here",
    f"backward() (the chain rule, node by node) matches the hand-derived gradients to {max_err:.0e} and "
    f"finite differences (gradcheck {'passed' if gradcheck_ok else 'FAILED'}); tanh's 2nd and 3rd derivatives by "
    f"double backward match their closed forms to {higher_err:.0e}")
results = {"loss": float(L.item()), "grads": grads, "by_hand": by_hand, "max_abs_error": max_err,
           "gradcheck": bool(gradcheck_ok), "loss_after_step": loss_after_step, "num_nodes": len(order),
           "tanh_derivatives": tanh_derivatives, "tanh_derivatives_by_hand": tanh_by_hand,
           "higher_order_max_abs_error": higher_err, "verdict": verdict, "figure": graph_png}
print(f"\nfigures in {OUT}")

# %% [markdown]
# ## Try it
#
# Make the neuron confident: set `w_try = 3.0` below and run the cell. Then p = σ(3·1.5 + 0.3) ≈ 0.99, so every
# gradient carries the factor p − 1 ≈ −0.008: ∂L/∂w shrinks nearly a hundredfold and a gradient step barely moves
# the loss. (A negative w_try, say −3.0, does the opposite: p ≈ 0.02, the gradients grow toward their largest.)

# %% try it
w_try = -0.8  # try 3.0, then -3.0
W_try = minigan.tensor(np.array(w_try, dtype=np.float64), requires_grad=True)
L_try = neuron_loss(W_try, minigan.tensor(np.array(x, dtype=np.float64)), minigan.tensor(np.array(b)))
L_try.backward()
p_try = float((-L_try).exp().item())
print(f"w = {w_try:+.2f}: p = {p_try:.4f}, L = {L_try.item():.4f}, ∂L/∂w = {float(W_try.grad):+.6f}")
