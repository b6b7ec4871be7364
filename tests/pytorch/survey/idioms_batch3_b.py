"""idioms_batch3 (part 2 of 3; the first is idioms_batch3.py)."""

import math
import sys
from collections import deque

import numpy as np
from idioms_harness import X, main, seed_params, snippet
from idioms_harness import catch as _catch


@snippet
def ce_ignore_index_segmentation(torch, F):
    logits = torch.tensor(X((2, 3, 2, 2)), requires_grad=True)
    y = torch.tensor([[[0, 255], [2, 1]], [[255, 255], [0, 2]]])
    a = F.cross_entropy(logits, y, ignore_index=255)
    allign = F.cross_entropy(logits[:1, :, :1, 1:], y[:1, :1, 1:], ignore_index=255)
    s = F.cross_entropy(logits[:1, :, :1, 1:], y[:1, :1, 1:], ignore_index=255, reduction="sum")
    a.backward()
    return dict(a=a, allign=allign, s=s, g=logits.grad)


@snippet
def nll_weighted_mean(torch, F):
    logp = F.log_softmax(torch.tensor(X((5, 3))), dim=1)
    y = torch.tensor([0, 1, 2, 2, 1])
    w = torch.tensor([0.2, 1.0, 3.0])
    manual = -(w[y] * logp[torch.arange(5), y]).sum() / w[y].sum()
    return dict(m=manual, f=F.nll_loss(logp, y, weight=w), n=F.nll_loss(logp, y, weight=w, reduction="none"),
                i=F.nll_loss(logp, torch.tensor([0, -100, 2, 2, 1]), weight=w),
                s=F.cross_entropy(logp, y, weight=w, reduction="sum"))


@snippet
def contrastive_losses_siamese(torch, nn, F):
    a = torch.tensor(X((3, 4)), requires_grad=True)
    p = torch.tensor(X((3, 4), 2))
    n = torch.tensor(X((3, 4), 3))
    tl = nn.TripletMarginLoss(margin=1.0, p=2)(a, p, n)
    dist = F.pairwise_distance(a, p)
    label = torch.tensor([1.0, 0.0, 1.0])
    contrastive = torch.mean((1 - label) * torch.pow(dist, 2) + label * torch.pow(torch.clamp(2.0 - dist, min=0.0), 2))
    cos = F.cosine_similarity(a, p, dim=1)
    cel = nn.CosineEmbeddingLoss(margin=0.2)(a, p, torch.tensor([1, -1, 1]))
    (tl + contrastive + cel).backward()
    return dict(tl=tl, c=contrastive, cos=cos, cel=cel, g=a.grad, d=dist)


@snippet
def simclr_nt_xent(torch, F):
    h = torch.tensor(X((8, 4)), requires_grad=True)
    N = 4
    z = F.normalize(h, dim=1)
    sim = z @ z.T / 0.5
    mask = torch.eye(2 * N, dtype=torch.bool)
    sim = sim.masked_fill(mask, float("-inf"))
    labels = torch.cat([torch.arange(N) + N, torch.arange(N)])
    loss = F.cross_entropy(sim, labels)
    loss.backward()
    return dict(loss=loss, g=h.grad, lab=labels)


# ---------------------------------------------------------------- RL and attention


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


# ---------------------------------------------------------------- tensors, indexing, dtypes


@snippet
def indexing_mixed_advanced(torch):
    x = torch.arange(24).view(2, 3, 4)
    return dict(a=x[[0, 1], :, [1, 3]], b=x[:, [0, 2]][..., [1]],
                c=x[torch.tensor([[0], [1]]), torch.tensor([[0, 2]])], e=x[None, 0, ..., 1:], f=x[x > 20], g=x[:, torch.tensor([True, False, True])],
                h=x[0, [2, 0]], i=x[torch.tensor(1)], j=x[:, 1, [0, 1]])


@snippet
def indexing_int_slice_list_separated(torch):
    x = torch.arange(24).view(2, 3, 4)
    sel = x[1, :, [0, 3]]
    sel_t = x[0, :, torch.tensor([0, 3])]
    y = torch.zeros(2, 3, 4)
    y[1, :, [0, 3]] = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    return dict(sel=sel, sel_t=sel_t, y=y[1])


@snippet
def setitem_advanced_accumulate(torch):
    x = torch.zeros(3, 4)
    x[[0, 2], [1, 3]] = torch.tensor([5.0, 6.0])
    x[:, 0] += torch.tensor([1.0, 2.0, 3.0])
    x[torch.tensor([0, 0]), torch.tensor([2, 2])] += 1
    idx = torch.tensor([2, 0])
    x[idx, 1:3] = torch.tensor([[7.0, 8.0], [9.0, 10.0]])
    x[x == 0] = -1
    x[1] = 4
    y = torch.arange(6)
    y[y % 2 == 0] *= 10
    return dict(x=x, y=y)


@snippet
def masked_mean_pooling_lengths(torch):
    x = torch.tensor(X((3, 4, 2)))
    lengths = torch.tensor([4, 2, 1])
    mask = torch.arange(4)[None, :] < lengths[:, None]
    masked = x * mask.unsqueeze(-1)
    mean = masked.sum(1) / mask.sum(1, keepdim=True)
    mx = x.masked_fill(~mask.unsqueeze(-1), float("-inf")).max(dim=1).values
    last = x[torch.arange(3), lengths - 1]
    return dict(mean=mean, mx=mx, last=last, md=mask.dtype, sd=mask.sum(1).dtype, maskd=masked.dtype)


@snippet
def int_division_rounding(torch):
    a = torch.tensor([7, -7, 6])
    f = torch.tensor([0.5, 1.5, 2.5, -0.5, -1.5, 1.7, -1.7])
    return dict(div=a / 2, fl=a // 2, fdiv=torch.div(a, 2, rounding_mode="floor"),
                tdiv=torch.div(a, 2, rounding_mode="trunc"), rnd=torch.round(f), lng=f.long(), it=f.int(),
                mod=a % 4, fmod=torch.fmod(a, 4), flr=torch.floor_divide(a, 4), dd=(a / a).dtype,
                tt=torch.true_divide(a, 2), ft=(f // 1))


@snippet
def reductions_dtype_kwargs(torch):
    x = torch.tensor(X((3, 4)))
    m = x > 0
    i = torch.tensor([[1, 2], [3, 4]])
    return dict(s=x.sum(dtype=torch.float64), ms=m.sum(), mc=m.cumsum(0), ip=i.prod(), ipd=i.prod(1).dtype,
                mm=m.float().mean(), imax=i.max(), am=x.argmax(), cn=torch.count_nonzero(m, dim=1),
                std=x.std(unbiased=False), var=x.var(0, keepdim=True), vm=torch.var_mean(x, 1),
                im=torch.mean(i.float()), ims=i.sum(0, keepdim=True), ss=x.sum((0, 1)), am1=x.amax(dim=(0, 1)))


@snippet
def new_tensor_and_full_dtypes(torch):
    x = torch.ones(2, dtype=torch.float32)
    lbl = torch.tensor([1, 2])
    return dict(nt=x.new_tensor([1, 2]), nz=x.new_zeros(2, 3), no=x.new_ones((2,)), nf=x.new_full((2,), 3),
                lf=lbl.new_full((2,), 3), ne=x.new_empty(3).shape, zl=torch.zeros_like(lbl, dtype=torch.float),
                fi=torch.full((2,), 7), ff=torch.full((2,), 7.0), dl=x.new_tensor(np.array([1.5, 2.5])),
                od=torch.ones_like(x, dtype=torch.long))


@snippet
def arange_float_steps(torch):
    return dict(a=torch.arange(0, 1, 0.1), b=torch.arange(1, 2.5, 0.5), c=torch.arange(5.0), d=torch.arange(0, 0.3, 0.1),
                e=torch.arange(-1, 1, 0.25), f=torch.arange(10, 0, -3), g=torch.arange(0, 5, 2, dtype=torch.float32),
                h=torch.linspace(0, 1, steps=5), i=torch.linspace(-1, 1, 1))


@snippet
def python_scalar_interop(torch):
    t = torch.tensor(2.25)
    i = torch.tensor(3)
    lst = [10, 20, 30, 40]
    return dict(f=float(t), i=int(i), b=bool(torch.tensor(0.0)), sq=math.sqrt(t), ex=math.exp(t),
                idx=lst[i], sl=lst[torch.tensor(1):i], r=list(range(i)), rnd=round(t.item(), 1), mx=max(torch.tensor([3, 9, 2])),
                s=sum(torch.tensor([1.0, 2.0])), hx=hex(torch.tensor(255)), fmt=f"{t:.1f}", npf=np.float32(t) * 2)


@snippet
def cdist_pairwise_broadcast(torch):
    a = torch.tensor(X((4, 3)), requires_grad=True)
    b = torch.tensor(X((5, 3), 2))
    d1 = torch.cdist(a, b)
    d2 = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1).sqrt()
    d3 = torch.cdist(a, b, p=1)
    nn_idx = d1.argmin(dim=1)
    (d1.sum() + d3.sum()).backward()
    return dict(d1=d1, d2=d2, d3=d3, nn=nn_idx, g=a.grad)


@snippet
def sort_rank_quantile(torch):
    x = torch.tensor(X((3, 5)))
    ranks = x.argsort(dim=1).argsort(dim=1)
    s = torch.sort(x, dim=0, descending=True)
    kv = x.kthvalue(2, dim=1)
    q = torch.quantile(x, 0.5, dim=1)
    q2 = torch.quantile(x, torch.tensor([0.25, 0.75]), dim=1, keepdim=True)
    med = x.median(dim=1)
    return dict(r=ranks, sv=s.values, si=s.indices, kv=(kv.values, kv.indices), q=q, q2=q2, med=tuple(med))


@snippet
def cumsum_discounted_rewards(torch):
    r = torch.tensor([1.0, 0.0, 0.5, 1.0])
    gamma = 0.9
    disc = gamma ** torch.arange(4).float()
    ret = torch.flip(torch.cumsum(torch.flip(r * disc, [0]), 0), [0]) / disc
    cp = torch.cumprod(torch.tensor([1.0, 2.0, 3.0]), dim=0)
    lse = torch.logcumsumexp(torch.tensor([0.0, 1.0, 2.0]), dim=0)
    cm = torch.cummax(torch.tensor([1, 3, 2, 5]), dim=0)
    return dict(ret=ret, cp=cp, lse=lse, cmv=cm.values, cmi=cm.indices, d=disc.dtype)


@snippet
def shape_ops_view_permute_flatten(torch, nn):
    x = torch.tensor(X((2, 3, 4, 5)))
    a = x.permute(0, 2, 3, 1).contiguous().view(-1, 3)
    b = x.view(x.size(0), -1)
    c = x.view(-1, *x.shape[2:])
    d = nn.Unflatten(1, (3, 1))(b[:, :3])
    e = nn.Flatten(1, 2)(x).shape
    f = x.flatten(-2).shape
    g = x.movedim(1, -1).shape
    h = torch.tensor(5.0).view(-1).shape
    i = x.squeeze().unsqueeze(-1).shape
    j = x[:, :1].squeeze((1,)).shape
    k = x.transpose(1, 2).reshape(2, 4, -1).shape
    return dict(a=a, b=b.shape, c=c.shape, d=d.shape, e=e, f=f, g=g, h=h, i=i, j=j, k=k)


@snippet
def view_reshape_errors(torch):
    x = torch.arange(12)
    return dict(a=_catch(lambda: x.view(5, -1), RuntimeError), b=_catch(lambda: x.view(-1, -1), RuntimeError),
                c=_catch(lambda: x.reshape(5, 3), RuntimeError), d=_catch(lambda: x.view(3, 4) @ x.view(3, 4), RuntimeError),
                e=_catch(lambda: torch.cat([x, x.view(3, 4)]), RuntimeError),
                f=_catch(lambda: torch.stack([x, x[:5]]), RuntimeError), g=_catch(lambda: x[12], IndexError),
                h=_catch(lambda: x.view(3, 4)[:, 4], IndexError))


@snippet
def expand_clone_and_inplace_saved(torch):
    base = torch.zeros(1, 3)
    c = base.expand(2, 3).clone().add_(1)
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.add_(1)
    b = _catch(lambda: y.sum().backward(), RuntimeError)
    z = x * 2
    z.mul_(3)
    z.sum().backward()
    return dict(b=b, c=c, g=x.grad)


@snippet
def expand_view_inplace_error(torch):
    base = torch.zeros(1, 3)
    return dict(a=_catch(lambda: base.expand(2, 3).add_(1), RuntimeError),
                b=_catch(lambda: torch.ones(3)[None].expand(4, 3).mul_(2), RuntimeError))


@snippet
def inplace_on_views_backward(torch):
    x = torch.tensor(X((3, 3)), requires_grad=True)
    y = x * 2
    y[:, 0] = 0
    y[1] *= 3
    z = x.clone()
    z[0].mul_(2)
    z[:, 1].add_(1)
    w = x * 3
    w2 = w[0]
    w2.zero_()
    (y.sum() + (z ** 2).sum() + (w * x).sum()).backward()
    s = torch.sigmoid(x)
    s[0].zero_()
    err = _catch(lambda: s.sum().backward(), RuntimeError)
    return dict(y=y, z=z, w=w, g=x.grad, err=err)


# ---------------------------------------------------------------- custom autograd functions


@snippet
def function_setup_context_style(torch):
    class MyCube(torch.autograd.Function):
        @staticmethod
        def forward(x):
            result = x ** 3
            dx = 3 * x ** 2
            return result, dx

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, = inputs
            result, dx = output
            ctx.save_for_backward(x, dx)

        @staticmethod
        def backward(ctx, grad_output, grad_dx):
            x, dx = ctx.saved_tensors
            return grad_output * dx + grad_dx * 6 * x

    x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    out, dx = MyCube.apply(x)
    g, = torch.autograd.grad(out.sum(), x, create_graph=True)
    g2, = torch.autograd.grad(g.sum(), x)
    return dict(out=out, dx=dx, g=g, g2=g2)


@snippet
def function_linear_needs_input_grad(torch, nn):
    class LinearFunction(torch.autograd.Function):
        @staticmethod
        def forward(ctx, input, weight, bias=None):
            ctx.save_for_backward(input, weight, bias)
            output = input.mm(weight.t())
            if bias is not None:
                output += bias.unsqueeze(0).expand_as(output)
            return output

        @staticmethod
        def backward(ctx, grad_output):
            input, weight, bias = ctx.saved_tensors
            grad_input = grad_weight = grad_bias = None
            if ctx.needs_input_grad[0]:
                grad_input = grad_output.mm(weight)
            if ctx.needs_input_grad[1]:
                grad_weight = grad_output.t().mm(input)
            if bias is not None and ctx.needs_input_grad[2]:
                grad_bias = grad_output.sum(0)
            return grad_input, grad_weight, grad_bias

    class MyLinear(nn.Module):
        def __init__(self, input_features, output_features, bias=True):
            super().__init__()
            self.weight = nn.Parameter(torch.empty(output_features, input_features))
            if bias:
                self.bias = nn.Parameter(torch.empty(output_features))
            else:
                self.register_parameter("bias", None)
            nn.init.uniform_(self.weight, -0.1, 0.1)
            if self.bias is not None:
                nn.init.uniform_(self.bias, -0.1, 0.1)

        def forward(self, input):
            return LinearFunction.apply(input, self.weight, self.bias)

        def extra_repr(self):
            return f"input_features={self.weight.shape[1]}, output_features={self.weight.shape[0]}"

    m = seed_params(torch, MyLinear(3, 2))
    m2 = seed_params(torch, MyLinear(3, 2, bias=False))
    x = torch.tensor(X((4, 3)))
    y = m(x)
    (y ** 2).sum().backward()
    x2 = torch.tensor(X((4, 3)), requires_grad=True)
    m2(x2).sum().backward()
    return dict(y=y, gw=m.weight.grad, gb=m.bias.grad, gx=x2.grad, r=repr(m), n=len(list(m2.parameters())),
                g2=m2.weight.grad)


@snippet
def function_mark_non_differentiable_sort(torch):
    class SortFn(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            sorted_, idx = x.sort()
            ctx.mark_non_differentiable(idx)
            ctx.save_for_backward(x, idx)
            return sorted_, idx

        @staticmethod
        def backward(ctx, g1, g2):
            x, idx = ctx.saved_tensors
            grad_input = torch.zeros_like(x)
            grad_input.index_add_(0, idx, g1)
            return grad_input

    x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
    s, i = SortFn.apply(x)
    (s * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
    return dict(s=s, i=i, ir=i.requires_grad, sr=s.requires_grad, g=x.grad)


@snippet
def function_straight_through_quantize(torch, nn):
    class RoundSTE(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, levels):
            ctx.levels = levels
            return torch.round(x * levels) / levels

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output, None

    lin = seed_params(torch, nn.Linear(3, 2))
    x = torch.tensor(X((4, 3)))
    q = RoundSTE.apply(lin(x), 4)
    loss = (q - 0.1).pow(2).mean()
    loss.backward()
    return dict(q=q, g=lin.weight.grad, fn=q.grad_fn is not None)


@snippet
def autograd_grad_lists_and_backward_list(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, -1.0], requires_grad=True)
    y1 = (a * b).sum()
    y2 = (a ** 2 * b).sum()
    ga, gb = torch.autograd.grad([y1, y2], [a, b], grad_outputs=[torch.tensor(1.0), torch.tensor(2.0)], retain_graph=True)
    torch.autograd.backward([y1, y2], [torch.tensor(0.5), torch.tensor(1.0)])
    params = [a, b]
    loss = (a.tanh() * b.sin()).sum()
    grads = torch.autograd.grad(loss, params, create_graph=True)
    v = [torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])]
    gv = sum((g * vi).sum() for g, vi in zip(grads, v))
    hv = torch.autograd.grad(gv, params)
    return dict(ga=ga, gb=gb, a=a.grad, b=b.grad, hv=hv)


# ---------------------------------------------------------------- modules


@snippet
def resnet_basic_block(torch, nn):
    def conv3x3(in_planes, out_planes, stride=1):
        return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=1, bias=False)

    class BasicBlock(nn.Module):
        expansion = 1

        def __init__(self, inplanes, planes, stride=1, downsample=None):
            super().__init__()
            self.conv1 = conv3x3(inplanes, planes, stride)
            self.bn1 = nn.BatchNorm2d(planes)
            self.relu = nn.ReLU(inplace=True)
            self.conv2 = conv3x3(planes, planes)
            self.bn2 = nn.BatchNorm2d(planes)
            self.downsample = downsample
            self.stride = stride

        def forward(self, x):
            identity = x
            out = self.conv1(x)
            out = self.bn1(out)
            out = self.relu(out)
            out = self.conv2(out)
            out = self.bn2(out)
            if self.downsample is not None:
                identity = self.downsample(x)
            out += identity
            out = self.relu(out)
            return out

    ds = nn.Sequential(nn.Conv2d(2, 4, 1, stride=2, bias=False), nn.BatchNorm2d(4))
    net = nn.Sequential(BasicBlock(2, 4, 2, ds), BasicBlock(4, 4))
    for m in net.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
            nn.init.constant_(m.weight, 1)
            nn.init.constant_(m.bias, 0)
    seed_params(torch, net)
    for m in net.modules():
        if isinstance(m, BasicBlock):
            nn.init.constant_(m.bn2.weight, 0)
    x = torch.tensor(X((2, 2, 4, 4)), requires_grad=True)
    y = net(x)
    y.sum().backward()
    return dict(y=y, g=x.grad, rm=net[0].bn1.running_mean, nbt=net[1].bn2.num_batches_tracked,
                keys=list(net.state_dict().keys())[:8])


@snippet
def unet_up_pad_concat(torch, nn, F):
    class Up(nn.Module):
        def __init__(self, in_channels, out_channels):
            super().__init__()
            self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
            self.conv = nn.Sequential(nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False),
                                      nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True))

        def forward(self, x1, x2):
            x1 = self.up(x1)
            diffY = x2.size()[2] - x1.size()[2]
            diffX = x2.size()[3] - x1.size()[3]
            x1 = F.pad(x1, [diffX // 2, diffX - diffX // 2, diffY // 2, diffY - diffY // 2])
            x = torch.cat([x2, x1], dim=1)
            return self.conv(x)

    up = seed_params(torch, Up(4, 2))
    x1 = torch.tensor(X((1, 4, 2, 2)), requires_grad=True)
    x2 = torch.tensor(X((1, 2, 5, 5), 2))
    y = up(x1, x2)
    y.pow(2).sum().backward()
    return dict(y=y, g=x1.grad)


@snippet
def convtranspose_output_padding(torch, nn):
    inp = torch.tensor(X((1, 4, 6, 6)))
    downsample = seed_params(torch, nn.Conv2d(4, 4, 3, stride=2, padding=1))
    upsample = seed_params(torch, nn.ConvTranspose2d(4, 4, 3, stride=2, padding=1, output_padding=1), 1)
    h = downsample(inp)
    output = upsample(h)
    plain = seed_params(torch, nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1), 2)
    return dict(h=h.shape, out=output.shape, v=output, nop=plain(h).shape)


@snippet
def convtranspose_output_size_arg(torch, nn):
    inp = torch.tensor(X((1, 4, 6, 6)))
    downsample = seed_params(torch, nn.Conv2d(4, 4, 3, stride=2, padding=1))
    upsample = seed_params(torch, nn.ConvTranspose2d(4, 4, 3, stride=2, padding=1), 1)
    h = downsample(inp)
    output = upsample(h, output_size=inp.size())
    return dict(h=h.shape, out=output.shape, v=output)


@snippet
def text_cnn_kim(torch, nn, F):
    class TextCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(10, 4, padding_idx=0)
            self.convs = nn.ModuleList([nn.Conv2d(1, 3, (k, 4)) for k in (2, 3)])
            self.dropout = nn.Dropout(0.5)
            self.fc = nn.Linear(6, 2)

        def forward(self, x):
            x = self.embedding(x).unsqueeze(1)
            x = [F.relu(conv(x)).squeeze(3) for conv in self.convs]
            x = [F.max_pool1d(i, i.size(2)).squeeze(2) for i in x]
            x = torch.cat(x, 1)
            return self.fc(self.dropout(x))

    m = seed_params(torch, TextCNN())
    m.eval()
    tokens = torch.tensor([[1, 4, 2, 0, 0], [3, 3, 9, 8, 7]])
    out = m(tokens)
    conv1d = seed_params(torch, nn.Conv1d(4, 3, 2), 3)
    emb = m.embedding(tokens).permute(0, 2, 1)
    out2 = F.relu(conv1d(emb)).max(dim=2)[0]
    return dict(out=out, out2=out2)


@snippet
def lenet_blitz(torch, nn, F):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 2, 3)
            self.conv2 = nn.Conv2d(2, 4, 3)
            self.fc1 = nn.Linear(4 * 2 * 2, 6)
            self.fc2 = nn.Linear(6, 3)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            x = x.view(-1, self.num_flat_features(x))
            x = F.relu(self.fc1(x))
            return self.fc2(x)

        def num_flat_features(self, x):
            size = x.size()[1:]
            num_features = 1
            for s in size:
                num_features *= s
            return num_features

    net = seed_params(torch, Net())
    params = list(net.parameters())
    input = torch.tensor(X((1, 1, 14, 14)))
    out = net(input)
    net.zero_grad()
    out.backward(torch.tensor(X((1, 3), 2)))
    g0 = net.conv1.bias.grad.clone()
    output = net(input)
    target = torch.tensor(X((3,), 3)).view(1, -1)
    criterion = nn.MSELoss()
    loss = criterion(output, target)
    net.zero_grad()
    before = net.conv1.bias.grad
    loss.backward()
    learning_rate = 0.01
    for f in net.parameters():
        f.data.sub_(f.grad.data * learning_rate)
    return dict(n=len(params), s0=params[0].size(), out=out, g0=g0, before=before, after=net.conv1.bias.grad,
                loss=loss, w=net.fc2.weight)


@snippet
def vgg_adaptive_pool_upsizing(torch, nn):
    features = seed_params(torch, nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(True), nn.MaxPool2d(2, 2)))
    avgpool = nn.AdaptiveAvgPool2d((7, 7))
    x = torch.tensor(X((1, 3, 10, 10)), requires_grad=True)
    f = features(x)
    p = avgpool(f)
    mp = nn.AdaptiveMaxPool2d((3, 4))(f)
    flat = torch.flatten(p, 1)
    (flat.sum() + mp.sum()).backward()
    with torch.no_grad():
        n = features(torch.zeros(1, 3, 32, 32)).numel()
    return dict(p=p, mp=mp, flat=flat.shape, n=n, g=x.grad)


if __name__ == "__main__":
    main(sys.argv[1:])
