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

from minigan.engine import graph, walk
from minigan.engine.grad_mode import detect_anomaly, enable_grad, no_grad, set_grad_enabled
from minigan.engine.graph import Node
from minigan.engine.tensor import Tensor

# Every seam the engine offers the library built on it, in one place, by kind; nothing else of the engine is changed
# from above (tests/engine/test_engine_extension_points.py checks what is written into the engine's classes and
# modules against it, and what the tables hold against minigan/surface/ops.py's rows):
# * "attribute": names the library sets on an engine class: the class of every result (Tensor.plain, which the
#   surface sets to minigan.Tensor) and PyTorch's view of a node for a learner's prints (minigan/surface/node_view.py;
#   the walk reads none of it);
# * "table": dicts the engine reads and the library fills: an op's result layout (RESULT_ADJUSTMENTS, read by
#   Node.apply), its gradients under create_graph (GRADIENT_ADJUSTMENTS, read by the walk) and its kernels' rounding
#   (KERNELS, read by Pow and ScaledMatMul), by node class; a leaf's hooks after accumulation, by the leaf's id
#   (walk.post_accumulate);
# * "hook method": methods the engine calls on itself that minigan.Tensor may override: what an in-place write
#   refuses, the history of a view taken again, the sum's and the mean's other forms;
# * "node hooks": a node's own prehooks and post-hooks (Node.node_hooks), which the walk runs around its backward.
SEAMS = {
    "attribute": {Tensor: ("plain",),
                  Node: ("next_functions", "name", "metadata", "register_prehook", "register_hook", "__repr__")},
    "table": {"RESULT_ADJUSTMENTS": graph.RESULT_ADJUSTMENTS, "GRADIENT_ADJUSTMENTS": graph.GRADIENT_ADJUSTMENTS,
              "KERNELS": graph.KERNELS, "post_accumulate": walk.post_accumulate},
    "hook method": {Tensor: ("_refuse_place", "_view_history", "_sum_along", "_mean_along")},
    "node hooks": {Node: ("node_hooks",)},
}

__all__ = ["Tensor", "detect_anomaly", "enable_grad", "no_grad", "set_grad_enabled"]
