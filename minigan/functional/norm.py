"""Normalization: batch, layer, group, instance and RMS norm, and ``normalize``.
"""

from __future__ import annotations

import math

from minigan.engine import backend, checks
from minigan.engine.errors import DimensionError, DivisionByZero, DomainError, DtypeError, GraphError, ShapeError
from minigan.engine.grad_mode import is_grad_enabled
from minigan.engine.graph import Node, namespace, unbroadcast
from minigan.engine.ops import norm as N
from minigan.functional._common import _float, _same_dtype, _tensor
from minigan.surface.fused_backward import as_saved
from minigan.surface.layout import laid_out
from minigan.surface.no_derivative import no_derivative
from minigan.surface.node_view import shown_as
from minigan.surface.reading import read_by_backward, read_from
from minigan.surface.saved import saves
from minigan.surface.tensor import Tensor


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """Batch normalisation over axis 1 of (N, C, ...): (N, C), (N, C, L), (N, C, H, W) or more axes, as
    ``torch.nn.functional``'s.

    running_mean/running_var: (C,) Tensors or arrays (or None): used in evaluation, updated in
    place in training.  weight γ and bias β: (C,) (default 1 and 0).
    """
    if _usual_batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps):  # (a layer's)
        return N.BatchNorm.apply(input, weight, bias, training=bool(training), momentum=momentum, eps=eps,
                                 running_mean=None if running_mean is None else running_mean.array,
                                 running_var=None if running_var is None else running_var.array)
    x = _tensor(input, "batch_norm")
    if training and x.ndim and x.shape[0] * math.prod(x.shape[2:]) == 1:  # (PyTorch's first check, in Python)
        raise ShapeError(f"batch_norm: expected more than 1 value per channel when training, got input of shape "
                         f"{tuple(x.shape)}")
    if not (eps > 0 if training else eps >= 0):  # (PyTorch's Python checks, before its kernel's; momentum is not
        # checked: outside [0, 1] it extrapolates the running statistics, as PyTorch's; nn.BatchNorm's constructor
        # is the door that checks it)
        raise DomainError(f"batch_norm: eps must be {'positive during training' if training else 'non-negative'}, "
                          f"got {eps}")
    if x.ndim and x.numel() == 0:  # an empty batch: PyTorch takes no statistics and checks none
        out = x.clone() if weight is None else x * _tensor(weight, "batch_norm", "weight")[0]
        return out if bias is None else out + _tensor(bias, "batch_norm", "bias")[0]
    if x.ndim < 2:  # (PyTorch's reads axis 1: IndexError)
        raise DimensionError(f"batch_norm: input must be (N, C, ...), with a channel axis, got shape "
                             f"{tuple(input.shape)}")
    c = x.shape[1]
    rm = running_mean.array if isinstance(running_mean, Tensor) else running_mean
    rv = running_var.array if isinstance(running_var, Tensor) else running_var
    if (rm is None) != (rv is None) or (not training and rm is None):
        raise DomainError("batch_norm: evaluation needs both running_mean and running_var (training may pass neither)")
    for name, stat in (("running_mean", rm), ("running_var", rv)):
        if stat is not None and tuple(stat.shape) != (c,):
            raise ShapeError(f"batch_norm: {name} has shape {tuple(stat.shape)}, expected ({c},) for input "
                             f"{tuple(x.shape)}")
    if is_grad_enabled() and any(isinstance(s, Tensor) and s.requires_grad for s in (running_mean, running_var)):
        raise GraphError("batch_norm: running_mean and running_var are not differentiable (PyTorch's native_batch_norm "
                         "refuses them too); pass them detached, or as buffers that do not require grad")
    input = _float(x, "batch_norm")  # (after the statistics' checks, as PyTorch's kernel dispatches on the dtype)
    xp = backend.get_array_module(input.array)
    gamma = Tensor._make(xp.ones(c, dtype=input.dtype)) if weight is None else _float(weight, "batch_norm", "weight")
    beta = Tensor._make(xp.zeros(c, dtype=input.dtype)) if bias is None else _float(bias, "batch_norm", "bias")
    if _parameters_wide("batch_norm", input, weight if weight is None else gamma, bias if bias is None else beta,
                        rm, rv):  # (PyTorch's mixed kernel: in float32, the result float16)
        return batch_norm(input.float(), running_mean, running_var, weight, bias, training, momentum,
                          eps).to(input.dtype)
    for name, t in (("weight", gamma), ("bias", beta)):
        if t.numel() != c:
            raise ShapeError(f"batch_norm: {name} has shape {tuple(t.shape)}, expected {c} elements for input "
                             f"{tuple(input.shape)}")
    shaped = gamma.shape == (c,) and beta.shape == (c,)  # else PyTorch counts their elements; its backward refuses
    out = N.BatchNorm.apply(input, gamma if shaped else gamma.reshape(c), beta if shaped else beta.reshape(c),
                            training=bool(training), running_mean=rm, running_var=rv, momentum=float(momentum),
                            eps=float(eps))
    if not shaped:
        return no_derivative(out, "batch_norm", input, gamma, beta, why=f"weight and bias of another shape than "
                             f"({c},) (PyTorch's backward gives them gradients of shape ({c},)); reshape them")
    return out  # (laid out as its input, where PyTorch's is row-major unless channels-last: left so, as a copy would
    # cost this hot op after every convolution, whose result is a view of a batch-last product: docs/pytorch.md)


def _usual_batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps) -> bool:
    """batch_norm's usual call, a layer's: a floating (N, C, ...) input with more than one value per channel, a weight
    and a bias of (C,) in its dtype, running statistics of (C,) in it that do not require grad (or, training, none),
    a float eps above 0 and a float momentum.  None of the door's checks below can refuse it, nor its conversions
    apply."""
    if not (isinstance(x, Tensor) and type(eps) is float and eps > 0 and type(momentum) is float and (
            training and running_mean is None and running_var is None or isinstance(running_mean, Tensor) and
            isinstance(running_var, Tensor) and not (running_mean.requires_grad or running_var.requires_grad))):
        return False
    a, given = x.array, (weight, bias) + (() if running_mean is None else (running_mean, running_var))
    return a.dtype.kind == "f" and a.ndim >= 2 and a.size > a.shape[1] and all(
        isinstance(t, Tensor) and t.array.shape == a.shape[1:2] and t.array.dtype == a.dtype for t in given)


def _allocated(out, x, keeps_channels_last=True):
    """``out``, a norm's result of ``x``'s shape, laid out as PyTorch's kernel allocates it: channels-last for a 4-D
    or 5-D channels-last ``x`` (group and rms norm: ``suggest_memory_format``), else row-major, in new memory; but
    instance norm's (not ``keeps_channels_last``) is a view of a row-major result, as PyTorch's (of its batch norm's
    result)."""
    if not keeps_channels_last:  # (instance norm's: PyTorch's batch norm of a row-major copy, viewed back: a view)
        out = out if out.array.flags.c_contiguous else laid_out(out, x, False)
        return out if out._base is not None else out.reshape(*out.shape)
    if out._base is None and out.array.flags.c_contiguous and x.array.flags.c_contiguous:  # (the usual case)
        return out
    return laid_out(out, x, keeps_channels_last and x.ndim in (4, 5))


def _as_float32(t):
    """A float16 or float32 parameter (or None) as float32: a float16 norm computes in float32, as PyTorch's."""
    return t if t is None else _tensor(t, "norm").float()


def _parameters_wide(op, x, *params):
    """Whether the parameters given (weight, bias, running statistics: Tensors or arrays, None where absent) are
    float32 beside a float16 input, which PyTorch's mixed CPU kernels take (computing in float32, returning float16);
    else they must be of the input's dtype.  Every one given shares one dtype (PyTorch's: the first given decides,
    and the others must match it), a RuntimeError otherwise."""
    dtypes = {(t.array if isinstance(t, Tensor) else t).dtype for t in params if t is not None}
    if not dtypes or dtypes == {x.array.dtype}:
        return False
    if x.array.dtype.itemsize == 2 and dtypes == {backend.np.dtype("float32")}:
        return True
    raise DtypeError(f"{op}: the weight, bias and running statistics given must share one dtype, the input's "
                     f"{x.dtype} (or float32 beside a float16 input), got {sorted(d.name for d in dtypes)}")


def normalize(input, p=2.0, dim=1, eps=1e-12):
    """x / max(‖x‖_p, eps) along ``dim``, for every order p the vector norm takes (its checks are the door's)."""
    input = _tensor(input, "normalize")
    return input / input.norm(p, dim=dim, keepdim=True).clamp(min=eps)


def _normalized(op, input, normalized_shape, weight, bias, same_dtype):
    """(input, the normalised axes) at layer_norm's and rms_norm's door, in PyTorch's order: normalized_shape a
    tuple of ints (TypeError), not empty, weight and bias of exactly that shape, the input's last axes (RuntimeError);
    then the input's dtype, and (``same_dtype``: layer_norm's kernel) the weight's and bias's: also whether they are
    float32 beside a float16 input (``_parameters_wide``)."""
    if not (isinstance(normalized_shape, (tuple, list)) and all(checks.is_integer(n) for n in normalized_shape)):
        raise TypeError(f"{op}: normalized_shape must be a tuple of ints (the input's last sizes), got "
                        f"{normalized_shape!r}")
    shape = tuple(int(n) for n in normalized_shape)
    if not shape:
        raise DomainError(f"{op}: normalized_shape must hold at least one size, got {normalized_shape!r}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(_tensor(t, op, name).shape) != shape:
            raise ShapeError(f"{op}: {name} must have shape {shape} (normalized_shape), got {tuple(t.shape)}")
    x = _tensor(input, op)
    if tuple(x.shape[max(x.ndim - len(shape), 0):]) != shape or x.ndim < len(shape):
        raise ShapeError(f"{op}: normalized_shape {shape} must be the last dimensions of the input, got input of "
                         f"shape {tuple(x.shape)}")
    x = _float(x, op)
    wide = same_dtype and _parameters_wide(op, x, weight, bias)
    return x, tuple(range(x.ndim - len(shape), x.ndim)), wide


def _read_by_each(*tensors, reads):
    """Each of ``tensors`` (a number or None as it is) as the one backward of PyTorch's fused norms reads it: its
    gradient read from each of ``reads`` too, with no derivative there (minigan/surface/reading.py)."""
    reads = [t for t in reads if isinstance(t, Tensor)]
    return [read_by_backward(t, reads, zero_derivative=False) if isinstance(t, Tensor) else t for t in tensors]


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """(x − mean) / √(var + eps) over the last len(normalized_shape) dimensions (biased variance), then
    · weight + bias (Ba et al. 2016)."""
    input, dims, wide = _normalized("layer_norm", input, normalized_shape, weight, bias, same_dtype=True)
    if input.array.dtype.itemsize == 2:  # (PyTorch's kernel computes float16 in float32, rounding the result once;
        # float32 parameters beside it are its mixed kernel's: ``wide``)
        out = layer_norm(input.float(), normalized_shape, _as_float32(weight), _as_float32(bias), eps)
        out = shown_as(out.to(input.dtype), "NativeLayerNormBackward0")
        return out if not wide or weight is not None else no_derivative(
            out, "layer_norm", input, bias, why="a float32 bias and no weight beside a float16 input (PyTorch's "
            "backward reads the bias as float16)")
    saved = (input, weight, bias)  # (PyTorch's native_layer_norm saves all three: a change in place later refuses)
    if weight is not None or bias is not None:  # (PyTorch's backward reads all three, for each gradient)
        input, weight, bias = _read_by_each(input, weight, bias, reads=(input, weight, bias))
    out = _Normalized.apply(input, *(() if weight is None else (weight,)), axes=dims, eps=checks.number(eps))  # (a
    # NumPy eps is the number it holds: np.float64(1e-3) leaves a float32 input float32, as PyTorch's)
    out = out if bias is None else out + bias
    return shown_as(saves(out.contiguous(), *saved), "NativeLayerNormBackward0")  # (row-major, as PyTorch's)


class _Normalized(Node):
    """(x − μ)/√(σ² + ε), times γ where one is given, with μ and σ² (biased) over ``axes``: layer_norm's, group_norm's
    and instance_norm's node.  Its backward is PyTorch's (native_layer_norm's, native_group_norm's), whose node saves
    x, μ and 1/σ: a first-order backward takes x − μ
    from the saved x as it is then, with μ and 1/σ kept from forward, so a write through .data is read as there;
    under create_graph it normalizes the saved Tensor x again, so the gradient's graph knows how μ and σ depend on
    x, with their values and slopes those PyTorch's double backward reads (as_saved)."""

    def forward(self, x, *weight, axes, eps, reads=(), grouped=False, scaled=False):
        self.axes, self.eps, self.reads = axes, eps, reads  # (reads: what the mean is read from, under create_graph)
        self.grouped = grouped  # (group norm's double backward takes 1/σ's slope about x's mean now: as_saved)
        mean, inv_std = self.statistics(x)
        if self.needs_input_grad:
            self.save_for_backward(x, *weight)
            self.mean, self.inv_std = mean, inv_std  # (for a first-order backward)
        if weight and scaled:  # (PyTorch's group and batch norm kernels: x·a − μ·a with a = γ/σ, so an infinite γ
            scale = inv_std * weight[0]  # makes ∞ − ∞ = NaN where (x − μ)·a was ±∞)
            return x * scale - mean * scale
        out = (x - mean) * inv_std
        return out * weight[0] if weight else out

    def statistics(self, x):
        """(μ, 1/√(σ² + ε)) over the axes, of an array x or of a Tensor x (then recorded); NaN over nothing."""
        count = math.prod(x.shape[a] for a in self.axes)
        with backend.np.errstate(invalid="ignore", divide="ignore"):  # (0/0: the mean of nothing is NaN)
            mean = x.sum(axis=self.axes, keepdims=True) / count
            d = x - mean
            return mean, 1 / namespace(x).sqrt((d * d).sum(axis=self.axes, keepdims=True) / count + self.eps)

    def backward(self, grad):  # dx = (g − mean(g) − x̂·mean(g·x̂))/σ with g = dy·γ, x̂ = (x − μ)/σ;  dγ = Σ dy·x̂
        x, *weight = self.saved_tensors
        if backend.is_array(x):
            mean, inv_std, unwritten = self.mean, self.inv_std, False
        else:
            mean, inv_std = self.statistics(x)
            unwritten = not (mean.array != self.mean).any()  # (x's μ as forward found it: no write through .data)
            mean, inv_std = as_saved(x, mean, inv_std, self.axes, self.mean, self.inv_std,
                                     slope_mean=None if self.grouped else self.mean)
        if self.reads and not backend.is_array(x):
            mean = read_from(mean, self.reads, zero_derivative=False)
        x_hat, g, dx, dw = (x - mean) * inv_std, grad * weight[0] if weight else grad, None, None
        if self.needs_input_grad[0] and unwritten:  # (under create_graph: the same dx, Σ x̂ being 0, centred last as
            # the exact one is: a row then sums to 0 to the rounding of its terms, not of μ's (Σ x̂ is 1e-12 of them
            # in a nearly constant row), and a row-constant upstream meets the centring's backward first, giving 0
            # exactly; a graph that moves such a row almost as a whole multiplies both: graph seed 1250466)
            dx = (g - x_hat * (g * x_hat).mean(axis=self.axes, keepdims=True)) * inv_std
            dx = dx - dx.mean(axis=self.axes, keepdims=True)
        elif self.needs_input_grad[0]:  # (PyTorch's formula, in x as it is now: x̂ not centred after a write)
            dx = (g - g.mean(axis=self.axes, keepdims=True) -
                  x_hat * (g * x_hat).mean(axis=self.axes, keepdims=True)) * inv_std
        if weight and self.needs_input_grad[1]:
            dw = unbroadcast(grad * x_hat, weight[0].shape)
        return (dx, dw) if weight else (dx,)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Group norm (Wu & He 2018): normalise x (N, C, ...) over each group of C/num_groups channels and the
    spatial dimensions, then · weight + bias per channel."""
    input, _ = _group_norm_door(input, num_groups, weight, bias)  # (float32 parameters beside float16: below)
    if input.array.dtype.itemsize == 2:  # (PyTorch's kernel computes float16 in float32, rounding the result once;
        # float32 parameters beside it are its mixed kernel's: ``wide``)
        out = group_norm(input.float(), num_groups, _as_float32(weight), _as_float32(bias), eps)
        return shown_as(out.to(input.dtype), "NativeGroupNormBackward0")
    return shown_as(_grouped(input, num_groups, weight, bias, eps, batch_norm=False), "NativeGroupNormBackward0")


def _group_norm_door(input, num_groups, weight, bias):
    """group_norm's checks, in PyTorch's order; the input as a floating tensor, and whether the weight and bias are
    float32 beside a float16 one."""
    if _tensor(input, "group_norm").ndim < 2:  # (before the dtype, as PyTorch's; Python's IndexError came out)
        raise ShapeError(f"group_norm: input must be (N, C, ...), of at least 2 dimensions, got shape "
                         f"{tuple(input.shape)}")
    n, c = input.shape[0], input.shape[1]
    if checks.is_number(num_groups) and num_groups == 0:  # (PyTorch's Python divides by it first, a float too)
        raise DivisionByZero("group_norm: num_groups must be a positive divisor of the channels, got 0")
    if checks.is_number(num_groups) and n * c // num_groups * math.prod(input.shape[2:]) == 1:
        raise ValueError(f"group_norm: expected more than 1 value per group, got input of shape {tuple(input.shape)}")
    if not checks.is_integer(num_groups):  # (then its kernel, which takes an int)
        raise TypeError(f"group_norm: num_groups must be an int, got {num_groups!r}")
    if c % num_groups:
        raise ShapeError(f"group_norm: {c} channels do not split into {num_groups} groups")
    for name, t in (("weight", weight), ("bias", bias)):  # (the shapes, then the dtypes, as PyTorch's)
        if t is not None and tuple(_tensor(t, "group_norm", name).shape) != (c,):
            raise ShapeError(f"group_norm: {name} must be a vector of the {c} channels, got shape {tuple(t.shape)}")
    input = _float(input, "group_norm")
    return input, _parameters_wide("group_norm", input, *(None if t is None else _tensor(t, "group_norm")
                                                          for t in (weight, bias)))


def _grouped(input, num_groups, weight, bias, eps, batch_norm):
    """Each group of channels normalised, then · weight + bias, read under create_graph as PyTorch's node reads
    (``batch_norm``: instance_norm's, which is PyTorch's batch norm of the (1, N·C, ...) input)."""
    n, c = input.shape[0], input.shape[1]
    saved = (input, weight)  # (PyTorch's native_group_norm and batch norm save both, not the bias)
    if batch_norm:  # (its backward reads the input and the weight for each of its three gradients)
        input, weight, bias = _read_by_each(input, weight, bias, reads=(input, weight))
    elif weight is not None:  # (group norm's reads the input and the weight for their two gradients)
        input, weight = _read_by_each(input, weight, reads=(input, weight))
    g = input.reshape(n, num_groups, c // num_groups, math.prod(input.shape[2:]))  # (no -1: an empty batch too)
    weights = () if weight is None else (weight.reshape(1, num_groups, c // num_groups, 1),)
    reads = () if batch_norm else [t for t in (weight, bias) if isinstance(t, Tensor)]  # (PyTorch's group norm gives
    # the mean and 1/std as outputs of its node, which require grad when any operand does, and its backward under
    # create_graph is a formula reading them: the gradient of the weight's gradient in the upstream requires grad
    # with the weight alone; so does the mean here, no derivative in them)
    out = _Normalized.apply(g, *weights, axes=(2, 3), eps=checks.number(eps), reads=reads, grouped=not batch_norm,
                            scaled=True)
    out = out.reshape(*input.shape)
    out = out if bias is None else out + bias.reshape(*((1, c) + (1,) * (input.ndim - 2)))
    return _allocated(saves(out, *saved), saved[0], keeps_channels_last=not batch_norm)  # (instance norm's: PyTorch's
    # batch norm of a row-major copy)


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True,
                  momentum=0.1, eps=1e-5):
    """Instance norm (Ulyanov et al. 2016): each channel of each sample normalised over its spatial dimensions
    (group norm with one channel per group), as PyTorch's: its batch norm of the (1, N·C, ...) input, with
    weight, bias and running statistics repeated N times.  Running statistics given are updated in place with the
    batch's mean of the per-instance statistics (use_input_stats=True), or normalise with them (False)."""
    x = _tensor(input, "instance_norm")
    if use_input_stats and math.prod(x.shape[2:]) == 1:  # (PyTorch's Python checks this first)
        raise ValueError(f"instance_norm: expected more than 1 spatial element when training, got input of shape "
                         f"{tuple(x.shape)}")
    stats = [_tensor(t, "instance_norm", name) if t is not None else None
             for t, name in ((running_mean, "running_mean"), (running_var, "running_var"))]
    if not use_input_stats and None in stats:  # (then its kernel, in its order)
        raise DomainError("instance_norm: use_input_stats=False normalises with running_mean and running_var: pass "
                          "both")
    if x.ndim < 2:  # (the kernel reads the channels, dim 1: IndexError)
        raise DimensionError(f"instance_norm: expected an input (N, C, ...) with a channel dimension, got shape "
                             f"{tuple(x.shape)}")
    c = x.shape[1]
    for name, t in (("weight", weight), ("bias", bias), ("running_mean", stats[0]), ("running_var", stats[1])):
        if t is not None and (_tensor(t, "instance_norm", name).ndim > 1 or t.numel() != c):  # (repeated N times)
            raise ShapeError(f"instance_norm: {name} must be a vector of the {c} channels, got shape "
                             f"{tuple(t.shape)}")
    if stats[0] is not None and stats[1] is None and weight is None and stats[0].dtype != x.dtype:  # (PyTorch's
        # kernel meets an undefined tensor here: a RuntimeError before its ValueError)
        raise DomainError(f"instance_norm: running_mean ({stats[0].dtype}) without running_var; pass both or "
                          f"neither")
    if x.numel() == 0:  # (PyTorch's batch norm of nothing: no statistics taken, nothing more checked)
        return _instance_norm_of_nothing(x, *(stats if use_input_stats else (None, None)), weight, bias)
    if (stats[0] is None) != (stats[1] is None):
        raise DomainError("instance_norm: running_mean and running_var must either both be None or neither be None")
    x = _float(x, "instance_norm")
    _refuse_differentiable(*stats)  # (PyTorch's native_batch_norm: after its dtype)
    if _instance_parameters_wide(x, weight, bias, *stats):  # (PyTorch's mixed kernel: float32, the result float16)
        return instance_norm(x.float(), running_mean, running_var, weight, bias, use_input_stats, momentum,
                             eps).to(x.dtype)
    if not use_input_stats:
        out = _instance_norm_eval(x, *stats, weight, bias, eps)
    else:
        weight = weight.clone() if isinstance(weight, Tensor) else weight  # (PyTorch's batch norm of it takes
        # weight.repeat(N), a copy: a change to the weight in place later is not refused)
        x, _ = _group_norm_door(x, c, weight, bias)  # (group norm's checks: a group per channel)
        out = _grouped(x, c, weight, bias, eps, batch_norm=True)
        if stats[0] is not None:
            _update_instance_stats(x.array, *stats, float(momentum))
    return shown_as(out, "ViewBackward0")  # (PyTorch's last step)


def _refuse_differentiable(*stats):
    """Running statistics are written in place and are not differentiable: under grad mode they may not require grad
    (PyTorch's native_batch_norm refuses them; of an empty input, its copy_ into them, after the weight is read)."""
    if is_grad_enabled() and any(t is not None and t.requires_grad for t in stats):
        raise GraphError("instance_norm: running_mean and running_var are written in place and are not "
                         "differentiable; pass them detached, or as buffers that do not require grad")


def _refuse_repeated(*stats):
    """Running statistics written in place may not be expanded views (entries sharing memory), as PyTorch's copy_."""
    if any(t is not None and backend.repeats(t.array) for t in stats):
        raise GraphError("instance_norm: more than one element of running_mean or running_var refers to one memory "
                         "location (an expanded view); pass a .clone()")


def _instance_norm_of_nothing(x, running_mean, running_var, weight, bias):
    """An empty input: PyTorch's batch norm returns x·weight[0] + bias[0] (of the weight repeated N times: an
    IndexError for an empty batch), and each running statistic becomes the mean of its N copies (NaN for N = 0)."""
    n = x.shape[0]
    if n == 0 and (weight is not None or bias is not None):
        raise DimensionError("instance_norm: a weight or bias of an empty batch (PyTorch's repeated N = 0 times "
                             "and indexed: IndexError)")
    out = x.clone() if weight is None else x * _tensor(weight, "instance_norm", "weight")[0]
    out = out if bias is None else out + _tensor(bias, "instance_norm", "bias")[0]
    if out.array.dtype.kind != "f" and (running_mean is not None or running_var is not None):
        raise DtypeError(f"instance_norm: the mean of running statistics in the result's dtype {out.dtype} "
                         f"(PyTorch's takes it): pass a floating-point input or weight")
    _refuse_differentiable(running_mean, running_var)
    _refuse_repeated(running_mean, running_var)
    for stat in (running_mean, running_var):
        if stat is not None:
            xp = backend.get_array_module(stat.array)
            with backend.np.errstate(invalid="ignore"):
                stat.array[...] = xp.tile(stat.array.reshape(-1), (n, 1)).sum(axis=0) / stat.array.dtype.type(n)
    return shown_as(out.reshape(*x.shape), "ViewBackward0")


def _instance_parameters_wide(x, weight, bias, running_mean, running_var):
    """Whether the parameters are float32 beside a float16 input (``_parameters_wide``), as PyTorch's instance norm
    hands them to its batch norm: running statistics whose mean is not of the weight's dtype (the input's without
    one) are converted to it first (computed so, written back in their own dtypes), and those of that dtype are
    taken as they are (a running_var of another dtype is then refused)."""
    weight = None if weight is None else _tensor(weight, "instance_norm", "weight")
    target = (x if weight is None else weight).array.dtype
    if running_mean is not None and running_mean.array.dtype != target:
        running_mean = running_var = backend.np.zeros(0, dtype=target)  # (converted: only their dtype is read)
    return _parameters_wide("instance_norm", x, weight, None if bias is None else _tensor(bias, "instance_norm"),
                            running_mean, running_var)


def _update_instance_stats(x, running_mean, running_var, momentum):
    """PyTorch's update, in place: each of the N copies of a running statistic moves towards its instance's
    (running ← momentum·batch + (1 − momentum)·running, the variance unbiased), and the statistic becomes their
    mean over the batch (in the input's dtype, then written in its own)."""
    _refuse_repeated(running_mean, running_var)
    xp = backend.get_array_module(x)
    n, c = x.shape[0], x.shape[1]
    v = x.reshape(n, c, -1)
    count, dtype = v.shape[2], x.dtype
    with backend.np.errstate(invalid="ignore", divide="ignore"):
        mean = v.sum(axis=2) / count
        d = v - mean[..., None]
        for stat, batch in ((running_mean, mean), (running_var, (d * d).sum(axis=2) / (count - 1))):
            old = xp.broadcast_to(stat.array.astype(dtype, copy=False), (n, c))
            repeated = dtype.type(momentum) * batch + dtype.type(1 - momentum) * old
            stat.array[...] = repeated.sum(axis=0) / dtype.type(n)


def _instance_norm_eval(x, running_mean, running_var, weight, bias, eps):
    """use_input_stats=False: PyTorch's evaluation batch norm of the (1, N·C, ...) input with each statistic,
    weight and bias repeated N times (the running statistics are left as they are)."""
    n, c = x.shape[0], x.shape[1]
    xp = backend.get_array_module(x.array)
    reps = [xp.tile(t.array.reshape(-1).astype(x.dtype, copy=False), n) for t in (running_mean, running_var)]
    gamma, beta = (Tensor._make(xp.full(n * c, fill, dtype=x.dtype)) if t is None else
                   _tensor(t, "instance_norm").reshape(c).repeat(n) for t, fill in ((weight, 1), (bias, 0)))
    _same_dtype("instance_norm", x, gamma)
    _same_dtype("instance_norm", x, beta)
    out = N.BatchNorm.apply(x.contiguous().reshape(1, n * c, *x.shape[2:]), gamma, beta, training=False,
                          running_mean=reps[0], running_var=reps[1], momentum=0.0, eps=float(eps))
    return out.reshape(*x.shape)


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """x / √(mean(x²) + eps) over the last dimensions ``normalized_shape``, times ``weight`` (Zhang & Sennrich
    2019); eps defaults to the dtype's machine epsilon, as PyTorch."""
    input, dims, _ = _normalized("rms_norm", input, normalized_shape, weight, None, same_dtype=False)
    x = input.float() if input.array.dtype.itemsize < 4 else input  # (PyTorch's: float16 computes in float32)
    eps = float(backend.finfo(x.dtype).eps) if eps is None else eps
    out = x * ((x * x).mean(dims, keepdim=True) + eps).rsqrt()
    out = out if weight is None else out * weight
    return _allocated(out.to(input.dtype), input)  # (the input's dtype whatever the weight's, as PyTorch's)
