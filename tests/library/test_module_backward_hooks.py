"""Module backward hooks without PyTorch: a removed hook is not called.

(Its comparisons with PyTorch: tests/pytorch/test_module_hooks.py.)"""

import minigan


def test_a_removed_hook_is_not_called():
    layer = minigan.nn.Linear(2, 1)
    calls = []
    handle = layer.register_full_backward_hook(lambda m, gi, go: calls.append(1))
    layer(minigan.ones(1, 2, requires_grad=True)).sum().backward()
    handle.remove()
    layer(minigan.ones(1, 2, requires_grad=True)).sum().backward()
    assert calls == [1]
