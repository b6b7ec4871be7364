# %% [markdown]
# # 02 · backward(), one node at a time
#
# **The claim.** `L.backward()` visits every op of L's graph once, consumers before producers. At each op it takes
# the gradient that has arrived (∂L/∂output, already summed over everything that used the output), multiplies it by
# the op's local derivative (the formula written beside the op's `backward`) and hands each input its share; a
# leaf adds the shares it receives into `.grad`. Nothing else happens: replaying those steps by hand gives exactly
# the numbers `backward()` gives. A gradient penalty (WGAN-GP) differentiates such a backward pass once more.
#
# **Where it comes from.** CS/DS 552 (Jacob Whitehill), Class 7, slide "Controlling gradient flow in PyTorch" (the
# graph that `backward()` walks); the reverse mode as in Baydin, Pearlmutter, Radul & Siskind 2018, "Automatic
# differentiation in machine learning: a survey", section 3.2.
#
# **What this lesson does.** On lesson 01's neuron, it replays the backward pass with `minigan.stepthrough`, prints
# each step, draws one frame per step (and a GIF), and checks the replay against `L.backward()`. Then it builds a
# gradient penalty with `create_graph=True`, counts the ops of that second graph, and steps through it too. Run it
# cell by cell: each cell prints what it found.
#
# **Run time:** 2 s of CPU, from a clean state with one BLAS thread, as `python demos/lesson_times.py 02`
# measured it (demos/lesson_times.json, which records the machine's load and the wall time beside it: on a
# shared machine both grow; a quiet one takes less).

# %% [markdown]
# ## Set up: the neuron of lesson 01
#
# L = −log σ(w·x + b) at x = 1.5, w = −0.8, b = 0.3, in float64. Naming the tensors (`.name`) makes the steps
# below readable.

# %% set up
"""Lesson 02: backward(), one node at a time."""

import minigan
from minigan import lessons, stepthrough
from minigan.engine.backend import np

NAME = "02_backward_step_by_step"
OUT = lessons.output_folder(NAME, script=__name__ == "__main__")  # demos/out/NAME/, or --out DIR


def neuron(x=1.5, w=-0.8, b=0.3):
    """The leaves x, w, b and L = −log σ(w·x + b), each value named."""
    X, W, B = (minigan.tensor(np.array(v, dtype=np.float64), requires_grad=True) for v in (x, w, b))
    X.name, W.name, B.name = "x", "w", "b"
    wx = W * X
    wx.name = "w·x"
    z = wx + B
    z.name = "z"
    p = z.sigmoid()
    p.name = "p"
    logp = p.log()
    logp.name = "log p"
    L = -logp
    L.name = "L"
    return L, {"x": X, "w": W, "b": B}


L, leaves = neuron()
print(f"L = {L.item():.6f}; leaves {', '.join(leaves)}; L's graph has {stepthrough.count_nodes(L)} ops")

# %% [markdown]
# ## The whole walk
#
# `stepthrough.steps(L)` runs `backward()`'s own walk (`minigan/engine/walk.py`, which calls it back at each node),
# keeping the graph and filling no `.grad`, and returns one step per op, in the order the walk visits them:
# consumers first. Each step's text names the op, its forward value, the gradient
# arriving, the local derivative (read from the comment on the op's `backward`, e.g. `d(ab)/da = b, d(ab)/db = a`
# for `Mul`), the share each input receives, and what the leaves' `.grad` hold so far.

# %% the whole walk
steps = stepthrough.steps(L)
for s in steps:
    print(s.text())

# %% [markdown]
# ## One step looked at closely
#
# Step 4 (index 3) is the `Add`: the gradient arriving at z is ∂L/∂z = p − 1; an addition passes it on unchanged to
# both of its inputs, so b's `.grad` is now p − 1 and w·x receives the same number. The picture is that step: the
# graph, the op being visited, what arrives and what leaves.

# %% step 4
print(steps[3].text())
p = 1 / (1 + np.exp(-(-0.8 * 1.5 + 0.3)))
print(f"\np − 1 = {p - 1:+.6f}: what arrives at z, and what b and w·x receive")
figure = lessons.save(stepthrough.draw(steps, 3, "step 4 of L = −log σ(w·x + b)"), OUT, "backward_step.png")

# %% [markdown]
# ## The replay against the real thing
#
# Now `L.backward()` itself. The replay freed nothing, so the graph is still there; the leaves' `.grad` after
# `backward()` must equal what the last step of the replay says they hold.

# %% compare with backward()
L.backward()  # the real thing, after the replay
replayed = steps[-1].grads
for k, t in leaves.items():
    print(f"{k}.grad = {float(t.grad):+.6f}   replayed {float(replayed[k]):+.6f}")
gap = max(abs(float(replayed[k]) - float(t.grad)) for k, t in leaves.items())
print(f"largest difference {gap:.1e}")

# %% [markdown]
# ## Every step, as frames and a GIF
#
# One picture per step, and a GIF that plays them: the walk from L back to the leaves.

# %% frames
paths = stepthrough.frames(neuron()[0], lessons.out_dir("frames", OUT), "L = −log σ(w·x + b)")
last = steps[-1].grads  # its alternative text: what the animation shows, with the numbers of its last frame
gif_path = lessons.show(stepthrough.gif(paths, OUT / "backward.gif"), alt=(
    f"An animation of backward() on L = −log σ(w·x + b) at w = −0.8, x = 1.5, b = 0.3: {len(paths)} frames, one per "
    "op, from L back to the leaves; the last holds "
    + ", ".join(f"∂L/∂{k} = {float(v):+.6f}" for k, v in last.items())))
print(f"{len(paths)} frames in {OUT / 'frames'} and {gif_path}")

# %% [markdown]
# ## The same walk with a value used twice
#
# In y = e^u + 3u with u = a·a, the value u has two consumers. The engine waits until both have handed in their
# share (e^u and 3) before it visits u's `Mul`, and then visits it once, with their sum; `a`, used twice by that
# `Mul`, accumulates both of its shares into `a.grad` = 2a(e^u + 3).

# %% a diamond


def replay(L, leaves):
    """The steps of L's backward pass, and the largest gap between the replayed .grad and L.backward()'s."""
    steps = stepthrough.steps(L)
    L.backward()
    return steps, max(abs(float(steps[-1].grads[k]) - float(t.grad)) for k, t in leaves.items())


def diamond(a=0.7):
    A = minigan.tensor(np.array(a, dtype=np.float64), requires_grad=True)
    A.name = "a"
    u = A * A
    u.name = "u"
    p = u.exp()
    p.name = "e^u"
    q = u * 3.0
    q.name = "3u"
    y = p + q
    y.name = "y"
    return y, {"a": A}


y, a = diamond()
dsteps, diamond_gap = replay(y, a)
for s in dsteps:
    print(s.text())
u_visits = sum(s.label == "u" for s in dsteps)
expect = 2 * 0.7 * (np.exp(0.49) + 3)
print(f"\nu's Mul visited {u_visits} time(s); a.grad = {float(a['a'].grad):.6f}, by hand 2a(e^u + 3) = {expect:.6f}; "
      f"replay vs backward(): {diamond_gap:.1e}")

# %% [markdown]
# ## A gradient of a gradient: the gradient penalty
#
# WGAN-GP adds λ(‖∇ₓD(x̂)‖ − 1)² to the critic's loss. The penalty contains a gradient, so computing it records the
# backward pass itself as a graph (`create_graph=True`), and training on the penalty walks back through that graph:
# a double backward. Here the critic is tiny, D(x) = v·tanh(w·x), so that every op fits in one picture.

# %% the gradient penalty


def gradient_penalty(x=0.4, w=1.3, v=0.9):
    X, W, V = (minigan.tensor(np.array(t, dtype=np.float64), requires_grad=True) for t in (x, w, v))
    X.name, W.name, V.name = "x̂", "w", "v"
    D = V * (W * X).tanh()
    (g,) = minigan.autograd.grad(D, X, create_graph=True)  # ∂D/∂x̂ = v·w·(1 − tanh²(w·x̂)), itself a graph
    penalty = (g - 1.0) ** 2
    penalty.name = "GP"
    return D, penalty, {"w": W, "v": V}


def penalty_gradient_by_hand(x=0.4, w=1.3, v=0.9):
    """∂GP/∂w and ∂GP/∂v of GP = (v·w·(1 − tanh²(w·x)) − 1)², differentiated on paper."""
    t = np.tanh(w * x)
    g = v * w * (1 - t**2)
    return {"v": 2 * (g - 1) * w * (1 - t**2), "w": 2 * (g - 1) * v * (1 - t**2) * (1 - 2 * w * x * t)}


D, penalty, params = gradient_penalty()
d_nodes, gp_nodes = stepthrough.count_nodes(D), stepthrough.count_nodes(penalty)
print(f"D(x̂) = v·tanh(w·x̂) has {d_nodes} ops; GP = (∂D/∂x̂ − 1)² has {gp_nodes} (the recorded backward of D, then "
      "the penalty's own)\n")
gsteps, gp_gap = replay(penalty, params)
for s in gsteps:
    print(s.text())
by_hand = penalty_gradient_by_hand()
by_hand_gap = max(abs(float(params[k].grad) - by_hand[k]) for k in by_hand)
print("\nby hand, with t = tanh(w·x̂) and g = v·w·(1 − t²): ∂GP/∂v = 2(g − 1)·w(1 − t²) = "
      f"{by_hand['v']:+.6f}, ∂GP/∂w = 2(g − 1)·v(1 − t²)(1 − 2w·x̂·t) = {by_hand['w']:+.6f} "
      f"(largest difference {by_hand_gap:.1e}; replay vs backward(): {gp_gap:.1e})")
gp_paths = stepthrough.frames(gradient_penalty()[1], lessons.out_dir("frames_gp", OUT),
                              "GP = (∂D/∂x̂ − 1)², a double backward")
print(f"{len(gp_paths)} frames and {stepthrough.gif(gp_paths, OUT / 'backward_gp.gif')}")

# %% [markdown]
# ## Verdict
#
# The claim holds when the replay gives `.grad` identical to `backward()` (difference exactly 0) on all three
# graphs, u's op is visited once, and the double backward equals the hand derivation to round-off (1e-12).

# %% the verdict
worst = max(gap, diamond_gap, gp_gap)
holds = worst == 0.0 and u_visits == 1 and abs(float(a["a"].grad) - expect) < 1e-12 and by_hand_gap < 1e-12
verdict = lessons.verdict(
    "holds" if holds else "does not hold here",
    f"replaying backward() one op at a time (arriving gradient × the op's stated local derivative, shares "
    f"summed at every value used twice, leaves accumulating) gives .grad identical to backward() (largest "
    f"difference {worst:.0e}) on the neuron, the diamond and the {gp_nodes}-op gradient-penalty graph")
results = {"steps": len(steps), "gap": gap, "diamond_gap": diamond_gap, "gp_gap": gp_gap, "u_visits": u_visits,
           "gp_nodes": gp_nodes, "d_nodes": d_nodes, "by_hand_gap": by_hand_gap, "verdict": verdict,
           "figure": figure, "gif": gif_path, "frames": len(paths)}

# %% [markdown]
# ## Try it
#
# Step through your own expression: change `expression` below, e.g. to `(q * q).tanh()` or `q.exp() * q`, and
# rerun the cell. Expect one step per op, consumers first; a value used twice (q in `q * q`) receives two shares,
# summed in its `.grad`. To stop inside the real walk instead, set a breakpoint in an op's `backward`
# (docs/debugging.md).

# %% try it
q = minigan.tensor(np.array(0.5, dtype=np.float64), requires_grad=True)
q.name = "q"
expression = q * q + q  # try (q * q).tanh(), or q.exp() * q
for s in stepthrough.steps(expression):
    print(s.text())
