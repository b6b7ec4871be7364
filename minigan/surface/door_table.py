"""The door table: every free function of minigan (``minigan.exp``, ``minigan.cumprod``...) that hands on to a body
of its own module, by PyTorch's name, with every spelling PyTorch gives the op.

A row ``"name": Door(body, out, tensor, row, same_as)`` says:

* ``body``: the function that keeps the door's logic (its checks, its arithmetic), by module and name:
  ``"pointwise.sin"`` is minigan/surface/pointwise.py's ``sin`` (``"functional.stack"``: minigan/functional/'s);
* ``out``: PyTorch's function takes ``out=`` (the door's branch calls minigan/surface/out.py's ``call_with_out``);
* ``tensor``: the Tensor's spellings of the op, methods, in-place methods and operators (``"add add_ __add__
  __radd__ __iadd__"``); tests/pytorch/test_door_table.py checks that the Tensor has exactly these;
* ``row``: the node of minigan/surface/ops.py's row that the function records, where it records one;
* ``same_as``: another row's name, where PyTorch's name is an alias of it (``clip`` of ``clamp``);
* ``method``: the Tensor's method of this name is the body with the tensor first (``x.cumsum(1)`` is
  ``reductions.cumsum(x, 1)``), generated into minigan/surface/tensor_doors.py.

PyTorch's signature of each (the overloads of its argument parser) is in
tests/pytorch/pytorch_records/parser_signatures.json (tests/pytorch/record_pytorch.py records it).  From the two,
``python tools/make_doors.py`` writes minigan/doors.py: one plain ``def`` a row, with PyTorch's ``out=`` and the names
NumPy gives PyTorch's arguments (``axis`` for ``dim``, ``x`` for ``input``) where PyTorch's parser takes them, which
minigan/toplevel.py hands on as ``minigan.*``; tests/pytorch/test_door_table.py regenerates it and compares.
A new free function: its body in minigan/surface/, a row here, then ``python tools/make_doors.py``.
"""

from __future__ import annotations

from typing import NamedTuple


class Door(NamedTuple):
    body: str = ""  # "pointwise.sin": module and name of the function that keeps the door's logic
    out: bool = False  # PyTorch's function takes out=
    tensor: str = ""  # the Tensor's methods, in-place methods and operators of the op, by name
    row: str = ""  # the node class of minigan/surface/ops.py's row the function records
    same_as: str = ""  # the row whose door this name is too (PyTorch's alias)
    method: bool = False  # the Tensor's method of this name is the body with the tensor first, generated too


DOORS = {
    "cat": Door("functional.cat", out=True, row="Cat"),
    "stack": Door("functional.stack", out=True, row="Cat"),
    "maximum": Door("pointwise.maximum", out=True, row="Maximum", method=True, tensor="maximum"),
    "fmax": Door("pointwise.fmax", out=True, method=True, tensor="fmax"),
    "fmin": Door("pointwise.fmin", out=True, method=True, tensor="fmin"),
    "minimum": Door("pointwise.minimum", out=True, row="Minimum", method=True, tensor="minimum"),
    "sum": Door("Tensor.sum", out=True, row="Sum", tensor="sum"),
    "mean": Door("Tensor.mean", out=True, row="Mean", tensor="mean"),
    "max": Door("reductions.max", out=True, tensor="max"),
    "min": Door("reductions.min", out=True, tensor="min"),
    "argmax": Door("reductions.argmax", out=True, tensor="argmax"),
    "argmin": Door("reductions.argmin", out=True, tensor="argmin"),
    "logsumexp": Door("reductions.logsumexp", out=True, tensor="logsumexp"),
    "norm": Door("reductions.norm", tensor="norm"),
    "abs": Door("Tensor.abs", out=True, row="Abs", tensor="abs abs_ __abs__"),
    "exp": Door("Tensor.exp", out=True, row="Exp", tensor="exp exp_"),
    "log": Door("Tensor.log", out=True, row="Log", tensor="log log_"),
    "sqrt": Door("Tensor.sqrt", out=True, row="Sqrt", tensor="sqrt sqrt_"),
    "sign": Door("Tensor.sign", out=True, row="Sign", tensor="sign sign_"),
    "tanh": Door("Tensor.tanh", out=True, row="Tanh", tensor="tanh tanh_"),
    "sigmoid": Door("Tensor.sigmoid", out=True, row="Sigmoid", tensor="sigmoid sigmoid_"),
    "relu": Door("Tensor.relu", row="ReLU", tensor="relu relu_"),
    "clamp": Door("Tensor.clamp", out=True, row="Clamp", tensor="clamp clamp_"),
    "clip": Door(same_as="clamp", tensor="clip clip_"),
    "softmax": Door("pointwise.softmax", tensor="softmax"),
    "log_softmax": Door("pointwise.log_softmax", tensor="log_softmax"),
    "matmul": Door("Tensor.matmul", out=True, row="MatMul", tensor="matmul __matmul__ __rmatmul__"),
    "mm": Door("products.mm", out=True, method=True, tensor="mm"),
    "reshape": Door("shapes.reshape", tensor="reshape"),
    "flatten": Door("Tensor.flatten", tensor="flatten"),
    "squeeze": Door("shapes.squeeze", tensor="squeeze squeeze_"),
    "unsqueeze": Door("shapes.unsqueeze", tensor="unsqueeze unsqueeze_"),
    "transpose": Door("shapes.transpose", tensor="transpose transpose_"),
    "permute": Door("shapes.permute", tensor="permute"),
    "numel": Door("Tensor.numel", tensor="numel"),
    "where": Door("pointwise.where", out=True, row="Where", tensor="where"),
    "sin": Door("pointwise.sin", out=True, row="Sin", method=True, tensor="sin sin_"),
    "cos": Door("pointwise.cos", out=True, row="Cos", method=True, tensor="cos cos_"),
    "tan": Door("pointwise.tan", out=True, row="Tan", method=True, tensor="tan tan_"),
    "asin": Door("pointwise.asin", out=True, row="Asin", method=True, tensor="asin asin_"),
    "acos": Door("pointwise.acos", out=True, row="Acos", method=True, tensor="acos acos_"),
    "atan": Door("pointwise.atan", out=True, row="Atan", method=True, tensor="atan atan_"),
    "sinh": Door("pointwise.sinh", out=True, row="Sinh", method=True, tensor="sinh sinh_"),
    "cosh": Door("pointwise.cosh", out=True, row="Cosh", method=True, tensor="cosh cosh_"),
    "asinh": Door("pointwise.asinh", out=True, row="Asinh", method=True, tensor="asinh asinh_"),
    "acosh": Door("pointwise.acosh", out=True, row="Acosh", method=True, tensor="acosh acosh_"),
    "atanh": Door("pointwise.atanh", out=True, row="Atanh", method=True, tensor="atanh atanh_"),
    "log1p": Door("pointwise.log1p", out=True, row="Log1p", method=True, tensor="log1p log1p_"),
    "expm1": Door("pointwise.expm1", out=True, row="Expm1", method=True, tensor="expm1 expm1_"),
    "exp2": Door("pointwise.exp2", out=True, row="Exp2", method=True, tensor="exp2 exp2_"),
    "erf": Door("pointwise.erf", out=True, row="Erf", method=True, tensor="erf erf_"),
    "erfc": Door("pointwise.erfc", out=True, row="Erfc", method=True, tensor="erfc erfc_"),
    "erfinv": Door("pointwise.erfinv", out=True, row="Erfinv", method=True, tensor="erfinv erfinv_"),
    "log2": Door("pointwise.log2", out=True, row="Log2", method=True, tensor="log2 log2_"),
    "log10": Door("pointwise.log10", out=True, row="Log10", method=True, tensor="log10 log10_"),
    "reciprocal": Door("pointwise.reciprocal", out=True, row="Reciprocal", method=True,
                       tensor="reciprocal reciprocal_"),
    "rsqrt": Door("pointwise.rsqrt", out=True, row="Rsqrt", method=True, tensor="rsqrt rsqrt_"),
    "floor": Door("pointwise.floor", out=True, row="Floor", method=True, tensor="floor floor_"),
    "ceil": Door("pointwise.ceil", out=True, row="Ceil", method=True, tensor="ceil ceil_"),
    "round": Door("pointwise.round", out=True, row="Round", method=True, tensor="round round_"),
    "trunc": Door("pointwise.trunc", out=True, row="Trunc", method=True, tensor="trunc trunc_"),
    "fix": Door(same_as="trunc", method=True, tensor="fix fix_"),
    "frac": Door("pointwise.frac", out=True, row="Frac", method=True, tensor="frac frac_"),
    "atan2": Door("pointwise.atan2", out=True, row="Atan2", method=True, tensor="atan2 atan2_"),
    "hypot": Door("pointwise.hypot", out=True, row="Hypot", method=True, tensor="hypot hypot_"),
    "arcsin": Door(same_as="asin", method=True, tensor="arcsin arcsin_"),
    "arccos": Door(same_as="acos", method=True, tensor="arccos arccos_"),
    "arctan": Door(same_as="atan", method=True, tensor="arctan arctan_"),
    "arcsinh": Door(same_as="asinh", method=True, tensor="arcsinh arcsinh_"),
    "arccosh": Door(same_as="acosh", method=True, tensor="arccosh arccosh_"),
    "arctanh": Door(same_as="atanh", method=True, tensor="arctanh arctanh_"),
    "arctan2": Door(same_as="atan2", method=True, tensor="arctan2 arctan2_"),
    "add": Door("scaled.add", out=True, row="Add", tensor="add add_ __add__ __radd__ __iadd__"),
    "sub": Door("scaled.sub", out=True, row="Sub", tensor="sub sub_ __sub__ __rsub__ __isub__"),
    "subtract": Door("scaled.subtract", out=True, method=True, tensor="subtract subtract_"),
    "mul": Door("pointwise.mul", out=True, row="Mul", tensor="mul mul_ __mul__ __rmul__ __imul__"),
    "multiply": Door(same_as="mul", method=True, tensor="multiply multiply_"),
    "div": Door("pointwise.div", out=True, row="Div", method=True,
               tensor="div div_ __truediv__ __rtruediv__ __itruediv__"),
    "divide": Door(same_as="div", method=True, tensor="divide divide_"),
    "true_divide": Door(same_as="div", method=True, tensor="true_divide true_divide_"),
    "pow": Door("pointwise.pow", out=True, row="Pow", method=True, tensor="pow pow_ __pow__ __rpow__ __ipow__"),
    "neg": Door("pointwise.neg", out=True, row="Neg", method=True, tensor="neg neg_ __neg__"),
    "negative": Door(same_as="neg", method=True, tensor="negative negative_"),
    "square": Door("Tensor.square", out=True, tensor="square square_"),
    "std": Door("reductions.std", out=True, tensor="std"),
    "var": Door("reductions.var", out=True, row="Var", tensor="var"),
    "t": Door("Tensor.t", tensor="t t_"),
    "bmm": Door("products.bmm", out=True, method=True, tensor="bmm"),
    "lerp": Door("pointwise.lerp", out=True, row="Lerp", method=True, tensor="lerp lerp_"),
    "addmm": Door("products.addmm", out=True, row="ScaledMatMul", method=True, tensor="addmm addmm_"),
    "baddbmm": Door("products.baddbmm", out=True, method=True, tensor="baddbmm"),
    "addbmm": Door("products.addbmm", out=True, method=True, tensor="addbmm"),
    "addmv": Door("products.addmv", out=True, method=True, tensor="addmv"),
    "addr": Door("products.addr", out=True, method=True, tensor="addr"),
    "dist": Door("products.dist", row="Dist", method=True, tensor="dist"),
    "outer": Door("products.outer", out=True, method=True, tensor="outer"),
    "ger": Door(same_as="outer", method=True, tensor="ger"),
    "dot": Door("products.dot", out=True, method=True, tensor="dot"),
    "clone": Door("Tensor.clone", row="Clone", tensor="clone"),
    "detach": Door("Tensor.detach", tensor="detach detach_"),
    "chunk": Door("shapes.chunk", method=True, tensor="chunk"),
    "split": Door("shapes.split", tensor="split"),
    "narrow": Door("shapes.narrow", method=True, tensor="narrow"),
    "eq": Door("Tensor.eq", out=True, tensor="eq __eq__"),
    "ne": Door("Tensor.ne", out=True, tensor="ne __ne__"),
    "gt": Door("pointwise.gt", out=True, method=True, tensor="gt __gt__"),
    "ge": Door("pointwise.ge", out=True, method=True, tensor="ge __ge__"),
    "lt": Door("pointwise.lt", out=True, method=True, tensor="lt __lt__"),
    "le": Door("pointwise.le", out=True, method=True, tensor="le __le__"),
    "greater": Door(same_as="gt", method=True, tensor="greater"),
    "greater_equal": Door(same_as="ge", method=True, tensor="greater_equal"),
    "less": Door(same_as="lt", method=True, tensor="less"),
    "less_equal": Door(same_as="le", method=True, tensor="less_equal"),
    "not_equal": Door(same_as="ne", method=True, tensor="not_equal"),
    "isnan": Door("pointwise.isnan", method=True, tensor="isnan"),
    "isinf": Door("pointwise.isinf", method=True, tensor="isinf"),
    "isfinite": Door("pointwise.isfinite", method=True, tensor="isfinite"),
    "logical_not": Door("pointwise.logical_not", out=True, method=True, tensor="logical_not"),
    "logical_and": Door("pointwise.logical_and", out=True, method=True, tensor="logical_and"),
    "logical_or": Door("pointwise.logical_or", out=True, method=True, tensor="logical_or"),
    "logical_xor": Door("pointwise.logical_xor", out=True, method=True, tensor="logical_xor"),
    "bitwise_and": Door("pointwise.bitwise_and", out=True, method=True,
               tensor="bitwise_and bitwise_and_ __and__ __rand__ __iand__"),
    "bitwise_or": Door("pointwise.bitwise_or", out=True, method=True,
               tensor="bitwise_or bitwise_or_ __or__ __ror__ __ior__"),
    "bitwise_xor": Door("pointwise.bitwise_xor", out=True, method=True,
               tensor="bitwise_xor bitwise_xor_ __xor__ __rxor__ __ixor__"),
    "bitwise_left_shift": Door("pointwise.bitwise_left_shift", out=True, method=True,
               tensor="bitwise_left_shift bitwise_left_shift_ __lshift__ __rlshift__ __ilshift__"),
    "bitwise_right_shift": Door("pointwise.bitwise_right_shift", out=True, method=True,
               tensor="bitwise_right_shift bitwise_right_shift_ __rshift__ __rrshift__ __irshift__"),
    "bitwise_not": Door("pointwise.bitwise_not", out=True, method=True, tensor="bitwise_not bitwise_not_ __invert__"),
    "all": Door("reductions.all", out=True, method=True, tensor="all"),
    "any": Door("reductions.any", out=True, method=True, tensor="any"),
    "isclose": Door("pointwise.isclose", method=True, tensor="isclose"),
    "allclose": Door("reductions.allclose", method=True, tensor="allclose"),
    "equal": Door("reductions.equal", method=True, tensor="equal"),
    "count_nonzero": Door("reductions.count_nonzero", method=True, tensor="count_nonzero"),
    "masked_fill": Door("pointwise.masked_fill", method=True, tensor="masked_fill masked_fill_"),
    "absolute": Door("pointwise.absolute", out=True, method=True, tensor="absolute absolute_"),
    "positive": Door("Tensor.positive", tensor="positive __pos__"),
    "amax": Door("reductions.amax", out=True, row="Max", method=True, tensor="amax"),
    "amin": Door("reductions.amin", out=True, method=True, tensor="amin"),
    "clamp_min": Door("pointwise.clamp_min", out=True, method=True, tensor="clamp_min clamp_min_"),
    "clamp_max": Door("pointwise.clamp_max", out=True, method=True, tensor="clamp_max clamp_max_"),
    "broadcast_to": Door("shapes.broadcast_to", row="BroadcastTo", method=True, tensor="broadcast_to"),
    "is_floating_point": Door("Tensor.is_floating_point", tensor="is_floating_point"),
    "is_nonzero": Door("reductions.is_nonzero", method=True, tensor="is_nonzero"),
    "is_same_size": Door("shapes.is_same_size", method=True, tensor="is_same_size"),
    "floor_divide": Door("pointwise.floor_divide", out=True, method=True,
               tensor="floor_divide floor_divide_ __floordiv__ __rfloordiv__ __ifloordiv__"),
    "remainder": Door("pointwise.remainder", out=True, row="Remainder", method=True,
               tensor="remainder remainder_ __mod__ __rmod__ __imod__"),
    "fmod": Door("pointwise.fmod", out=True, row="Fmod", method=True, tensor="fmod fmod_"),
    "rsub": Door("scaled.rsub"),
    "mv": Door("products.mv", out=True, method=True, tensor="mv"),
    "inner": Door("products.inner", out=True, method=True, tensor="inner"),
    "vdot": Door("products.vdot", out=True, method=True, tensor="vdot"),
    "addcmul": Door("scaled.addcmul", out=True, row="Addcmul", method=True, tensor="addcmul addcmul_"),
    "addcdiv": Door("scaled.addcdiv", out=True, row="Addcdiv", method=True, tensor="addcdiv addcdiv_"),
    "logaddexp": Door("pointwise.logaddexp", out=True, row="LogAddExp", method=True, tensor="logaddexp"),
    "xlogy": Door("pointwise.xlogy", out=True, row="XLogY", method=True, tensor="xlogy xlogy_"),
    "logit": Door("pointwise.logit", out=True, row="Logit", method=True, tensor="logit logit_"),
    "deg2rad": Door("pointwise.deg2rad", out=True, method=True, tensor="deg2rad deg2rad_"),
    "rad2deg": Door("pointwise.rad2deg", out=True, method=True, tensor="rad2deg rad2deg_"),
    "concat": Door("shapes.concat", out=True, row="Cat"),
    "concatenate": Door("shapes.concatenate", out=True),
    "hstack": Door("shapes.hstack", out=True),
    "vstack": Door("shapes.vstack", out=True),
    "row_stack": Door(same_as="vstack"),
    "swapaxes": Door("shapes.swapaxes", tensor="swapaxes swapaxes_"),
    "swapdims": Door("shapes.swapdims", method=True, tensor="swapdims swapdims_"),
    "movedim": Door("Tensor.movedim", tensor="movedim"),
    "moveaxis": Door(same_as="movedim", tensor="moveaxis"),
    "ravel": Door("shapes.ravel", method=True, tensor="ravel"),
    "unbind": Door("shapes.unbind", method=True, tensor="unbind"),
    "repeat_interleave": Door("shapes.repeat_interleave", method=True, tensor="repeat_interleave"),
    "atleast_1d": Door("shapes.atleast_1d"),
    "atleast_2d": Door("shapes.atleast_2d"),
    "atleast_3d": Door("shapes.atleast_3d"),
    "column_stack": Door("shapes.column_stack", out=True),
    "dstack": Door("shapes.dstack", out=True),
    "hsplit": Door("shapes.hsplit", method=True, tensor="hsplit"),
    "vsplit": Door("shapes.vsplit", method=True, tensor="vsplit"),
    "dsplit": Door("shapes.dsplit", method=True, tensor="dsplit"),
    "unflatten": Door("Tensor.unflatten", tensor="unflatten"),
    "rot90": Door("shapes.rot90", method=True, tensor="rot90"),
    "tensor_split": Door("shapes.tensor_split", method=True, tensor="tensor_split"),
    "flip": Door("shapes.flip", tensor="flip"),
    "fliplr": Door("shapes.fliplr", method=True, tensor="fliplr"),
    "flipud": Door("shapes.flipud", method=True, tensor="flipud"),
    "tile": Door("shapes.tile", tensor="tile"),
    "tril": Door("shapes.tril", out=True, method=True, tensor="tril tril_"),
    "triu": Door("shapes.triu", out=True, method=True, tensor="triu triu_"),
    "gather": Door("indexing.gather", out=True, method=True, tensor="gather"),
    "scatter": Door("indexing.scatter", out=True, method=True, tensor="scatter scatter_"),
    "scatter_add": Door("indexing.scatter_add", method=True, tensor="scatter_add scatter_add_"),
    "index_select": Door("indexing.index_select", out=True, method=True, tensor="index_select"),
    "nonzero": Door("indexing.nonzero", out=True, method=True, tensor="nonzero"),
    "argwhere": Door("indexing.argwhere", method=True, tensor="argwhere"),
    "masked_select": Door("indexing.masked_select", out=True, method=True, tensor="masked_select"),
    "unique": Door("sorting.unique", method=True, tensor="unique"),
    "index_add": Door("indexing.index_add", out=True, method=True, tensor="index_add index_add_"),
    "index_put": Door("indexing.index_put", method=True, tensor="index_put index_put_"),
    "take": Door("indexing.take", method=True, tensor="take"),
    "take_along_dim": Door("indexing.take_along_dim", out=True, method=True, tensor="take_along_dim"),
    "index_copy": Door("indexing.index_copy", out=True, method=True, tensor="index_copy index_copy_"),
    "index_fill": Door("indexing.index_fill", method=True, tensor="index_fill index_fill_"),
    "argsort": Door("sorting.argsort", out=True, method=True, tensor="argsort"),
    "sort": Door("sorting.sort", out=True, method=True, tensor="sort"),
    "topk": Door("sorting.topk", out=True, method=True, tensor="topk"),
    "kthvalue": Door("sorting.kthvalue", out=True, method=True, tensor="kthvalue"),
    "median": Door("sorting.median", out=True, method=True, tensor="median"),
    "quantile": Door("sorting.quantile", out=True, method=True, tensor="quantile"),
    "nansum": Door("reductions.nansum", row="NanAsZero", method=True, tensor="nansum"),
    "nanmean": Door("reductions.nanmean", out=True, method=True, tensor="nanmean"),
    "cummax": Door("reductions.cummax", out=True, method=True, tensor="cummax"),
    "cummin": Door("reductions.cummin", out=True, method=True, tensor="cummin"),
    "logcumsumexp": Door("reductions.logcumsumexp", out=True, row="LogCumSumExp", method=True, tensor="logcumsumexp"),
    "bincount": Door("reductions.bincount", method=True, tensor="bincount"),
    "histc": Door("reductions.histc", out=True, method=True, tensor="histc"),
    "aminmax": Door("reductions.aminmax", out=True, method=True, tensor="aminmax"),
    "cumsum": Door("reductions.cumsum", out=True, row="CumSum", method=True, tensor="cumsum"),
    "prod": Door("reductions.prod", out=True, row="Prod", method=True, tensor="prod"),
    "cumprod": Door("reductions.cumprod", out=True, row="Cumprod", method=True, tensor="cumprod"),
    "diag": Door("products.diag", out=True, method=True, tensor="diag"),
    "trace": Door("products.trace", method=True, tensor="trace"),
    "histogram": Door("reductions.histogram"),
    "cross": Door("products.cross", out=True),
    "abs_": Door("Tensor.abs_"),
    "acos_": Door("Tensor.acos_"),
    "acosh_": Door("Tensor.acosh_"),
    "arccos_": Door("Tensor.arccos_"),
    "arccosh_": Door("Tensor.arccosh_"),
    "arcsin_": Door("Tensor.arcsin_"),
    "arcsinh_": Door("Tensor.arcsinh_"),
    "arctan_": Door("Tensor.arctan_"),
    "arctanh_": Door("Tensor.arctanh_"),
    "asin_": Door("Tensor.asin_"),
    "asinh_": Door("Tensor.asinh_"),
    "atan_": Door("Tensor.atan_"),
    "atanh_": Door("Tensor.atanh_"),
    "ceil_": Door("Tensor.ceil_"),
    "clamp_": Door("Tensor.clamp_"),
    "clamp_max_": Door("Tensor.clamp_max_"),
    "clamp_min_": Door("Tensor.clamp_min_"),
    "clip_": Door("Tensor.clip_"),
    "cos_": Door("Tensor.cos_"),
    "cosh_": Door("Tensor.cosh_"),
    "deg2rad_": Door("Tensor.deg2rad_"),
    "detach_": Door("Tensor.detach_"),
    "erf_": Door("Tensor.erf_"),
    "erfc_": Door("Tensor.erfc_"),
    "exp2_": Door("Tensor.exp2_"),
    "exp_": Door("Tensor.exp_"),
    "expm1_": Door("Tensor.expm1_"),
    "fill_": Door("Tensor.fill_"),
    "fix_": Door("Tensor.fix_"),
    "floor_": Door("Tensor.floor_"),
    "frac_": Door("Tensor.frac_"),
    "index_put_": Door("Tensor.index_put_"),
    "log10_": Door("Tensor.log10_"),
    "log1p_": Door("Tensor.log1p_"),
    "log2_": Door("Tensor.log2_"),
    "log_": Door("Tensor.log_"),
    "logit_": Door("Tensor.logit_"),
    "nan_to_num_": Door("Tensor.nan_to_num_"),
    "neg_": Door("Tensor.neg_"),
    "negative_": Door("Tensor.negative_"),
    "rad2deg_": Door("Tensor.rad2deg_"),
    "reciprocal_": Door("Tensor.reciprocal_"),
    "relu_": Door("Tensor.relu_"),
    "round_": Door("Tensor.round_"),
    "rsqrt_": Door("Tensor.rsqrt_"),
    "sigmoid_": Door("Tensor.sigmoid_"),
    "sin_": Door("Tensor.sin_"),
    "sinh_": Door("Tensor.sinh_"),
    "sqrt_": Door("Tensor.sqrt_"),
    "square_": Door("Tensor.square_"),
    "tan_": Door("Tensor.tan_"),
    "tanh_": Door("Tensor.tanh_"),
    "trunc_": Door("Tensor.trunc_"),
    "xlogy_": Door("Tensor.xlogy_"),
    "zero_": Door("Tensor.zero_"),
    "bernoulli": Door("sampling.bernoulli", out=True, method=True, tensor="bernoulli bernoulli_"),
    "multinomial": Door("sampling.multinomial", out=True, method=True, tensor="multinomial"),
    "nan_to_num": Door("pointwise.nan_to_num", out=True, row="NanToNum", method=True, tensor="nan_to_num nan_to_num_"),
    "diff": Door("reductions.diff", method=True, tensor="diff"),
    "roll": Door("shapes.roll", method=True, tensor="roll"),
}


# The operators' symbols, for the spellings of a row as a program writes them
_BINARY = {"add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//", "mod": "%", "pow": "**", "matmul": "@",
           "and": "&", "or": "|", "xor": "^", "lshift": "<<", "rshift": ">>", "eq": "==", "ne": "!=", "lt": "<",
           "le": "<=", "gt": ">", "ge": ">="}
_UNARY = {"neg": "-x", "abs": "abs(x)", "invert": "~x", "pos": "+x"}


def spellings(name: str, *arguments: str, on: str = "x", in_place: bool = True, function: bool = True) -> tuple:
    """Every spelling of row ``name`` as a call on a tensor ``x`` with the further arguments ``arguments`` ("y",
    "0.6, 1.2"; several: each in turn, ``spellings("sum", "", "1")`` is ``x.sum()``... then ``x.sum(1)``...): its
    methods, in-place methods and operators, then ``minigan.name(x, args)`` (minigan/surface/ops.py's rows list
    these as the calls that record their node; tests/library/test_ops_table.py makes each).  ``on``: another first
    operand than ``x``, an expression (``"(x - 1)"``, in asin's domain: ``minigan.asin(x - 1)``) or a list of
    tensors (``"[x, y]"``); ``in_place=False``: without the in-place forms (``x.t_()``: minigan changes no shape in
    place in a graph; ``x.acosh_()``: PyTorch's has no derivative); ``function=False``: without
    ``minigan.name(...)``.  A reflected operator is left out: ``y + x`` is the same call as ``x + y`` here; so is
    an in-place operator on an expression (``(x - 1) += y`` is no statement)."""
    out = []
    first = on[1:-1] if on.startswith("(") and on.endswith(")") else on  # (the function's argument: x - 1)
    for args in arguments or ("",):
        for spelling in DOORS[name].tensor.split():
            operator = spelling.strip("_")
            if not in_place and (spelling.endswith("_") and not spelling.startswith("__") or (
                    operator[0] == "i" and operator[1:] in _BINARY)):
                continue
            if not spelling.startswith("__"):
                out.append(f"{on}.{spelling}({args})")
            elif operator in _UNARY:
                out.append(_UNARY[operator].replace("x", on))
            elif operator in _BINARY:
                out.append(f"{on} {_BINARY[operator]} {args}")
            elif operator[0] == "i" and operator[1:] in _BINARY and on.isidentifier():
                out.append(f"{on} {_BINARY[operator[1:]]}= {args}")
        if function:
            out.append(f"minigan.{name}({first}{', ' if args else ''}{args})")
    return tuple(out)
