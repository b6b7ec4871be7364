"""The property checks behind every exercise: ``check_<name>(ctx)`` observes the learner's functions on inputs
drawn from the grader's seed; ``close``, ``check`` and ``raises`` name the input, the expected value, the value
got, and a hint.

``runner.py`` runs them twice (see ``base.ROLE``): in the learner's process, where ``import minigan`` is the learner's
copy and they only RECORD the values got, and in the grader's own process on the library, where they record what
is expected; ``grader.decide`` compares the two.  The checks are the ones minigan's own tests use: float64
gradients against central differences (first and second order), results against closed forms (optimizer
trajectories in every branch, the optimal discriminator, the penalty of a linear critic), and, when asked
(``check --torch``) and installed, PyTorch as an extra oracle for the optimizers.  Whole training steps and PGD's
restarts are compared with the library's own run from the same seed: ``close(what, got, got, ...)`` there, whose
expected value is what the grader's process, on the library, records (nothing runs a reference in the learner's
process).  Every exercise hands back values computed from the grader's seed (``rn``, ``rng``), never only facts a
process could state without computing them (a yes/no, a number fixed in the check's text).

One module per exercise set of ``catalogue.SETS`` (``autodiff``, ``ops``, ``optim``, ``gans``, ``attacks``,
``latent``), the
features built on an exercise in ``features``, and what they are all made of in ``base`` (which also holds the
state ``runner.py`` sets: ``base.ROLE``, ``base.USE_TORCH``).  This file hands on what the grader and the runner
use: ``check_<name>`` for every exercise, ``FEATURES``, and ``base``'s ``Fail``, ``RECORD``, ``set_seed``, ``reset``
and ``compare``.  The grader hands these files' text to the learner's process (``grader.CHECKS``, in that order),
where the runner makes them a package again: only relative imports join them.
"""

from __future__ import annotations

from . import base  # noqa: F401 - the state runner.py sets lives there (base.ROLE, base.USE_TORCH)
from .attacks import (
    check_adversarial_loss,
    check_bim,
    check_fgsm,
    check_input_gradient,
    check_patch_update,
    check_pgd,
    check_pgd_adversarial_loss,
    check_project,
    check_sign_step,
)
from .autodiff import (
    check_accumulate,
    check_backprop,
    check_detach,
    check_no_grad,
    check_node_apply,
    check_prune,
    check_topological_order,
    check_unbroadcast,
)
from .base import RECORD, Fail, check, close, compare, gradcheck, raises, reset, same, set_seed
from .features import FEATURES
from .gans import (
    check_cgan_conditioning,
    check_cgan_train_step,
    check_critic_w1_estimate,
    check_ebgan_margin_loss,
    check_frozen,
    check_gan_train_step,
    check_generator_loss,
    check_gradient_penalty,
    check_wgan_clip,
    check_wgan_train_step,
    check_wgangp_train_step,
)
from .latent import (
    check_elbo,
    check_gaussian_kl,
    check_memorization_distance,
    check_normal_log_prob,
    check_normal_rsample,
)
from .ops import (
    check_add_backward,
    check_bce_with_logits,
    check_col2im,
    check_conv2d_backward,
    check_cross_entropy_backward,
    check_div_backward,
    check_exp_backward,
    check_getitem_backward,
    check_im2col,
    check_leaky_relu_backward,
    check_log_backward,
    check_log_softmax_backward,
    check_matmul_backward,
    check_max_backward,
    check_mean_backward,
    check_mul_backward,
    check_pow_backward,
    check_relu_backward,
    check_reshape_backward,
    check_sigmoid_backward,
    check_softmax_backward,
    check_stable_sigmoid,
    check_sub_backward,
    check_sum_backward,
    check_tanh_backward,
    check_transpose_backward,
)
from .optim import (
    check_adam,
    check_optimistic_adam,
    check_optimistic_sgd,
    check_optimizer_step,
    check_rmsprop,
    check_sgd,
)

__all__ = ["Fail", "RECORD", "set_seed", "reset", "compare", "close", "same", "check", "raises", "gradcheck",
           "FEATURES",
           "check_unbroadcast", "check_node_apply", "check_topological_order", "check_backprop", "check_accumulate",
           "check_prune", "check_detach", "check_no_grad", "check_add_backward", "check_sub_backward",
           "check_mul_backward", "check_div_backward", "check_pow_backward", "check_exp_backward",
           "check_log_backward", "check_stable_sigmoid", "check_sigmoid_backward", "check_tanh_backward",
           "check_relu_backward", "check_leaky_relu_backward", "check_matmul_backward", "check_sum_backward",
           "check_mean_backward", "check_max_backward", "check_reshape_backward", "check_transpose_backward",
           "check_getitem_backward", "check_softmax_backward", "check_log_softmax_backward", "check_bce_with_logits",
           "check_cross_entropy_backward", "check_im2col", "check_col2im", "check_conv2d_backward",
           "check_optimizer_step", "check_sgd", "check_rmsprop", "check_adam", "check_optimistic_adam",
           "check_optimistic_sgd", "check_generator_loss", "check_frozen", "check_gan_train_step", "check_wgan_clip",
           "check_critic_w1_estimate", "check_wgan_train_step", "check_gradient_penalty", "check_wgangp_train_step",
           "check_cgan_conditioning", "check_cgan_train_step", "check_ebgan_margin_loss", "check_input_gradient",
           "check_fgsm", "check_project", "check_sign_step", "check_bim", "check_pgd", "check_adversarial_loss",
           "check_pgd_adversarial_loss", "check_patch_update",
           "check_normal_rsample", "check_normal_log_prob", "check_gaussian_kl", "check_elbo",
           "check_memorization_distance"]
