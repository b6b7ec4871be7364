"""``torch.autograd.graph``: the graph's nodes as a learner prints them (``y.grad_fn.next_functions``, ``name()``,
``metadata``, ``register_hook``).  They live with the Tensor's surface (minigan/surface/node_view.py), which sets
them on the engine's Node when it is imported, so that ``print(y)`` shows PyTorch's names whatever a program
imported first; this module hands them on under PyTorch's path."""

from __future__ import annotations

from minigan.engine.graph import Node
from minigan.surface.missing import NotInMinigan
from minigan.surface.node_view import AccumulateGrad, metadata, name, next_functions, shown_as

__all__ = ["AccumulateGrad", "Node", "metadata", "name", "next_functions", "shown_as"]


def __getattr__(name):  # PyTorch's other torch.autograd.graph names: one line that says so
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    raise NotInMinigan(f"minigan.autograd.graph.{name}: not provided; this module gives the graph's nodes as a "
                       "learner prints them (Node, next_functions, name(), metadata, register_hook/register_prehook)")
