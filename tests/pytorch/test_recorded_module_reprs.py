"""Every module class of minigan.nn prints as PyTorch's class printed (typical and non-default arguments, the
containers, a ParameterList): PyTorch's text is read from tests/pytorch/pytorch_records/module_reprs.json
(tests/pytorch/record_pytorch.py builds the same modules in PyTorch), so this runs without PyTorch; where PyTorch is
installed, tests/pytorch/test_nn_surface_repr.py checks that the record is what PyTorch prints."""

import warnings

import pytest

from minigan import nn
from pytorch import record_pytorch

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



def _module(name, args, kwargs):
    return lambda torch: repr(built(torch, name, args, kwargs))


def _container(name):
    return lambda torch: repr(CONTAINER_CASES[name](torch))


def _parameter_list(torch):
    """Its dtypes print with the library's name (float64 as minigan.float64)."""
    parameters = [torch.ones(2), torch.zeros(2, 3, dtype=torch.float64), torch.tensor(1.0)]
    return [repr(torch.nn.ParameterList([torch.nn.Parameter(p) for p in parameters])),
            repr(torch.nn.ParameterList())]


PROGRAMS = {f"{name}-{i}": _module(name, args, kwargs) for i, (name, args, kwargs) in enumerate(REPR_CASES)}
PROGRAMS.update({name: _container(name) for name in CONTAINER_CASES})
PROGRAMS["ParameterList"] = _parameter_list


def _parameter_dict(torch):
    """Its tensors print by their type names (torch.DoubleTensor as minigan.DoubleTensor), other values by type."""
    values = {"b": torch.ones(2), "a": torch.zeros(2, 3, dtype=torch.float64), "c": 3, "d": torch.tensor(1.0)}
    return [repr(torch.nn.ParameterDict(values)), repr(torch.nn.ParameterDict())]


PROGRAMS["ParameterDict"] = _parameter_dict
RECORD = record_pytorch.load("module_reprs")


@pytest.mark.parametrize("case", list(PROGRAMS))
def test_prints_as_pytorch_printed(case):
    assert case in RECORD["records"], "no record: run python tests/pytorch/record_pytorch.py module_reprs"
    differences = record_pytorch.program_differences(PROGRAMS[case], RECORD["records"][case])
    assert not differences, "\n".join(differences)


def test_every_program_is_recorded_and_every_record_is_a_program():
    assert set(RECORD["records"]) == set(PROGRAMS)


def test_an_empty_parameter_list_prints_its_name_only():
    assert repr(nn.ParameterList()) == "ParameterList()"


def test_every_module_class_of_nn_is_surveyed():
    surveyed = {name for name, _, _ in REPR_CASES} | set(CONTAINER_CASES) | {"ParameterList", "ParameterDict"}
    classes = {name for name in nn.__all__ if isinstance(getattr(nn, name), type)
               and issubclass(getattr(nn, name), nn.Module)}
    assert classes - surveyed == set()
