"""The survey's programs on reinforcement learning (policy gradients, Q-learning) and attention written by hand
(tests/pytorch/survey/idioms_harness.py runs them; ``python idioms_rl_attention.py [name ...]`` prints their
comparison)."""

import math
import sys
from collections import deque

import numpy as np
from idioms_harness import X, main, seed_params, snippet


@snippet
def dqn_tutorial_optimize(torch, nn, optim):
    class DQN(nn.Module):
        def __init__(self, n_observations, n_actions):
            super().__init__()
            self.layer1 = nn.Linear(n_observations, 8)
            self.layer2 = nn.Linear(8, 8)
            self.layer3 = nn.Linear(8, n_actions)

        def forward(self, x):
            x = nn.functional.relu(self.layer1(x))
            x = nn.functional.relu(self.layer2(x))
            return self.layer3(x)

    GAMMA, TAU = 0.99, 0.005
    policy_net = seed_params(torch, DQN(4, 2))
    target_net = DQN(4, 2)
    target_net.load_state_dict(policy_net.state_dict())
    optimizer = optim.AdamW(policy_net.parameters(), lr=1e-3, amsgrad=True)
    states = [torch.tensor(X((1, 4), s)) for s in range(5)]
    next_states = [torch.tensor(X((1, 4), s + 10)) if s != 2 else None for s in range(5)]
    state = states[0]
    with torch.no_grad():
        action = policy_net(state).max(1).indices.view(1, 1)
    non_final_mask = torch.tensor(tuple(map(lambda s: s is not None, next_states)), dtype=torch.bool)
    non_final_next_states = torch.cat([s for s in next_states if s is not None])
    state_batch = torch.cat(states)
    action_batch = torch.cat([torch.tensor([[a]]) for a in [0, 1, 1, 0, 1]])
    reward_batch = torch.cat([torch.tensor([r]) for r in [1.0, 0.0, 1.0, 1.0, 0.0]])
    state_action_values = policy_net(state_batch).gather(1, action_batch)
    next_state_values = torch.zeros(5)
    with torch.no_grad():
        next_state_values[non_final_mask] = target_net(non_final_next_states).max(1).values
    expected_state_action_values = (next_state_values * GAMMA) + reward_batch
    criterion = nn.SmoothL1Loss()
    loss = criterion(state_action_values, expected_state_action_values.unsqueeze(1))
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_value_(policy_net.parameters(), 100)
    optimizer.step()
    target_net_state_dict = target_net.state_dict()
    policy_net_state_dict = policy_net.state_dict()
    for key in policy_net_state_dict:
        target_net_state_dict[key] = policy_net_state_dict[key] * TAU + target_net_state_dict[key] * (1 - TAU)
    target_net.load_state_dict(target_net_state_dict)
    return dict(a=action, ab=action_batch.dtype, m=non_final_mask, loss=loss, w=target_net.layer3.weight,
                sav=state_action_values)


@snippet
def reinforce_returns(torch, nn, F):
    policy = seed_params(torch, nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 2)))
    states = torch.tensor(X((4, 4)))
    actions = torch.tensor([0, 1, 1, 0])
    rewards = [1.0, 0.0, 1.0, 1.0]
    gamma = 0.99
    eps = np.finfo(np.float32).eps.item()
    R = 0
    returns = deque()
    for r in rewards[::-1]:
        R = r + gamma * R
        returns.appendleft(R)
    returns = torch.tensor(returns)
    returns = (returns - returns.mean()) / (returns.std() + eps)
    log_probs = F.log_softmax(policy(states), -1).gather(1, actions[:, None]).squeeze(1)
    policy_loss = []
    for log_prob, R in zip(log_probs, returns):
        policy_loss.append((-log_prob * R).unsqueeze(0))
    loss = torch.cat(policy_loss).sum()
    loss.backward()
    return dict(ret=returns, loss=loss, g=policy[0].weight.grad)


@snippet
def nanogpt_head_and_generate(torch, nn, F):
    block_size, vocab_size, n_embd, head_size = 4, 6, 8, 4

    class Head(nn.Module):
        def __init__(self):
            super().__init__()
            self.key = nn.Linear(n_embd, head_size, bias=False)
            self.query = nn.Linear(n_embd, head_size, bias=False)
            self.value = nn.Linear(n_embd, head_size, bias=False)
            self.register_buffer("tril", torch.tril(torch.ones(block_size, block_size)))
            self.dropout = nn.Dropout(0.0)

        def forward(self, x):
            B, T, C = x.shape
            k = self.key(x)
            q = self.query(x)
            wei = q @ k.transpose(-2, -1) * k.shape[-1] ** -0.5
            wei = wei.masked_fill(self.tril[:T, :T] == 0, float("-inf"))
            wei = F.softmax(wei, dim=-1)
            wei = self.dropout(wei)
            return wei @ self.value(x)

    class LM(nn.Module):
        def __init__(self):
            super().__init__()
            self.token_embedding_table = nn.Embedding(vocab_size, n_embd)
            self.position_embedding_table = nn.Embedding(block_size, n_embd)
            self.sa = Head()
            self.ln_f = nn.LayerNorm(head_size)
            self.lm_head = nn.Linear(head_size, vocab_size)

        def forward(self, idx, targets=None):
            B, T = idx.shape
            tok_emb = self.token_embedding_table(idx)
            pos_emb = self.position_embedding_table(torch.arange(T))
            x = self.sa(tok_emb + pos_emb)
            logits = self.lm_head(self.ln_f(x))
            if targets is None:
                loss = None
            else:
                B, T, C = logits.shape
                logits = logits.view(B * T, C)
                targets = targets.view(B * T)
                loss = F.cross_entropy(logits, targets)
            return logits, loss

        def generate(self, idx, max_new_tokens):
            for _ in range(max_new_tokens):
                idx_cond = idx[:, -block_size:]
                logits, loss = self(idx_cond)
                logits = logits[:, -1, :]
                probs = F.softmax(logits, dim=-1)
                idx_next = torch.argmax(probs, dim=-1, keepdim=True)
                idx = torch.cat((idx, idx_next), dim=1)
            return idx

    m = seed_params(torch, LM())
    xb = torch.tensor([[1, 2, 3, 4], [0, 5, 1, 1]])
    yb = torch.tensor([[2, 3, 4, 0], [5, 1, 1, 2]])
    logits, loss = m(xb, yb)
    optimizer = torch.optim.AdamW(m.parameters(), lr=1e-2)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    gen = m.generate(torch.zeros((1, 1), dtype=torch.long), max_new_tokens=6)
    return dict(logits=logits.shape, loss=loss, gen=gen[0].tolist(), keys=list(m.state_dict().keys()))


@snippet
def attention_manual_vs_sdpa(torch, F):
    q = torch.tensor(X((2, 2, 3, 4)), requires_grad=True)
    k = torch.tensor(X((2, 2, 3, 4), 2))
    v = torch.tensor(X((2, 2, 3, 4), 3))
    att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
    bias = torch.tril(torch.ones(3, 3)).view(1, 1, 3, 3)
    att = att.masked_fill(bias[:, :, :3, :3] == 0, float("-inf"))
    att = F.softmax(att, dim=-1)
    y = att @ v
    y2 = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    y.sum().backward()
    y = y.transpose(1, 2).contiguous().view(2, 3, 8)
    return dict(y=y, same=torch.allclose(y2.transpose(1, 2).reshape(2, 3, 8), y, atol=1e-6), g=q.grad)


if __name__ == "__main__":
    main(sys.argv[1:])
