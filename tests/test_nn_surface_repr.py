"""The nn surface against PyTorch: every module class's repr (typical and non-default arguments), the softmax
modules' implicit dim, InstanceNorm1d/2d as two classes with PyTorch's input checks, and two optimizer idioms
(zero_grad(set_to_none=False) in place, a single Tensor as a group's params)."""

import warnings

import numpy as np
import pytest
from conftest import NORM_BIAS

import minigan
from minigan import nn

torch = pytest.importorskip("torch")

# (class name, args, kwargs): each built in both libraries, the reprs compared
REPR_CASES = [
    ("Linear", (2, 3), {}), ("Linear", (2, 3), dict(bias=False)),
    ("LazyLinear", (3,), {}), ("LazyLinear", (3,), dict(bias=False)), ("LazyConv1d", (4, 3), dict(stride=2)),
    ("LazyConv2d", (4, 3), dict(padding=1, groups=2)), ("LazyConvTranspose1d", (3, 2), {}),
    ("LazyConvTranspose2d", (3, 4), dict(stride=2, padding=1, bias=False)), ("LazyBatchNorm1d", (), {}),
    ("LazyBatchNorm2d", (), dict(eps=1e-3, momentum=None, affine=False, track_running_stats=False)),
    ("Conv1d", (2, 3, 3), {}),
    ("Conv1d", (2, 4, 3), dict(stride=2, padding=1, dilation=2, groups=2, bias=False, padding_mode="reflect")),
    ("Conv1d", (2, 4, 3), dict(padding="same", padding_mode="replicate")),
    ("Conv2d", (2, 3, 3), {}), ("Conv2d", (2, 4, (3, 2)), dict(stride=2, padding=1, padding_mode="circular")),
    ("Conv2d", (2, 4, 3), dict(padding="same")), ("Conv2d", (2, 4, 3), dict(padding="valid")),
    ("Conv2d", (2, 4, 3), dict(padding=(1, 2), stride=(2, 1), dilation=(1, 2))),
    ("ConvTranspose1d", (2, 3, 3), dict(stride=2, output_padding=1)),
    ("ConvTranspose2d", (2, 3, 4), dict(stride=2, padding=1, bias=False)),
    ("ConvTranspose2d", (2, 4, 3), dict(groups=2, dilation=2)),
    ("BatchNorm1d", (3,), {}), ("BatchNorm1d", (3,), dict(eps=1, momentum=0)),
    ("BatchNorm2d", (3,), dict(eps=1e-3, momentum=None, affine=False, track_running_stats=False)),
    ("BatchNorm2d", (3,), dict(bias=False)),
    ("LayerNorm", (4,), {}), ("LayerNorm", ((2, 4),), dict(eps=1e-3, elementwise_affine=False)),
    ("LayerNorm", ([4],), dict(bias=False)), ("LayerNorm", (4,), dict(eps=1)),
    ("GroupNorm", (2, 4), {}), ("GroupNorm", (2, 4, 1e-3, False), {}), ("GroupNorm", (1, 4), dict(eps=1, bias=False)),
    ("InstanceNorm1d", (3,), {}), ("InstanceNorm1d", (3,), dict(affine=True, eps=1e-3, momentum=0.2)),
    ("InstanceNorm1d", (3,), dict(affine=True, bias=False)),
    ("InstanceNorm2d", (3,), {}), ("InstanceNorm2d", (3,), dict(affine=True)),
    ("InstanceNorm2d", (3,), dict(eps=1, momentum=None)),
    ("RMSNorm", (4,), {}), ("RMSNorm", ([2, 4],), dict(eps=1e-6, elementwise_affine=False)), ("RMSNorm", ((4,),), {}),
    ("Dropout", (), {}), ("Dropout", (0.2, True), {}), ("Dropout", (0,), {}), ("Dropout", (1,), {}),
    ("Dropout1d", (0.3,), {}), ("Dropout1d", (), dict(inplace=True)),
    ("Dropout2d", (0.3,), {}), ("Dropout2d", (0,), {}),
    ("ReLU", (), {}), ("ReLU", (True,), {}), ("LeakyReLU", (), {}), ("LeakyReLU", (0.2, True), {}),
    ("LeakyReLU", (1,), {}), ("ELU", (), {}), ("ELU", (0.5, True), {}), ("ELU", (2,), {}),
    ("CELU", (), {}), ("CELU", (0.5, True), {}), ("CELU", (2,), {}),
    ("SiLU", (), {}), ("SiLU", (True,), {}), ("Mish", (), {}), ("Mish", (True,), {}),
    ("ReLU6", (), {}), ("ReLU6", (True,), {}), ("SELU", (), {}), ("SELU", (True,), {}),
    ("Hardsigmoid", (), {}), ("Hardsigmoid", (True,), {}), ("Hardswish", (), {}), ("Hardswish", (True,), {}),
    ("Hardtanh", (), {}), ("Hardtanh", (-2, 2, True), {}), ("Hardtanh", (0, 6), {}),
    ("Threshold", (0.1, 20), {}), ("Threshold", (0.1, 20, True), {}), ("Threshold", (0, 1), {}),
    ("Softplus", (), {}), ("Softplus", (2, 10), {}), ("Softplus", (), dict(beta=1, threshold=20)),
    ("GELU", (), {}), ("GELU", ("tanh",), {}), ("Sigmoid", (), {}), ("Tanh", (), {}), ("Softsign", (), {}),
    ("LogSigmoid", (), {}), ("Tanhshrink", (), {}),
    ("Hardshrink", (), {}), ("Hardshrink", (0.3,), {}), ("Hardshrink", (1,), {}),
    ("Softshrink", (), {}), ("Softshrink", (0.2,), {}), ("Softshrink", (1,), {}),
    ("Softmax", (), {}), ("Softmax", (1,), {}), ("Softmax", (), dict(dim=-1)), ("Softmax", (), dict(dim=None)),
    ("LogSoftmax", (), {}), ("LogSoftmax", (1,), {}), ("LogSoftmax", (), dict(dim=-1)),
    ("Softmin", (), {}), ("Softmin", (0,), {}), ("Softmax2d", (), {}),
    ("PReLU", (), {}), ("PReLU", (3, 0.1), {}), ("GLU", (), {}), ("GLU", (1,), {}),
    ("Identity", (), {}), ("Identity", (3,), dict(a=1)),
    ("Flatten", (), {}), ("Flatten", (0, 2), {}), ("Flatten", (), dict(end_dim=2)),
    ("Unflatten", (1, (2, 3)), {}), ("Unflatten", (1, [2, 3]), {}), ("Unflatten", (-1, (2, 2)), {}),
    ("Embedding", (5, 3), {}), ("Embedding", (5, 3), dict(padding_idx=-1)),
    ("Embedding", (5, 3), dict(padding_idx=0, max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True)),
    ("MaxPool2d", (2,), {}), ("MaxPool2d", ((2, 3), 1, 1, 2, True, True), {}),
    ("MaxPool2d", (2,), dict(padding=(1, 0), stride=(1, 2))),
    ("AvgPool2d", (2,), {}), ("AvgPool2d", (3, 2, 1, True, False, 2), {}), ("AvgPool2d", ((2, 3),), {}),
    ("MaxPool1d", (2,), {}), ("MaxPool1d", (3, 2, 1, 2, True, True), {}),
    ("AvgPool1d", (2,), {}), ("AvgPool1d", (3, 2, 1, True, False), {}),
    ("AdaptiveAvgPool1d", (3,), {}), ("AdaptiveAvgPool2d", (1,), {}), ("AdaptiveAvgPool2d", ((None, 3),), {}),
    ("AdaptiveMaxPool1d", (3,), {}), ("AdaptiveMaxPool1d", (3, True), {}),
    ("AdaptiveMaxPool2d", ((2, 3),), {}), ("AdaptiveMaxPool2d", (2, True), {}),
    ("Upsample", (), dict(scale_factor=2)), ("Upsample", (), dict(size=4, mode="bilinear", align_corners=True)),
    ("Upsample", (), dict(scale_factor=(2, 3), mode="bicubic")), ("Upsample", (), dict(size=(4, 5))),
    ("Upsample", (), dict(scale_factor=2.5, mode="nearest-exact")),
    ("UpsamplingNearest2d", (), dict(scale_factor=2)), ("UpsamplingBilinear2d", (), dict(size=4)),
    ("ZeroPad1d", (1,), {}), ("ZeroPad1d", ((1, 2),), {}), ("ZeroPad2d", (1,), {}), ("ZeroPad2d", ((1, 2, 3, 4),), {}),
    ("ConstantPad1d", (2, 3.5), {}), ("ConstantPad1d", ((1, 2), 0), {}),
    ("ConstantPad2d", (1, 0.5), {}), ("ConstantPad2d", ((1, 2, 3, 4), 2), {}),
    ("ReflectionPad1d", (1,), {}), ("ReflectionPad2d", ((1, 2, 0, 1),), {}),
    ("ReplicationPad1d", ((1, 2),), {}), ("ReplicationPad2d", (2,), {}),
    ("CircularPad1d", (1,), {}), ("CircularPad2d", ((1, 1, 2, 2),), {}),
    ("PixelShuffle", (2,), {}), ("PixelUnshuffle", (2,), {}),
    ("Unfold", (2,), {}), ("Unfold", ((2, 3), 2, 1, 2), {}), ("Fold", ((4, 5), 2), {}), ("Fold", (4, 2, 1, 0, 1), {}),
    ("CosineSimilarity", (), {}), ("CosineSimilarity", (0, 1e-6), {}),
    ("PairwiseDistance", (), {}), ("PairwiseDistance", (1.0, 1e-3, True), {}),
    ("MultiheadAttention", (4, 2), {}),
    ("MultiheadAttention", (4, 2), dict(kdim=3, vdim=5, bias=False, add_bias_kv=True, dropout=0.1)),
    ("RNN", (3, 4), {}), ("RNN", (3, 4, 2, "relu"), dict(bias=False, dropout=0.5, bidirectional=True)),
    ("LSTM", (10, 20), dict(num_layers=2, batch_first=True)), ("LSTM", (10, 20), dict(proj_size=5, dropout=0.25)),
    ("GRU", (3, 4), dict(bias=False)), ("GRU", (3, 4, 3, True, True, 0.1, True), {}),
    ("RNNCell", (3, 4), {}), ("RNNCell", (3, 4, False, "relu"), {}), ("LSTMCell", (3, 4), {}),
    ("LSTMCell", (3, 4), dict(bias=False)), ("GRUCell", (3, 4), {}), ("RNNBase", ("GRU", 3, 4), dict(num_layers=2)),
    ("RNNCellBase", (3, 4, True, 2), {}),
    # losses print no arguments in PyTorch, whatever they were given
    ("L1Loss", (), {}), ("L1Loss", (), dict(reduction="sum")), ("MSELoss", (), dict(reduction="none")),
    ("BCELoss", (), dict(reduction="sum")), ("BCELoss", (), dict(size_average=False)),
    ("BCEWithLogitsLoss", (), dict(reduction="sum")),
    ("CrossEntropyLoss", (), dict(reduction="none", label_smoothing=0.1, ignore_index=2)),
    ("NLLLoss", (), dict(reduction="sum")), ("SmoothL1Loss", (), dict(beta=0.5, reduction="sum")),
    ("HuberLoss", (), dict(delta=0.5)), ("KLDivLoss", (), dict(reduction="batchmean", log_target=True)),
    ("SoftMarginLoss", (), dict(reduction="sum")), ("MarginRankingLoss", (), dict(margin=0.5)),
    ("HingeEmbeddingLoss", (), dict(margin=2.0)), ("CosineEmbeddingLoss", (), dict(margin=0.1)),
    ("TripletMarginLoss", (), dict(margin=0.5, p=1.0, swap=True)), ("GaussianNLLLoss", (), dict(full=True)),
    ("PoissonNLLLoss", (), dict(log_input=False)), ("MultiLabelSoftMarginLoss", (), dict(reduction="sum")),
]

# containers and wrappers, built from a function of the library
CONTAINER_CASES = {
    "Sequential": lambda lib: lib.nn.Sequential(lib.nn.Softmax(), lib.nn.InstanceNorm1d(2),
                                                lib.nn.L1Loss(reduction="sum")),
    "ModuleList": lambda lib: lib.nn.ModuleList([lib.nn.PReLU(2), lib.nn.GroupNorm(1, 2)]),
    "ModuleDict": lambda lib: lib.nn.ModuleDict({"a": lib.nn.ReLU(), "b": lib.nn.PixelShuffle(3)}),
    "DataParallel": lambda lib: lib.nn.DataParallel(lib.nn.Linear(2, 2)),
    "Module": lambda lib: lib.nn.Module(),
}


def built(lib, name, args, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (size_average=: PyTorch's deprecation warning)
        return getattr(lib.nn, name)(*args, **kwargs)


NORM_LAYERS = {"BatchNorm1d", "BatchNorm2d", "LazyBatchNorm1d", "LazyBatchNorm2d", "LayerNorm", "GroupNorm",
               "InstanceNorm1d", "InstanceNorm2d"}  # their bias= (option and repr): PyTorch 2.12's (conftest)


def _marked(name, *case):
    return pytest.param(name, *case, marks=[NORM_BIAS] if name in NORM_LAYERS else [])


@pytest.mark.parametrize("name, args, kwargs", [_marked(*case) for case in REPR_CASES],
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(REPR_CASES)])
def test_module_repr_is_pytorchs(name, args, kwargs):
    assert repr(built(minigan, name, args, kwargs)) == repr(built(torch, name, args, kwargs))


@pytest.mark.parametrize("name", [pytest.param(n, marks=[NORM_BIAS] if n in ("Sequential", "ModuleList") else [])
                                  for n in CONTAINER_CASES])  # (those two hold an InstanceNorm1d, a GroupNorm)
def test_container_repr_is_pytorchs(name):
    assert repr(CONTAINER_CASES[name](minigan)) == repr(CONTAINER_CASES[name](torch))


def test_parameter_list_repr_is_pytorchs_with_numpy_dtype_names():
    def build(lib):
        parameters = [lib.ones(2), lib.zeros(2, 3, dtype=lib.float64), lib.tensor(1.0)]
        return lib.nn.ParameterList([lib.nn.Parameter(p) for p in parameters])

    assert repr(build(minigan)) == repr(build(torch)).replace("torch.", "minigan.")  # dtypes print as "float64"
    assert repr(nn.ParameterList()) == repr(torch.nn.ParameterList()) == "ParameterList()"


def test_every_module_class_of_nn_is_surveyed():
    surveyed = {name for name, _, _ in REPR_CASES} | set(CONTAINER_CASES) | {"ParameterList"}
    classes = {name for name in nn.__all__ if isinstance(getattr(nn, name), type)
               and issubclass(getattr(nn, name), nn.Module)}
    assert classes - surveyed == set()


def test_multihead_attention_out_proj_is_a_linear_named_as_pytorchs():
    out_proj = nn.MultiheadAttention(4, 2).out_proj
    assert isinstance(out_proj, nn.Linear)
    assert type(out_proj).__name__ == type(torch.nn.MultiheadAttention(4, 2).out_proj).__name__


# ----------------------------------------------------------------------------- softmax without dim
SOFTMAX_SHAPES = [(), (4,), (2, 3), (2, 3, 4), (2, 3, 2, 2)]
SOFTMAX_NAMES = {"Softmax": "softmax", "LogSoftmax": "log_softmax", "Softmin": "softmin"}


@pytest.mark.parametrize("shape", SOFTMAX_SHAPES, ids=lambda s: f"{len(s)}d")
@pytest.mark.parametrize("cls", SOFTMAX_NAMES)
def test_softmax_modules_without_dim_pick_pytorchs_implicit_dim_and_warn(cls, shape):
    """dim=None: 0 for 0-, 1- and 3-D inputs, else 1, with PyTorch's deprecation warning."""
    x = np.random.default_rng(len(shape)).standard_normal(shape).astype(np.float32)
    message = f"Implicit dimension choice for {SOFTMAX_NAMES[cls]} has been deprecated"
    with pytest.warns(UserWarning, match=message) as ours:
        y = getattr(nn, cls)()(minigan.tensor(x))
    with pytest.warns(UserWarning, match=message) as theirs:
        ty = getattr(torch.nn, cls)()(torch.tensor(x))
    assert str(ours[0].message) == str(theirs[0].message)
    assert ours[0].filename == __file__  # the warning points at the caller's line
    np.testing.assert_allclose(y.detach().numpy(), ty.numpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("cls", SOFTMAX_NAMES)
def test_softmax_modules_with_a_dim_do_not_warn(cls):
    x = np.random.default_rng(0).standard_normal((2, 3, 4)).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = getattr(nn, cls)(dim=-1)(minigan.tensor(x))
    np.testing.assert_allclose(y.detach().numpy(), getattr(torch.nn, cls)(dim=-1)(torch.tensor(x)).numpy(),
                               rtol=1e-6, atol=1e-7)
    assert getattr(nn, cls)().dim is None and getattr(nn, cls)(2).dim == 2


def test_softmax_dim_must_be_an_int_or_none():
    with pytest.raises(TypeError, match="dim must be an int or None"):
        nn.Softmax(dim=1.0)


# ----------------------------------------------------------------------------- InstanceNorm1d / 2d
def test_instance_norm_1d_and_2d_are_two_classes_as_pytorchs():
    assert nn.InstanceNorm1d is not nn.InstanceNorm2d
    for lib in (minigan, torch):
        one, two = lib.nn.InstanceNorm1d(3), lib.nn.InstanceNorm2d(3)
        assert type(one).__name__ == "InstanceNorm1d" and type(two).__name__ == "InstanceNorm2d"
        assert not isinstance(one, lib.nn.InstanceNorm2d) and not isinstance(two, lib.nn.InstanceNorm1d)


INSTANCE_INPUTS = [("InstanceNorm1d", (2, 3, 5)), ("InstanceNorm1d", (3, 5)), ("InstanceNorm1d", (2, 4, 5)),
                   ("InstanceNorm2d", (2, 3, 4, 5)), ("InstanceNorm2d", (3, 4, 5)), ("InstanceNorm2d", (2, 4, 3, 3))]


@pytest.mark.parametrize("affine", [False, True], ids=["plain", "affine"])
@pytest.mark.parametrize("cls, shape", INSTANCE_INPUTS, ids=[f"{c}-{s}" for c, s in INSTANCE_INPUTS])
def test_instance_norm_values_gradients_and_checks_are_pytorchs(cls, shape, affine):
    """Batched and unbatched inputs; a channel count other than num_features: an error with a weight per
    channel, else a warning (the count is not used), both with PyTorch's words."""
    x = np.random.default_rng(1).standard_normal(shape)
    results = []
    for lib in (minigan, torch):
        layer = getattr(lib.nn, cls)(3, affine=affine).double()
        if affine:
            with lib.no_grad():
                layer.weight.copy_(lib.tensor([0.5, 2.0, -1.0], dtype=lib.float64))
                layer.bias.copy_(lib.tensor([0.1, 0.0, -0.3], dtype=lib.float64))
        xt = lib.tensor(x, requires_grad=True)
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            try:
                y = layer(xt)
            except ValueError as error:
                results.append(("error", str(error)))
                continue
        (y * lib.arange(y.numel(), dtype=lib.float64).reshape(y.shape)).sum().backward()
        grads = [t.grad.detach().numpy() for t in (xt, *layer.parameters())]
        results.append(("ok", y.detach().numpy(), grads, [str(w.message) for w in seen]))
        assert sorted(layer.state_dict()) == (["bias", "weight"] if affine else [])
    ours, theirs = results
    assert ours[0] == theirs[0]
    if ours[0] == "error":
        assert ours[1] == theirs[1]
        return
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-10, atol=1e-12)
    for g, tg in zip(ours[2], theirs[2]):
        np.testing.assert_allclose(g, tg, rtol=1e-9, atol=1e-10)
    assert ours[3] == theirs[3]


@pytest.mark.parametrize("cls, shape", [("InstanceNorm1d", (3,)), ("InstanceNorm1d", (2, 3, 4, 5)),
                                        ("InstanceNorm2d", (3, 5)), ("InstanceNorm2d", (2, 3, 4, 5, 6))])
def test_instance_norm_refuses_other_numbers_of_dimensions_as_pytorch(cls, shape):
    x = np.zeros(shape, dtype=np.float32)
    with pytest.raises(ValueError) as theirs:
        getattr(torch.nn, cls)(3)(torch.tensor(x))
    with pytest.raises(ValueError) as ours:
        getattr(nn, cls)(3)(minigan.tensor(x))
    assert str(ours.value) == str(theirs.value)  # e.g. "expected 2D or 3D input (got 4D input)"


def test_instance_norm_without_bias_has_a_weight_only():
    for cls in (nn.InstanceNorm1d, nn.InstanceNorm2d):
        layer = cls(3, affine=True, bias=False)
        assert layer.bias is None and [n for n, _ in layer.named_parameters()] == ["weight"]


# ----------------------------------------------------------------------------- optimizers
@pytest.mark.parametrize("cls", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
def test_optimizer_zero_grad_set_to_none_false_zeroes_the_same_tensor(cls):
    for lib in (minigan, torch):
        layer = lib.nn.Linear(2, 2)
        opt = getattr(lib.optim, cls)(layer.parameters(), lr=0.1)
        layer(lib.ones(1, 2)).sum().backward()
        g = layer.weight.grad
        opt.zero_grad(set_to_none=False)
        assert g is layer.weight.grad and not g.detach().numpy().any()
        opt.zero_grad()  # the default: set_to_none=True
        assert layer.weight.grad is None and layer.bias.grad is None


def test_a_single_tensor_is_a_groups_params_as_pytorch():
    results = []
    for lib in (minigan, torch):
        layer = lib.nn.Linear(2, 1).double()
        with lib.no_grad():
            layer.weight.copy_(lib.tensor([[0.5, -1.0]], dtype=lib.float64))
            layer.bias.fill_(0.25)
        opt = lib.optim.SGD([{"params": layer.weight}, {"params": layer.bias, "lr": 1.0}], lr=0.1)
        layer(lib.ones(3, 2, dtype=lib.float64)).sum().backward()
        opt.step()
        extra = lib.nn.Parameter(lib.ones(1))
        opt.add_param_group({"params": extra})
        assert opt.param_groups[2]["params"][0] is extra
        results.append((layer.weight.detach().numpy(), layer.bias.detach().numpy(),
                        [type(g["params"]).__name__ for g in opt.param_groups],
                        [len(g["params"]) for g in opt.param_groups]))
    ours, theirs = results
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12)
    assert ours[2:] == theirs[2:] == (["list"] * 3, [1, 1, 1])


def test_a_set_of_params_is_refused_as_pytorch():
    messages = []
    for lib in (minigan, torch):
        layer = lib.nn.Linear(2, 1)
        with pytest.raises(TypeError) as group:
            lib.optim.SGD([{"params": set(layer.parameters())}], lr=0.1)
        opt = lib.optim.SGD([layer.weight], lr=0.1)
        with pytest.raises(TypeError) as added:
            opt.add_param_group({"params": {layer.bias}})
        messages.append((str(group.value), str(added.value)))
    assert messages[0] == messages[1]
    assert "ordered collections" in messages[0][0]


def test_a_single_tensor_as_the_whole_params_is_still_refused():
    for lib in (minigan, torch):
        with pytest.raises(TypeError):
            lib.optim.SGD(lib.nn.Linear(2, 1).weight, lr=0.1)
