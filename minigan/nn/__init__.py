"""Neural-network building blocks, named as in ``torch.nn``.

    from minigan import nn
    G = nn.Sequential(nn.Linear(100, 256), nn.ReLU(), nn.Linear(256, 784), nn.Tanh())
"""

import sys

from minigan import functional
from minigan.nn import init
from minigan.nn.layers import (
    ELU,
    AvgPool2d,
    BatchNorm1d,
    BatchNorm2d,
    BCELoss,
    BCEWithLogitsLoss,
    Conv2d,
    ConvTranspose2d,
    CrossEntropyLoss,
    Dropout,
    Dropout2d,
    Embedding,
    Flatten,
    Identity,
    L1Loss,
    LeakyReLU,
    Linear,
    MaxPool2d,
    MSELoss,
    NLLLoss,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
    Unflatten,
    Upsample,
)
from minigan.nn.module import Module, ModuleList, Sequential
from minigan.nn.parameter import Parameter, UninitializedBuffer, UninitializedParameter
from minigan.surface import missing as _missing

from minigan.nn import parallel, utils  # noqa: E402  (isort: skip)  they build on the modules above
from minigan.nn.parallel import DataParallel  # noqa: E402  (isort: skip)
from minigan.nn.multihead_attention import MultiheadAttention  # noqa: E402  (isort: skip)
from minigan.nn.rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNBase, RNNCell, RNNCellBase  # noqa: E402  (isort: skip)
from minigan.nn.more_layers import (  # noqa: E402  (isort: skip)
    MarginRankingLoss,
    HingeEmbeddingLoss,
    CosineEmbeddingLoss,
    TripletMarginLoss,
    GaussianNLLLoss,
    PoissonNLLLoss,
    MultiLabelSoftMarginLoss,
    GLU,
    Hardshrink,
    Softshrink,
    Softmax2d,
    RMSNorm,
    Dropout1d,
    ZeroPad1d,
    ConstantPad1d,
    SiLU,
    Mish,
    ReLU6,
    Hardsigmoid,
    Hardswish,
    SELU,
    Softsign,
    LogSigmoid,
    Tanhshrink,
    Softplus,
    GELU,
    Hardtanh,
    CELU,
    Threshold,
    LogSoftmax,
    Softmin,
    PReLU,
    LayerNorm,
    GroupNorm,
    InstanceNorm1d,
    InstanceNorm2d,
    ZeroPad2d,
    ConstantPad2d,
    PixelShuffle,
    PixelUnshuffle,
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveMaxPool1d,
    AdaptiveMaxPool2d,
    ConvTranspose1d,
    Fold,
    Unfold,
    UpsamplingNearest2d,
    UpsamplingBilinear2d,
    ReflectionPad1d,
    ReflectionPad2d,
    ReplicationPad1d,
    ReplicationPad2d,
    CircularPad1d,
    CircularPad2d,
    Conv1d,
    MaxPool1d,
    AvgPool1d,
    CosineSimilarity,
    PairwiseDistance,
    SmoothL1Loss,
    HuberLoss,
    KLDivLoss,
    SoftMarginLoss,
    ModuleDict,
    ParameterDict,
    ParameterList,
)

from minigan.nn.lazy import (  # noqa: E402  (isort: skip)  they build on the layers above
    LazyBatchNorm1d,
    LazyBatchNorm2d,
    LazyConv1d,
    LazyConv2d,
    LazyConvTranspose1d,
    LazyConvTranspose2d,
    LazyLinear,
    LazyModuleMixin,
)

# ``import minigan.nn.functional as F`` (PyTorch's path) is the same module as ``minigan.functional``:
# registered under its second name, as the import system looks names up in sys.modules first.
sys.modules["minigan.nn.functional"] = functional

__all__ = [
    "LazyLinear", "LazyConv1d", "LazyConv2d", "LazyConvTranspose1d", "LazyConvTranspose2d", "LazyBatchNorm1d",
    "LazyBatchNorm2d", "LazyModuleMixin", "UninitializedParameter", "UninitializedBuffer",
    "MultiheadAttention", "RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell",
    "Module", "Parameter", "Sequential", "ModuleList", "Linear", "Conv2d", "ConvTranspose2d",
    "BatchNorm1d", "BatchNorm2d", "Dropout", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Identity", "Flatten",
    "Unflatten", "Embedding", "MaxPool2d", "AvgPool2d", "Upsample", "Dropout2d", "ELU", "Softmax", "BCELoss",
    "BCEWithLogitsLoss", "CrossEntropyLoss", "NLLLoss", "MSELoss", "L1Loss", "init", "functional", "utils",
    "parallel", "DataParallel", "SiLU", "Mish", "ReLU6", "Hardsigmoid", "Hardswish", "SELU", "Softsign", "LogSigmoid",
    "Tanhshrink", "Softplus", "GELU", "Hardtanh", "CELU", "Threshold", "LogSoftmax", "Softmin", "PReLU", "LayerNorm",
    "GroupNorm", "InstanceNorm1d", "InstanceNorm2d", "ZeroPad2d", "ConstantPad2d", "PixelShuffle", "PixelUnshuffle",
    "AdaptiveAvgPool2d", "AdaptiveAvgPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool1d", "UpsamplingNearest2d",
    "UpsamplingBilinear2d", "Conv1d", "MaxPool1d", "AvgPool1d", "ReflectionPad1d", "ReflectionPad2d",
    "ReplicationPad1d", "ReplicationPad2d", "CircularPad1d", "CircularPad2d", "CosineSimilarity", "PairwiseDistance",
    "SmoothL1Loss", "HuberLoss", "KLDivLoss", "SoftMarginLoss", "ModuleDict", "ParameterList", "ParameterDict",
    "MarginRankingLoss",
    "HingeEmbeddingLoss", "CosineEmbeddingLoss", "TripletMarginLoss", "GaussianNLLLoss", "PoissonNLLLoss",
    "MultiLabelSoftMarginLoss", "GLU", "Hardshrink", "Softshrink", "Softmax2d", "RMSNorm", "Dropout1d", "ZeroPad1d",
    "ConstantPad1d", "Unfold", "Fold", "ConvTranspose1d",
]


def __getattr__(name):
    """A PyTorch name minigan does not have: one line saying what to use instead (minigan/surface/missing.py)."""
    raise _missing.attribute_error('torch.nn', name, sys.modules[__name__])
