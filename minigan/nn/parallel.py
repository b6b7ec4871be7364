"""``minigan.nn.parallel.DataParallel`` (also ``nn.DataParallel``): the wrapper of PyTorch's multi-GPU training,
on minigan's one device.

PyTorch splits each batch over the GPUs listed in ``device_ids`` and gathers the outputs; minigan runs on one
device, so the wrapped module runs the whole batch, and the results and gradients are those of the module
itself.  What a program sees is PyTorch's: ``model.module`` is the wrapped module, and ``state_dict()`` keys
start with ``module.`` (so a checkpoint saved from a DataParallel model loads into one).
"""

from __future__ import annotations

from minigan.nn.module import Module


class DataParallel(Module):
    """``DataParallel(module, device_ids=None, output_device=None, dim=0)`` on one device."""

    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        if not isinstance(module, Module):
            raise TypeError(f"DataParallel: expected a minigan Module, got {type(module).__name__}")
        ids = list(device_ids) if device_ids is not None else []
        if len(ids) > 1:
            raise ValueError(f"DataParallel: minigan runs on one device, got device_ids={ids}; "
                             "give one device (or none) and the module runs the whole batch there")
        self.module = module
        self.device_ids, self.output_device, self.dim = ids, output_device, dim

    def forward(self, *inputs, **kwargs):
        return self.module(*inputs, **kwargs)


__all__ = ["DataParallel"]
