"""The names of PyTorch's ``torch.nn.Module`` and ``torch.optim.Optimizer`` that minigan's lack, each written on a
class that Module and Optimizer derive from (as missing_methods.py writes Tensor's), so that reading one on the class
itself (``nn.Module.compile``, ``nn.Linear.register_state_dict_pre_hook``, ``optim.SGD.register_step_pre_hook``)
raises the advice of missing.py's table, as reading it on an instance does: a ``NotInMinigan``, an AttributeError, so
``hasattr`` is False.  (An instance's ``__getattr__`` cannot see a read on the class, and a ``__getattr__`` on the
class would need a metaclass.)  A submodule, parameter or attribute stored under such a name is still read: the
descriptor's AttributeError sends Python to the instance's ``__getattr__``, which finds it.

The lists are the table's (tests/pytorch/test_module_optimizer_advice.py checks each name of it is here)."""

from __future__ import annotations

from minigan.surface.missing_methods import NotProvided

_MODULE, _OPTIMIZER = "torch.nn.Module", "torch.optim.Optimizer"


class ModuleNamesNotProvided:
    """Module's base: PyTorch Module names minigan lacks (missing_advice.txt's [torch.nn.Module])."""

    T_destination = NotProvided(_MODULE)
    bfloat16 = NotProvided(_MODULE)
    call_super_init = NotProvided(_MODULE)
    compile = NotProvided(_MODULE)
    dump_patches = NotProvided(_MODULE)
    ipu = NotProvided(_MODULE)
    mtia = NotProvided(_MODULE)
    register_backward_hook = NotProvided(_MODULE)
    register_load_state_dict_post_hook = NotProvided(_MODULE)
    register_load_state_dict_pre_hook = NotProvided(_MODULE)
    register_state_dict_post_hook = NotProvided(_MODULE)
    register_state_dict_pre_hook = NotProvided(_MODULE)
    set_submodule = NotProvided(_MODULE)
    share_memory = NotProvided(_MODULE)
    to_empty = NotProvided(_MODULE)
    type = NotProvided(_MODULE)
    xpu = NotProvided(_MODULE)


class OptimizerNamesNotProvided:
    """Optimizer's base: PyTorch Optimizer names minigan lacks (missing_advice.txt's [torch.optim.Optimizer])."""

    OptimizerPostHook = NotProvided(_OPTIMIZER)
    OptimizerPreHook = NotProvided(_OPTIMIZER)
    profile_hook_step = NotProvided(_OPTIMIZER)
    register_load_state_dict_post_hook = NotProvided(_OPTIMIZER)
    register_load_state_dict_pre_hook = NotProvided(_OPTIMIZER)
    register_state_dict_post_hook = NotProvided(_OPTIMIZER)
    register_state_dict_pre_hook = NotProvided(_OPTIMIZER)
    register_step_post_hook = NotProvided(_OPTIMIZER)
    register_step_pre_hook = NotProvided(_OPTIMIZER)
