"""Every bad input a student may feed minigan gets a clear, correctly typed error.

One table, one case per mistake. Each case says which exception it must raise (ValueError,
TypeError, RuntimeError or a minigan subclass of one; never an IndexError/KeyError/AttributeError
from inside) and a regex the message must match: the function's name, what it was given, and
what it expected. The command line gets its own table: one line on stderr, exit code 2.
"""

import gzip
import math
import re
import subprocess
import sys

import pytest

import minigan
import minigan.functional as F
from minigan import nn, optim
from minigan.engine import backend
from minigan.engine.backend import np
from minigan.engine.errors import DomainError, GraphError, IndexOutOfRange, MiniganError, ShapeError

GPU = backend.cupy_available()
ALLOWED = (ValueError, TypeError, RuntimeError)
# A path that does not exist is Python's FileNotFoundError (an OSError), as documented in idx.py and
# serialization.py: the one exception to ALLOWED, and only for a missing file or folder.
MISSING_PATH = (FileNotFoundError,)
FORBIDDEN = (IndexError, KeyError, AttributeError)


def T(*shape, dtype=np.float32, requires_grad=False):
    return minigan.Tensor(np.ones(shape, dtype=dtype), requires_grad=requires_grad)


def P(*shape):
    return nn.Parameter(np.ones(shape, dtype=np.float32))


class TinyMLP(nn.Module):
    def __init__(self, n_in=4, n_out=3):
        super().__init__()
        self.fc1 = nn.Linear(n_in, 5)
        self.fc2 = nn.Linear(5, n_out)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


def _backward_twice():
    x = T(3, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    y.backward()


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def _idx_header(ndim_sizes, code=0x08):
    return bytes([0, 0, code, len(ndim_sizes)]) + np.asarray(ndim_sizes, dtype=">i4").tobytes()


def _fgsm(eps=0.1, clip=(0.0, 1.0)):
    from minigan.attacks import fgsm

    return fgsm(TinyMLP(), np.full((2, 4), 0.5, dtype=np.float32), np.array([0, 1]), eps=eps, clip=clip)


def _other_architecture():
    """A checkpoint of a 4→5→3 MLP loaded into a 4→5→10 one: the first differing key and both shapes."""
    TinyMLP(4, 10).load_state_dict(TinyMLP(4, 3).state_dict())


def _missing_key():
    state = TinyMLP().state_dict()
    del state["fc2.bias"]
    TinyMLP().load_state_dict(state)


# ----------------------------------------------------------------------------- the table
# (id, thunk(tmp_path), exception type, regex on the message)
CASES = [
    # mismatched shapes in every binary op
    ("add-shapes", lambda d: T(2, 3) + T(4), ShapeError,
     r"add: cannot broadcast inputs of shapes \(2, 3\) and \(4,\); expected shapes that are equal, or 1"),
    ("sub-shapes", lambda d: T(2, 3) - T(3, 2), ShapeError,
     r"sub: cannot broadcast inputs of shapes \(2, 3\) and \(3, 2\); expected shapes that are equal, or 1"),
    ("mul-shapes", lambda d: T(5) * T(4), ShapeError,
     r"mul: cannot broadcast inputs of shapes \(5,\) and \(4,\); expected shapes that are equal, or 1"),
    ("div-shapes", lambda d: T(2, 3) / T(2, 2), ShapeError,
     r"div: cannot broadcast inputs of shapes \(2, 3\) and \(2, 2\); expected shapes that are equal, or 1"),
    ("pow-shapes", lambda d: T(2, 3) ** T(4, 1, 2), ShapeError,
     r"pow: cannot broadcast inputs of shapes \(2, 3\) and \(4, 1, 2\); expected shapes that are equal, or 1"),
    ("rsub-array-shapes", lambda d: np.ones((3,), np.float32) - T(2), ShapeError,
     r"sub: cannot broadcast inputs of shapes \(3,\) and \(2,\); expected shapes that are equal, or 1"),
    ("matmul-shapes", lambda d: T(2, 3) @ T(4, 5), ShapeError,
     r"matmul: shapes \(2, 3\) and \(4, 5\) .*last axis of the first \(3\) must equal"),
    ("matmul-0d", lambda d: T() @ T(3), ShapeError, r"matmul: .*at least 1-D, got shapes \(\) and \(3,\)"),
    ("linear-in-features", lambda d: F.linear(T(8, 3), T(5, 4)), ShapeError,
     r"linear: input of shape \(8, 3\) does not fit weight of shape \(5, 4\); expected input \(\.\.\., 4\)"),
    ("linear-bias", lambda d: F.linear(T(8, 4), T(5, 4), T(4)), ShapeError,
     r"linear: bias has shape \(4,\), expected \(5,\)"),
    ("Linear-module-input", lambda d: nn.Linear(4, 2)(T(3, 7)), ShapeError, r"linear: input of shape \(3, 7\)"),
    ("conv2d-channels", lambda d: F.conv2d(T(1, 3, 8, 8), T(6, 1, 3, 3)), ShapeError,
     r"conv2d: input of shape \(1, 3, 8, 8\) has 3 channels but weight of shape \(6, 1, 3, 3\) expects 1"),
    ("conv2d-kernel-too-large", lambda d: F.conv2d(T(1, 1, 4, 4), T(2, 1, 7, 7), padding=1), ShapeError,
     r"conv2d: kernel 7×7 .* larger than the padded input 6×6"),
    ("conv2d-2d-input", lambda d: F.conv2d(T(8, 8), T(6, 3, 3, 3)), ShapeError,
     r"conv2d: input must be 4-D \(N, C, H, W\), got shape \(8, 8\)"),  # ((C, H, W) is one image, as PyTorch)
    ("conv2d-bias", lambda d: F.conv2d(T(1, 3, 8, 8), T(6, 3, 3, 3), T(3)), ShapeError,
     r"conv2d: bias has shape \(3,\), expected \(6,\)"),
    ("conv2d-stride-0", lambda d: F.conv2d(T(1, 3, 8, 8), T(6, 3, 3, 3), stride=0), ValueError,
     r"conv2d: stride must be >= 1, got 0"),
    ("Conv2d-module-channels", lambda d: nn.Conv2d(3, 4, 3)(T(2, 1, 8, 8)), ShapeError,
     r"conv2d: input of shape \(2, 1, 8, 8\) has 1 channels but .* expects 3"),
    ("conv_transpose2d-channels", lambda d: F.conv_transpose2d(T(1, 3, 4, 4), T(2, 5, 4, 4)), ShapeError,
     r"conv_transpose2d: input of shape \(1, 3, 4, 4\) has 3 channels but weight of shape \(2, 5, 4, 4\) expects 2"),
    ("conv_transpose2d-padding-too-large", lambda d: F.conv_transpose2d(T(1, 2, 1, 1), T(2, 3, 2, 2), padding=2),
     ShapeError, r"conv_transpose2d: output would be -2×-2 .*expected at least 1×1"),
    ("conv_transpose2d-output-padding", lambda d: F.conv_transpose2d(T(1, 2, 4, 4), T(2, 3, 4, 4), stride=2,
                                                                     output_padding=2),
     ShapeError, r"conv_transpose2d: output_padding \(2, 2\) must be smaller than stride \(2, 2\)"),
    ("cat-shapes", lambda d: minigan.cat([T(2, 3), T(2, 4)], axis=0), ShapeError,
     r"cat: tensor 1 has shape \(2, 4\), but tensor 0 has shape \(2, 3\); all shapes must match except along axis 0"),
    ("cat-ndim", lambda d: minigan.cat([T(2, 3), T(2, 3, 1)], axis=1), ShapeError,
     r"cat: tensor 1 has shape \(2, 3, 1\), but tensor 0 has shape \(2, 3\)"),
    ("cat-empty", lambda d: minigan.cat([]), ValueError, r"cat: expected a non-empty list of tensors, got list"),
    ("cat-axis", lambda d: minigan.cat([T(2), T(3)], axis=1), ShapeError,
     r"cat: dim 1 is out of range for tensors with 1 dimensions \(expected -1 to 0\)"),
    ("reshape-size", lambda d: T(2, 3).reshape(4, 2), ShapeError,
     r"reshape: cannot reshape a tensor of shape \(2, 3\) \(6 elements\) into \(4, 2\)"),
    ("transpose-perm", lambda d: T(2, 3).transpose(0, 0, 1), ShapeError,
     r"transpose: axes \(0, 0, 1\) are not a permutation of the 2 axes"),
    ("sum-axis", lambda d: T(2, 3).sum(axis=2), ShapeError, r"sum: axis 2 is out of range for a tensor with 2 dim"),
    ("getitem-out-of-range", lambda d: T(2, 3)[np.array([0, 5])], IndexOutOfRange,
     r"getitem: index 5 is out of bounds for axis 0 with size 2"),
    ("mse-shapes", lambda d: F.mse_loss(T(4, 2), T(3)), ShapeError,
     r"mse_loss: cannot broadcast inputs of shapes \(4, 2\) and \(3,\)"),
    ("bce-logits-shapes", lambda d: F.binary_cross_entropy_with_logits(T(4, 1), T(4)), ShapeError,
     r"binary_cross_entropy_with_logits: input has shape \(4, 1\) but target has shape \(4,\)"),
    ("add-string", lambda d: T(3) + "1", TypeError,  # (the operator answers NotImplemented: Python's words, PyTorch's)
     r"^unsupported operand type\(s\) for \+: 'Tensor' and 'str'"),
    ("rmul-none", lambda d: None * T(3), TypeError, r"^mul: unsupported operand of type NoneType; expected"),
    ("div-dict", lambda d: T(3) / {}, TypeError, r"^div: unsupported operand of type dict; expected"),
    ("randn-negative", lambda d: minigan.randn(2, -1), ValueError,
     r"^randn: got shape \(2, -1\), expected non-negative integer sizes"),
    ("zeros-float-size", lambda d: minigan.zeros(2, 2.5), TypeError,
     r"^zeros: got shape \(2, 2\.5\), expected non-negative integer sizes"),
    ("leaky_relu-slope-string", lambda d: F.leaky_relu(T(3), "0.2"), TypeError,
     r"^leaky_relu: negative_slope must be a number, got str '0\.2'"),
    # integer / bool / object arrays where floats are needed
    ("leaky_relu-int", lambda d: F.leaky_relu(np.arange(3)), TypeError,  # (relu of an int tensor is one, as PyTorch's)
     r"leaky_relu: input must be a floating-point tensor, got dtype minigan.int64"),
    ("relu-bool", lambda d: F.relu(minigan.tensor([True, False])), TypeError,  # PyTorch refuses it too
     r"relu: bool tensors are not supported"),
    ("linear-int-weight", lambda d: F.linear(T(2, 3), np.ones((4, 3), dtype=np.int32)), TypeError,
     r"linear: weight must be a floating-point tensor, got dtype minigan.int32"),
    ("conv2d-uint8-images", lambda d: F.conv2d(np.zeros((1, 1, 8, 8), np.uint8), T(2, 1, 3, 3)), TypeError,
     r"conv2d: input is minigan.uint8 but the weight is minigan.float32; expected the same dtype \(convert the "
     r"input with x.to\(minigan.float32\)\)"),
    ("mse-int-input", lambda d: F.mse_loss(np.arange(3), np.arange(3)), TypeError,  # (beside a float target an
     # integer input is promoted, as PyTorch's; integers alone are refused by both)
     r"mse_loss: input must be a floating-point tensor, got dtype minigan.int64"),
    ("tensor-object-array", lambda d: minigan.Tensor(np.array([1, "a"], dtype=object)), TypeError,
     r"Tensor: cannot hold an array of dtype object; expected a float, int or bool array"),
    ("tensor-string", lambda d: minigan.tensor("abc"), TypeError, r"Tensor: cannot convert str .*expected numbers"),
    ("tensor-ragged-list", lambda d: minigan.tensor([[1, 2], [3]]), ValueError, r"Tensor: cannot convert list"),
    # requires_grad on integers
    ("requires-grad-int", lambda d: minigan.tensor(np.arange(3), requires_grad=True), TypeError,
     r"requires_grad: only floating-point tensors can require gradients, got dtype int64"),
    ("requires-grad-bool", lambda d: minigan.tensor(np.ones(3, bool)).requires_grad_(), TypeError,
     r"requires_grad: only floating-point tensors can require gradients, got dtype bool"),
    ("parameter-int", lambda d: nn.Parameter(np.arange(3)), TypeError,
     r"Parameter: data must be floating-point, got dtype int64"),
    # labels out of range or non-integer
    ("cross_entropy-label-too-big", lambda d: F.cross_entropy(T(2, 3), np.array([0, 3])), DomainError,
     r"^cross_entropy: label 3 is out of range for 3 classes \(expected 0\.\.2\)"),
    ("cross_entropy-label-negative", lambda d: F.cross_entropy(T(2, 3), np.array([-1, 0])), DomainError,
     r"^cross_entropy: label -1 is out of range for 3 classes"),
    ("cross_entropy-float-labels", lambda d: F.cross_entropy(T(2, 3), np.array([0.0, 1.0])), TypeError,
     r"cross_entropy: labels must be integers, got dtype float64"),
    ("cross_entropy-label-shape", lambda d: F.cross_entropy(T(2, 3), np.array([0, 1, 2])), ShapeError,
     r"cross_entropy: expected labels of shape \(2,\) for 2 rows, got \(3,\)"),
    ("cross_entropy-1d-logits", lambda d: F.cross_entropy(T(3), np.array([0, 1])), ShapeError,
     r"cross_entropy: the scores of one sample, shape \(3,\), take one label \(a 0-d tensor\)"),
    ("one_hot-label-too-big", lambda d: F.one_hot(np.array([0, 4]), 4), DomainError,
     r"^one_hot: label 4 is out of range for 4 classes \(expected 0\.\.3\)"),
    ("one_hot-label-negative", lambda d: F.one_hot(np.array([-2]), 4), DomainError,
     r"^one_hot: label -2 is out of range for 4 classes"),
    ("one_hot-float-labels", lambda d: F.one_hot(np.array([0.5]), 4), TypeError,
     r"one_hot: labels must be an integer array, got dtype float64"),
    ("one_hot-num-classes", lambda d: F.one_hot(np.array([0]), 0), ValueError,
     r"one_hot: num_classes=0 holds no class; pass a positive count \(or -1: the largest label \+ 1\)"),
    ("cross_entropy-reduction", lambda d: F.cross_entropy(T(2, 3), np.array([0, 1]), reduction="avg"), DomainError,
     r"^cross_entropy: reduction must be one of \('mean', 'sum', 'none'\), got 'avg'"),
    ("embedding-index", lambda d: F.embedding(np.array([7]), T(5, 2)), ValueError,
     r"embedding: index 7 is out of range for 5 embeddings"),
    # probabilities outside [0, 1]
    ("bce-probs-above-1", lambda d: F.binary_cross_entropy(minigan.tensor([0.5, 1.5]), minigan.tensor([0.0, 1.0])),
     DomainError, r"^binary_cross_entropy: input must hold probabilities in \[0, 1\], got values in \[0\.5, 1\.5\]"),
    ("bce-probs-negative", lambda d: F.binary_cross_entropy(minigan.tensor([-0.1]), minigan.tensor([0.0])),
     DomainError, r"^binary_cross_entropy: input must hold probabilities in \[0, 1\], got values in \[-0\.1"),
    ("bce-probs-nan", lambda d: F.binary_cross_entropy(minigan.tensor([0.5, math.nan]), minigan.tensor([0.0, 1.0])),
     DomainError, r"^binary_cross_entropy: input must hold probabilities in \[0, 1\].* and NaN"),
    ("dropout-p-above-1", lambda d: F.dropout(T(3), p=1.5), ValueError,
     r"dropout: p must be a probability in \[0, 1\], got 1\.5"),
    ("Dropout-module-p", lambda d: nn.Dropout(-0.5), ValueError, r"[Dd]ropout: p must be .*\[0, 1\].*-0\.5"),
    # FGSM: eps and clip
    ("fgsm-eps-nan", lambda d: _fgsm(eps=math.nan), ValueError, r"fgsm: eps must be a finite number >= 0 .*got nan"),
    ("fgsm-eps-negative", lambda d: _fgsm(eps=-0.1), ValueError, r"fgsm: eps must be a finite number >= 0 .*got -0\.1"),
    ("fgsm-eps-inf", lambda d: _fgsm(eps=math.inf), ValueError, r"fgsm: eps must be a finite number >= 0 .*got inf"),
    ("fgsm-eps-string", lambda d: _fgsm(eps="0.1"), TypeError, r"fgsm: eps must be a number, got str"),
    ("fgsm-clip-reversed", lambda d: _fgsm(clip=(1.0, 0.0)), ValueError,
     r"fgsm: clip must be finite numbers with low < high, got \(1\.0, 0\.0\)"),
    ("fgsm-clip-nan", lambda d: _fgsm(clip=(0.0, math.nan)), ValueError, r"fgsm: clip must be finite numbers .*nan"),
    ("fgsm-clip-not-a-pair", lambda d: _fgsm(clip=1.0), ValueError,
     r"fgsm: clip must be a pair \(low, high\) or None, got 1\.0"),
    ("fgsm-model-none", lambda d: __import__("minigan.attacks").attacks.fgsm(None, T(2, 4), np.array([0, 1])),
     TypeError, r"^fgsm: model must be a minigan Module \(callable, with \.parameters\(\)\), got NoneType"),
    # the autodiff graph
    ("backward-twice", lambda d: _backward_twice(), GraphError,
     r"backward: trying to go through the graph.* a second time.*retain_graph=True"),
    ("backward-non-scalar", lambda d: (T(3, requires_grad=True) * 2).backward(), GraphError,
     r"backward: a tensor of shape \(3,\) needs an explicit gradient of the same shape"),
    ("backward-no-grad", lambda d: T(3).sum().backward(), GraphError, r"backward: this tensor does not require grad"),
    ("backward-grad-shape", lambda d: (T(3, requires_grad=True) * 2).backward(np.ones(4, np.float32)), ShapeError,
     r"backward: gradient of shape \(4,\) given for a tensor of shape \(3,\)"),
    # checkpoints and state dicts
    ("load_state_dict-other-architecture", lambda d: _other_architecture(), ShapeError,
     r"load_state_dict: 'fc2\.weight' has shape \(3, 5\) in the state dict, but the module's has shape \(10, 5\)"),
    ("load_state_dict-missing-key", lambda d: _missing_key(), ValueError,
     r"load_state_dict: TinyMLP key sets differ: first missing key 'fc2\.bias'"),
    ("load_state_dict-not-a-dict", lambda d: TinyMLP().load_state_dict([np.ones((5, 4))]), TypeError,
     r"^load_state_dict: expected a dict of name -> array \(from state_dict\(\)\), got list"),
    ("load-text-file", lambda d: minigan.load(_write(d / "notes.txt", b"hello, I am not a checkpoint")), ValueError,
     r"load: '.*notes\.txt' is not a minigan checkpoint \(it is not a \.npz zip archive"),
    ("load-plain-npz", lambda d: (np.savez(d / "w.npz", w=np.ones(3)), minigan.load(d / "w.npz")), ValueError,
     r"load: '.*w\.npz' is not a minigan checkpoint \(a \.npz file without the '__minigan__' entry"),
    ("load-truncated", lambda d: (minigan.save({"w": np.ones(1000)}, d / "c.npz"),
                                  _write(d / "c.npz", (d / "c.npz").read_bytes()[:300]), minigan.load(d / "c.npz")),
     ValueError, r"load: '.*c\.npz' is not a minigan checkpoint or is damaged"),
    ("load-missing-file", lambda d: minigan.load(d / "nope.npz"), FileNotFoundError,
     r"load: no such file '.*nope\.npz'"),
    # data
    ("parse_dataset-unknown", lambda d: __import__("minigan.data.toy2d").data.toy2d.parse_dataset("moons"), ValueError,
     r"parse_dataset: got 'moons', expected one of \"ring\", \"grid\""),
    ("parse_dataset-bad-k", lambda d: __import__("minigan.data.toy2d").data.toy2d.parse_dataset("ring:0"), ValueError,
     r"parse_dataset: got 'ring:0', expected ring:K with K a positive integer"),
    ("build_experiment-unknown-data", lambda d: __import__("minigan.gans.recipes").gans.recipes.build_experiment(
        "gan", "moons"), ValueError, r"unknown data 'moons': expected \"ring\", \"grid\""),
    ("load_idx_folder-missing", lambda d: __import__("minigan.data.idx").data.idx.load_idx_folder(d / "mnist"),
     FileNotFoundError, r"load_idx_folder: no such folder: '.*mnist' \(expected a folder holding MNIST-format files"),
    ("load_idx_folder-empty", lambda d: __import__("minigan.data.idx").data.idx.load_idx_folder(d),
     FileNotFoundError, r"load_idx_folder: found none of \['train-images-idx3-ubyte'"),
    ("read_idx-truncated-data", lambda d: __import__("minigan.data.idx").data.idx.read_idx(
        _write(d / "x-idx3-ubyte", _idx_header([2, 3, 3]) + bytes(10))), ValueError,
     r"read_idx: '.*x-idx3-ubyte' is truncated: got 10 data bytes, expected 18 for shape \(2, 3, 3\) of uint8"),
    ("read_idx-truncated-header", lambda d: __import__("minigan.data.idx").data.idx.read_idx(
        _write(d / "x-idx3-ubyte", _idx_header([2, 3, 3])[:9])), ValueError,
     r"read_idx: .* has a truncated header: got 9 bytes, expected 16 for 3 dimensions"),
    ("read_idx-bad-magic", lambda d: __import__("minigan.data.idx").data.idx.read_idx(
        _write(d / "x.png", b"\x89PNG\r\n\x1a\n")), ValueError,
     r"read_idx: .* has a bad magic number: got bytes 89 50 4e 47, expected 00 00 <dtype> <ndim>"),
    ("read_idx-bad-dtype", lambda d: __import__("minigan.data.idx").data.idx.read_idx(
        _write(d / "x-idx1", _idx_header([2], code=0x07) + bytes(2))), ValueError,
     r"read_idx: .* has an unknown dtype code 0x07, expected one of 0x08 \(uint8\)"),
    ("read_idx-corrupt-gz", lambda d: __import__("minigan.data.idx").data.idx.read_idx(
        _write(d / "x-idx1-ubyte.gz", gzip.compress(_idx_header([100]) + bytes(100))[:30])), ValueError,
     r"read_idx: '.*x-idx1-ubyte\.gz' starts like a gzip file but is corrupt or truncated"),
]

# every optimizer: negative, zero and NaN learning rates, an empty parameter list
OPTIMIZERS = {
    "SGD": lambda params, **kw: optim.SGD(params, **{"lr": 0.1, **kw}),
    "RMSprop": lambda params, **kw: optim.RMSprop(params, **kw),
    "Adam": lambda params, **kw: optim.Adam(params, **kw),
    "OptimisticAdam": lambda params, **kw: optim.OptimisticAdam(params, **kw),
    "OptimisticSGD": lambda params, **kw: optim.OptimisticSGD(params, **{"lr": 0.1, **kw}),
}
for _name, _make in OPTIMIZERS.items():
    # (lr=0 and lr=inf are PyTorch's too; NaN is refused except by SGD, whose check is lr < 0, as PyTorch's)
    for _lr, _shown in ((-0.01, r"-0\.01"), (math.nan, "nan"))[:1 if _name == "SGD" else 2]:
        CASES.append((f"{_name}-lr-{_lr}", lambda d, m=_make, lr=_lr: m([P(2)], lr=lr), ValueError,
                      rf"{_name}: lr must be a number >= 0, got {_shown}"))
    CASES.append((f"{_name}-lr-string", lambda d, m=_make: m([P(2)], lr="0.1"), TypeError,
                  rf"{_name}: lr must be a number, got str"))
    CASES.append((f"{_name}-empty-params", lambda d, m=_make: m([]), ValueError,
                  rf"{_name}: got an empty parameter list, expected at least one parameter"))
    CASES.append((f"{_name}-generator-exhausted", lambda d, m=_make: m(iter(())), ValueError,
                  rf"{_name}: got an empty parameter list"))
    CASES.append((f"{_name}-single-tensor", lambda d, m=_make: m(P(2)), TypeError,
                  rf"{_name}: params must be an iterable of parameters .*got a single Tensor"))
for _name in ("Adam", "OptimisticAdam"):
    for _betas, _shown in (((1.0, 0.999), r"betas\[0\] must be in \[0, 1\), got 1\.0"),
                           ((0.9, -0.1), r"betas\[1\] must be in \[0, 1\), got -0\.1"),
                           ((math.nan, 0.999), r"betas\[0\] must be in \[0, 1\), got nan"),
                           ((0.5, 1.5), r"betas\[1\] must be in \[0, 1\), got 1\.5")):
        CASES.append((f"{_name}-betas-{_betas}", lambda d, m=OPTIMIZERS[_name], b=_betas: m([P(2)], betas=b),
                      ValueError, rf"{_name}: {_shown}"))
    CASES.append((f"{_name}-betas-scalar", lambda d, m=OPTIMIZERS[_name]: m([P(2)], betas=0.9), TypeError,
                  rf"{_name}: betas must be a pair \(beta1, beta2\), got 0\.9"))
CASES += [
    ("RMSprop-alpha-negative", lambda d: optim.RMSprop([P(2)], alpha=-0.5), ValueError,
     r"RMSprop: alpha must be a number >= 0, got -0\.5"),
    ("Adadelta-rho-above-1", lambda d: optim.Adadelta([P(2)], rho=1.5), ValueError,
     r"Adadelta: rho must be in \[0, 1\], got 1\.5"),
    ("Adam-eps-negative", lambda d: optim.Adam([P(2)], eps=-1e-8), ValueError,
     r"Adam: eps must be a number >= 0"),
    ("SGD-momentum-negative", lambda d: optim.SGD([P(2)], lr=0.1, momentum=-0.9), ValueError,
     r"SGD: momentum must be a number >= 0, got -0\.9"),
    ("SGD-non-leaf-param", lambda d: optim.SGD([P(2) * 2], lr=0.1), ValueError,
     r"SGD: parameter 0 \(shape \(2,\)\) is the result of an op, expected a leaf"),
    ("SGD-param-not-tensor", lambda d: optim.SGD([np.ones(2)], lr=0.1), TypeError,
     r"SGD: parameter 0 is a ndarray, expected a minigan Parameter"),
]


@pytest.mark.parametrize("make,exc,pattern", [pytest.param(m, e, p, id=i) for i, m, e, p in CASES])
def test_bad_input_raises_a_clear_error(tmp_path, make, exc, pattern):
    assert issubclass(exc, ALLOWED + MISSING_PATH), "the table may only expect ValueError/TypeError/RuntimeError"
    with pytest.raises(exc) as info:
        make(tmp_path)
    err = info.value
    assert isinstance(err, ALLOWED + MISSING_PATH)
    if isinstance(err, FORBIDDEN):  # e.g. IndexOutOfRange: allowed only as a minigan subclass of ValueError
        assert isinstance(err, MiniganError) and isinstance(err, ValueError), type(err).__mro__
    assert re.search(pattern, str(err)), f"message {str(err)!r} does not match {pattern!r}"


def test_the_table_is_large_enough_and_ids_are_unique():
    ids = [c[0] for c in CASES]
    assert len(ids) >= 40 and len(set(ids)) == len(ids)


@pytest.mark.parametrize("op", ["add", "matmul", "cat", "linear"])
def test_mixing_numpy_and_cupy_tensors_raises_a_clear_error(op, cuda_device):
    a = minigan.Tensor(np.ones((2, 2), np.float32), device="cpu")
    b = minigan.Tensor(np.ones((2, 2), np.float32), device="cuda")
    fns = {"add": lambda: a + b, "matmul": lambda: a @ b, "cat": lambda: minigan.cat([a, b]),
           "linear": lambda: F.linear(a, b)}
    with pytest.raises(backend.BackendError) as info:
        fns[op]()
    assert isinstance(info.value, ALLOWED)
    assert re.search(rf"^{op}: inputs on cpu, cuda: cannot mix a NumPy \(cpu\) array and a CuPy \(cuda\) array",
                     str(info.value)), str(info.value)


# ----------------------------------------------------------------------------- the command line
def _idx_folder(d, images: bytes):
    d.mkdir()
    _write(d / "train-images-idx3-ubyte", images)
    _write(d / "train-labels-idx1-ubyte", _idx_header([2], code=0x08) + bytes(2))
    return d


def _bad_checkpoint(d):
    (d / "run").mkdir()
    _write(d / "run" / "checkpoint.npz", b"not a checkpoint at all")
    return d / "run"


def _foreign_checkpoint(d):
    (d / "run").mkdir()
    minigan.save({"generator": {"w": np.ones(3)}}, d / "run" / "checkpoint.npz")
    return d / "run"


TRAIN = ["train", "gan", "--steps", "2", "--no-progress"]
# (id, argv builder(tmp_path), regex on the one stderr line)
CLI_CASES = [
    ("no-command", lambda d: [], r"the following arguments are required: command"),
    ("unknown-command", lambda d: ["draw"], r"invalid choice: 'draw'"),
    ("sample-without-run", lambda d: ["sample"], r"sample: error: the following arguments are required: RUN"),
    ("sample-missing-run", lambda d: ["sample", str(d / "nowhere")],
     r"sample: no checkpoint at .*nowhere.; give the --out folder of a train run"),
    ("unknown-algorithm", lambda d: ["train", "flow"], r"argument algorithm: invalid choice: 'flow' \(choose from"),
    ("steps-not-int", lambda d: ["train", "gan", "--steps", "ten"], r"argument --steps: invalid int value: 'ten'"),
    ("unknown-flag", lambda d: [*TRAIN, "--epochs", "3"], r"unrecognized arguments: --epochs 3"),
    ("unknown-data", lambda d: [*TRAIN, "--data", "moons", "--out", str(d / "o")],
     r"unknown data 'moons': expected \"ring\", \"grid\""),
    ("bad-ring-k", lambda d: [*TRAIN, "--data", "ring:zero", "--out", str(d / "o")], r"unknown data 'ring:zero'"),
    ("missing-idx-folder", lambda d: [*TRAIN, "--data", f"idx:{d / 'mnist'}", "--out", str(d / "o")],
     r"load_idx_folder: no such folder: '.*mnist'"),
    ("truncated-idx", lambda d: [*TRAIN, "--data", "idx:" + str(_idx_folder(d / "m", _idx_header([2, 4, 4])
                                                                             + bytes(5))),
                                 "--out", str(d / "o")], r"read_idx: .* is truncated: got 5 data bytes, expected 32"),
    ("corrupt-idx-gz", lambda d: [*TRAIN, "--data", "idx:" + str(_idx_folder(d / "m", b"\x1f\x8b\x08garbage")),
                                  "--out", str(d / "o")], r"read_idx: .* starts like a gzip file but is corrupt"),
    ("negative-lr", lambda d: [*TRAIN, "--lr", "-0.001", "--out", str(d / "o")],
     r"train: --lr must be in \(0, 3\.40282e\+38\], got -0\.001"),
    ("nan-lr", lambda d: [*TRAIN, "--lr", "nan", "--out", str(d / "o")],
     r"train: --lr must be a finite number, got nan"),
    ("zero-steps", lambda d: ["train", "gan", "--steps", "0", "--out", str(d / "o")],
     r"--steps must be a positive integer, got 0"),
    ("negative-seed", lambda d: [*TRAIN, "--seed", "-3", "--out", str(d / "o")], r"--seed must be >= 0, got -3"),
    ("unknown-optimizer", lambda d: [*TRAIN, "--optimizer", "adagrad", "--out", str(d / "o")],
     r"unknown optimizer 'adagrad'"),
    ("unknown-backend", lambda d: [*TRAIN, "--backend", "tpu", "--out", str(d / "o")],
     r"use_backend: got 'tpu', expected"),
    ("out-is-a-file", lambda d: [*TRAIN, "--out", str(_write(d / "f.txt", b"x"))],
     r"--out '.*f\.txt' is a file, expected a folder"),
    ("resume-without-checkpoint", lambda d: [*TRAIN, "--resume", "--out", str(d / "o")],
     r"no checkpoint at '.*checkpoint\.npz'"),
    ("resume-from-garbage", lambda d: [*TRAIN, "--resume", "--out", str(_bad_checkpoint(d))],
     r"load: '.*checkpoint\.npz' is not a minigan checkpoint"),
    ("resume-from-foreign-checkpoint", lambda d: [*TRAIN, "--resume", "--out", str(_foreign_checkpoint(d))],
     r"train --resume: '.*checkpoint\.npz' is a minigan checkpoint but not one written by train"),
    ("fgsm-negative-eps", lambda d: ["fgsm", "--eps", "-0.1", "--out", str(d / "o")],
     r"eps must be a finite number >= 0 .*got -0\.1"),
    ("fgsm-nan-eps", lambda d: ["fgsm", "--eps", "nan", "--out", str(d / "o")],
     r"eps must be a finite number >= 0 .*got nan"),
    ("fgsm-unknown-data", lambda d: ["fgsm", "--data", "cifar", "--out", str(d / "o")],
     r"fgsm: got --data 'cifar', expected"),
    ("fgsm-missing-out", lambda d: ["fgsm", "--eps", "0.1"], r"the following arguments are required: --out"),
]
if not GPU:
    CLI_CASES.append(("cupy-without-gpu", lambda d: [*TRAIN, "--backend", "cupy", "--out", str(d / "o")],
                      r"the 'cupy' backend needs"))


@pytest.mark.parametrize("argv,pattern", [pytest.param(a, p, id=i) for i, a, p in CLI_CASES])
def test_command_line_mistake_is_one_line_with_exit_2(tmp_path, capsys, argv, pattern):
    from minigan.__main__ import main

    previous = backend.backend_name()
    try:
        rc = main(argv(tmp_path))
    finally:
        minigan.use_backend(previous)
    captured = capsys.readouterr()
    err = captured.err
    assert rc == 2, err
    assert "Traceback" not in err and err.count("\n") == 1 and err.endswith("\n"), err
    assert re.search(pattern, err), f"stderr {err!r} does not match {pattern!r}"


def test_command_line_mistake_in_a_real_process(tmp_path):
    """The same through ``python -m minigan`` itself: exit status 2, one line, no traceback."""
    for argv in (["train", "gan", "--data", "moons", "--out", str(tmp_path / "o")], ["train", "gan", "--steps", "x"]):
        r = subprocess.run([sys.executable, "-m", "minigan", *argv], capture_output=True, text=True, timeout=120)
        assert r.returncode == 2 and r.stdout == "", r
        assert "Traceback" not in r.stderr and r.stderr.count("\n") == 1, r.stderr
