"""``state_dict()`` values are Tensors sharing the parameters' and buffers' memory, outside the graph, as PyTorch's:
``sd[k].size()`` works, a change to a weight shows in the state dict taken before it, ``copy.deepcopy`` takes a
snapshot, and the state dict prints as PyTorch's.  Saving stays NumPy underneath: a saved state dict loads as
Tensors, and a checkpoint of NumPy arrays (older minigan files) still loads into a module.

(Its torch-free tests: tests/library/test_state_dict_tensors.py.)"""

import pytest
from library.helpers_state_dict_tensors import net

import minigan

try:
    import torch
except ImportError:
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="needs torch (a test-only oracle)")


@needs_torch
def test_prints_as_pytorchs():
    """What a tutorial prints: the state dict, each key with its size, a value's type name."""
    weights = {k: v.numpy().copy() for k, v in net(minigan).state_dict().items()}

    def shown(lib):
        m = net(lib)
        m.load_state_dict({k: lib.tensor(v) for k, v in weights.items()})  # the same numbers in both
        sd = m.state_dict()
        return [str(sd), *(f"{k}\t{v.size()}" for k, v in sd.items()), type(sd["0.bias"]).__name__,
                str(sd["0.weight"].requires_grad)]

    assert shown(minigan) == [s.replace("torch", "minigan") for s in shown(torch)]
