"""Do the exercise graders catch wrong answers?  Plausible wrong solutions, written as edits of the
reference source (a sign error, a missing unbroadcast, a transposed matmul gradient, Adam without bias
correction, D's loss on undetached fakes, the penalty's norm over the wrong axis, PGD without
projection, ...), are put into a teacher's workspace one at a time; each must fail its exercise.

The default run grades a few representative ones; ``-m slow`` runs the whole sweep, which must catch
at least 95% and lists every mutation that survives.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from minigan.exercises import grader, source, workspace
from minigan.exercises.catalogue import BY_NAME, EXERCISES

RECURSIVE_TOPOLOGICAL_ORDER = '''def topological_order(roots) -> list:
    order, visited = [], set()

    def visit(fn):
        if fn in visited:
            return
        visited.add(fn)
        for e in fn.edges:
            if isinstance(e, Node):
                visit(e)
        order.append(fn)

    for fn in roots:
        visit(fn)
    order.reverse()
    return order
'''

# A depth-first post-order, reversed: a valid topological order, but not PyTorch's (the newest node first), so float32
# gradients summed along several paths round otherwise
DEPTH_FIRST_TOPOLOGICAL_ORDER = '''def topological_order(roots) -> list:
    order, visited = [], set()
    stack = [(fn, False) for fn in roots]
    while stack:
        fn, inputs_done = stack.pop()
        if inputs_done:
            order.append(fn)
        elif fn not in visited:
            visited.add(fn)
            stack.append((fn, True))
            for e in fn.edges:
                if isinstance(e, Node) and e not in visited:
                    stack.append((e, False))
    order.reverse()
    return order
'''

# Node.apply in 12 lines: computes, records and passes its own checks, but skips the anomaly check and the view
# bookkeeping (with it detect_anomaly() no longer raises on x.log() of 0 and reshape no longer returns a view).
SHORT_NODE_APPLY = '''    @classmethod
    def apply(cls, *inputs, **params):
        fn = cls()
        like = inputs[0] if not isinstance(inputs[0], backend.PLAIN_TYPES) else _first_tensor(inputs)
        if like is None:
            return fn.forward(*inputs, **params)
        inputs = [t if getattr(t, "_base", 0) is None else like._input(t) for t in inputs]
        arrays = [t.array for t in inputs]
        needs = tuple([t._requires_grad for t in inputs])
        record = True in needs and _mode.grad_enabled
        fn.needs_input_grad = needs if record else None
        out = fn.forward(*arrays, **params)
        result = like._make(out, record, None, cls, params)
        if record:
            fn.record(inputs, tuple([(t._ctx or t) if t._requires_grad else None for t in inputs]), arrays, out, result)
        return result
'''


# (exercise, [(old, new), ...], what the wrong solution does, target when the exercise has several)
MUTATIONS = [
    # 1. autodiff core
    ("unbroadcast", [("tuple(range(lead)) + ", "")], "forgets the extra leading axes"),
    ("unbroadcast", [("i + lead for i, n", "i for i, n")], "size-1 axes counted from the wrong end"),
    ("unbroadcast", [("grad.sum(axis=axes", "grad.mean(axis=axes")], "averages instead of summing"),
    ("node_apply", [("record = True in needs and _mode.grad_enabled", "record = True in needs")],
     "records under no_grad"),
    ("node_apply", [("fn.record(inputs, tuple(edges), arrays, out, result)", "pass")], "never records the node"),
    ("node_apply", [("fn.needs_input_grad = tuple(needs) if record",
                     "fn.needs_input_grad = tuple(True for _ in needs) if record")],
     "every input needs a gradient"),
    ("node_apply", [(None, SHORT_NODE_APPLY)], "12 lines: no anomaly check, no view bookkeeping"),
    ("node_apply", [("return result if not _anomaly.enabled else fn.check_forward(result)", "return result")],
     "skips the anomaly check"),
    ("node_apply", [("inputs[0] if cls.is_view else None", "None")], "skips the view bookkeeping"),
    ("topological_order", [(", reverse=True)", ")")], "oldest first (producers first)"),
    ("topological_order", [(" and e not in seen", "")], "no set of the nodes seen: a node once per path"),
    ("topological_order", [("isinstance(e, Node) and ", "")], "lists leaves as nodes"),
    ("topological_order", [(None, RECURSIVE_TOPOLOGICAL_ORDER)], "recursive depth-first search"),
    ("topological_order", [(None, DEPTH_FIRST_TOPOLOGICAL_ORDER)], "depth-first post-order: valid, not PyTorch's"),
    ("backprop", [("grads[edge] = grads[edge] + gi if edge in grads else gi", "grads[edge] = gi")],
     "a reused node keeps only its last gradient"),
    ("backprop", [("fn.free()", "pass")], "never frees the graph"),
    ("backprop", [("recording, _mode.grad_enabled = _mode.grad_enabled, create_graph",
                  "recording, _mode.grad_enabled = _mode.grad_enabled, False")],
     "create_graph ignored"),
    ("backprop", [("if fn.hooks or fn.retained is not None or watch", "if fn.hooks or watch")], "retain_grad ignored"),
    ("backprop", [("if edge is not None and gi is not None:", "if gi is not None:")], "gradients into constants"),
    ("backprop", [("g = grads.get(fn) if fn in keep else grads.pop(fn, None)", "g = grads.pop(fn, None)")],
     "forgets the gradients of the nodes in keep"),
    ("backprop", [("if fn.hooks or fn.retained is not None or watch", "if fn.retained is not None or watch")],
     "skips the tensor hooks"),
    ("backprop", [("or watch is not None or _anomaly.enabled or _mode.grad_enabled:",
                   "or watch is not None or _mode.grad_enabled:")], "skips the anomaly check"),
    ("accumulate", [("        else:\n            self._grad.array += g.array",
                     "        else:\n            self._grad = self._grad + g")],
     "a new .grad every time (PyTorch adds in place)", "minigan/engine/tensor.py::Tensor._add_grad"),
    ("accumulate", [("        elif self._grad.requires_grad or g.requires_grad:\n"
                     "            self._grad = self._grad + g\n", "")],
     "in place under create_graph too", "minigan/engine/tensor.py::Tensor._add_grad"),
    ("accumulate", [('if id(g) in shared or getattr(value(g), "base", None) is not None:', "if False:")],
     "never copies a shared gradient"),
    ("accumulate", [('if id(g) in shared or getattr(value(g), "base", None) is not None:',
                     'if getattr(value(g), "base", None) is not None:')], "copies views only"),
    ("prune", [("fn.needs_input_grad = tuple([n and w for n, w in zip(fn.needs_input_grad, wanted)])", "pass")],
     "needs_input_grad not narrowed"),
    ("prune", [("if True in wanted:", "if True:")], "keeps nodes that lead to no target"),
    ("prune", [("useful.add(fn)", "pass")], "only the targets' own consumers are useful"),
    ("prune", [("for fn in reversed(order):", "for fn in order:")], "consumers first"),
    ("detach", [("t = self._make(self.array.view())", "t = self._make(self.array.copy())")], "copies the data"),
    ("detach", [("t._counter = self._version_counter()", "pass")], "a version counter of its own"),
    ("detach", [("        return t", "        return self")], "returns the tensor itself"),
    ("no_grad", [("self.prev, _mode.grad_enabled = _mode.grad_enabled, self.enabled",
                  "self.prev, _mode.grad_enabled = True, self.enabled")], "restores to True, not the previous mode",
     "minigan/engine/grad_mode.py::_DecoratorContextManager.__enter__"),
    ("no_grad", [("_mode.grad_enabled = self.prev", "_mode.grad_enabled = True")], "exit always enables",
     "minigan/engine/grad_mode.py::_DecoratorContextManager.__exit__"),
    ("no_grad", [("return False", "return True")], "swallows exceptions",
     "minigan/engine/grad_mode.py::_DecoratorContextManager.__exit__"),
    # 2. ops
    ("add_backward", [("unbroadcast(grad, value(a).shape) if need_a else None", "grad if need_a else None")],
     "missing unbroadcast"),
    ("add_backward", [("unbroadcast(grad, value(b).shape) if need_b else None",
                      "unbroadcast(grad, value(a).shape) if need_b else None")],
     "b's gradient summed to a's shape"),
    ("sub_backward", [("unbroadcast(-grad, value(b).shape)", "unbroadcast(grad, value(b).shape)")], "sign error on b"),
    ("sub_backward", [("unbroadcast(grad, value(a).shape) if need_a",
                      "unbroadcast(-grad, value(a).shape) if need_a")], "sign error on a"),
    ("mul_backward", [("unbroadcast(grad * b, value(x).shape)", "unbroadcast(grad * a, x.shape)")], "d/da = a"),
    ("mul_backward", [("unbroadcast(grad * a, value(y).shape) if need_b else None", "grad * a if need_b else None")],
     "missing unbroadcast"),
    ("mul_backward", [("a, b = self.saved_tensors", "a, b = self.saved_arrays")],
     "plain arrays: no double backward"),
    ("div_backward", [("-grad * ((a / b) / b)", "grad * ((a / b) / b)")], "sign error"),
    ("div_backward", [("-grad * ((a / b) / b)", "-grad / b / b")], "forgets a"),
    ("pow_backward", [("grad * (b * kernels.power(a, e - 1, number))", "grad * (b * kernels.power(a, e, number))")],
     "exponent not lowered"),
    ("pow_backward", [("out * xp.log(a)", "xp.log(a)")], "d/db forgets a^b"),
    ("pow_backward", [("da if zero is None else select(~zero, da)", "da")],
     "NaN at 0 ** 0"),
    ("exp_backward", [("(grad * out,)", "(out,)")], "forgets the incoming gradient"),
    ("exp_backward", [("(grad * out,)", "(grad,)")], "derivative 1"),
    ("log_backward", [("(grad / a,)", "(grad * a,)")], "multiplies by a"),
    ("log_backward", [("(grad / a,)", "(1 / a,)")], "forgets the incoming gradient"),
    ("stable_sigmoid", [("xp.where(x >= 0, 1 / (1 + e), e / (1 + e))", "1 / (1 + xp.exp(-x))")],
     "the naive formula (overflows)"),
    ("stable_sigmoid", [("xp.where(x >= 0, 1 / (1 + e), e / (1 + e))", "xp.where(x >= 0, e / (1 + e), 1 / (1 + e))")],
     "the two branches swapped"),
    ("sigmoid_backward", [("return grad * (1 - s) * s", "return grad * s")], "σ instead of σ(1 − σ)"),
    ("sigmoid_backward", [("return grad * (1 - s) * s", "return grad * (1 - s)")], "1 − σ instead of σ(1 − σ)"),
    ("tanh_backward", [("return grad * (1 - t * t)", "return grad * (1 - t)")], "1 − tanh"),
    ("tanh_backward", [("return grad * (1 - t * t)", "return grad * (1 + t * t)")], "sign error"),
    ("relu_backward", [("return (backend.keep_where(out != 0, grad),)", "return (grad,)"),
                       ("keep=~(value(out) <= 0)", "keep=value(out) == value(out)")], "no mask"),
    ("relu_backward", [("return (backend.keep_where(out != 0, grad),)",
                        "return (backend.keep_where(out != 0, 1 + 0 * grad),)"),
                       ("return (Select.apply(grad, out,", "return (Select.apply(1.0 + 0.0 * grad, out,")],
     "forgets the incoming gradient"),
    ("leaky_relu_backward", [("d = (x > 0) * one_minus_slope", "d = (x > 0) * (one_minus_slope + slope)")],
     "slope added to 1"),
    ("leaky_relu_backward", [("d += slope", "d += 0")], "0 instead of the slope for x < 0"),
    ("matmul_backward", [("backend.matmul(g, b.reshape(b2_shape).swapaxes(-1, -2))",
                          "backend.matmul(g, b.reshape(b2_shape))")],
     "transposed matmul gradient"),
    ("matmul_backward", [("unbroadcast(backend.matmul(a.reshape(a2_shape).swapaxes(-1, -2), g), b2_shape)",
                          "backend.matmul(a.reshape(a2_shape).swapaxes(-1, -2), g)")], "no sum over batch axes"),
    ("sum_backward", [("broadcast_to(_keep(grad, self.in_shape, self.axis, self.keepdims), self.in_shape)",
                       "broadcast_to(grad, self.in_shape)")], "reduced axes not restored"),
    ("sum_backward", [("namespace(grad).broadcast_to(_keep(grad, self.in_shape, self.axis, self.keepdims), "
                       "self.in_shape)", "_keep(grad, self.in_shape, self.axis, self.keepdims)")], "not broadcast"),
    ("mean_backward", [(" / grad.dtype.type(self.count)", "")], "forgets 1/n"),
    ("mean_backward", [("grad.dtype.type(self.count)", "grad.dtype.type(self.in_shape[0])")], "n from the first axis"),
    ("max_backward", [(" * share", "")], "ties each get the whole gradient"),
    ("max_backward", [("mask / mask.sum(self.axis, keepdims=True)", "mask / mask.sum()")],
     "ties counted over the whole tensor, not the reduced axis"),
    ("reshape_backward", [("grad.reshape(self.in_shape)", "grad.reshape(-1)")], "flattens"),
    ("transpose_backward", [("inverse[a] = i", "inverse[i] = a")], "the permutation, not its inverse"),
    ("transpose_backward", [("grad.transpose(inverse)", "grad.transpose()")], "reverses the axes"),
    ("getitem_backward", [("backend.scatter_add(out, where, values)", "out[where] = values")],
     "repeated indices keep one value", "minigan/engine/ops/shape.py::IndexAdd.forward"),
    ("getitem_backward", [("index=(self.index, self.advanced)", "index=(self.index, False)")],
     "integer arrays treated as slices", "minigan/engine/ops/shape.py::GetItem.backward"),
    ("softmax_backward", [("sum(axis=self.axis", "sum(axis=-1")], "always the last axis"),
    ("softmax_backward", [("(s * (grad - (grad * s).sum(axis=self.axis, keepdims=True)),)", "(s * (1 - s) * grad,)")],
     "the diagonal of the Jacobian only"),
    ("log_softmax_backward", [("grad.sum(axis=self.axis, keepdims=True)", "grad")], "no sum"),
    ("log_softmax_backward", [("namespace(grad).exp(out)", "out")], "log-probabilities for probabilities"),
    ("bce_with_logits", [("(1 - t) * x + (xp.maximum(-x, 0) + xp.log1p(xp.exp(-xp.abs(x))))",
                          "-(t * xp.log(1 / (1 + xp.exp(-x))) + (1 - t) * xp.log(1 - 1 / (1 + xp.exp(-x))))")],
     "the naive log-loss (inf at large logits)", "minigan/engine/ops/loss.py::_bce_with_logits"),
    ("bce_with_logits", [("(_stable_sigmoid(xp, x) - t) * g", "(t - _stable_sigmoid(xp, x)) * g")], "sign error",
     "minigan/engine/ops/loss.py::_bce_with_logits_grad"),
    ("bce_with_logits", [("-x * g if gt", "x * g if gt")], "target gradient sign",
     "minigan/engine/ops/loss.py::BCEWithLogits.backward"),
    ("bce_with_logits", [("g = _reduce_grad(grad, x.shape, self.reduction, x.dtype)", "g = grad")],
     "forgets the mean's 1/n", "minigan/engine/ops/loss.py::BCEWithLogits.backward"),
    ("cross_entropy_backward", [("Softmax.apply(x, axis=1)", "Softmax.apply(x, axis=0)")], "softmax over the batch"),
    ("cross_entropy_backward", [("g = _reduce_grad(grad, (x.shape[0],), self.reduction, x.dtype)", "g = grad")],
     "forgets the mean's 1/n"),
    ("im2col", [("strides=(s_c, s_h * dh, s_w * dw, s_h * sh, s_w * sw, s_n)",
                 "strides=(s_c, s_h * sh, s_w * sw, s_h * dh, s_w * dw, s_n)")],
     "kernel and window strides swapped"),
    ("im2col", [("strides=(s_c, s_h * dh, s_w * dw, s_h * sh, s_w * sw, s_n)",
                 "strides=(s_c, s_h * dh, s_w * dw, s_h, s_w, s_n)")],
     "ignores the stride"),
    ("col2im", [("+= cols[:, p, q]", "= cols[:, p, q]")], "overlapping windows overwrite",
     "minigan/engine/backend.py::add_windows_by_slices"),
    ("col2im", [("i : i + sh * (ho - 1) + 1 : sh", "i : i + ho")], "ignores the stride",
     "minigan/engine/backend.py::add_windows_by_slices"),
    ("conv2d_backward", [("db = grad.sum(axis=(0, 2, 3))", "db = grad.sum(axis=(0, 2))")], "bias summed wrongly"),
    ("conv2d_backward", [("output_padding=self.output_padding, **geometry)", "**geometry)")],
     "forgets the rows conv2d's floor dropped"),
    ("conv2d_backward", [("ConvTranspose2d.apply(grad, weight, stride=self.stride",
                          "ConvTranspose2d.apply(grad, weight, stride=(1, 1)")], "stride lost"),
    # 3. optimizers
    ("optimizer_step", [("if p.grad is not None:", "if True:")], "updates parameters without a gradient"),
    ("optimizer_step", [("self.state[p], hyper)", "self.state[p], self.param_groups[0])")],
     "every parameter with the first group's settings"),
    ("optimizer_step", [("loss = closure()", "closure()")], "closure's loss not returned"),
    ("optimizer_step", [("g = -g  # maximize", "pass  # maximize")], "maximize ignored"),
    ("sgd", [('state["momentum_buffer"] = g.copy()', 'state["momentum_buffer"] = (1.0 - group["dampening"]) * g')],
     "dampening on the first step"),
    ("sgd", [('if group["nesterov"]:', "if False:")], "Nesterov ignored"),
    ("sgd", [("p -= lr * g", "p += lr * g")], "ascends"),
    ("sgd", [('g = g + group["weight_decay"] * p.array', 'g = g - group["weight_decay"] * p.array')],
     "weight decay sign"),
    ("rmsprop", [("p -= lr * g / (s + eps)", "p -= lr * g / xp.sqrt(v + eps)")], "ε inside the root"),
    ("rmsprop", [('alpha * state["square_avg"] + (1.0 - alpha) * (g * g)',
                  '(1.0 - alpha) * state["square_avg"] + alpha * (g * g)')], "α and 1 − α swapped"),
    ("rmsprop", [("s = xp.sqrt(v - gbar * gbar)", "s = xp.sqrt(v)")], "centered ignored"),
    ("adam", [("m_hat = m / bias1", "m_hat = m")], "no bias correction of m", "minigan/optim/adam.py::_adam_direction"),
    ("adam", [("denom = xp.sqrt(v / bias2)", "denom = xp.sqrt(v)")], "no bias correction of v",
     "minigan/optim/adam.py::_adam_direction"),
    ("adam", [("return alpha * m_hat / denom", "return alpha * bias2 ** 0.5 / bias1 * m / (xp.sqrt(v) + eps)"),
              ("denom += eps", "pass")],
     "the paper's 'efficient' form (ε moved)", "minigan/optim/adam.py::_adam_direction"),
    # one per branch the optimizers offer: each branch switched off, or done the way a hurried reader would
    ("adam", [('if group["weight_decay"] != 0 and group["decoupled_weight_decay"]:\n'
               '            p.mul_(1.0 - alpha * group["weight_decay"])',
               'if group["weight_decay"] != 0 and group["decoupled_weight_decay"]:\n'
               '            g = g + group["weight_decay"] * p.array')], "AdamW's decay added to g (L2)"),
    ("adam", [('p.mul_(1.0 - alpha * group["weight_decay"])', 'p.mul_(1.0 - group["weight_decay"])')],
     "AdamW's decay without the learning rate"),
    ("adam", [("step = _adam_direction(xp, m, v_max, alpha", "step = _adam_direction(xp, m, v, alpha")],
     "AMSGrad's running maximum never used"),
    ("adam", [("xp.maximum(v_max, v, out=v_max)", "v_max[...] = v")], "AMSGrad keeps the last v, not the maximum"),
    ("adam", [("if group[\"amsgrad\"]:\n            _adam_moments", "if False:\n            _adam_moments")],
     "amsgrad ignored"),
    ("sgd", [("if mu != 0:", "if False:")], "momentum ignored"),
    ("sgd", [("_momentum(xp, state[\"momentum_buffer\"], g, mu, 1.0 - group[\"dampening\"])",
              "_momentum(xp, state[\"momentum_buffer\"], g, mu, 1.0)")], "dampening ignored"),
    ("rmsprop", [("if mu > 0:\n            b = state", "if False:\n            b = state")], "momentum ignored"),
    ("rmsprop", [('g = g + group["weight_decay"] * p.array', 'g = g')], "weight decay ignored"),
    ("optimistic_adam", [("_optimistic_step(xp, direction, previous,", "_optimistic_step(xp, direction, direction,")],
     "undoes this step, not the last", "minigan/optim/optimistic_adam.py::OptimisticAdam._update"),
    ("optimistic_adam", [('state["previous_direction"] = direction', "pass")], "never remembers the direction",
     "minigan/optim/optimistic_adam.py::OptimisticAdam._update"),
    ("optimistic_adam", [("2.0 * eta, eta)", "eta, eta)")], "η instead of 2η",
     "minigan/optim/optimistic_adam.py::OptimisticAdam._update"),
    ("optimistic_sgd", [('state["previous_grad"] = g.copy()', 'state["previous_grad"] = g')],
     "keeps the caller's array", "minigan/optim/optimistic_sgd.py::OptimisticSGD._update"),
    ("optimistic_sgd", [("2.0 * g - previous", "2.0 * g + previous")], "sign of the correction",
     "minigan/optim/optimistic_sgd.py::_optimistic_sgd_step"),
    # 4. GANs
    ("generator_loss", [("return -F.binary", "return F.binary")], "minimax sign"),
    ("generator_loss", [("F.binary_cross_entropy_with_logits(fake_logits, full_like(fake_logits, 1.0))",
                         "F.binary_cross_entropy_with_logits(fake_logits, full_like(fake_logits, 0.0))")],
     "non-saturating against the wrong target"),
    ("frozen", [("    finally:\n        module.requires_grad_(True)", "    finally:\n        pass")],
     "never unfreezes"),
    ("frozen", [("    try:\n        yield module\n    finally:\n        module.requires_grad_(True)",
                 "    yield module\n    module.requires_grad_(True)")], "not restored on an exception"),
    ("gan_train_step", [("fake_logits = D(self.noisy(G(z).detach()))", "fake_logits = D(self.noisy(G(z)))")],
     "D's loss on undetached fakes"),
    ("gan_train_step", [("real_logits = D(real_in)\n",
                         "real_logits = D(real_in)\n            stale = D(G(z))\n"),
                        ("loss_g = self.generator_loss(D(self.noisy(G(z))))",
                         "loss_g = self.generator_loss(stale)")],
     "G's step through a D graph built before D's update"),
    ("gan_train_step", [("with frozen(D):", "if True:")], "D not frozen for G's step"),
    ("gan_train_step", [("full_like(real_logits, 1.0)", "full_like(real_logits, 0.0)")], "real labelled fake"),
    ("gan_train_step", [("            self.opt_d.zero_grad()\n", "")], "D's gradients accumulate over k steps"),
    ("gan_train_step", [("for _ in range(self.k):", "for _ in range(1):")], "k ignored"),
    ("wgan_clip", [("w.clamp_(-self.clip, self.clip)", "w.clamp_(0, self.clip)")], "clips to [0, c]"),
    ("wgan_clip", [("with no_grad():", "if True:")], "clips outside no_grad"),
    ("critic_w1_estimate", [("critic(real).mean() - critic(fake).mean()", "critic(fake).mean() - critic(real).mean()")],
     "fake minus real"),
    ("critic_w1_estimate", [("critic(real).mean() - critic(fake).mean()", "critic(real).sum() - critic(fake).sum()")],
     "sums, not means"),
    ("critic_w1_estimate", [("critic(real).mean() - critic(fake).mean()", "(critic(real) - critic(fake)).mean()")],
     "the mean of paired differences"),
    ("critic_w1_estimate", [("critic(real).mean() - critic(fake).mean()",
                             "critic(real.detach()).mean() - critic(fake.detach()).mean()")], "samples detached"),
    ("critic_w1_estimate", [("critic(real).mean() - critic(fake).mean()",
                             "(critic(real).mean() - critic(fake).mean()).abs()")], "its absolute value"),
    ("wgan_train_step", [("self.clip_critic()", "pass")], "never clips"),
    ("wgan_train_step", [("wasserstein_estimate(f, x, G(z).detach())", "wasserstein_estimate(f, x, G(z))")],
     "undetached fakes"),
    ("wgan_train_step", [("loss_c = -estimate", "loss_c = estimate")], "critic descends the estimate"),
    ("wgan_train_step", [("loss_g = -f(G(z)).mean()", "loss_g = f(G(z)).mean()")], "generator sign"),
    ("gradient_penalty", [(".reshape(m, -1).sum(axis=1).sqrt()", ".reshape(m, -1).sum(axis=0).sqrt()")],
     "norm over the wrong axis"),
    ("gradient_penalty", [("create_graph=True", "create_graph=False")], "no create_graph"),
    ("gradient_penalty", [("eps * real + (1 - eps) * fake.detach()", "(1 - eps) * real + eps * fake.detach()")],
     "ε on the fake"),
    ("gradient_penalty", [("((norms - 1) ** 2).mean()", "((norms - 1) ** 2).sum()")], "sum over examples"),
    ("gradient_penalty", [(".sum(axis=1).sqrt()", ".sum(axis=1)")], "squared norm"),
    ("wgangp_train_step", [("loss_c = -estimate + penalty", "loss_c = -estimate")], "penalty left out"),
    ("wgangp_train_step", [("x_tilde = G(self.noise(m)).detach()", "x_tilde = G(self.noise(m))")],
     "undetached fakes"),
    ("wgangp_train_step", [("loss_g = -D(G(z)).mean()", "loss_g = D(G(z)).mean()")], "generator sign"),
    ("cgan_conditioning", [("axis=1)", "axis=0)")], "concatenated along the batch"),
    ("cgan_conditioning", [('raise ValueError("a conditional network needs labels: call it as net(x, labels)")',
                            "return x")], "silently unconditional without labels"),
    ("cgan_train_step", [("fake_logits = D(G(z, y_fake).detach(), y_fake)",
                          "fake_logits = D(G(z, y_fake).detach(), y)")],
     "D judges fakes against the real labels"),
    ("cgan_train_step", [("loss_g = self.generator_loss(D(G(z, y_fake), y_fake))",
                          "loss_g = self.generator_loss(D(G(z, y_fake), y))")], "G's fakes judged with other labels"),
    ("cgan_train_step", [("D(G(z, y_fake).detach(), y_fake)", "D(G(z, y_fake), y_fake)")], "undetached fakes"),
    ("ebgan_margin_loss", [(".reshape(err.shape[0], -1).mean(1)", ".reshape(err.shape[0], -1).sum(1)")],
     "energy summed over the coordinates", "minigan/gans/ebgan.py::energy"),
    ("ebgan_margin_loss", [("(err * err)", "err.abs()")], "BEGAN's absolute error for the energy",
     "minigan/gans/ebgan.py::energy"),
    ("ebgan_margin_loss", [("(err * err).reshape(err.shape[0], -1).mean(1)", "(err * err).mean()")],
     "one energy for the whole batch", "minigan/gans/ebgan.py::energy"),
    ("ebgan_margin_loss", [("(margin - fake_energy).relu().mean()", "(margin - fake_energy).mean()")],
     "no hinge: the fakes pushed up without end", "minigan/gans/ebgan.py::margin_loss"),
    ("ebgan_margin_loss", [("(margin - fake_energy).relu()", "(fake_energy - margin).relu()")],
     "the hinge on the wrong side of m", "minigan/gans/ebgan.py::margin_loss"),
    ("ebgan_margin_loss", [(".relu().mean()", ".relu().sum()")], "the fakes' hinge summed, not averaged",
     "minigan/gans/ebgan.py::margin_loss"),
    # 5. attacks
    ("input_gradient", [("with evaluating(model):  # 3.", "if True:  # 3.")],
     "attacks in training mode (dropout on)"),
    ("input_gradient", [("(grad,) = autograd.grad(J, x_leaf)", "J.backward()\n            grad = x_leaf.grad")],
     "backward() fills the parameters' .grad"),
    ("input_gradient", [("x_leaf = from_numpy(x).requires_grad_()", "x_leaf = from_numpy(x).requires_grad_()\n"
                         "        model.train()")], "switches the model to training mode inside the attack"),
    ("fgsm", [("+ eps * grad.sign()", "- eps * grad.sign()")], "steps down the loss"),
    ("fgsm", [("eps * grad.sign()", "eps * grad")], "no sign"),
    ("fgsm", [("return x_adv.clamp(*clip) if clip is not None else x_adv", "return x_adv")], "no clip"),
    ("project", [("x_adv = xp.clip(x_adv, x - e, x + e)", "pass")], "no ε-ball"),
    ("project", [("xp.clip(x_adv, x - e, x + e)", "xp.clip(x_adv, -e, e)")], "the ball around 0"),
    ("sign_step", [("x_adv.dtype.type(-step_size if targeted else step_size)", "x_adv.dtype.type(step_size)")],
     "targeted steps up"),
    ("sign_step", [("xp.sign(input_gradient(", "(input_gradient(")], "no sign"),
    ("bim", [("x_adv = project(_sign_step(model, x_adv, y, step_size, targeted, loss, who), x, eps, clip)",
              "x_adv = _sign_step(model, x_adv, y, step_size, targeted, loss, who)")], "BIM without projection"),
    ("bim", [("loss, who), x, eps, clip)", "loss, who), x_adv, eps, clip)")], "projects around the last iterate"),
    ("bim", [("    if y is None:\n        y = predicted_labels(model, x)\n", "")],
     "re-reads the prediction at every step"),
    ("pgd", [("x_adv = project(_sign_step(model, x_adv, y, step_size, targeted, loss, who), x, eps, clip)",
              "x_adv = _sign_step(model, x_adv, y, step_size, targeted, loss, who)")], "PGD without projection"),
    ("pgd", [("x_adv = project(x + noise, x, eps, clip)", "pass")], "no random start"),
    ("pgd", [("random.rand(x.shape, dtype=x.dtype, xp=xp) * x.dtype.type(2 * eps) - x.dtype.type(eps)",
              "random.randn(x.shape, dtype=x.dtype, xp=xp) * x.dtype.type(eps)")], "Gaussian start"),
    ("pgd", [("better = j > best_loss", "better = j < best_loss")], "keeps the weakest restart"),
    ("adversarial_loss", [("return alpha * clean + (1.0 - alpha) * adversarial",
                           "return (1.0 - alpha) * clean + alpha * adversarial")], "α on the adversarial term"),
    ("adversarial_loss", [("x_adv = fgsm(model, x, y_attack, eps, clip=clip)",
                           "x_adv = fgsm(model, x, y_attack, eps, clip=None)")], "x' outside the image range"),
    ("adversarial_loss", [("x_adv = x + step * xp.sign(grad)", "x_adv = x + step.mean() * xp.sign(grad)")],
     "one ε for all"),
    ("pgd_adversarial_loss", [("+ (1.0 - alpha) * adversarial", "+ adversarial")], "weights do not sum to 1"),
    ("pgd_adversarial_loss", [("random_start=random_start", "random_start=False")], "no random start"),
    ("patch_update", [("patch - patch.dtype.type(step_size)", "patch + patch.dtype.type(step_size)")],
     "steps up the target's loss"),
    ("patch_update", [("np.sign(g)", "g")], "no sign"),
    ("patch_update", [("np.clip(new, *clip).astype(patch.dtype) if clip is not None else new.astype(patch.dtype)",
                       "new.astype(patch.dtype)")], "no clip"),
    ("patch_update", [("[n, rows, cols].sum(axis=0)", "[n, rows, cols][0]")], "the first image's gradient only"),
    ("patch_update", [("[n, rows, cols].sum(axis=0)", "[n, cols, rows].sum(axis=0)")],
     "reads the gradient at the transposed place"),
    ("patch_update", [("targets = np.full(len(images), int(target))", "targets = None")],
     "steps down the loss of the predicted class, not the target's"),
    # 6. latent-variable models
    ("normal_rsample", [("return self.loc + eps * self.scale", "return (self.loc + eps * self.scale).detach()")],
     "detaches the draw: no gradient reaches μ or σ"),
    ("normal_rsample", [("return self.loc + eps * self.scale", "return self.loc + eps")], "forgets σ"),
    ("normal_rsample", [("self._extended_shape(sample_shape)", "self.batch_shape")], "ignores sample_shape"),
    ("normal_log_prob", [("(2 * var)", "var")], "drops the 2 in 2σ²"),
    ("normal_log_prob", [("- self.scale.log() ", "")], "forgets −log σ"),
    ("gaussian_kl", [("- 1 - var_ratio.log()", "- var_ratio.log()")], "forgets the −1: KL(p ‖ p) is 1/2"),
    ("gaussian_kl", [("(p.loc - q.loc) / q.scale", "(p.loc - q.loc)")], "the mean's term not divided by σq"),
    ("elbo", [("z = q.rsample() if reparameterize else q.sample()", "z = q.sample()")],
     "draws z by sample: no gradient to the encoder"),
    ("elbo", [("kl_divergence(q, prior).sum(1)", "kl_divergence(q, prior).mean(1)")], "averages the KL over z"),
    ("elbo", [("return log_px - kl, kl, log_px", "return log_px + kl, kl, log_px")], "adds the KL"),
    ("memorization_distance", [("d2.argmin(axis=1)", "d2.argmax(axis=1)")], "the farthest row"),
    ("memorization_distance", [("d2[rows, start + rows] = np.inf", "pass")], "leave_one_out keeps the row itself"),
    ("memorization_distance", [("d2[rows, start + rows] = np.inf", "d2[rows, rows] = np.inf")],
     "leaves out the wrong rows after the first block"),
    ("memorization_distance", [("distance = np.sqrt(((a - b[index]) ** 2).sum(axis=1))",
                                "distance = ((a - b[index]) ** 2).sum(axis=1)")], "the squared distance"),
    ("memorization_distance", [("distance = np.sqrt(((a - b[index]) ** 2).sum(axis=1))",
                                "distance = np.abs(a - b[index]).sum(axis=1)")], "the L1 distance"),
]

REPRESENTATIVE = [("node_apply", "12 lines: no anomaly check, no view bookkeeping"),
                  ("backprop", "skips the tensor hooks"), ("mul_backward", "missing unbroadcast"),
                  ("matmul_backward", "transposed matmul gradient"),
                  ("adam", "no bias correction of m"), ("gan_train_step", "D's loss on undetached fakes"),
                  ("gradient_penalty", "norm over the wrong axis"), ("pgd", "PGD without projection")]


def apply_mutation(root: Path, exercise: str, edits, target=None) -> tuple[Path, str]:
    """Write the mutated file into the workspace ``root``; returns (file, original text) to restore it."""
    target = target or BY_NAME[exercise].targets[0]
    path, qualname = source.split_target(target)
    file = root / path
    original = file.read_text(encoding="utf-8")
    text = original
    for old, new in edits:
        if old is None:
            text = source.replace_function(text, qualname, new)
        else:
            text = source.replace_in_function(text, qualname, old, new)
    file.write_text(text, encoding="utf-8")
    return file, original


def _unpack(m):
    exercise, edits, note = m[:3]
    return exercise, edits, note, (m[3] if len(m) > 3 else None)


SEED = secrets.randbits(31)  # one seed for the sweep: the library's values are computed once per exercise


@pytest.fixture(scope="module")
def teacher(tmp_path_factory):
    # the library's values for the exercises the default run grades, in one reference process (the grader keeps
    # them per seed): each grade then starts only the learner's process
    grader.reference(grader.resolve({exercise for exercise, _ in REPRESENTATIVE}), SEED)
    return workspace.start(tmp_path_factory.mktemp("mutations") / "ws", solutions=True)


def test_every_mutation_applies_to_the_reference_source():
    for m in MUTATIONS:
        exercise, edits, note, target = _unpack(m)
        target = target or BY_NAME[exercise].targets[0]
        assert target in BY_NAME[exercise].targets, (exercise, target)
        path, qualname = source.split_target(target)
        text = workspace.library_text(path)
        for old, new in edits:
            if old is not None:
                text = source.replace_in_function(text, qualname, old, new)  # raises unless exactly one match
        compile(text, path, "exec")


def test_every_exercise_has_mutations():
    covered = {m[0] for m in MUTATIONS}
    assert [e.name for e in EXERCISES if e.name not in covered] == []


def _caught(root, m):
    exercise, edits, note, target = _unpack(m)
    file, original = apply_mutation(root, exercise, edits, target)
    try:
        results, _ = grader.grade(root, [exercise], seed=SEED)
    finally:
        file.write_text(original, encoding="utf-8")
    return not results[0][1], results[0][2]


@pytest.mark.budget(3, cover=False)  # three drawn by default, every one under -m parity
@pytest.mark.parametrize("exercise, note", REPRESENTATIVE)
def test_representative_wrong_solutions_are_caught(teacher, exercise, note):
    (m,) = [m for m in MUTATIONS if m[:1] == (exercise,) and m[2] == note]
    caught, message = _caught(teacher, m)
    assert caught, f"{exercise}: the wrong solution '{note}' passed"
    assert "hint:" in message


@pytest.mark.slow
def test_mutation_sweep_catches_at_least_95_percent(teacher):
    survivors = []
    for m in MUTATIONS:
        caught, _ = _caught(teacher, m)
        if not caught:
            survivors.append(f"{m[0]}: {m[2]}")
    rate = 1 - len(survivors) / len(MUTATIONS)
    print(f"\n{len(MUTATIONS) - len(survivors)} of {len(MUTATIONS)} wrong solutions caught ({rate:.1%}); "
          f"not caught: {survivors or 'none'}")
    assert rate >= 0.95, survivors


@pytest.mark.parametrize("exercise, note, feature", [
    ("node_apply", "12 lines: no anomaly check, no view bookkeeping", "breaks anomaly detection"),
    ("node_apply", "skips the view bookkeeping", "breaks views"),
    ("backprop", "skips the anomaly check", "breaks anomaly detection"),
])
def test_a_solution_that_breaks_a_documented_feature_fails_naming_it(teacher, exercise, note, feature):
    (m,) = [m for m in MUTATIONS if m[:1] == (exercise,) and m[2] == note]
    caught, message = _caught(teacher, m)
    assert caught and message.startswith(feature), message
