"""Gym, by the name the older programs import it: the gymnasium stand-in beside it (Gym 0.26's API is Gymnasium's:
``reset()`` gives (observation, info), ``step`` gives (observation, reward, terminated, truncated, info))."""

from gymnasium import make  # noqa: F401  (the stand-in in tools/public_programs)
