"""minigan.Tensor's PyTorch surface, by topic: what a PyTorch user calls on a tensor beyond the engine's methods.

* the methods (``methods.py``; those of shapes, indexing and sorting in ``shape_methods.py``) and their in-place
  forms (``inplace.py``), how ``x[index]`` reads its index
  (``subscripts.py``), PyTorch's print (``printing.py``), the elementwise math only the surface calls
  (``unary.py``; the piecewise ops, ``pieces.py``; prod, cumsum and logsumexp, ``factors.py``), PyTorch's forms of
  the engine's own methods (``forms.py``), its refusals of shared memory in place (``overlap.py``), how a door reads
  lists of tensors and NumPy scalars (``data.py``), the advice for names minigan lacks (``missing.py``), the node of
  the ops PyTorch runs but does not differentiate, whose backward refuses (``no_derivative.py``), what a gradient
  under create_graph is read from (``reading.py``);
* the bodies a method shares with the free function of the same name (``x.lerp`` and ``minigan.lerp``), by topic:
  ``creation.py``, ``pointwise.py``, ``reductions.py``, ``shapes.py``, ``indexing.py``, ``sorting.py``,
  ``products.py``, ``sampling.py``, and what they share, ``operands.py``.

The class itself, ``minigan.Tensor``, is assembled in minigan/surface/tensor.py (the engine's Tensor and these
methods); the free functions ``minigan.*`` hand over to these bodies in minigan/toplevel.py.  Nothing here imports
those two, nor anything above them.
"""
