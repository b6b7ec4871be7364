"""Module hooks' options, deepcopy of parameters, save/load with file objects and load_state_dict's errors,
each against PyTorch: the same program runs on both libraries and gives the same values.

  * register_forward_pre_hook / register_forward_hook with ``with_kwargs``, ``prepend`` and ``always_call``;
    the full backward hooks' ``prepend``;
  * ``copy.deepcopy`` of a Parameter (no ``.grad``), of a module, and of a plain Tensor (its ``.grad`` copied);
  * ``minigan.save`` / ``minigan.load`` with ``io.BytesIO`` and open files (minigan's own .npz format);
  * ``load_state_dict`` copies every key that fits before it raises for the others.


(Its torch-free tests: tests/library/test_module_hooks_and_io.py.)"""

import copy
import io
import warnings

import numpy as np
import pytest
from library.helpers_module_hooks_and_io import _linear

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

LIBS = [torch, minigan]


def _np(t):
    return None if t is None else np.array(t.detach().numpy())


def _same(a, b):
    """Equal values, nested in lists, tuples and dicts (tensors compared as arrays)."""
    if isinstance(a, dict):
        assert sorted(a) == sorted(b)
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), (a, b)
        for u, v in zip(a, b):
            _same(u, v)
    elif isinstance(a, (torch.Tensor, minigan.Tensor, np.ndarray)):
        np.testing.assert_allclose(*(x if isinstance(x, np.ndarray) else _np(x) for x in (b, a)), rtol=1e-6)
    else:
        assert a == b


def _both(program):
    """``program(lib)`` on PyTorch and on minigan: the same result."""
    _same(program(torch), program(minigan))


def _scale(lib):
    class Scale(lib.nn.Module):
        def forward(self, x, factor=1.0):
            return x * factor

    return Scale()


# ----------------------------------------------------------------------------- forward hooks: with_kwargs
def test_pre_hook_with_kwargs_replaces_args_and_kwargs():
    def program(lib):
        m, seen = _scale(lib), []

        def pre(mod, args, kwargs):
            seen.append((len(args), dict(kwargs)))
            return (args[0] + 1,), {**kwargs, "factor": 3.0}

        m.register_forward_pre_hook(pre, with_kwargs=True)
        return m(lib.ones(2), factor=2.0), m(lib.ones(2)), seen

    _both(program)


def test_forward_hook_with_kwargs_sees_the_kwargs_the_pre_hooks_left():
    def program(lib):
        m, seen = _scale(lib), []
        m.register_forward_pre_hook(lambda mod, args, kwargs: (args, {"factor": 5.0}), with_kwargs=True)
        m.register_forward_hook(lambda mod, args, kwargs, out: seen.append(dict(kwargs)) or out - 1,
                                with_kwargs=True)
        m.register_forward_hook(lambda mod, args, out: seen.append(len(args)))  # without: (module, args, output)
        return m(lib.ones(3), factor=2.0), seen

    _both(program)


def test_plain_pre_hook_never_sees_the_kwargs():
    def program(lib):
        m, seen = _scale(lib), []
        m.register_forward_pre_hook(lambda mod, args: seen.append(len(args)) or (args[0] * 2,))
        return m(lib.ones(2), factor=4.0), seen

    _both(program)


@pytest.mark.parametrize("bad", [None, "x", ((1,),), ((1,), {}, 3)], ids=["none-ok", "str", "one", "three"])
def test_pre_hook_with_kwargs_must_return_a_pair(bad):
    def program(lib):
        m = _scale(lib)
        m.register_forward_pre_hook(lambda mod, args, kwargs: bad, with_kwargs=True)
        try:
            return m(lib.ones(2))
        except RuntimeError as e:
            return ("RuntimeError", "new_args, new_kwargs" in str(e))

    _both(program)


def test_with_kwargs_hooks_around_backward_hooks():
    def program(lib):
        lin, m, seen = _linear(lib, 3, 2), _scale(lib), []
        m.register_forward_pre_hook(lambda mod, args, kwargs: ((lin(args[0]),), kwargs), with_kwargs=True)
        m.register_full_backward_hook(lambda mod, gi, go: seen.append([_np(g) for g in gi]))
        x = lib.ones(1, 3, requires_grad=True)
        m(x, factor=3.0).sum().backward()
        return seen, x.grad

    _both(program)


def test_removing_a_hook_forgets_its_flags():
    def program(lib):
        m, seen = _scale(lib), []
        h = m.register_forward_hook(lambda mod, args, kwargs, out: seen.append("kw"), with_kwargs=True,
                                    always_call=True)
        m(lib.ones(1))
        h.remove()
        m.register_forward_hook(lambda mod, args, out: seen.append("plain"))
        m(lib.ones(1))
        return seen, len(m._forward_hooks_with_kwargs), len(m._forward_hooks_always_called)

    _both(program)


# ----------------------------------------------------------------------------- prepend
def test_prepend_puts_a_hook_first_for_each_kind():
    def program(lib):
        m, order = _linear(lib, 2, 2), []
        for name in ("a", "b", "c"):
            first = name == "b"
            m.register_forward_pre_hook(lambda mod, args, n=name: order.append("pre " + n), prepend=first)
            m.register_forward_hook(lambda mod, args, out, n=name: order.append("fwd " + n), prepend=first)
            m.register_full_backward_pre_hook(lambda mod, go, n=name: order.append("bpre " + n), first)
            m.register_full_backward_hook(lambda mod, gi, go, n=name: order.append("bwd " + n), prepend=first)
        m(lib.ones(1, 2, requires_grad=True)).sum().backward()
        return order

    _both(program)


def test_prepend_with_kwargs_together():
    def program(lib):
        m, order = _scale(lib), []
        m.register_forward_hook(lambda mod, args, out: order.append("plain"))
        m.register_forward_hook(lambda mod, args, kwargs, out: order.append(sorted(kwargs)), prepend=True,
                                with_kwargs=True)
        m.register_forward_pre_hook(lambda mod, args: order.append("pre"))
        m.register_forward_pre_hook(lambda mod, args, kwargs: order.append("pre kw"), prepend=True, with_kwargs=True)
        m(lib.ones(1), factor=2.0)
        return order

    _both(program)


# ----------------------------------------------------------------------------- always_call
class _Boom(Exception):
    pass


def _failing(lib, where):
    """A module whose pre-hook, forward or first forward hook raises, with three forward hooks after that."""

    class Failing(lib.nn.Module):
        def forward(self, x):
            if where == "forward":
                raise _Boom("forward")
            return x + 1

    m, seen = Failing(), []
    if where == "pre-hook":
        m.register_forward_pre_hook(lambda mod, args: (_ for _ in ()).throw(_Boom("pre")))
    if where == "hook":
        m.register_forward_hook(lambda mod, args, out: (_ for _ in ()).throw(_Boom("hook")))
    m.register_forward_hook(lambda mod, args, out: seen.append(("plain", out)))
    m.register_forward_hook(lambda mod, args, out: seen.append(("always", out)) or (out if out is None else out * 10),
                            always_call=True)
    m.register_forward_hook(lambda mod, args, kwargs, out: seen.append(("always kw", out, dict(kwargs))),
                            always_call=True, with_kwargs=True)
    return m, seen


@pytest.mark.parametrize("where", ["forward", "pre-hook", "hook"])
def test_always_call_hooks_run_when_the_call_raises(where):
    def program(lib):
        m, seen = _failing(lib, where)
        with pytest.raises(_Boom, match="forward|pre|hook"):
            m(lib.ones(1))
        return seen

    _both(program)


def test_always_call_hooks_run_once_when_nothing_raises():
    def program(lib):
        m, seen = _failing(lib, "nowhere")
        return m(lib.ones(1)), seen

    _both(program)


def test_an_always_call_hook_that_raises_is_only_a_warning_after_another_error():
    def program(lib):
        m, _ = _failing(lib, "forward")
        m.register_forward_hook(lambda mod, args, out: 1 / 0, always_call=True)
        with warnings.catch_warnings(record=True) as caught, pytest.raises(_Boom):
            warnings.simplefilter("always")
            m(lib.ones(1))
        return [("always_call=True" in str(w.message), "division by zero" in str(w.message)) for w in caught]

    _both(program)


# ----------------------------------------------------------------------------- deepcopy
def test_deepcopy_of_a_parameter_drops_its_grad():
    def program(lib):
        p = lib.nn.Parameter(lib.ones(2, 3))
        (p * 2).sum().backward()
        c = copy.deepcopy(p)
        with lib.no_grad():
            c.add_(1)
        frozen = copy.deepcopy(lib.nn.Parameter(lib.ones(1), requires_grad=False))
        return (type(c).__name__, c.grad is None, c.requires_grad, c.is_leaf, c, p, p.grad,
                type(frozen).__name__, frozen.requires_grad)

    _both(program)


def test_deepcopy_of_a_module_gives_weights_without_grads_and_keeps_sharing():
    def program(lib):
        net = lib.nn.Sequential(_linear(lib, 2, 2), _linear(lib, 2, 2, seed=1))
        net[1].weight = net[0].weight  # tied weights
        net(lib.ones(1, 2)).sum().backward()
        twin = copy.deepcopy(net)
        return (twin[0].weight.grad is None, twin[1].bias.grad is None, twin[0].weight is twin[1].weight,
                twin[0].weight is not net[0].weight, twin(lib.ones(1, 2)), net[0].weight.grad)

    _both(program)


def test_deepcopy_shares_what_the_memo_shares():
    def program(lib):
        p = lib.nn.Parameter(lib.ones(2))
        p.sum().backward()
        twin = copy.deepcopy([p, p, p.grad])
        return twin[0] is twin[1], twin[0].grad is None, twin[2]

    _both(program)


def test_deepcopy_of_a_plain_leaf_tensor_copies_its_grad():
    def program(lib):
        t = lib.ones(3, requires_grad=True)
        (t * 3).sum().backward()
        c = copy.deepcopy(t)
        return c.grad is not None and c.grad is not t.grad, c.grad, c.requires_grad

    _both(program)


# ----------------------------------------------------------------------------- save / load with file objects
def _roundtrip_output(lib, buf_of):
    net = _linear(lib, 2, 2)
    buf = buf_of()
    lib.save(net.state_dict(), buf)
    buf.seek(0)
    other = lib.nn.Linear(2, 2)
    other.load_state_dict(lib.load(buf))
    return other(lib.ones(1, 2)), buf.closed


def test_save_and_load_through_a_bytesio_buffer():
    _both(lambda lib: _roundtrip_output(lib, io.BytesIO))


def test_save_and_load_through_open_files(tmp_path):
    def program(lib):
        path = tmp_path / f"{lib.__name__}.ckpt"
        net = _linear(lib, 2, 3)
        with open(path, "wb") as f:
            lib.save({"model": net.state_dict(), "step": 7}, f)
            closed_after_save = f.closed
        with open(path, "rb") as f:
            state = lib.load(f)
            closed_after_load = f.closed
        return state["step"], sorted(state["model"]), closed_after_save, closed_after_load

    _both(program)


# ----------------------------------------------------------------------------- load_state_dict's errors
def _raises(module, state, **kwargs):
    """Whether load_state_dict raises a RuntimeError (minigan's errors are RuntimeErrors too, as PyTorch's)."""
    try:
        module.load_state_dict(state, **kwargs)
        return False
    except RuntimeError:
        return True


@pytest.mark.parametrize("strict", [True, False])
def test_load_state_dict_copies_every_key_that_fits_before_raising(strict):
    def program(lib):
        dst = _linear(lib, 3, 2)
        results = [
            # a missing key (an error only when strict): the weight is copied
            _raises(dst, {"weight": lib.zeros(2, 3)}, strict=strict),
            # another shape (an error even when not strict): the bias is still copied
            _raises(dst, {"weight": lib.ones(2, 4), "bias": lib.ones(2)}, strict=strict),
        ]
        w_after, b_after = _np(dst.weight), _np(dst.bias)
        # an unexpected key: the others are copied
        results.append(_raises(dst, {"weight": lib.full((2, 3), 2.0), "bias": lib.full((2,), 3.0),
                                            "extra": lib.ones(1)}, strict=strict))
        return results, w_after, b_after, dst.weight, dst.bias

    _both(program)


def test_fine_tuning_idiom_keeps_the_weights_that_loaded():
    """``try: load_state_dict(...) except RuntimeError`` to fine-tune with a new head: the body is loaded."""

    def program(lib):
        pretrained = lib.nn.Sequential(_linear(lib, 4, 3), lib.nn.ReLU(), _linear(lib, 3, 10, seed=1))
        model = lib.nn.Sequential(_linear(lib, 4, 3, seed=2), lib.nn.ReLU(), _linear(lib, 3, 2, seed=3))
        head_before = _np(model[2].weight)
        try:
            model.load_state_dict(pretrained.state_dict())
            raised = False
        except RuntimeError:
            raised = True
        return raised, model[0].weight, model[0].bias, np.array_equal(_np(model[2].weight), head_before)

    _both(program)
