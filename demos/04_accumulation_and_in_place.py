# %% [markdown]
# # 04 · .grad accumulates; an in-place change to a saved value is refused
#
# **The claim.** `backward()` *adds* into `.grad`, it does not overwrite it: calling it twice gives twice the
# gradient, which is why a training loop calls `zero_grad()` before each step, and why summing the gradients of
# four quarter-batches gives the gradient of the whole batch (gradient accumulation). And an op that saved a value
# for its backward needs that value unchanged: `y = x.exp(); y += 1; y.sum().backward()` would use the wrong e^x,
# so the version counter every tensor carries makes `backward()` refuse, with a message that says what to do.
#
# **Where it comes from.** PyTorch's documented behaviour, which minigan follows: "Autograd mechanics", sections
# on gradient accumulation and on in-place operations (the version counter), and `torch.optim.Optimizer.zero_grad`;
# CS/DS 552 (Jacob Whitehill), Class 7, slide "Controlling gradient flow in PyTorch".
#
# **What this lesson does.** It calls `backward()` twice on one loss and compares the gradients; accumulates four
# quarter-batch gradients and compares them with one full batch; then changes a saved value in place and shows the
# version counter and the refusal, and the same `+=` on a value no op saved, which is allowed.
# Run it cell by cell: each cell prints what it found.
#
# **Run time:** under 1 s of CPU, from a clean state with one BLAS thread, as `python demos/lesson_times.py 04`
# measured it (demos/lesson_times.json, which records the machine's load and the wall time beside it: on a
# shared machine both grow; a quiet one takes less).

# %% [markdown]
# ## Set up: a small layer and a batch

# %% set up
"""Lesson 04: .grad accumulates; an in-place change to a saved value is refused."""

import minigan
import minigan.functional as F
from minigan import lessons, nn
from minigan.engine.backend import np
from minigan.engine.errors import GraphError

NAME = "04_accumulation_and_in_place"
OUT = lessons.output_folder(NAME, script=__name__ == "__main__")  # demos/out/NAME/, or --out DIR


def layer_and_batch(n=32, seed=0):
    minigan.manual_seed(seed)
    model = nn.Linear(5, 3)
    rng = np.random.default_rng(seed)
    x = minigan.tensor(rng.normal(size=(n, 5)).astype(np.float32))
    y = minigan.tensor(rng.integers(0, 3, size=n))
    return model, x, y


def grads(model):
    return [p.grad.detach().cpu().numpy().copy() for p in model.parameters()]


model, x, y = layer_and_batch()
print(f"nn.Linear(5, 3): weight {tuple(model.weight.shape)}, bias {tuple(model.bias.shape)}; "
      f"a batch of {len(x)} inputs of 5 features, labels in 0..2; .grad before any backward(): {model.weight.grad}")


# %% [markdown]
# ## One step looked at closely: backward twice
#
# `retain_graph=True` keeps the graph for a second walk (without it, the second `backward()` raises: the first one
# freed the saved values). The second walk adds the same gradient again.

# %% backward twice
def backward_twice(say=print):
    model, x, y = layer_and_batch()
    loss = F.cross_entropy(model(x), y)
    loss.backward(retain_graph=True)
    once = grads(model)
    loss.backward()
    twice = grads(model)
    ratio = max(float(np.max(np.abs(t - 2 * o))) for o, t in zip(once, twice))
    say(f"after one backward(): ‖∂L/∂W‖ = {np.linalg.norm(once[0]):.5f}; after two: "
        f"{np.linalg.norm(twice[0]):.5f} (largest |second − 2 × first| = {ratio:.1e})")
    try:
        loss.backward()  # the graph was freed by the second call
        refused = None
    except GraphError as e:
        refused = str(e)
    say(f"a third backward() without retain_graph: {refused}")
    model.zero_grad()
    say(f"model.zero_grad(): every .grad is now {[p.grad for p in model.parameters()]}  (None, as in PyTorch)")
    return ratio, refused


ratio, freed = backward_twice()

# %% [markdown]
# ## Gradient accumulation: four quarter-batches make one batch
#
# The mean loss over 32 examples is the average of four means over 8. So backward() on each quarter's loss divided
# by 4, without `zero_grad()` in between, leaves in `.grad` the gradient of the full batch: a batch four times larger
# than memory would allow.

# %% accumulation
def accumulate(say=print):
    model, x, y = layer_and_batch()
    F.cross_entropy(model(x), y).backward()
    full = grads(model)
    model.zero_grad()
    for k in range(4):
        part = slice(8 * k, 8 * (k + 1))
        (F.cross_entropy(model(x[part]), y[part]) / 4).backward()  # no zero_grad in between: .grad adds up
    summed = grads(model)
    gap = max(float(np.max(np.abs(a - b))) for a, b in zip(full, summed))
    say(f"one batch of 32 vs four accumulated quarter-batches: largest difference in .grad {gap:.1e} (float32)")
    return gap


accumulation_gap = accumulate()

# %% [markdown]
# ## In place, after a save: the version counter
#
# `exp` saves its output (d(e^a)/da = e^a). Every tensor counts the in-place changes made to its data (`_version`,
# as in PyTorch); the op notes the version at forward time, and its backward compares. `y += 1` bumps the count,
# so `backward()` refuses. `Mul` by a constant saves its inputs, not its output, so `z += 1` on its output is fine.

# %% in place after a save
def in_place(say=print):
    x = minigan.tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True)
    y = x.exp()
    v0 = y._version
    y += 1  # changes the very array Exp saved for its backward
    say(f"y = x.exp(): version {v0}; after y += 1: version {y._version}")
    try:
        y.sum().backward()
        refused = None
    except GraphError as e:
        refused = str(e)
    say(f"y.sum().backward(): {refused}")
    x2 = minigan.tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True)
    z = x2 * 3.0
    z += 1  # Mul saved x2 and the constant, not z: nothing saved is changed
    z.sum().backward()
    say(f"z = x * 3; z += 1; z.sum().backward(): allowed, x.grad = {x2.grad.detach().cpu().numpy()} (3 each)")
    return refused, x2.grad.detach().cpu().numpy()


refused, allowed = in_place()

# %% [markdown]
# ## The picture: .grad grows by the same step each call
#
# Four `backward(retain_graph=True)` calls on the same loss, no `zero_grad()` in between: ‖W.grad‖ after each,
# against k times the first (the dashed line).

# %% the picture
plt = lessons.plt()
model, x, y = layer_and_batch()
loss = F.cross_entropy(model(x), y)
norms = []
for _ in range(4):
    loss.backward(retain_graph=True)
    norms.append(float(np.linalg.norm(model.weight.grad.detach().cpu().numpy())))
print("‖W.grad‖ after each call:", ", ".join(f"{n:.5f}" for n in norms))
fig, ax = plt.subplots(figsize=(5.6, 3.4))
ax.bar(range(1, 5), norms, color="#6baed6")
ax.plot(range(1, 5), [norms[0] * k for k in range(1, 5)], "k--", label="k × the first")
ax.set_xlabel("backward() calls without zero_grad()")
ax.set_ylabel("‖W.grad‖")
ax.set_title(".grad accumulates")
ax.legend()
figure = lessons.save(fig, OUT, "accumulation.png")

# %% [markdown]
# ## Verdict
#
# The claim holds when a second `backward()` doubles `.grad` (to 1e-6), four quarter-batches accumulate to the
# full batch's gradient (to 1e-6, float32), a freed graph and a changed saved value are refused, and `+=` on a value
# no op saved is allowed.

# %% the verdict
holds = ratio < 1e-6 and accumulation_gap < 1e-6 and refused is not None and "in place" in refused \
    and freed is not None and np.allclose(allowed, 3.0)
verdict = lessons.verdict(
    "holds" if holds else "does not hold here",
    f"a second backward() adds the same gradient again (off from 2× by {ratio:.0e}); four accumulated "
    f"quarter-batches give the full batch's gradient to {accumulation_gap:.0e}; `y += 1` after exp saved y is "
    "refused by the version counter, while `+=` on a value no op saved is allowed")
results = {"ratio": ratio, "accumulation_gap": accumulation_gap, "refused": refused, "freed": freed,
           "figure": figure, "verdict": verdict}

# %% [markdown]
# ## Try it
#
# Swap the op: with `saved_op = "sigmoid"` the in-place change is refused too (σ'(a) = σ(a)(1 − σ(a)) is computed
# from the saved output); with `"square"` (`x ** 2` saves x, not its output) it is allowed and x.grad = 2x.
# Predict first, then run the cell.

# %% try it
saved_op = "exp"  # try "sigmoid", then "square"
xt = minigan.tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True)
yt = {"exp": xt.exp, "sigmoid": xt.sigmoid, "square": lambda: xt ** 2}[saved_op]()
yt += 1
try:
    yt.sum().backward()
    print(f"{saved_op}: allowed; x.grad = {xt.grad.detach().cpu().numpy()}")
except GraphError as e:
    print(f"{saved_op}: refused: {e}")
