"""The exercises: one table, in lesson order.

Each record names the function(s) a learner writes as ``path::Qualified.name`` in minigan's own
source (the reference solution is the library itself), the task in one line, the lecture it comes
from (course, lecturer, slide title), a hint, and a "predict, then measure" question answered by a
command the workspace can already run (from inside the workspace folder).

When the library moves a function, the test suite names the target that no longer exists; update its
``targets`` here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Exercise:
    name: str
    set: str
    targets: tuple  # ("minigan/file.py::Class.method", ...): the function bodies the learner writes
    task: str  # one line: what the stub's NotImplementedError says
    lecture: str
    hint: str
    predict: str  # the question; then "measure:" and a command

    @property
    def needs(self) -> str:
        """"" for an exercise written in one function, else which it needs ("needs 3 functions written:
        Adam._update, _adam_moments, _adam_direction"): the helpers a learner may not know to write."""
        if len(self.targets) == 1:
            return ""
        return f"needs {len(self.targets)} functions written: " + ", ".join(t.split("::")[1] for t in self.targets)

    @property
    def points(self) -> int:
        """What passing it is worth in a gradebook (``POINTS``, else its set's ``SET_POINTS``)."""
        return POINTS.get(self.name, SET_POINTS[self.set])


SETS = (
    ("autodiff", "Autodiff core"),
    ("ops", "Ops and their backward"),
    ("optim", "Optimizers from their papers"),
    ("gans", "GANs"),
    ("attacks", "Adversarial attacks"),
    ("latent", "Latent-variable models"),
)

# The lectures, cited by course, lecturer and slide title.
CHAIN_RULE = "CS/DS 552, Class 7 (Jacob Whitehill), slide 'Controlling gradient flow in PyTorch' (the chain rule)"
DETACH = "CS/DS 552, Class 7 (Jacob Whitehill), slide 'Controlling gradient flow in PyTorch' (b.detach())"
TRAINING_GANS = "CS/DS 541, Class 19 (Jacob Whitehill), slide 'Training GANs'"
F_ACC = "CS/DS 541, Class 19 (Jacob Whitehill), slide 'Closer look at f_acc' (log-likelihoods)"
DIFFICULTY = "CS/DS 541, Class 19 (Jacob Whitehill), slide 'Difficulty in training'"
CONDITIONAL = "CS/DS 552, Class 7 (Jacob Whitehill), slide 'Conditional GANs'"
ADV_TRAINING = "CS/DS 541, Class 19 (Jacob Whitehill), slide 'Adversarial training examples'"
ALGORITHM = ("Security and Fairness of Deep Learning (Anupam Datta, CMU 2018), slide 'Putting it together: "
             "GAN training algorithm'")
OPTIMAL_D = "Generative Adversarial Networks (the GAN paper lecture), slide 'Proposition 1' (the optimal D)"
WGAN = "IT3320E Introduction to Deep Learning (Hung Son Nguyen), slide 'Recall GAN' (WGAN, Algorithm 1)"
DUALITY = ("IT3320E Introduction to Deep Learning (Hung Son Nguyen), slide 'Recall GAN' (the Earth-Mover distance "
           "and the Kantorovich-Rubinstein duality)")
LIMIT_CYCLES = ("IT3320E Introduction to Deep Learning (Hung Son Nguyen), slide "
                "'Limit cycling behavior in training (W)GAN'")
OPTIMISTIC_ADAM = "IT3320E Introduction to Deep Learning (Hung Son Nguyen), slide 'Optimistic ADAM'"
ADV_EXAMPLES = "IT3320E Introduction to Deep Learning (Hung Son Nguyen), slide 'Adversarial Examples'"
EBGAN = ("IT3320E Introduction to Deep Learning (Hung Son Nguyen), slide 'GAN variants (> 100)' (EBGAN, Zhao et al. "
         "2016)")
GENERATIVE = "CS/DS 552, Class 7 (Jacob Whitehill), slide 'Generative models' (the ELBO)"
MEMORIZE = ("Security and Fairness of Deep Learning (Anupam Datta, CMU 2018), slide 'Generative model' (models that "
            "cannot memorize their training data)")

PY = 'python -c "import minigan as mg, numpy as np; '  # the start of most "measure" commands
PY_LINES = 'python -c "import minigan as mg, numpy as np\n'  # ... of those whose next line is a loop


def _op(name, target, task, derivative, predict, lecture=CHAIN_RULE, hint=None):
    return Exercise(name, "ops", (target,), task, lecture,
                    hint or f"{derivative}; return one gradient per input (None where needs_input_grad is False), "
                            "each summed back to its input's shape with unbroadcast", predict)


EXERCISES = (
    # ------------------------------------------------------------------ 1. autodiff core
    Exercise("unbroadcast", "autodiff", ("minigan/engine/graph.py::unbroadcast",),
             "sum grad down to shape: over its extra leading axes and over the axes where shape has size 1",
             CHAIN_RULE, "broadcasting copied the input along those axes, so its adjoint adds the copies up; "
             "sum with keepdims=True, then reshape",
             "Predict the gradient of (a + b).sum() for a of shape (3, 1) and b of shape (4,). measure: "
             + PY + 'a = mg.ones(3, 1, requires_grad=True); b = mg.ones(4, requires_grad=True); '
             '(a + b).sum().backward(); print(a.grad, b.grad)"'),
    Exercise("node_apply", "autodiff", ("minigan/engine/graph.py::Node.apply",),
             "run forward on the inputs' arrays and, when grad mode is on and an input requires grad, "
             "record the node: its needs-flags, then its record of the inputs, their edges and arrays, and the output",
             CHAIN_RULE, "forward sees arrays only: a plain array among the inputs is a constant (no gradient, no "
             "edge), a Tensor gives its array (read its grad_fn first: that brings a view up to date); with no Tensor "
             "among the inputs, forward's array is the answer. A node is recorded only when grad mode is on and some "
             "input requires grad: one needs-flag per input, one edge per input (the node that made it, or the leaf "
             "itself, or nothing); the result Tensor is made like the first Tensor input (a view keeps its base); "
             "anomaly mode checks the forward's result. The names it needs, each once: _first_tensor(inputs); "
             "backend.ARRAY_TYPES; t.grad_fn; t.array; t.requires_grad; _mode.grad_enabled; fn.needs_input_grad; "
             "fn.forward; like._make(...); fn.record(...); _anomaly.enabled; fn.check_forward",
             "Predict whether (x * 2).grad_fn is None inside `with mg.no_grad():`. measure: "
             + PY + 'x = mg.ones(2, requires_grad=True)\nwith mg.no_grad(): print((x * 2).grad_fn)"'),
    Exercise("topological_order", "autodiff", ("minigan/engine/walk.py::topological_order",),
             "list every node reachable from roots once, newest first (so each before the nodes that made its "
             "inputs), following each node's edges without recursion",
             CHAIN_RULE, "find the nodes with a loop over a list that grows as it is read, and a set of those seen "
             "(an edge that is a leaf Tensor or None is not a node); a node's inputs were made before it, so sorted "
             "by sequence_nr, largest first, every node comes before its producers, in the order PyTorch's engine "
             "runs them",
             "Predict whether a chain of 5000 ops can be differentiated. measure: "
             + PY + 'x = mg.ones(1, requires_grad=True); y = x\nfor _ in range(5000): y = y * 1.0\n'
             'y.sum().backward(); print(x.grad)"'),
    Exercise("backprop", "autodiff", ("minigan/engine/walk.py::backprop",),
             "the backward walk: visit the nodes in topological order, call each node's backward on the sum of the "
             "gradients it received, hand each input its share along the node's edges, free the graph unless retained",
             CHAIN_RULE, "keep a dict {node or leaf: summed gradient}, starting from the seeds; pop a node's gradient "
             "when you visit it (get it, for a node in `keep`); keep a retained output's gradient; under "
             "create_graph run the walk with grad mode on",
             "Predict x.grad for y = x * x + x * x at x = 3. measure: "
             + PY + 'x = mg.tensor([3.0], requires_grad=True); (x * x + x * x).sum().backward(); print(x.grad)"'),
    Exercise("accumulate", "autodiff", ("minigan/engine/walk.py::accumulate",
                                        "minigan/engine/tensor.py::Tensor._add_grad"),
             "leaf.grad += g for every leaf the walk reached, in place as PyTorch's (a new sum under "
             "create_graph), copying g when another place holds the same array",
             CHAIN_RULE, "add into an existing .grad in place (whoever holds it sees the sum, as in PyTorch), but "
             "make a new differentiable sum when either side requires grad (create_graph); copy g if id(g) is "
             "already `shared` (a seed or another leaf's) or g is a view (.base is not None)",
             "Predict x.grad after calling (x * 2).sum().backward() twice. measure: "
             + PY + 'x = mg.ones(2, requires_grad=True)\nfor _ in range(2): (x * 2).sum().backward()\n'
             'print(x.grad)"'),
    Exercise("prune", "autodiff", ("minigan/engine/walk.py::prune",),
             "for autograd.grad: keep only the nodes from which a target can be reached, narrowing each one's "
             "needs_input_grad to the inputs that lead to a target",
             CHAIN_RULE, "walk the order producers first (reversed) with a set `useful` of the targets; a node is "
             "useful when one of its edges is; return (node, its old needs_input_grad), consumers first",
             "Predict whether autograd.grad(loss, x) computes the gradient of a weight w it was not asked for. "
             "measure: " + PY + 'x = mg.ones(2, requires_grad=True); w = mg.ones(2, requires_grad=True); '
             'print(mg.autograd.grad((x * w).sum(), x), w.grad)"'),
    Exercise("detach", "autodiff", ("minigan/engine/tensor.py::Tensor.detach",),
             "return a new leaf sharing this tensor's array and version counter, cut from the graph",
             DETACH, "a leaf (no node, no grad) whose array is a view of this one's: the same memory, no copy; it must "
             "share the version counter as well, or an in-place change through it goes unseen by backward "
             "(the Tensor has helpers to make one and to reach the counter)",
             "Predict a.grad for c = (a * 2).detach() * a at a = 1. measure: "
             + PY + 'a = mg.ones(1, requires_grad=True); ((a * 2).detach() * a).sum().backward(); print(a.grad)"'),
    Exercise("no_grad", "autodiff", ("minigan/engine/grad_mode.py::_DecoratorContextManager.__enter__",
                                     "minigan/engine/grad_mode.py::_DecoratorContextManager.__exit__"),
             "switch grad mode to self.enabled on entry, remembering the previous mode, and restore it on exit",
             DETACH, "the mode lives in the thread-local _mode.grad_enabled; no_grad and enable_grad are the shared "
             "base with enabled = False and True; __exit__ returns False so exceptions propagate",
             "Predict (x * 2).requires_grad inside no_grad and inside an enable_grad nested in it. measure: "
             + PY + 'x = mg.ones(1, requires_grad=True)\nwith mg.no_grad():\n  print((x*2).requires_grad)\n'
             '  with mg.enable_grad(): print((x*2).requires_grad)"'),
    # ------------------------------------------------------------------ 2. ops
    _op("add_backward", "minigan/engine/ops/elementwise.py::Add.backward", "return the gradients of a + b",
        "d(a+b)/da = 1, d(a+b)/db = 1",
        "Predict b.grad for (a + b).sum() with a (2, 3) and b (3,). measure: "
        + PY + 'a = mg.ones(2, 3, requires_grad=True); b = mg.ones(3, requires_grad=True); (a + b).sum().backward(); '
        'print(b.grad)"'),
    _op("sub_backward", "minigan/engine/ops/elementwise.py::Sub.backward", "return the gradients of a - b",
        "d(a-b)/da = 1, d(a-b)/db = -1",
        "Predict b.grad for (a - b).sum() with a (2, 3) and b (1, 3). measure: "
        + PY + 'a = mg.ones(2, 3, requires_grad=True); b = mg.ones(1, 3, requires_grad=True); '
        '(a - b).sum().backward(); print(b.grad)"'),
    _op("mul_backward", "minigan/engine/ops/elementwise.py::Mul.backward", "return the gradients of a * b",
        "d(ab)/da = b, d(ab)/db = a; use self.saved_tensors so double backward works",
        "Predict the second derivative of x*x*x at x = 2 (by autograd.grad twice). measure: "
        + PY + 'x = mg.tensor([2.0], requires_grad=True); '
        '(g,) = mg.autograd.grad((x*x*x).sum(), x, create_graph=True); print(mg.autograd.grad(g.sum(), x))"'),
    _op("div_backward", "minigan/engine/ops/elementwise.py::Div.backward", "return the gradients of a / b",
        "d(a/b)/da = 1/b, d(a/b)/db = -a/b²",
        "Predict b.grad for (1 / b).sum() at b = 2. measure: "
        + PY + 'b = mg.tensor([2.0], requires_grad=True); (1 / b).sum().backward(); print(b.grad)"'),
    _op("pow_backward", "minigan/engine/ops/elementwise.py::Pow.backward", "return the gradients of a ** b",
        "d(a^b)/da = b·a^(b−1), d(a^b)/db = a^b·log a, with the op's kernels (self.kernels(b, number): KERNELS' row "
        "where it says it rounds b otherwise, else its own static methods): power for a^(b−1), and 0 where zero_da, "
        "zero_db say a formula is 0·∞",
        "Predict the gradient of x ** 0 at x = 0 (NaN or 0?). measure: "
        + PY + 'x = mg.tensor([0.0], requires_grad=True); (x ** 0.0).sum().backward(); print(x.grad)"'),
    _op("exp_backward", "minigan/engine/ops/elementwise.py::Exp.backward", "return the gradient of exp(a)",
        "d(e^a)/da = e^a, the saved output",
        "Predict the gradient of exp(x) at x = 0. measure: "
        + PY + 'x = mg.zeros(1, requires_grad=True); x.exp().sum().backward(); print(x.grad)"'),
    _op("log_backward", "minigan/engine/ops/elementwise.py::Log.backward", "return the gradient of log(a)",
        "d(log a)/da = 1/a",
        "Predict the gradient of log(x) at x = 0.5. measure: "
        + PY + 'x = mg.tensor([0.5], requires_grad=True); x.log().sum().backward(); print(x.grad)"'),
    _op("stable_sigmoid", "minigan/engine/ops/activation.py::_stable_sigmoid",
        "compute σ(x) without overflow for any x (no exp of a large positive number)",
        "with e = exp(−|x|): σ(x) = 1/(1+e) for x ≥ 0 and e/(1+e) for x < 0",
        "Predict what the naive 1/(1+exp(-x)) gives at x = -1000 in float32 (and with what warning). measure: "
        + PY + 'x = np.float32(-1000); print(1 / (1 + np.exp(-x)), mg.tensor([-1000.0]).sigmoid())"',
        hint="exp(−|x|) is at most 1, so it never overflows; pick the form by the sign of x with xp.where"),
    _op("sigmoid_backward", "minigan/engine/ops/activation.py::_sigmoid_grad", "return the gradient of σ(x)",
        "dσ/dx = σ(1 − σ), from the saved output",
        "Predict the largest slope of the sigmoid, and where. measure: "
        + PY + 'x = mg.tensor(np.linspace(-3, 3, 7), requires_grad=True); x.sigmoid().sum().backward(); '
        'print(x.grad)"'),
    _op("tanh_backward", "minigan/engine/ops/activation.py::_tanh_grad", "return the gradient of tanh(x)",
        "d tanh/dx = 1 − tanh², from the saved output",
        "Predict the gradient of tanh at x = 3 (how far from 0?). measure: "
        + PY + 'x = mg.tensor([3.0], requires_grad=True); x.tanh().sum().backward(); print(x.grad)"'),
    _op("relu_backward", "minigan/engine/ops/activation.py::ReLU.backward", "return the gradient of relu(x)",
        "d relu/dx = H(x): 1 where x > 0, else 0, read from the saved output (positive exactly where x is); "
        "select the gradient where it passes instead of multiplying by a mask (∞·0 is NaN, a select gives 0): the "
        "backend has a select for arrays, and under create_graph the select must be an op of the graph (Select); "
        "return a 1-tuple",
        "Predict the gradient of relu at x = 0 (PyTorch says 0). measure: "
        + PY + 'x = mg.zeros(1, requires_grad=True); x.relu().sum().backward(); print(x.grad)"'),
    _op("leaky_relu_backward", "minigan/engine/ops/activation.py::_leaky_relu_grad",
        "return the gradient of leaky_relu(x)", "d/dx = 1 where x > 0, else negative_slope",
        "Predict the gradient of leaky_relu(x, 0.2) at x = -1. measure: "
        + PY + 'import minigan.functional as F; x = mg.tensor([-1.0], requires_grad=True); '
        'F.leaky_relu(x, 0.2).sum().backward(); print(x.grad)"'),
    _op("matmul_backward", "minigan/engine/ops/linalg.py::MatMul.backward",
        "return the gradients of a @ b, for 1-D, 2-D and batched (broadcast) operands",
        "d(AB)/dA = G Bᵀ, d(AB)/dB = Aᵀ G, summed over broadcast batch axes; a 1-D operand is a row (a) or "
        "a column (b)",
        "Predict the shape of b.grad for a (5, 2, 3) @ b (3, 4). measure: "
        + PY + 'a = mg.ones(5, 2, 3, requires_grad=True); b = mg.ones(3, 4, requires_grad=True); '
        '(a @ b).sum().backward(); print(b.grad.shape, b.grad[0, 0])"'),
    _op("sum_backward", "minigan/engine/ops/reduce.py::Sum.backward", "return the gradient of x.sum(axis, keepdims)",
        "d(Σx)/dx_i = 1: restore the reduced axes as size 1 (_keep), then broadcast_to the input's shape",
        "Predict x.grad for x.sum(axis=1) seeded with [1, 2]. measure: "
        + PY + 'x = mg.ones(2, 3, requires_grad=True); x.sum(axis=1).backward(mg.tensor([1.0, 2.0])); print(x.grad)"',
        hint="every entry of x enters the sum with weight 1, so each gets the gradient of the sum it fed: give grad "
             "back the summed axes as size 1 (the module has a helper for that when keepdims was False), then "
             "broadcast it to the input's shape, saved at forward"),
    _op("mean_backward", "minigan/engine/ops/reduce.py::Mean.backward", "return the gradient of x.mean(axis, keepdims)",
        "d(mean x)/dx_i = 1/n with n the count averaged over (self.count)",
        "Predict x.grad for x.mean() over a (2, 5) tensor. measure: "
        + PY + 'x = mg.ones(2, 5, requires_grad=True); x.mean().backward(); print(x.grad)"',
        hint="like Sum.backward, divided by self.count (in grad's dtype)"),
    _op("max_backward", "minigan/engine/ops/reduce.py::Max.backward", "return the gradient of x.max(axis, keepdims)",
        "d max/dx_i = 1 at the maximum, shared equally between ties (mask / ties, from the saved x and out), else 0",
        "Predict x.grad for x.max() with x = [1, 3, 3]. measure: "
        + PY + 'x = mg.tensor([1.0, 3.0, 3.0], requires_grad=True); x.max().backward(); print(x.grad)"',
        hint="_keep(out, ...) finds the maxima in x; _keep(grad, ...) restores the reduced axes; times the share"),
    _op("reshape_backward", "minigan/engine/ops/shape.py::Reshape.backward", "return the gradient of x.reshape(shape)",
        "a reshape moves no values: reshape the gradient back to self.in_shape",
        "Predict x.grad's shape for x (2, 3) after x.reshape(6) @ w. measure: "
        + PY + 'x = mg.ones(2, 3, requires_grad=True); (x.reshape(6) @ mg.ones(6)).backward(); print(x.grad.shape)"'),
    _op("transpose_backward", "minigan/engine/ops/shape.py::Transpose.backward",
        "return the gradient of x.transpose(axes)",
        "undo the permutation: transpose the gradient by the inverse permutation of self.axes",
        "Predict x.grad.shape for x (2, 3, 4) transposed with axes (2, 0, 1). measure: "
        + PY + 'x = mg.ones(2, 3, 4, requires_grad=True); x.transpose(2, 0, 1).sum().backward(); print(x.grad.shape)"'),
    Exercise("getitem_backward", "ops", ("minigan/engine/ops/shape.py::GetItem.backward",
                                         "minigan/engine/ops/shape.py::IndexAdd.forward"),
             "getitem's backward puts each gradient back where its value came from; IndexAdd.forward adds values "
             "into zeros(shape) at index, repeated indices adding up",
             CHAIN_RULE, "the gradient has x's shape: zeros, with each entry of grad added where its value was read; "
             "make it with the op that does this (IndexAdd), so it stays differentiable. An integer-array index may "
             "read a place twice: assignment keeps one of the repeats, a scatter-add (the backend has one) sums them",
             "Predict x.grad for x[[0, 0, 2]].sum() with x of length 3. measure: "
             + PY + 'x = mg.ones(3, requires_grad=True); x[np.array([0, 0, 2])].sum().backward(); print(x.grad)"'),
    _op("softmax_backward", "minigan/engine/ops/reduce.py::Softmax.backward", "return the gradient of softmax(x, axis)",
        "ds_i/dx_j = s_i(δ_ij − s_j), so dx = s ⊙ (g − Σ_axis g ⊙ s)",
        "Predict x.grad for softmax(x).sum() (hint: the outputs always sum to 1). measure: "
        + PY + 'import minigan.functional as F; x = mg.tensor([[1.0, 2.0, 3.0]], requires_grad=True); '
        'F.softmax(x, dim=1).sum().backward(); print(x.grad)"'),
    _op("log_softmax_backward", "minigan/engine/ops/reduce.py::LogSoftmax.backward",
        "return the gradient of log_softmax(x, axis)",
        "d(x_i − lse)/dx_j = δ_ij − softmax_j, so dx = g − exp(out) · Σ_axis g",
        "Predict x.grad for log_softmax(x)[0, 0] with x = [[0, 0]]. measure: "
        + PY + 'import minigan.functional as F; x = mg.zeros(1, 2, requires_grad=True); '
        'F.log_softmax(x, dim=1)[0, 0].backward(); print(x.grad)"'),
    Exercise("bce_with_logits", "ops", ("minigan/engine/ops/loss.py::BCEWithLogits.forward",
                                        "minigan/engine/ops/loss.py::BCEWithLogits.backward",
                                        "minigan/engine/ops/loss.py::_bce_with_logits",
                                        "minigan/engine/ops/loss.py::_bce_with_logits_grad"),
             "the stable log-loss on logits: forward (1 − t)·x + max(−x, 0) + log1p(exp(−|x|)) reduced, backward "
             "(σ(x) − t)·g and −x·g",
             F_ACC, "save x and t; apply_reduction(loss, reduction) forward; _reduce_grad gives g; "
             "Sigmoid.apply(x) keeps the backward differentiable",
             "Predict BCE-with-logits at logit 1e4 with target 0: the naive −log(1 − σ(x)) gives inf. measure: "
             + PY + 'import minigan.functional as F; print(F.binary_cross_entropy_with_logits(mg.tensor([1e4]), '
             'mg.tensor([0.0])))"'),
    _op("cross_entropy_backward", "minigan/engine/ops/loss.py::CrossEntropy.backward",
        "return the gradient of the softmax cross-entropy of logits (N, C) against integer labels",
        "dℓ/dx = softmax(x) − onehot(y), times the reduction's gradient (_reduce_grad over N rows)",
        "Predict the gradient of the mean cross-entropy at logits 0 for 2 classes and 1 example. measure: "
        + PY + 'import minigan.functional as F; x = mg.zeros(1, 2, requires_grad=True); '
        'F.cross_entropy(x, np.array([1])).backward(); print(x.grad)"', lecture=F_ACC),
    Exercise("im2col", "ops", ("minigan/engine/ops/conv.py::im2col",),
             "lay every kh×kw window of x_padded (C, Hp, Wp, N) out as one column of cols (C·kh·kw, Ho·Wo·N), "
             "through a strided view",
             CHAIN_RULE, "the window entry at kernel offset (p, q) of output pixel (i, j) is the padded input's pixel "
             "(i·sh + p, j·sw + q): a 6-axis view (C, kh, kw, Ho, Wo, N) of x_padded, its steps along p and q the "
             "input's own row and column steps, along i and j those times the stride; NumPy's strided views make "
             "it without copying, and one reshape lays it out as columns",
             "Predict the shape of cols for one 1×4×4 image, a 3×3 kernel, stride 1. measure: "
             + PY + 'from minigan.engine.ops.conv import im2col; '
             'print(im2col(np.zeros((1, 4, 4, 1)), 3, 3, 1, 1).shape)"'),
    Exercise("col2im", "ops", ("minigan/engine/ops/conv.py::col2im",
                               "minigan/engine/backend.py::add_windows_by_slices"),
             "the adjoint of im2col: add every entry of cols back onto the pixel of (C, Hp, Wp, N) it was read from",
             CHAIN_RULE, "read cols as the 6-axis (C, kh, kw, Ho, Wo, N) of im2col; for each kernel offset (p, q) the "
             "(C, Ho, Wo, N) slab belongs to the pixels that start at (p, q) and step by the stride: add it onto "
             "that strided slice of the zeros (C, Hp, Wp, N). Windows overlap, so the pixels read twice must get "
             "both: add, never assign",
             "Predict col2im(im2col(ones)) for a 1×3×3 image and a 2×2 kernel (how often is each pixel read?). "
             "measure: " + PY + 'from minigan.engine.ops.conv import im2col, col2im; x = np.ones((1, 3, 3, 1)); '
             'print(col2im(im2col(x, 2, 2, 1, 1), x.shape, 2, 2, 1, 1)[0, :, :, 0])"'),
    _op("conv2d_backward", "minigan/engine/ops/conv.py::Conv2d.backward",
        "return the gradients of conv2d with respect to x, weight and bias",
        "∂x = conv_transpose2d(G, W) with the output_padding forward worked out, ∂W = Conv2dWeight(x, G) "
        "(reusing self.cols), ∂b = Σ G over (N, H, W)",
        "Predict the shape of the weight gradient for 8 output channels, 3 input channels, 3×3 kernels. measure: "
        + PY + 'import minigan.functional as F; w = mg.ones(8, 3, 3, 3, requires_grad=True); '
        'F.conv2d(mg.ones(2, 3, 5, 5), w).sum().backward(); print(w.grad.shape)"',
        hint="the three bilinear maps of ops/conv.py's docstring: each backward is calls of the others' apply"),
    # ------------------------------------------------------------------ 3. optimizers
    Exercise("optimizer_step", "optim", ("minigan/optim/optimizer.py::Optimizer.step",),
             "one update of every parameter that has a gradient, under no_grad, handing each parameter, its "
             "gradient, its state and its group to self._update; run the closure first (with grad enabled) and "
             "return its loss",
             LIMIT_CYCLES, "the optimizer's state is a dict per parameter; parameters are numbered over all groups in "
             "order, those without a gradient too (the index is what reading the gradient needs); a group's "
             "learning rate goes through the scheduler's hook; maximize steps along −g, made as a new array so that "
             "p.grad is left as it was",
             "Predict whether step() touches a parameter whose .grad is None. measure: "
             + PY + 'p = mg.nn.Parameter(np.ones(2)); o = mg.optim.SGD([p], lr=1.0); o.step(); print(p)"'),
    Exercise("sgd", "optim", ("minigan/optim/sgd.py::SGD._update",),
             "torch.optim.SGD's update: a step of lr against a direction d, where weight decay adds λθ to the "
             "gradient, momentum keeps a buffer (the gradient at first, then μ times itself plus the gradient scaled "
             "by one less the dampening), and d is that buffer, or with Nesterov the gradient plus μ times it",
             LIMIT_CYCLES, "the momentum buffer lives in state['momentum_buffer']; update p in place (p -= ...)",
             "Predict θ after two SGD steps with momentum 0.9, lr 0.1, gradient 1 from θ = 0 (−0.1, then?). "
             "measure: " + PY + 'p = mg.nn.Parameter(np.zeros(1)); o = mg.optim.SGD([p], lr=0.1, momentum=0.9)\n'
             'for _ in range(2): p.grad = mg.ones(1, dtype=p.dtype); o.step(); print(p.item())"'),
    Exercise("rmsprop", "optim", ("minigan/optim/rmsprop.py::RMSprop._update",),
             "RMSprop as torch.optim.RMSprop: a running mean of the squared gradient (weight α on the old) and a "
             "step of lr along the gradient scaled down by that mean's root (ε outside it), with the centered and "
             "momentum variants",
             WGAN, "ε goes outside the square root; centered: the root is of v less the square of a running mean of "
             "the gradient, kept with the same α as v",
             "Predict the size of the first RMSprop step (α = 0.99, lr 0.01) for gradient 1e-3 and for 1e3. measure: "
             + PY_LINES + 'for g in (1e-3, 1e3):\n p = mg.nn.Parameter(np.zeros(1)); '
             'o = mg.optim.RMSprop([p], lr=0.01); p.grad = mg.tensor([g], dtype=p.dtype); o.step(); '
             'print(g, p.item())"'),
    Exercise("adam", "optim", ("minigan/optim/adam.py::Adam._update", "minigan/optim/adam.py::_adam_moments",
                               "minigan/optim/adam.py::_adam_direction"),
             "Kingma & Ba's Algorithm 1: moments m, v, their bias corrections m̂, v̂, θ ← θ − α·m̂/(√v̂ + ε)",
             OPTIMISTIC_ADAM, "t counts from 1; ε is added after the square root of v̂ (not the paper's 'efficient' "
             "form); weight_decay adds λθ to g first",
             "Predict the size of Adam's first step (lr 0.1) for a gradient of 1e-3, and of 1e3. measure: "
             + PY_LINES + 'for g in (1e-3, 1e3):\n p = mg.nn.Parameter(np.zeros(1)); o = mg.optim.Adam([p], lr=0.1); '
             'p.grad = mg.tensor([g], dtype=p.dtype); o.step(); print(g, p.item())"'),
    Exercise("optimistic_adam", "optim", ("minigan/optim/optimistic_adam.py::OptimisticAdam._update",
                                          "minigan/optim/optimistic_adam.py::_optimistic_adam_direction",
                                          "minigan/optim/optimistic_adam.py::_optimistic_step"),
             "Daskalakis et al.'s Algorithm 1: θ_t = θ_{t−1} − 2η·m̂_t/(√v̂_t + ε) + η·m̂_{t−1}/(√v̂_{t−1} + ε)",
             OPTIMISTIC_ADAM, "keep the previous direction m̂/(√v̂ + ε) in the state (zero before the first step)",
             "Predict θ after one OptimisticAdam step (lr 0.1) with gradient 1. measure: "
             + PY + 'p = mg.nn.Parameter(np.zeros(1)); o = mg.optim.OptimisticAdam([p], lr=0.1); '
             'p.grad = mg.ones(1, dtype=p.dtype); o.step(); print(p.item())"'),
    Exercise("optimistic_sgd", "optim", ("minigan/optim/optimistic_sgd.py::OptimisticSGD._update",
                                         "minigan/optim/optimistic_sgd.py::_optimistic_sgd_step"),
             "optimistic mirror descent: θ_{t+1} = θ_t − 2η·g_t + η·g_{t−1}, with g_{−1} = 0",
             LIMIT_CYCLES, "remember a copy of g_t in the state: p.grad may change before the next step",
             "Predict whether simultaneous GD on min_x max_y xy spirals out, and OMD in. measure: "
             + PY + 'x = mg.nn.Parameter(np.ones(1)); y = mg.nn.Parameter(np.ones(1)); '
             'o = mg.optim.OptimisticSGD([x, y], lr=0.1)\nfor _ in range(200):\n x.grad, y.grad = y.detach(), '
             '-x.detach(); o.step()\nprint(x.item() ** 2 + y.item() ** 2)"'),
    # ------------------------------------------------------------------ 4. GANs
    Exercise("generator_loss", "gans", ("minigan/gans/gan.py::GAN.generator_loss",),
             "the generator's loss from D's logits on fakes: minimax (G descends the log of D's probability that "
             "the fake is fake) or non-saturating (G descends minus the log of D's probability that it is real)",
             DIFFICULTY, "log(1 − σ(v)) = −BCE(v, 0) and −log σ(v) = BCE(v, 1); full_like makes the constant target",
             "Predict the gradient of each G loss at a logit of −5 (D is sure the fake is fake). measure: "
             + PY + 'from minigan.gans.gan import GAN\nfor loss in (\'minimax\', \'non-saturating\'):\n'
             ' v = mg.tensor([[-5.0]], requires_grad=True); g = GAN.__new__(GAN); g.loss = loss; '
             'g.generator_loss(v).backward(); print(loss, v.grad)"'),
    Exercise("frozen", "gans", ("minigan/gans/gan.py::frozen",),
             "a context manager in which module's parameters do not require grad, restored afterwards (even on error)",
             TRAINING_GANS, "module.requires_grad_(False), yield module, and requires_grad_(True) in a finally",
             "Predict whether D's weights get a .grad from the G loss inside `with frozen(D)`. measure: "
             + PY + 'from minigan.gans.gan import frozen; D = mg.nn.Linear(2, 1)\nwith frozen(D): '
             'D(mg.ones(1, 2, requires_grad=True)).sum().backward()\nprint(D.weight.grad)"'),
    Exercise("gan_train_step", "gans", ("minigan/gans/gan.py::GAN.train_step",),
             "one iteration of Algorithm 1: k discriminator steps on the binary cross-entropy of D's logits (the "
             "real batch labelled 1, a detached fake batch labelled 0), then one generator step through a fresh "
             "forward of the updated, frozen D",
             ALGORITHM, "draw z before x in each D step, as Algorithm 1 lists them; zero_grad before each backward; "
             "return floats {loss_d, loss_g, d_real, d_fake}; the optimal D for fixed G is p_data/(p_data + p_g)",
             "Predict mean D(x) at the optimum when G is perfect (p_g = p_data; " + OPTIMAL_D + "), then read "
             "d_real and d_fake in runs/ex-gan/metrics.json. measure: "
             "python -m minigan train gan --data ring --steps 300 --seed 0 --out runs/ex-gan --force"),
    Exercise("wgan_clip", "gans", ("minigan/gans/wgan.py::WGAN.clip_critic",),
             "WGAN Algorithm 1 line 7: w ← clip(w, −c, c) in place for every critic parameter, recording no graph",
             WGAN, "clamp every critic parameter's values into [−c, c] (c is self.clip) in place, with no graph "
             "recorded: in place, so the optimizer keeps the same Tensors",
             "Predict the largest |w| of a critic after clipping at c = 0.01. measure: "
             + PY + 'from minigan.gans.wgan import WGAN; w = WGAN.__new__(WGAN); w.D = mg.nn.Linear(4, 1); '
             'w.clip = 0.01; w.clip_critic(); print(abs(w.D.weight.detach().numpy()).max())"'),
    Exercise("critic_w1_estimate", "gans", ("minigan/gans/wgan.py::wasserstein_estimate",),
             "the critic's estimate of the Wasserstein-1 distance between two samples: its mean score on the real "
             "sample minus its mean score on the fake one, nothing detached",
             DUALITY, "Kantorovich-Rubinstein: W1 is the largest gap a 1-Lipschitz function opens between the two "
             "expectations; estimate each expectation by the sample's own average (the two samples may differ in "
             "size) and keep the graph, so the gradient reaches the critic's weights and both samples",
             "Predict the estimate of the 1-Lipschitz critic f(x) = x between N(2, 1) and N(0, 1) samples (W1 = 2), "
             "and with the samples swapped. measure: "
             + PY + 'from minigan.gans.wgan import wasserstein_estimate; '
             'r = mg.tensor(np.random.default_rng(0).standard_normal((1000, 1)).astype(np.float32)); '
             'f = mg.nn.Linear(1, 1); f.weight.data = mg.tensor([[1.0]]); f.bias.data = mg.tensor([0.0]); '
             'print(wasserstein_estimate(f, r + 2, r).item(), wasserstein_estimate(f, r, r + 2).item())"'),
    Exercise("wgan_train_step", "gans", ("minigan/gans/wgan.py::WGAN.train_step",),
             "WGAN Algorithm 1: n_critic critic steps, each widening the gap between the critic's mean score on a "
             "real batch and on a fake one, then clipping; then one generator step raising the critic's mean score "
             "on fakes",
             WGAN, "sample x before z (lines 3, 4); detach the fakes in the critic steps; freeze the critic for the "
             "generator step; return {loss_c, loss_g, wasserstein}",
             "Predict the sign of the Wasserstein estimate as the critic trains. measure: "
             "python -m minigan train wgan --data ring --steps 200 --seed 0 --out runs/ex-wgan --force"),
    Exercise("gradient_penalty", "gans", ("minigan/gans/wgan_gp.py::gradient_penalty",),
             "WGAN-GP's penalty: λ times the mean, over examples, of the squared distance of the norm of D's "
             "gradient from 1, at random points between real and fake examples (one mixing weight per example), the "
             "gradient taken with autograd.grad(..., create_graph=True)",
             WGAN, "x̂ must be a fresh leaf that requires grad; the norm is per example, over every axis but the "
             "first; create_graph=True lets the penalty's gradient reach the critic's weights",
             "Predict the penalty of a linear critic D(x) = w·x with ‖w‖ = 2 and λ = 10. measure: "
             + PY + 'from minigan.gans.wgan_gp import gradient_penalty; D = mg.nn.Linear(2, 1, bias=False); '
             'D.weight.data = mg.tensor([[2.0, 0.0]]); print(gradient_penalty(D, mg.ones(4, 2), mg.zeros(4, 2)))"'),
    Exercise("wgangp_train_step", "gans", ("minigan/gans/wgan_gp.py::WGANGP.train_step",),
             "WGAN-GP Algorithm 1: n_critic critic steps, each widening the gap between the critic's mean score on "
             "real and on fake batches while paying the gradient penalty, then one generator step raising the "
             "critic's mean score on fakes",
             WGAN, "x̃ = G(z).detach(); the penalty comes from gradient_penalty(D, x, x̃, self.lam); "
             "return {loss_c, loss_g, wasserstein, penalty}",
             "Predict how the penalty term moves during training. measure: "
             "python -m minigan train wgan-gp --data ring --steps 200 --seed 0 --out runs/ex-wgangp --force"),
    Exercise("cgan_conditioning", "gans", ("minigan/gans/models.py::_with_label",),
             "the cGAN's conditioning: concatenate the one-hot label to the input along the features "
             "(unchanged when num_classes is 0)",
             CONDITIONAL, "the label becomes num_classes features (one-hot), placed after x's features (axis 1: x is "
             "(N, features)); num_classes 0 leaves x as it is; a conditional net called without labels is a "
             "ValueError",
             "Predict the input width of a conditional MLP discriminator on 2-D points with 10 classes. measure: "
             + PY + 'from minigan.gans.models import MLPDiscriminator; D = MLPDiscriminator((2,), num_classes=10); '
             'print(D.net[0].weight.shape)"'),
    Exercise("cgan_train_step", "gans", ("minigan/gans/cgan.py::CGAN.train_step",),
             "Algorithm 1 conditioned on labels: D sees each real with its own label and each fake with the label "
             "G made it for; G steps on a fresh forward with new labels",
             CONDITIONAL, "draw z and y_fake (random_labels) before the real batch; the fake's label goes to G and "
             "to D; return {loss_d, loss_g, d_real, d_fake}",
             "Predict the conditional accuracy of a briefly trained cGAN on the digits. measure: "
             "python -m minigan train cgan --data digits --steps 300 --seed 0 --out runs/ex-cgan --force"),
    Exercise("ebgan_margin_loss", "gans", ("minigan/gans/ebgan.py::energy", "minigan/gans/ebgan.py::margin_loss"),
             "EBGAN's energy, the auto-encoder's squared reconstruction error of each example, and D's margin loss "
             "mean D(x) + mean max(0, m − D(G(z)))",
             EBGAN, "the energy is one number per example: the squared difference between what the auto-encoder "
             "gives back and its input, averaged over that example's coordinates; D's loss pulls the data's energies "
             "down and pushes a fake's up only while it lies under the margin (a hinge at m: above it, nothing); "
             "each of the two terms is a mean over its batch",
             "Predict D's loss, and which fakes get a gradient, for real energies [0.1, 0.3], fake energies "
             "[0.2, 0.9, 2.0] and m = 1. measure: "
             + PY + 'from minigan.gans.ebgan import margin_loss; f = mg.tensor([0.2, 0.9, 2.0], requires_grad=True); '
             'L = margin_loss(mg.tensor([0.1, 0.3]), f, 1.0); L.backward(); print(L.item(), f.grad)"'),
    # ------------------------------------------------------------------ 5. attacks
    Exercise("input_gradient", "attacks", ("minigan/attacks/fgsm.py::input_gradient",),
             "∇ₓJ(θ, x, y) with x a leaf that requires grad, by autograd.grad, in evaluation mode, leaving every "
             "parameter's .grad and every submodule's mode as they were",
             ADV_TRAINING, "x as a new leaf that requires grad; the summed loss (the module has a helper) "
             "differentiated by autograd.grad, which leaves every .grad alone; grad mode on even when the caller "
             "turned it off; the model has a context manager that puts evaluation mode on and each module's own mode "
             "back",
             "Predict whether the model's weights have a .grad after an attack. measure: "
             + PY + 'from minigan.attacks import fgsm; m = mg.nn.Linear(4, 3); '
             'fgsm(m, np.random.rand(2, 4).astype(np.float32), np.array([0, 1]), 0.1); print(m.weight.grad)"'),
    Exercise("fgsm", "attacks", ("minigan/attacks/fgsm.py::fgsm",),
             "the fast gradient sign method: x' = clip(x + ε·sign(∇ₓJ)) as a Tensor with no graph",
             ADV_EXAMPLES, "check eps and clip at the door, take input_gradient, step up the loss by ε·sign, clip",
             "Predict the error rate of a digits classifier under FGSM at ε = 0.1. measure: "
             "python -m minigan fgsm --data digits --eps 0.05 0.1 --out runs/ex-fgsm --force"),
    Exercise("project", "attacks", ("minigan/attacks/iterative.py::project",),
             "Π: the nearest point of the ε-ball around x (max-norm) inside the clip range, pixel by pixel",
             ADV_EXAMPLES, "clip into the ε-box around x first, then into the clip range (clip may be None)",
             "Predict project(x + 1, x, 0.1, (0, 1)) for x = 0.95. measure: "
             + PY + 'from minigan.attacks.iterative import project; x = np.array([0.95]); '
             'print(project(x + 1, x, 0.1, (0.0, 1.0)))"'),
    Exercise("sign_step", "attacks", ("minigan/attacks/iterative.py::_sign_step",),
             "one iterative step x' ± α·sign(∇ₓJ(x', y)): up the loss, or down it for a targeted attack",
             ADV_EXAMPLES, "∇ₓJ at the current x' is what input_gradient gives (a Tensor: step with its array); "
             "α·sign of it, added to go up the loss, subtracted for a targeted attack; the result keeps x's dtype",
             "Predict how far one sign step of α = 0.01 moves every pixel. measure: "
             + PY + 'from minigan.attacks.iterative import _sign_step; m = mg.nn.Linear(4, 3); '
             'x = np.zeros((1, 4), np.float32); print(_sign_step(m, x, np.array([0]), 0.01, False, None, \'t\') - x)"'),
    Exercise("bim", "attacks", ("minigan/attacks/iterative.py::bim",),
             "the basic iterative method: steps sign steps of size α from x itself, each projected onto the ε-ball",
             ADV_EXAMPLES, "without labels attack the model's predictions on the clean x (predicted_labels), fixed "
             "once before the first step",
             "Predict whether ten BIM steps at ε = 0.1 raise a network's loss more than one FGSM step at the same ε. "
             "measure: " + PY + 'from minigan.attacks import fgsm, bim; from minigan.attacks.iterative import '
             'per_example_loss as J; mg.manual_seed(0); m = mg.nn.Sequential(mg.nn.Linear(64, 32), mg.nn.Tanh(), '
             'mg.nn.Linear(32, 10)); x = np.random.rand(100, 64).astype(np.float32); y = np.arange(100) % 10; '
             'print(J(m, fgsm(m, x, y, 0.1).numpy(), y).mean(), J(m, bim(m, x, y, 0.1, steps=10).numpy(), y).mean())"'),
    Exercise("pgd", "attacks", ("minigan/attacks/iterative.py::pgd",),
             "projected gradient descent: a uniform random start in the ε-ball, projected sign steps, and per "
             "example the worst of several restarts",
             ADV_EXAMPLES, "the start is x plus uniform noise across the ε-box (random.rand), projected; keep the "
             "restart whose per_example_loss is highest (lowest when targeted)",
             "Predict the mean |x' − x| of PGD's random start with no step (step_size 0) at ε = 0.2. measure: "
             + PY + 'from minigan.attacks import pgd; m = mg.nn.Linear(64, 10); '
             'x = np.full((50, 64), 0.5, np.float32); '
             'print(abs(pgd(m, x, eps=0.2, step_size=0.0, steps=1).detach().numpy() - x).mean())"'),
    Exercise("adversarial_loss", "attacks", ("minigan/attacks/adversarial_training.py::adversarial_loss",),
             "Goodfellow et al.'s adversarial training objective: the loss on the clean batch and the loss on its "
             "FGSM batch, mixed with weight α on the clean one",
             ADV_TRAINING, "x' is made with θ fixed and is a constant after; J is the mean cross-entropy; "
             "eps may be one number or one per example",
             "Predict whether adversarial training raises or lowers clean accuracy on the digits. measure: "
             "python -m minigan fgsm --data digits --eps 0.1 --adversarial-training --adv-epochs 5 "
             "--out runs/ex-advtrain --force"),
    Exercise("pgd_adversarial_loss", "attacks",
             ("minigan/attacks/adversarial_training.py::pgd_adversarial_loss",),
             "Madry et al.'s inner max: the loss at PGD's worst case x* near each example, optionally mixed with the "
             "clean loss, weight α on the clean one",
             ADV_TRAINING, "x* = pgd(...) is a constant; by Danskin's theorem the gradient of the max is the gradient "
             "at x*",
             "Predict whether the PGD loss is above the clean loss for an untrained model. measure: "
             + PY + 'from minigan.attacks.adversarial_training import pgd_adversarial_loss as L; import '
             'minigan.functional as F; m = mg.nn.Linear(64, 10); x = np.random.rand(32, 64).astype(np.float32); '
             'y = np.zeros(32, int); '
             'print(L(m, x, y, 0.1).item(), F.cross_entropy(m(mg.tensor(x)), y).item())"'),
    Exercise("patch_update", "attacks", ("minigan/attacks/patch.py::patch_update",),
             "one step of the adversarial patch: paste it into each image at its place, then a signed step of size "
             "α down the cross-entropy toward the target class, summed over the batch, clipped; the new patch",
             ADV_EXAMPLES, "the patch's pixel (c, i, j) IS image pixel (c, row + i, col + j): the chain rule reads "
             "each image's input gradient under the patch and adds the images up; a targeted attack steps down the "
             "loss of the target class; a copy is returned, in the patch's dtype",
             "Predict how far one update of size 0.05 moves each pixel of a grey patch, and which way. measure: "
             + PY + 'from minigan.attacks.patch import patch_update; mg.manual_seed(0); '
             'm = mg.nn.Sequential(mg.nn.Flatten(), mg.nn.Linear(64, 10)); x = np.random.rand(8, 1, 8, 8)'
             '.astype(np.float32); p = np.full((1, 3, 3), 0.5, np.float32); '
             'print(patch_update(m, p, x, 3, np.zeros((8, 2), int), 0.05) - p)"'),
    # ------------------------------------------------------------------ 6. latent-variable models
    Exercise("normal_rsample", "latent", ("minigan/distributions/normal.py::Normal.rsample",),
             "the reparameterization trick: a draw x = μ + σ·ε of shape sample_shape + batch_shape, with ε ~ N(0, 1) "
             "drawn apart from μ and σ, so that x is differentiable in both",
             GENERATIVE, "ε is the only randomness: drawn in the extended shape (sample_shape + batch_shape), on μ's "
             "device and dtype, with no parameter in it; what follows is ops on μ and σ alone, so the gradient "
             "reaches both (work out what it is before you measure)",
             "Predict the gradient of Σ x with respect to σ for 1,000 draws of N(0, 1). measure: "
             + PY + 's = mg.tensor(1.0, requires_grad=True); mg.manual_seed(0); '
             'x = mg.distributions.Normal(mg.tensor(0.0), s).rsample((1000,)); x.sum().backward(); print(s.grad)"'),
    Exercise("normal_log_prob", "latent", ("minigan/distributions/normal.py::Normal.log_prob",),
             "the Normal's log density at x (the log of the Gaussian's density function), differentiable in x, μ "
             "and σ",
             GENERATIVE, "write it with ops on Tensors (scale.log(), **): its gradient, and the VAE's, follow",
             "Predict log p(0) for N(0, 1). measure: "
             + PY + 'print(mg.distributions.Normal(mg.tensor(0.0), mg.tensor(1.0)).log_prob(mg.tensor(0.0)))"'),
    Exercise("gaussian_kl", "latent", ("minigan/distributions/kl.py::_kl_normal_normal",),
             "KL(N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)) in closed form, element by element",
             GENERATIVE, "KL is the mean of log p − log q under p: write both log densities, and the only moments "
             "of p you need are its mean and its variance; it is 0 when the two are the same and grows with the "
             "gap of the means measured in σ₂",
             "Predict KL(N(1, 1) ‖ N(0, 1)). measure: "
             + PY + 'N = mg.distributions.Normal; print(mg.distributions.kl_divergence(N(mg.tensor(1.0), '
             'mg.tensor(1.0)), N(mg.tensor(0.0), mg.tensor(1.0))))"'),
    Exercise("elbo", "latent", ("minigan/gans/vae.py::VAE.elbo_terms",),
             "the VAE's evidence lower bound per example, ELBO = log P(x|z) − KL(Q(z|x) ‖ N(0, I)) with one "
             "z ~ Q(z|x) drawn by rsample; return (elbo, kl, log_px)",
             GENERATIVE, "the encoder gives Q(z|x); one z drawn from it through the reparameterization trick (a plain "
             "draw when reparameterize is off); the KL to the prior N(0, I) summed over z's coordinates; log P(x|z) "
             "from the decoder",
             "Predict whether the KL term rises or falls over 300 steps of training through rsample() (the "
             "command's way; lesson 21 also trains through sample() for the comparison), then read kl in "
             "runs/ex-vae/metrics.json. measure: "
             "python -m minigan train vae --data digits --steps 300 --seed 0 --out runs/ex-vae --force"),
    Exercise("memorization_distance", "latent", ("minigan/metrics/memorization.py::memorization_distance",),
             "the memorization distance: each sample's Euclidean distance to its nearest row of a reference set "
             "(rows flattened), leaving each row out of its own set with leave_one_out, and the nearest row's index "
             "with return_index; vectorized",
             MEMORIZE, "d(x, S) = min over s in S of ‖x − s‖, every image one row of its values: 0 for a member of S; "
             "with leave_one_out, s ranges over S without x itself; ‖a − b‖² = ‖a‖² + ‖b‖² − 2a·b turns all pairs "
             "into one matrix product",
             "Predict whether held-out digits lie nearer the training digits than the training digits lie to each "
             "other (lesson 31). measure: "
             + PY + 'from minigan.data.digits import load_digits; tr = load_digits()[0]; '
             'te = load_digits(\'test\')[0]; d = mg.metrics.memorization_distance; print(np.median(d(te, tr)), '
             'np.median(d(tr, tr, leave_one_out=True)))"'),
)

BY_NAME = {e.name: e for e in EXERCISES}
SET_TITLES = dict(SETS)


def by_set():
    """[(set key, title, [exercises])] in lesson order."""
    return [(key, title, [e for e in EXERCISES if e.set == key]) for key, title in SETS]

# Points in a gradebook (``exercises grade``): each set's exercises are worth SET_POINTS, the whole training
# steps, the walk and the convolution's pieces more.  A teacher may edit these; the total is printed by `list`.
SET_POINTS = {"autodiff": 2, "ops": 1, "optim": 2, "gans": 2, "attacks": 2, "latent": 2}
POINTS = {"backprop": 3, "im2col": 2, "col2im": 2, "conv2d_backward": 2, "gan_train_step": 3,
          "wgan_train_step": 3, "wgangp_train_step": 3, "cgan_train_step": 3, "pgd": 3, "elbo": 3}
