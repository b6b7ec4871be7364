"""test_real_programs_recipes.py's recipes for graphs and reinforcement learning: a graph network, DQN, policy
gradients (the header is in test_real_programs_recipes.py)."""

import numpy as np

from pytorch.test_real_programs import arr, init_


# a graph network: a normalised adjacency, message passing by index_add and scatter_reduce, node classification
def gcn(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    edges = torch.tensor([[0, 1, 1, 2, 3, 4, 4, 5, 2, 0], [1, 0, 2, 1, 4, 3, 5, 4, 0, 2]])
    n = 6
    A = torch.zeros(n, n, dtype=torch.float64)
    A[edges[0], edges[1]] = 1.0
    A_hat = A + torch.eye(n, dtype=torch.float64)
    d = A_hat.sum(1)
    D_inv_sqrt = torch.diag(d.pow(-0.5))
    A_norm = D_inv_sqrt @ A_hat @ D_inv_sqrt
    lin1 = init_(torch, nn.Linear(3, 4).double(), seed)
    lin2 = init_(torch, nn.Linear(4, 2).double(), seed + 1)
    x = arr(torch, rng, n, 3)
    y = torch.tensor([0, 0, 0, 1, 1, 1])
    opt = torch.optim.Adam(list(lin1.parameters()) + list(lin2.parameters()), lr=0.05, weight_decay=5e-4)
    hist = []
    for _ in range(3):
        h = F.relu(A_norm @ lin1(x))
        src, dst = edges
        msg = h[src]
        agg_sum = torch.zeros_like(h).index_add_(0, dst, msg)
        count = torch.zeros(n, dtype=torch.float64).index_add_(0, dst, torch.ones(len(dst), dtype=torch.float64))
        agg_mean = agg_sum / count.clamp(min=1)[:, None]
        agg_rms = (torch.zeros_like(h).scatter_add(0, dst[:, None].expand(-1, 4), msg.pow(2)) + 1).sqrt()
        out = lin2(h + 0.5 * agg_sum + agg_mean + 0.1 * agg_rms)
        loss = F.cross_entropy(out[[0, 1, 3, 4]], y[[0, 1, 3, 4]])
        opt.zero_grad()
        loss.backward()
        opt.step()
        hist.append(loss.item())
    return dict(hist=hist, A_norm=A_norm, out=out, grads=[p.grad for p in lin1.parameters()], deg=d)


# DQN: a policy and a target network, gather of the taken actions, max over the next state, soft target updates
def dqn(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    policy = init_(torch, nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2)).double(), seed)
    target = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2)).double()
    target.load_state_dict(policy.state_dict())
    target.eval()
    opt = torch.optim.AdamW(policy.parameters(), lr=1e-3, amsgrad=True)
    gamma, tau = 0.99, 0.005
    hist = []
    for _ in range(4):
        state = torch.tensor(rng.standard_normal((8, 4)))
        action = torch.tensor(rng.integers(0, 2, (8, 1)))
        reward = torch.tensor(rng.standard_normal(8))
        next_state = torch.tensor(rng.standard_normal((8, 4)))
        done = torch.tensor(rng.random(8) < 0.2)
        non_final_mask = ~done
        non_final_next = next_state[non_final_mask]
        q = policy(state).gather(1, action)
        next_values = torch.zeros(8, dtype=torch.float64)
        with torch.no_grad():
            next_values[non_final_mask] = target(non_final_next).max(1).values
        expected = (next_values * gamma) + reward
        loss = nn.SmoothL1Loss()(q, expected.unsqueeze(1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_value_(policy.parameters(), 100)
        opt.step()
        target_sd, policy_sd = target.state_dict(), policy.state_dict()
        for key in policy_sd:
            target_sd[key] = policy_sd[key] * tau + target_sd[key] * (1 - tau)
        target.load_state_dict(target_sd)
        hist.append(loss.item())
    with torch.no_grad():
        greedy = policy(state).max(1).indices.view(-1, 1)
    return dict(hist=hist, target=list(target.parameters()), greedy=greedy, q=q)


# REINFORCE and PPO's clipped objective with a categorical policy written by hand (log_softmax, gather, entropy)
def policy_gradients(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    actor = init_(torch, nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 4)).double(), seed)
    critic = init_(torch, nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1)).double(), seed + 1)
    opt = torch.optim.Adam([{"params": actor.parameters(), "lr": 3e-3}, {"params": critic.parameters(), "lr": 1e-2}])
    states = arr(torch, rng, 6, 3)
    actions = torch.from_numpy(rng.integers(0, 4, 6))
    rewards = rng.standard_normal(6).tolist()
    returns, R = [], 0.0
    for r in reversed(rewards):
        R = r + 0.9 * R
        returns.insert(0, R)
    returns = torch.tensor(returns, dtype=torch.float64)
    returns = (returns - returns.mean()) / (returns.std() + 1e-8)
    with torch.no_grad():
        old_logp = F.log_softmax(actor(states), -1).gather(1, actions[:, None]).squeeze(1)
    hist = []
    for _ in range(3):
        logits = actor(states)
        logp_all = F.log_softmax(logits, -1)
        logp = logp_all.gather(1, actions[:, None]).squeeze(1)
        entropy = -(logp_all.exp() * logp_all).sum(-1).mean()
        values = critic(states).squeeze(-1)
        adv = returns - values.detach()
        ratio = torch.exp(logp - old_logp)
        surr = torch.min(ratio * adv, torch.clamp(ratio, 0.8, 1.2) * adv)
        reinforce = -(logp * returns).sum()
        loss = -surr.mean() + 0.5 * F.mse_loss(values, returns) - 0.01 * entropy + 0.1 * reinforce
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(actor.parameters(), 0.5)
        opt.step()
        hist.append((loss.item(), entropy.item(), ratio.mean().item()))
    probs = F.softmax(actor(states), -1)
    return dict(hist=hist, probs=probs, greedy=probs.argmax(-1), params=list(actor.parameters()))
