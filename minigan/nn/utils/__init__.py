"""``minigan.nn.utils``, named as ``torch.nn.utils``: gradient clipping, flat parameter vectors and spectral
normalisation (the hook form, and the parametrization form in ``parametrizations``)."""

import sys

from minigan.nn.utils.clip_grad import clip_grad_norm, clip_grad_norm_, clip_grad_value_, get_total_norm
from minigan.nn.utils.convert_parameters import parameters_to_vector, vector_to_parameters
from minigan.nn.utils.spectral_norm import remove_spectral_norm, spectral_norm
from minigan.surface import missing as _missing

from minigan.nn.utils import parametrize, parametrizations  # noqa: E402  (isort: skip)  they use the above

__all__ = ["clip_grad_norm_", "clip_grad_norm", "clip_grad_value_", "get_total_norm", "parameters_to_vector",
           "vector_to_parameters", "spectral_norm", "remove_spectral_norm", "parametrize", "parametrizations"]


def __getattr__(name):
    """A PyTorch name minigan does not have: one line saying what to use instead (minigan/surface/missing.py)."""
    raise _missing.attribute_error("torch.nn.utils", name, sys.modules[__name__])
