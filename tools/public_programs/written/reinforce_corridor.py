"""REINFORCE (Williams 1992) on a corridor, written the way pytorch/examples' reinforcement_learning/reinforce.py
writes it: a policy network with a softmax head, actions drawn from Categorical(probs), their log_prob kept for the
episode, discounted returns normalised by their mean and standard deviation, and the loss −Σ log π(a|s)·G.

After: https://github.com/pytorch/examples/blob/main/reinforcement_learning/reinforce.py (BSD-3-Clause), written
anew for minigan's comparison with PyTorch; the environment is a 6-cell corridor in place of gym's CartPole (no
gym needed): start at cell 0, reward 1 for reaching cell 5, −0.05 a step, at most 20 steps.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.distributions import Categorical

gamma = 0.9
torch.manual_seed(543)
eps = np.finfo(np.float32).eps.item()


class Corridor:
    def reset(self):
        self.pos, self.t = 0, 0
        return self.state()

    def state(self):
        s = np.zeros(6, dtype=np.float32)
        s[self.pos] = 1.0
        return s

    def step(self, action):
        self.pos = max(0, min(5, self.pos + (1 if action == 1 else -1)))
        self.t += 1
        done = self.pos == 5 or self.t >= 20
        return self.state(), (1.0 if self.pos == 5 else -0.05), done


class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.affine1 = nn.Linear(6, 16)
        self.affine2 = nn.Linear(16, 2)
        self.saved_log_probs = []
        self.rewards = []

    def forward(self, x):
        return F.softmax(self.affine2(F.relu(self.affine1(x))), dim=1)


policy = Policy()
optimizer = optim.Adam(policy.parameters(), lr=1e-2)


def select_action(state):
    state = torch.from_numpy(state).float().unsqueeze(0)
    probs = policy(state)
    m = Categorical(probs)
    action = m.sample()
    policy.saved_log_probs.append(m.log_prob(action))
    return action.item()


def finish_episode():
    R = 0
    returns = []
    for r in policy.rewards[::-1]:
        R = r + gamma * R
        returns.insert(0, R)
    returns = torch.tensor(returns)
    returns = (returns - returns.mean()) / (returns.std() + eps)
    policy_loss = [-log_prob * R for log_prob, R in zip(policy.saved_log_probs, returns)]
    optimizer.zero_grad()
    loss = torch.cat(policy_loss).sum()
    loss.backward()
    optimizer.step()
    del policy.rewards[:]
    del policy.saved_log_probs[:]
    return loss.item()


env = Corridor()
running_reward = 0.0
for i_episode in range(1, 41):
    state, ep_reward = env.reset(), 0.0
    for t in range(1, 21):  # noqa: B007  (t, the episode's length, is printed below)
        action = select_action(state)
        state, reward, done = env.step(action)
        policy.rewards.append(reward)
        ep_reward += reward
        if done:
            break
    running_reward = 0.1 * ep_reward + 0.9 * running_reward
    loss = finish_episode()
    if i_episode % 5 == 0:
        print(f"Episode {i_episode}\tLast reward: {ep_reward:.2f}\tAverage reward: {running_reward:.3f}\t"
              f"steps: {t}\tloss: {loss:.4f}")
with torch.no_grad():
    probs = policy(torch.eye(6))
    print("P(right) per cell:", [round(p, 4) for p in probs[:, 1].tolist()])
    print("entropy per cell:", [round(h, 4) for h in Categorical(probs).entropy().tolist()])
