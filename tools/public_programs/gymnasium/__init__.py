"""A stand-in for Gymnasium (not installed here) for the policy-gradient programs: ``gymnasium.make('CartPole-v1')``,
the cart and pole of Barto, Sutton and Anderson by Gymnasium's own equations and constants, seeded as Gymnasium
seeds it (``reset(seed=...)`` makes NumPy's PCG64 generator of that seed; a reset without one draws on from it), so
an episode is the same in every run."""

import math

import numpy as np

__all__ = ["make"]


class _Spec:
    def __init__(self, id, max_episode_steps, reward_threshold):
        self.id, self.max_episode_steps, self.reward_threshold = id, max_episode_steps, reward_threshold


class CartPoleEnv:
    """Push the cart left (0) or right (1) by 10 N; reward 1 a step until the pole leans past 12 degrees or the
    cart leaves [-2.4, 2.4] (terminated), or 500 steps pass (truncated)."""

    gravity, masscart, masspole, length, force_mag, tau = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
    theta_threshold_radians, x_threshold = 12 * 2 * math.pi / 360, 2.4

    def __init__(self, render_mode=None):
        self.spec = _Spec("CartPole-v1", 500, 475.0)
        self.render_mode, self.np_random, self.state, self._steps = render_mode, None, None, 0

    def reset(self, seed=None, options=None):
        if seed is not None or self.np_random is None:
            self.np_random = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))
        self.state, self._steps = self.np_random.uniform(low=-0.05, high=0.05, size=(4,)), 0
        return np.array(self.state, dtype=np.float32), {}

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = self.force_mag if action == 1 else -self.force_mag
        total_mass, polemass_length = self.masspole + self.masscart, self.masspole * self.length
        costheta, sintheta = math.cos(theta), math.sin(theta)
        temp = (force + polemass_length * theta_dot**2 * sintheta) / total_mass
        thetaacc = (self.gravity * sintheta - costheta * temp) / (
            self.length * (4.0 / 3.0 - self.masspole * costheta**2 / total_mass))
        xacc = temp - polemass_length * thetaacc * costheta / total_mass
        x, x_dot = x + self.tau * x_dot, x_dot + self.tau * xacc  # (Gymnasium's explicit Euler step)
        theta, theta_dot = theta + self.tau * theta_dot, theta_dot + self.tau * thetaacc
        self.state, self._steps = np.array((x, x_dot, theta, theta_dot), dtype=np.float64), self._steps + 1
        terminated = bool(x < -self.x_threshold or x > self.x_threshold
                          or theta < -self.theta_threshold_radians or theta > self.theta_threshold_radians)
        truncated = self._steps >= self.spec.max_episode_steps
        return np.array(self.state, dtype=np.float32), 1.0, terminated, truncated, {}

    def render(self):
        return None

    def close(self):
        pass


def make(id, render_mode=None, **kwargs):
    if id != "CartPole-v1":
        raise ValueError(f"the gymnasium stand-in has only CartPole-v1, not {id!r}")
    return CartPoleEnv(render_mode=render_mode)
