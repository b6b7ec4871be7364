"""LocationScale: the families whose every member is loc + scale·(a draw of one standard member), Normal and
Laplace: their parameters, one batch shape of a real ``loc`` and a positive ``scale``, checked here once for both,
and what follows from the form alone (expand, the mean and mode at loc)."""

from __future__ import annotations

from minigan.distributions import constraints
from minigan.distributions.distribution import Distribution
from minigan.distributions.utils import at_loc, broadcast_all, is_number, one_kind

__all__ = ["LocationScale"]


class LocationScale(Distribution):
    """The base class of a location-scale family: ``Family(loc, scale, validate_args=None)``, scale > 0."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = loc, scale
        # the usual call, two tensors of one shape and dtype: valid where μ is a number (μ = μ: not NaN) and σ > 0
        if one_kind(loc, scale) and self._usual_init(loc.shape, validate_args, lambda: (
                (loc.array == loc.array).all() and (scale.array > 0).all())):
            return
        # PyTorch's rules: broadcast to one shape (two numbers make the batch shape ()), each constraint, its error
        self.loc, self.scale = broadcast_all(loc, scale)
        super().__init__(() if is_number(loc) and is_number(scale) else self.loc.size(), validate_args=validate_args)

    def _expand_loc_scale(self, cls, batch_shape, _instance):
        """``expand(batch_shape)`` of family ``cls``: its loc and scale expanded, not validated again."""
        shape = tuple(batch_shape)
        return self._expanded(cls, shape, _instance, loc=self.loc.expand(shape), scale=self.scale.expand(shape))

    mean = mode = at_loc
