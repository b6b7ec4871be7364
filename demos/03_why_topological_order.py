# %% [markdown]
# # 03 · Why backward() walks in topological order
#
# **The claim.** A value used by two ops (a diamond in the graph) must collect the gradient from *both* before it
# passes anything on. A recursive walk that processes a node the first time it reaches it, and never again, gives a
# wrong gradient on a diamond; a walk that recurses on every arrival gets it right but repeats work that doubles with
# every stacked diamond. Visiting the nodes in topological order (every consumer before its producer) is right and
# visits each op once.
#
# **Where it comes from.** The reverse mode as in Baydin, Pearlmutter, Radul & Siskind 2018, "Automatic
# differentiation in machine learning: a survey", section 3.2 (the adjoints of a value are summed over its uses);
# CS/DS 552 (Jacob Whitehill), Class 7, slide "Controlling gradient flow in PyTorch" (the graph `backward()` walks).
#
# **What this lesson does.** Three walks over the same graphs, written out below in a few lines each, using the
# ops' own `backward`: "visit once, when first reached", "recurse on every arrival" and "topological order". It
# compares their gradients with `backward()` on y = e^u + 3u, u = a², and counts the op visits of each on a chain
# of n diamonds.
# Run it cell by cell: each cell prints what it found.
#
# **Run time:** under 1 s of CPU, from a clean state with one BLAS thread, as `python demos/lesson_times.py 03`
# measured it (demos/lesson_times.json, which records the machine's load and the wall time beside it: on a
# shared machine both grow; a quiet one takes less).

# %% [markdown]
# ## Set up: a diamond and a chain of diamonds
#
# u = a² feeds two ops, e^u and 3u, whose results meet again in y: the gradient reaches u along two paths, and
# ∂y/∂u = e^u + 3 is their sum. The chain repeats the pattern: each link computes v ← tanh(v) + σ(v) from one v.

# %% set up
"""Lesson 03: why backward() walks in topological order."""

import minigan
from minigan import lessons, stepthrough
from minigan.engine.backend import np

NAME = "03_why_topological_order"
OUT = lessons.output_folder(NAME, script=__name__ == "__main__")  # demos/out/NAME/, or --out DIR


def diamond(a=0.7):
    A = minigan.tensor(np.array(a, dtype=np.float64), requires_grad=True)
    u = A * A
    return u.exp() + u * 3.0, A


def chain(n, a=0.3):
    """v ← tanh(v) + σ(v), n times: every link is a diamond (v feeds both tanh and σ)."""
    A = minigan.tensor(np.array(a, dtype=np.float64), requires_grad=True)
    v = A
    for _ in range(n):
        v = v.tanh() + v.sigmoid()
    return v, A


y, a = diamond()
y.backward(retain_graph=True)  # keep the graph: the walks below replay it
truth = float(a.grad)
print(f"y = e^u + 3u, u = a², a = 0.7: backward() gives a.grad = {truth:.6f}; "
      f"by hand 2a(e^u + 3) = {2 * 0.7 * (np.exp(0.49) + 3):.6f}")
print(f"a chain of 4 diamonds has {stepthrough.count_nodes(chain(4)[0])} ops")

# %% [markdown]
# ## The three walks
#
# Each walk starts at the output with gradient 1, calls an op's `backward` with the gradient arriving at its output,
# and hands each input its share along the node's `edges` (per input, the node that produced
# it, or the leaf itself). They differ only in *when* an op runs. `nodes` maps each graph node to its edges and
# `backward` (from `stepthrough.graph_of`, the view lesson 02 uses).

# %% the three walks
def walk_visit_once(y, leaf):
    """Process a node the first time a gradient reaches it; a second arrival is ignored (the bug)."""
    nodes = {n.key: n for n in stepthrough.graph_of(y)}
    seen, grad, visits = set(), [0.0], [0]

    def visit(edge, g):
        if edge is leaf:
            grad[0] += float(g)
            return
        if edge not in nodes or edge in seen:
            return
        seen.add(edge)
        visits[0] += 1
        node = nodes[edge]
        for e, share in zip(node.edges, node.backward(g)):
            if share is not None:
                visit(e, share)

    with minigan.no_grad():
        visit(y.grad_fn, minigan.ones_like(y).array)  # ∂y/∂y = 1, an array where y lives
    return grad[0], visits[0]


def walk_every_arrival(y, leaf):
    """Recurse on every arrival: right, because the shares add up at the leaf, but a node is processed once per
    path to it, and the paths double with every diamond."""
    nodes = {n.key: n for n in stepthrough.graph_of(y)}
    grad, visits = [0.0], [0]

    def visit(edge, g):
        if edge is leaf:
            grad[0] += float(g)
            return
        if edge not in nodes:  # a constant (None) or another leaf
            return
        visits[0] += 1
        node = nodes[edge]
        for e, share in zip(node.edges, node.backward(g)):
            if share is not None:
                visit(e, share)

    with minigan.no_grad():
        visit(y.grad_fn, minigan.ones_like(y).array)
    return grad[0], visits[0]


def walk_topological(y, leaf):
    """backward()'s way: consumers first, so each node runs once with the SUM of what its consumers sent."""
    arriving, grad, visits = {y.grad_fn: minigan.ones_like(y).array}, 0.0, 0
    with minigan.no_grad():
        for node in stepthrough.graph_of(y):  # the engine's order: every consumer before its producer
            g = arriving.pop(node.key)
            visits += 1
            for edge, share in zip(node.edges, node.backward(g)):
                if share is None or edge is None:
                    continue
                if edge is leaf:
                    grad += float(share)
                else:  # the node that produced this input collects it
                    arriving[edge] = arriving.get(edge, 0.0) + share
    return grad, visits


WALKS = {"visit once": walk_visit_once, "every arrival": walk_every_arrival, "topological": walk_topological}


# %% [markdown]
# ## One diamond looked at closely
#
# The visit-once walk reaches u first through e^u, sends 2a·e^u to a, marks u done, and drops the 3 that arrives
# later through 3u: it reports 2a·e^u instead of 2a(e^u + 3).

# %% one diamond
found = {}
for name, walk in WALKS.items():
    g, visits = walk(y, a)
    found[name] = g
    print(f"  {name:<14} a.grad = {g:.6f}  ({visits} op visits)  {'right' if abs(g - truth) < 1e-12 else 'WRONG'}")

# %% [markdown]
# ## Measure: chains of n diamonds
#
# On a chain the number of paths from the output to the first v doubles with every diamond. Each walk runs on
# chains of 1 to 12 diamonds; the table counts its op visits and says whether its gradient is right.

# %% chains of diamonds
print(f"  {'n':>3} {'ops':>5} {'visit once':>14} {'every arrival':>15} {'topological':>12}")
rows = []
for n in (1, 2, 4, 8, 12):
    y_n, a_n = chain(n)
    y_n.backward(retain_graph=True)
    right = float(a_n.grad)
    row = {"n": n, "ops": stepthrough.count_nodes(y_n)}
    for name, walk in WALKS.items():
        g, visits = walk(y_n, a_n)
        row[name] = (visits, abs(g - right) <= 1e-12 * max(1.0, abs(right)))
    rows.append(row)
    print(f"  {n:>3} {row['ops']:>5} " + " ".join(f"{row[k][0]:>{w}} {'ok' if row[k][1] else 'WRONG':<5}"
                                                for k, w in zip(WALKS, (8, 9, 6))))

# %% [markdown]
# ## The picture
#
# The op visits against n on a log scale: a straight line for "every arrival" (2ⁿ paths), slow growth for the
# topological walk, which visits each op once.

# %% the picture
plt = lessons.plt()
fig, ax = plt.subplots(figsize=(6.4, 3.8))
ns = [r["n"] for r in rows]
for name, style in zip(WALKS, ("s--", "o-", "^-")):
    wrong = "" if all(r[name][1] for r in rows) else " (wrong gradient)"
    ax.plot(ns, [r[name][0] for r in rows], style, label=name + wrong)
ax.set_yscale("log")
ax.set_xlabel("n diamonds in the chain")
ax.set_ylabel("op visits (log scale)")
ax.set_title("three walks over the same graph")
ax.legend()
figure = lessons.save(fig, OUT, "walks.png")

# %% [markdown]
# ## Which topological order?
#
# A graph has many orders that put every consumer before its producer, and in exact arithmetic they all give the
# same gradient. In float32 they need not: a value used three times gets three contributions, and (a + b) + c rounds
# otherwise than (c + b) + a. `backward()` runs the nodes newest first, as PyTorch's engine does (of the nodes whose
# consumers are all done, it runs the one recorded last). A node's inputs were recorded before it, so newest first
# is a topological order, and it is the one whose sums round as PyTorch's. Below, u feeds three products made in
# the order 1e8·u, -1e8·u, 0.3·u: summed oldest first u's gradient is 0.3, newest first it is 0 (0.3 is lost
# against 1e8 before the two 1e8s cancel).

# %% which order
x = minigan.tensor(np.array([1.0], dtype=np.float32), requires_grad=True)
u = x * 1.0
(u * 1e8 + u * -1e8 + u * 0.3).sum().backward()
shares = [np.float32(1e8), np.float32(-1e8), np.float32(0.3)]  # what each product sends to u, oldest first
orders = {"oldest first": float((shares[0] + shares[1]) + shares[2]),
          "newest first": float((shares[2] + shares[1]) + shares[0]), "backward()": float(x.grad[0])}
print("  u's gradient in float32: " + ", ".join(f"{k} {v:g}" for k, v in orders.items()))

# %% [markdown]
# ## Verdict
#
# The claim holds when the visit-once walk is wrong on the diamond, the topological walk is right on every chain
# with one visit per op, and recursing on every arrival visits more than 100 times the ops of the longest chain.
# minigan's `backward()` builds that order once per call (`minigan/engine/walk.py`, `topological_order`): it finds
# the nodes with a loop, so a graph thousands of ops deep needs no recursion at all, and sorts them newest first.

# %% the verdict
once_wrong = abs(found["visit once"] - truth) > 1e-6
topo = all(r["topological"][1] and r["topological"][0] == r["ops"] for r in rows)
every = rows[-1]["every arrival"][0]
verdict = lessons.verdict(
    "holds" if once_wrong and topo and every > 100 * rows[-1]["ops"] else "does not hold here",
    f"on the diamond the visit-once walk gives a.grad = {found['visit once']:.3f} instead of {truth:.3f}; "
    f"recursing on every arrival is right but visits {every:,} ops for a {rows[-1]['ops']}-op chain; the "
    "topological walk is right and visits each op once")
results = {"truth": truth, "found": found, "rows": rows, "orders": orders, "figure": figure, "verdict": verdict}

# %% [markdown]
# ## Try it
#
# Make the chain longer: set `n_try = 16` and run the cell. Expect the topological walk to stay at 3 visits a
# diamond (48) and "every arrival" to grow about 16-fold over n = 12 (each diamond doubles the paths): about
# 200,000 visits, a few seconds. Beyond n ≈ 20 it would take minutes; backward() would not notice.

# %% try it
n_try = 12  # try 16
y_try, a_try = chain(n_try)
for name in ("every arrival", "topological"):
    print(f"n = {n_try}: {name:<14} {WALKS[name](y_try, a_try)[1]:,} op visits")
