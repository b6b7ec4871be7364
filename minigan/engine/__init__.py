"""The engine: the part of minigan a student reads, in one sitting, to see how a gradient is made.

Read it from the ground up (each file imports only those before it):

* ``errors.py``, ``threads.py`` (BLAS threads), ``backend.py`` (the only file that imports NumPy or CuPy),
  ``dtypes.py``, ``checks.py`` (every argument check, at the door a user comes in by);
* ``grad_mode.py`` (no_grad and friends), ``graph.py`` (the node: run forward, record, saved values and versions);
* ``ops/`` (forward and backward side by side, the derivative in a one-line comment);
* ``walk.py`` (topological order and the backward walk, in numbered steps);
* ``methods.py``, ``inplace.py`` (in-place ops and the rules that keep gradients right) and ``tensor.py`` (the
  Tensor: value, graph, operators, views, ``backward()``).

Nothing here imports anything outside this folder: the PyTorch surface (``minigan.Tensor``, ``minigan.*``,
``F.*``) stands on it (tests/library/test_architecture.py checks both).  It runs alone: ``from minigan.engine import
Tensor`` loads no other part of minigan, and its ops give engine Tensors until the surface is imported
(tests/library/test_lazy_import.py).
"""

from minigan.engine.grad_mode import detect_anomaly, enable_grad, no_grad, set_grad_enabled
from minigan.engine.graph import Node
from minigan.engine.tensor import Tensor

# The names the library above may write into the engine's classes, and nothing else
# (tests/engine/test_engine_extension_points.py): the class of every result the engine makes (the surface sets it to
# minigan.Tensor), and the view of a node for a learner's prints (minigan/surface/node_view.py; the walk
# reads none of it).  What the library above adds to the engine's results (a memory layout) goes through one
# table, graph.RESULT_ADJUSTMENTS, filled with graph.adjust_results (minigan/surface/parity.py).
EXTENSION_POINTS = {
    Tensor: ("plain",),
    Node: ("next_functions", "name", "metadata", "register_prehook", "register_hook", "__repr__"),
}

__all__ = ["Tensor", "detect_anomaly", "enable_grad", "no_grad", "set_grad_enabled"]
