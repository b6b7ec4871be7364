"""``minigan.nn.utils``, named as ``torch.nn.utils``: gradient clipping and flat parameter vectors."""

from minigan.nn.utils.clip_grad import clip_grad_norm_, clip_grad_value_, get_total_norm
from minigan.nn.utils.convert_parameters import parameters_to_vector, vector_to_parameters

__all__ = ["clip_grad_norm_", "clip_grad_value_", "get_total_norm", "parameters_to_vector", "vector_to_parameters"]
