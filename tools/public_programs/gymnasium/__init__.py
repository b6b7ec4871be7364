"""A stand-in for Gymnasium (not installed here) for the policy-gradient programs: ``gymnasium.make('CartPole-v1')``,
the cart and pole of Barto, Sutton and Anderson, and ``make('Pendulum-v1')``, by Gymnasium's own equations and
constants, seeded as Gymnasium seeds them (``reset(seed=...)`` makes NumPy's PCG64 generator of that seed; a reset
without one draws on from it).  Where Gymnasium, never given a seed, would take one from the operating system, the
stand-in takes it from NumPy's global generator: a program that seeds nothing itself still sees the same episodes in
every run that seeds NumPy (the comparison's runner does)."""

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
        self.np_random = _generator(self.np_random, seed)
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


class PendulumEnv:
    """Swing a pendulum up: torque in [-2, 2]; the observation is (cos θ, sin θ, θ'), the reward −(θ² + 0.1 θ'² +
    0.001 u²) with θ normalised to [−π, π); never terminated, truncated after 200 steps."""

    max_speed, max_torque, dt, g, m, l = 8.0, 2.0, 0.05, 10.0, 1.0, 1.0

    def __init__(self, render_mode=None, g=10.0):
        self.spec = _Spec("Pendulum-v1", 200, None)
        self.g, self.render_mode, self.np_random, self.state, self._steps = g, render_mode, None, None, 0

    def reset(self, seed=None, options=None):
        self.np_random = _generator(self.np_random, seed)
        high = np.array([np.pi, 1.0])
        self.state, self._steps = self.np_random.uniform(low=-high, high=high), 0
        return self._obs(), {}

    def _obs(self):
        theta, thetadot = self.state
        return np.array([np.cos(theta), np.sin(theta), thetadot], dtype=np.float32)

    def step(self, u):
        th, thdot = self.state
        u = np.clip(u, -self.max_torque, self.max_torque)[0]
        costs = (((th + np.pi) % (2 * np.pi)) - np.pi) ** 2 + 0.1 * thdot**2 + 0.001 * (u**2)
        newthdot = thdot + (3 * self.g / (2 * self.l) * np.sin(th) + 3.0 / (self.m * self.l**2) * u) * self.dt
        newthdot = np.clip(newthdot, -self.max_speed, self.max_speed)
        self.state, self._steps = np.array([th + newthdot * self.dt, newthdot]), self._steps + 1
        return self._obs(), -costs, False, self._steps >= self.spec.max_episode_steps, {}

    def render(self):
        return None

    def close(self):
        pass


def _generator(current, seed):
    """Gymnasium's generator for ``reset(seed)``: a new one for a seed, else the one in use; never seeded, one seeded
    from NumPy's global generator (the stand-in's rule: see the module's docstring)."""
    if seed is None and current is not None:
        return current
    if seed is None:
        seed = int(np.random.randint(2**31))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))


ENVIRONMENTS = {"CartPole-v1": CartPoleEnv, "Pendulum-v1": PendulumEnv}


def make(id, render_mode=None, **kwargs):
    if id not in ENVIRONMENTS:
        raise ValueError(f"the gymnasium stand-in has {', '.join(ENVIRONMENTS)}, not {id!r}")
    return ENVIRONMENTS[id](render_mode=render_mode, **kwargs)
