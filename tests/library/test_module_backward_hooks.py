"""Module.register_full_backward_hook / register_full_backward_pre_hook against PyTorch: the gradients each hook
sees (grad_input per tensor argument, None where none flows; grad_output per output), gradients a hook replaces,
the gradients that reach the inputs and the parameters, and a module whose inputs take no gradient.

(Its comparisons with PyTorch: tests/pytorch/test_module_backward_hooks.py.)"""

import minigan


def test_a_removed_hook_is_not_called():
    layer = minigan.nn.Linear(2, 1)
    calls = []
    handle = layer.register_full_backward_hook(lambda m, gi, go: calls.append(1))
    layer(minigan.ones(1, 2, requires_grad=True)).sum().backward()
    handle.remove()
    layer(minigan.ones(1, 2, requires_grad=True)).sum().backward()
    assert calls == [1]
