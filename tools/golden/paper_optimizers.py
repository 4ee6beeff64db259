#!/usr/bin/env python3
"""Reference trajectories for optimizers that torch.optim (1.13) does not have.

Usage:  /usr/bin/python3 tools/golden/paper_optimizers.py [id ...]     (default: every id below)

Writes tools/golden/fixtures/optim/<id>.json in the format of `GoldenTrajectory`
(packages/testkit/src/golden.ts):

    { "cases": [ { "name", "config" (Descent's camelCase names), "params": {name: {shape, values}},
                   "grads": [ {name: values} per step ], "expected": [ {name: values after the step} ],
                   "source" } ] }

`sophia.json` extends each case with "hessianDiag": [ {name: values} | null per step ]: the
Hessian-diagonal estimate passed with that step as `extras.hessianDiag` (null: none). The
testkit's golden runner does not pass it; packages/optim-sophia runs those cases itself.

Each reference is a float64 NumPy implementation written from the paper and the official (or
named standard) code, which decides every detail the paper leaves open:

  * lion, lion-book:  google/automl lion/lion_pytorch.py (decoupled decay); the book's dldna
                      chapter_05 optimizers.advanced.Lion (decay added to the gradient).
  * sophia:           Liuhong99/Sophia sophia.py SophiaG (step(bs=...), rho, 1e-15), the Hessian
                      EMA refreshed (update_hessian) before the step that receives an estimate;
                      negative estimate entries count as 0 in the denominator (SophiaH's relu).
  * sophia-book:      the book's dldna chapter_05 optimizers.advanced.Sophia.
  * adafactor:        Hugging Face transformers.optimization.Adafactor (itself fairseq's).
  * lamb:             tensorflow_addons.optimizers.LAMB.
  * lars:             the paper's Algorithm 1 as tf.contrib.opt.LARSOptimizer computes it.
  * adabelief:        adabelief-pytorch 0.2.0 AdaBelief.

When torch is importable, each reference except lamb and lars is also checked against a
line-by-line torch (float32) transcription of the official code's step() (rtol 1e-4).

Parameters are a [4, 3] 'dense/kernel' and a [3] 'dense/bias' (tfjs names, row-major values).
Each case runs STEPS steps. The gradient scale of a step is drawn (without replacement, in a
seeded random order) from a log-spaced range 1e-8 .. 1e3; entries get random signs and a
per-entry spread of two decades. In every step one kernel entry and one bias entry, rotating
with the step, are exactly zero.

Lion's sign is discontinuous at 0: a case whose float64 direction β1·m + (1 − β1)·g comes closer
to 0 than 1e-3 of its parts, or whose float32 emulation (the order of operations of the
TypeScript code) differs in sign, is drawn again from the next seed, so the tests can compare
with the usual tolerance and no step is a tie.

Numbers are written as the shortest decimal that reads back to the same float32, so float32(value)
is exactly what the reference was given.
"""
import json
import math
import os
import sys
import zlib

import numpy as np

try:
    import torch
except ImportError:  # the cross-checks are skipped without torch
    torch = None

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures', 'optim')
STEPS = 30
SHAPES = {'dense/kernel': (4, 3), 'dense/bias': (3,)}
F64 = np.float64


class Retry(Exception):
    """The drawn problem is unsuitable (a Lion sign tie); draw another."""


def problem(seed):
    """Initial float32 parameters and STEPS float32 gradients, reproducible from `seed`."""
    rng = np.random.default_rng(seed)
    params = {n: rng.uniform(-1.0, 1.0, s).astype(np.float32) for n, s in SHAPES.items()}
    scales = np.logspace(-8.0, 3.0, STEPS)[rng.permutation(STEPS)]
    grads = []
    for k, scale in enumerate(scales):
        step = {}
        for n, shape in SHAPES.items():
            spread = 10.0 ** rng.uniform(-1.0, 1.0, shape)
            sign = rng.choice([-1.0, 1.0], shape)
            g = (scale * spread * sign).astype(np.float32)
            flat = g.reshape(-1)
            flat[k % flat.size] = 0.0
            step[n] = g
        grads.append(step)
    return params, grads, rng


def hessian_estimates(rng, k, signed=False):
    """Sophia: an estimate at steps 1, k + 1, 2k + 1, ... (as @descent/train's loop passes them),
    entries 10^U(-8, 2), all positive (Gauss-Newton-Bartlett) or with random signs (Hutchinson)."""
    out = []
    for t in range(STEPS):
        if t % k != 0:
            out.append(None)
            continue
        est = {}
        for n, shape in SHAPES.items():
            v = 10.0 ** rng.uniform(-8.0, 2.0, shape)
            if signed:
                v = v * rng.choice([-1.0, 1.0], shape)
            est[n] = v.astype(np.float32)
        out.append(est)
    return out


def f64(params):
    return {n: v.astype(F64) for n, v in params.items()}


def snapshot(p):
    return {n: v.copy() for n, v in p.items()}


# ---------------------------------------------------------------------------------------------
# Lion


def lion_np(params, grads, lr=1e-4, betas=(0.9, 0.99), weightDecay=0.0, coupled=False):
    """Lion in float64. coupled=False: google/automl lion_pytorch.py (p *= 1 - lr*wd first);
    coupled=True: the book's dldna Lion (grad += wd*p). Raises Retry near a sign tie."""
    b1, b2 = betas
    wd = weightDecay
    p = f64(params)
    m = {n: np.zeros_like(v) for n, v in p.items()}
    # float32 emulation in the TypeScript order of operations, to make sure no sign flips.
    f = np.float32
    p32 = {n: v.copy() for n, v in params.items()}
    m32 = {n: np.zeros_like(v) for n, v in params.items()}
    out = []
    for g in grads:
        for n in p:
            gr = g[n].astype(F64)
            g32 = g[n]
            if wd != 0 and coupled:
                gr = gr + wd * p[n]
                g32 = g32 + p32[n] * f(wd)
            elif wd != 0:
                p[n] = p[n] * (1 - lr * wd)
            c = b1 * m[n] + (1 - b1) * gr
            c32 = m32[n] * f(b1) + g32 * f(1 - b1)
            parts = b1 * np.abs(m[n]) + (1 - b1) * np.abs(gr)
            live = parts > 0
            if np.any(np.abs(c[live]) < 1e-3 * parts[live]) or np.any(np.sign(c32) != np.sign(c)):
                raise Retry(f'lion: sign tie in {n}')
            p[n] = p[n] - lr * np.sign(c)
            m[n] = b2 * m[n] + (1 - b2) * gr
            step32 = np.sign(c32) * f(-lr)
            upd32 = ((p32[n] * f(1 - lr * wd)) - p32[n]) + step32 if (wd != 0 and not coupled) else step32
            p32[n] = p32[n] + upd32
            m32[n] = m32[n] * f(b2) + g32 * f(1 - b2)
        out.append(snapshot(p))
    return out


def lion_torch(params, grads, lr=1e-4, betas=(0.9, 0.99), weightDecay=0.0, coupled=False):
    """Line-by-line transcription of the official step() (and the book's), float32."""
    ts = {n: torch.tensor(v) for n, v in params.items()}
    state = {n: torch.zeros_like(t) for n, t in ts.items()}
    out = []
    for g in grads:
        for n, p in ts.items():
            grad = torch.tensor(g[n])
            exp_avg = state[n]
            beta1, beta2 = betas
            if coupled:
                if weightDecay != 0:
                    grad = grad.add(p, alpha=weightDecay)
                update = exp_avg.mul(beta1).add(grad, alpha=1 - beta1)
                p.add_(update.sign(), alpha=-lr)
                exp_avg.mul_(beta2).add_(grad, alpha=1 - beta2)
            else:
                p.mul_(1 - lr * weightDecay)
                update = exp_avg * beta1 + grad * (1 - beta1)
                p.add_(update.sign_(), alpha=-lr)
                exp_avg.mul_(beta2).add_(grad, alpha=1 - beta2)
        out.append({n: t.numpy().copy() for n, t in ts.items()})
    return out


# ---------------------------------------------------------------------------------------------
# Sophia


def sophia_np(params, grads, hess, lr=1e-4, betas=(0.965, 0.99), rho=0.04, batchSize=5120, weightDecay=0.1, k=10, eps=1e-15, maximize=False):
    """SophiaG (official sophia.py) in float64; `hess[t]` is refreshed into the EMA before step t."""
    b1, b2 = betas
    p = f64(params)
    m = {n: np.zeros_like(v) for n, v in p.items()}
    h = {n: np.zeros_like(v) for n, v in p.items()}
    out = []
    for t, g in enumerate(grads):
        for n in p:
            if hess[t] is not None:
                h[n] = b2 * h[n] + (1 - b2) * hess[t][n].astype(F64)
            gr = -g[n].astype(F64) if maximize else g[n].astype(F64)
            p[n] = p[n] * (1 - lr * weightDecay)
            m[n] = b1 * m[n] + (1 - b1) * gr
            ratio = np.minimum(np.abs(m[n]) / (rho * batchSize * np.maximum(h[n], 0.0) + eps), 1.0)
            p[n] = p[n] - lr * np.sign(m[n]) * ratio
        out.append(snapshot(p))
    return out


def sophia_torch(params, grads, hess, lr=1e-4, betas=(0.965, 0.99), rho=0.04, batchSize=5120, weightDecay=0.1, k=10, eps=1e-15, maximize=False):
    """SophiaG's update_hessian() + _single_tensor_sophiag, float32 (relu as SophiaH)."""
    beta1, beta2 = betas
    ts = {n: torch.tensor(v) for n, v in params.items()}
    st = {n: {'exp_avg': torch.zeros_like(t), 'hessian': torch.zeros_like(t)} for n, t in ts.items()}
    out = []
    for t, g in enumerate(grads):
        if hess[t] is not None:
            for n in ts:
                est = torch.tensor(hess[t][n])
                st[n]['hessian'].mul_(beta2).add_(est, alpha=1 - beta2)
        for n, param in ts.items():
            grad = torch.tensor(g[n]) if not maximize else -torch.tensor(g[n])
            exp_avg, hs = st[n]['exp_avg'], st[n]['hessian']
            param.mul_(1 - lr * weightDecay)
            exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
            ratio = (exp_avg.abs() / (rho * batchSize * torch.relu(hs) + eps)).clamp(None, 1)
            param.addcmul_(exp_avg.sign(), ratio, value=-lr)
        out.append({n: x.numpy().copy() for n, x in ts.items()})
    return out


def sophia_book_np(params, grads, lr=1e-3, betas=(0.965, 0.99), rho=0.04, weightDecay=0.0, k=10):
    """The book's Sophia (dldna advanced.Sophia) in float64: h starts at ones, refreshed from g²."""
    b1, b2 = betas
    p = f64(params)
    m = {n: np.zeros_like(v) for n, v in p.items()}
    h = {n: np.ones_like(v) for n, v in p.items()}
    steps = 0
    out = []
    for g in grads:
        steps += 1
        refresh = steps % k == 0
        for n in p:
            gr = g[n].astype(F64)
            if weightDecay != 0:
                gr = gr + weightDecay * p[n]
            m[n] = b1 * m[n] + (1 - b1) * gr
            if refresh:
                h[n] = b2 * h[n] + (1 - b2) * gr * gr
            u = np.clip(m[n] / (rho * h[n] + 1e-8), -1.0, 1.0)
            p[n] = p[n] - lr * u
        out.append(snapshot(p))
    return out


def sophia_book_torch(params, grads, lr=1e-3, betas=(0.965, 0.99), rho=0.04, weightDecay=0.0, k=10):
    ts = {n: torch.tensor(v) for n, v in params.items()}
    exp_avg = {n: torch.zeros_like(t) for n, t in ts.items()}
    hessian = {n: torch.ones_like(t) for n, t in ts.items()}
    steps = 0
    out = []
    for g in grads:
        steps += 1
        update_hessian = steps % k == 0
        for n, p in ts.items():
            grad = torch.tensor(g[n])
            if weightDecay != 0:
                grad = grad.add(p, alpha=weightDecay)
            state = exp_avg[n]
            state.mul_(betas[0]).add_(grad, alpha=1 - betas[0])
            if update_hessian:
                hessian[n].mul_(betas[1]).addcmul_(grad, grad, value=1 - betas[1])
            denom = rho * hessian[n] + 1e-8
            update = state.div(denom).clamp(min=-1.0, max=1.0)
            p.add_(update, alpha=-lr)
        out.append({n: x.numpy().copy() for n, x in ts.items()})
    return out


# ---------------------------------------------------------------------------------------------
# Adafactor


def adafactor_np(params, grads, lr=None, eps=(1e-30, 1e-3), clipThreshold=1.0, decayRate=-0.8, beta1=None, weightDecay=0.0, scaleParameter=True, relativeStep=True, warmupInit=False):
    """transformers.optimization.Adafactor.step in float64."""
    p = f64(params)
    st = {}
    for n, v in p.items():
        s = {'step': 0}
        if beta1 is not None:
            s['exp_avg'] = np.zeros_like(v)
        if v.ndim >= 2:
            s['row'] = np.zeros(v.shape[:-1])
            s['col'] = np.zeros(v.shape[:-2] + v.shape[-1:])
        else:
            s['v'] = np.zeros_like(v)
        st[n] = s
    rms = lambda x: np.sqrt(np.mean(x * x))
    out = []
    for g in grads:
        for n in p:
            grad = g[n].astype(F64)
            s = st[n]
            s['step'] += 1
            t = s['step']
            rel = lr
            if relativeStep:
                min_step = 1e-6 * t if warmupInit else 1e-2
                rel = min(min_step, 1.0 / math.sqrt(t))
            scale = max(eps[1], rms(p[n])) if scaleParameter else 1.0
            lr_t = scale * rel
            beta2t = 1.0 - t ** decayRate
            upd = grad * grad + eps[0]
            if p[n].ndim >= 2:
                s['row'] = beta2t * s['row'] + (1 - beta2t) * upd.mean(axis=-1)
                s['col'] = beta2t * s['col'] + (1 - beta2t) * upd.mean(axis=-2)
                r = 1.0 / np.sqrt(s['row'] / s['row'].mean(axis=-1, keepdims=True))
                c = 1.0 / np.sqrt(s['col'])
                upd = r[..., :, None] * c[..., None, :] * grad
            else:
                s['v'] = beta2t * s['v'] + (1 - beta2t) * upd
                upd = grad / np.sqrt(s['v'])
            upd = upd / max(rms(upd) / clipThreshold, 1.0)
            upd = upd * lr_t
            if beta1 is not None:
                s['exp_avg'] = beta1 * s['exp_avg'] + (1 - beta1) * upd
                upd = s['exp_avg']
            if weightDecay != 0:
                p[n] = p[n] + p[n] * (-weightDecay * lr_t)
            p[n] = p[n] - upd
        out.append(snapshot(p))
    return out


def adafactor_torch(params, grads, lr=None, eps=(1e-30, 1e-3), clipThreshold=1.0, decayRate=-0.8, beta1=None, weightDecay=0.0, scaleParameter=True, relativeStep=True, warmupInit=False):
    """Transcription of transformers' Adafactor.step (float32)."""
    group = {'lr': lr, 'eps': eps, 'clip_threshold': clipThreshold, 'decay_rate': decayRate, 'beta1': beta1,
             'weight_decay': weightDecay, 'scale_parameter': scaleParameter, 'relative_step': relativeStep, 'warmup_init': warmupInit}

    def _get_lr(param_group, param_state):
        rel_step_sz = param_group['lr']
        if param_group['relative_step']:
            min_step = 1e-6 * param_state['step'] if param_group['warmup_init'] else 1e-2
            rel_step_sz = min(min_step, 1.0 / math.sqrt(param_state['step']))
        param_scale = 1.0
        if param_group['scale_parameter']:
            param_scale = max(param_group['eps'][1], param_state['RMS'])
        return param_scale * rel_step_sz

    def _rms(tensor):
        return tensor.norm(2) / (tensor.numel() ** 0.5)

    def _approx_sq_grad(exp_avg_sq_row, exp_avg_sq_col):
        r_factor = (exp_avg_sq_row / exp_avg_sq_row.mean(dim=-1, keepdim=True)).rsqrt_().unsqueeze(-1)
        c_factor = exp_avg_sq_col.unsqueeze(-2).rsqrt()
        return torch.mul(r_factor, c_factor)

    ts = {n: torch.tensor(v) for n, v in params.items()}
    states = {n: {} for n in ts}
    out = []
    for g in grads:
        for n, p in ts.items():
            grad = torch.tensor(g[n])
            state = states[n]
            grad_shape = grad.shape
            factored = len(grad_shape) >= 2
            use_first_moment = group['beta1'] is not None
            if len(state) == 0:
                state['step'] = 0
                if use_first_moment:
                    state['exp_avg'] = torch.zeros_like(grad)
                if factored:
                    state['exp_avg_sq_row'] = torch.zeros(grad_shape[:-1]).to(grad)
                    state['exp_avg_sq_col'] = torch.zeros(grad_shape[:-2] + grad_shape[-1:]).to(grad)
                else:
                    state['exp_avg_sq'] = torch.zeros_like(grad)
                state['RMS'] = 0
            state['step'] += 1
            state['RMS'] = _rms(p)
            lr_t = _get_lr(group, state)
            beta2t = 1.0 - math.pow(state['step'], group['decay_rate'])
            update = (grad ** 2) + group['eps'][0]
            if factored:
                exp_avg_sq_row = state['exp_avg_sq_row']
                exp_avg_sq_col = state['exp_avg_sq_col']
                exp_avg_sq_row.mul_(beta2t).add_(update.mean(dim=-1), alpha=(1.0 - beta2t))
                exp_avg_sq_col.mul_(beta2t).add_(update.mean(dim=-2), alpha=(1.0 - beta2t))
                update = _approx_sq_grad(exp_avg_sq_row, exp_avg_sq_col)
                update.mul_(grad)
            else:
                exp_avg_sq = state['exp_avg_sq']
                exp_avg_sq.mul_(beta2t).add_(update, alpha=(1.0 - beta2t))
                update = exp_avg_sq.rsqrt().mul_(grad)
            update.div_((_rms(update) / group['clip_threshold']).clamp_(min=1.0))
            update.mul_(lr_t)
            if use_first_moment:
                exp_avg = state['exp_avg']
                exp_avg.mul_(group['beta1']).add_(update, alpha=(1 - group['beta1']))
                update = exp_avg
            if group['weight_decay'] != 0:
                p.add_(p * (-group['weight_decay'] * lr_t))
            p.add_(-update)
        out.append({n: x.numpy().copy() for n, x in ts.items()})
    return out


# ---------------------------------------------------------------------------------------------
# LAMB, LARS


def lamb_np(params, grads, lr=1e-3, betas=(0.9, 0.999), eps=1e-6, weightDecay=0.0):
    """tensorflow_addons LAMB (_resource_apply_dense) in float64, no exclusions."""
    b1, b2 = betas
    p = f64(params)
    m = {n: np.zeros_like(v) for n, v in p.items()}
    v = {n: np.zeros_like(x) for n, x in p.items()}
    out = []
    for t, g in enumerate(grads, start=1):
        for n in p:
            gr = g[n].astype(F64)
            m[n] = b1 * m[n] + (1 - b1) * gr
            v[n] = b2 * v[n] + (1 - b2) * gr * gr
            m_hat = m[n] / (1 - b1 ** t)
            v_hat = v[n] / (1 - b2 ** t)
            update = m_hat / (np.sqrt(v_hat) + eps)
            if weightDecay != 0:
                update = update + weightDecay * p[n]
            w_norm = np.linalg.norm(p[n])
            g_norm = np.linalg.norm(update)
            ratio = w_norm / g_norm if (w_norm > 0 and g_norm > 0) else 1.0
            p[n] = p[n] - ratio * lr * update
        out.append(snapshot(p))
    return out


def lars_np(params, grads, lr=1.0, momentum=0.9, trustCoefficient=1e-3, weightDecay=0.0, eps=0.0, nesterov=False):
    """LARS (You et al. 2017, Algorithm 1) as tf.contrib.opt.LARSOptimizer computes it, float64."""
    p = f64(params)
    v = {n: np.zeros_like(x) for n, x in p.items()}
    out = []
    for g in grads:
        for n in p:
            gr = g[n].astype(F64)
            w_norm = np.linalg.norm(p[n])
            g_norm = np.linalg.norm(gr)
            trust = trustCoefficient * w_norm / (g_norm + weightDecay * w_norm + eps) if (w_norm > 0 and g_norm > 0) else 1.0
            d = lr * trust * (gr + weightDecay * p[n])
            v[n] = momentum * v[n] + d
            p[n] = p[n] - (d + momentum * v[n] if nesterov else v[n])
        out.append(snapshot(p))
    return out


# ---------------------------------------------------------------------------------------------
# AdaBelief


def adabelief_np(params, grads, lr=1e-3, betas=(0.9, 0.999), eps=1e-16, weightDecay=0.0, amsgrad=False, weightDecouple=True, fixedDecay=False, rectify=False, degeneratedToSgd=True):
    """adabelief-pytorch 0.2.0 AdaBelief.step in float64 (eps is added into s in place)."""
    b1, b2 = betas
    p = f64(params)
    st = {n: {'step': 0, 'm': np.zeros_like(x), 's': np.zeros_like(x), 'smax': np.zeros_like(x)} for n, x in p.items()}
    out = []
    for g in grads:
        for n in p:
            s = st[n]
            gr = g[n].astype(F64)
            if weightDecouple:
                p[n] = p[n] * ((1.0 - lr * weightDecay) if not fixedDecay else (1.0 - weightDecay))
            elif weightDecay != 0:
                gr = gr + weightDecay * p[n]
            s['step'] += 1
            t = s['step']
            bc1 = 1 - b1 ** t
            bc2 = 1 - b2 ** t
            s['m'] = b1 * s['m'] + (1 - b1) * gr
            res = gr - s['m']
            s['s'] = b2 * s['s'] + (1 - b2) * res * res
            s['s'] = s['s'] + eps
            if amsgrad:
                s['smax'] = np.maximum(s['smax'], s['s'])
                denom = np.sqrt(s['smax']) / math.sqrt(bc2) + eps
            else:
                denom = np.sqrt(s['s']) / math.sqrt(bc2) + eps
            if not rectify:
                p[n] = p[n] - lr / bc1 * s['m'] / denom
            else:
                b2t = b2 ** t
                n_max = 2 / (1 - b2) - 1
                n_sma = n_max - 2 * t * b2t / (1 - b2t)
                if n_sma >= 5:
                    step_size = math.sqrt((1 - b2t) * (n_sma - 4) / (n_max - 4) * (n_sma - 2) / n_sma * n_max / (n_max - 2)) / (1 - b1 ** t)
                    p[n] = p[n] - step_size * lr * s['m'] / (np.sqrt(s['s']) + eps)
                elif degeneratedToSgd:
                    p[n] = p[n] - lr / (1 - b1 ** t) * s['m']
        out.append(snapshot(p))
    return out


def adabelief_torch(params, grads, lr=1e-3, betas=(0.9, 0.999), eps=1e-16, weightDecay=0.0, amsgrad=False, weightDecouple=True, fixedDecay=False, rectify=False, degeneratedToSgd=True):
    """Transcription of adabelief-pytorch 0.2.0 AdaBelief.step (float32)."""
    group = {'lr': lr, 'betas': betas, 'eps': eps, 'weight_decay': weightDecay, 'amsgrad': amsgrad, 'weight_decouple': weightDecouple,
             'fixed_decay': fixedDecay, 'rectify': rectify, 'degenerated_to_sgd': degeneratedToSgd, 'buffer': [[None, None, None] for _ in range(10)]}
    ts = {n: torch.tensor(v) for n, v in params.items()}
    states = {n: {} for n in ts}
    out = []
    for g in grads:
        for n, p in ts.items():
            grad = torch.tensor(g[n])
            state = states[n]
            beta1, beta2 = group['betas']
            if len(state) == 0:
                state['rho_inf'] = 2.0 / (1.0 - beta2) - 1.0
                state['step'] = 0
                state['exp_avg'] = torch.zeros_like(p)
                state['exp_avg_var'] = torch.zeros_like(p)
                if amsgrad:
                    state['max_exp_avg_var'] = torch.zeros_like(p)
            if group['weight_decouple']:
                if not group['fixed_decay']:
                    p.mul_(1.0 - group['lr'] * group['weight_decay'])
                else:
                    p.mul_(1.0 - group['weight_decay'])
            else:
                if group['weight_decay'] != 0:
                    grad.add_(p, alpha=group['weight_decay'])
            exp_avg, exp_avg_var = state['exp_avg'], state['exp_avg_var']
            state['step'] += 1
            bias_correction1 = 1 - beta1 ** state['step']
            bias_correction2 = 1 - beta2 ** state['step']
            exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
            grad_residual = grad - exp_avg
            exp_avg_var.mul_(beta2).addcmul_(grad_residual, grad_residual, value=1 - beta2)
            if amsgrad:
                max_exp_avg_var = state['max_exp_avg_var']
                torch.max(max_exp_avg_var, exp_avg_var.add_(group['eps']), out=max_exp_avg_var)
                denom = (max_exp_avg_var.sqrt() / math.sqrt(bias_correction2)).add_(group['eps'])
            else:
                denom = (exp_avg_var.add_(group['eps']).sqrt() / math.sqrt(bias_correction2)).add_(group['eps'])
            if not group['rectify']:
                step_size = group['lr'] / bias_correction1
                p.addcdiv_(exp_avg, denom, value=-step_size)
            else:
                buffered = group['buffer'][int(state['step'] % 10)]
                if state['step'] == buffered[0]:
                    N_sma, step_size = buffered[1], buffered[2]
                else:
                    buffered[0] = state['step']
                    beta2_t = beta2 ** state['step']
                    N_sma_max = 2 / (1 - beta2) - 1
                    N_sma = N_sma_max - 2 * state['step'] * beta2_t / (1 - beta2_t)
                    buffered[1] = N_sma
                    if N_sma >= 5:
                        step_size = math.sqrt((1 - beta2_t) * (N_sma - 4) / (N_sma_max - 4) * (N_sma - 2) / N_sma * N_sma_max / (N_sma_max - 2)) / (1 - beta1 ** state['step'])
                    elif group['degenerated_to_sgd']:
                        step_size = 1.0 / (1 - beta1 ** state['step'])
                    else:
                        step_size = -1
                    buffered[2] = step_size
                if N_sma >= 5:
                    denom = exp_avg_var.sqrt().add_(group['eps'])
                    p.addcdiv_(exp_avg, denom, value=-step_size * group['lr'])
                elif step_size > 0:
                    p.add_(exp_avg, alpha=-step_size * group['lr'])
        out.append({n: x.numpy().copy() for n, x in ts.items()})
    return out


# ---------------------------------------------------------------------------------------------


def assert_close(actual, expected, what, rtol=1e-4, atol=1e-6):
    for k, (a, e) in enumerate(zip(actual, expected)):
        for n in e:
            a64, e64 = np.asarray(a[n], F64), np.asarray(e[n], F64)
            if not np.all(np.abs(a64 - e64) <= atol + rtol * np.abs(e64)):
                raise AssertionError(f'{what}: step {k + 1}, {n}: {a64.ravel()} vs {e64.ravel()}')


def assert_differs(a, b, what):
    """The reference must be told apart from `b` at the tests' tolerance (rtol 1e-4, atol 1e-6)."""
    try:
        assert_close(a, b, what)
    except AssertionError:
        return
    raise AssertionError(f'{what}: indistinguishable at the test tolerance')


def kwargs(config):
    kw = dict(config)
    for key in ('betas', 'eps'):
        if isinstance(kw.get(key), list):
            kw[key] = tuple(kw[key])
    return kw


def checked(np_fn, torch_fn, source, what):
    """A reference: the numpy run, cross-checked against the torch transcription when torch is there."""
    def make(config, params, grads, extra):
        ref = np_fn(params, grads, *extra, **kwargs(config))
        if torch_fn is not None and torch is not None:
            assert_close(torch_fn(params, grads, *extra, **kwargs(config)), ref, f'{what} numpy vs torch transcription')
        return ref, source
    return make


def lion_book_ref(config, params, grads, extra):
    ref = lion_np(params, grads, coupled=True, **kwargs(config))
    if torch is not None:
        assert_close(lion_torch(params, grads, coupled=True, **kwargs(config)), ref, 'lion-book numpy vs torch transcription')
    if config.get('weightDecay', 0) != 0:
        assert_differs(ref, lion_np(params, grads, **kwargs(config)), 'lion-book vs lion (decoupled decay)')
    return ref, "float64 numpy of the book's Lion (dldna chapter_05 optimizers.advanced.Lion: grad += wd*p, then the paper's update), tools/golden/paper_optimizers.py"


def lion_ref(config, params, grads, extra):
    ref = lion_np(params, grads, **kwargs(config))
    if torch is not None:
        assert_close(lion_torch(params, grads, **kwargs(config)), ref, 'lion numpy vs torch transcription')
    return ref, 'float64 numpy of google/automl lion/lion_pytorch.py Lion (decoupled decay p *= 1 - lr*wd), tools/golden/paper_optimizers.py'


# id -> (reference, [(case name, Descent config)], extra inputs). Configs list only what differs from the defaults.
OPTIMIZERS = {
    'lion': (lion_ref, [
        ('default', {}),
        ('weight decay', {'lr': 1e-3, 'weightDecay': 0.1}),
        ('betas and strong decay', {'lr': 0.01, 'betas': [0.95, 0.98], 'weightDecay': 1.0}),
    ], None),
    'lion-book': (lion_book_ref, [
        ('default', {}),
        ('weight decay (coupled)', {'lr': 1e-3, 'weightDecay': 0.1}),
    ], None),
    'sophia': (checked(sophia_np, sophia_torch, 'float64 numpy of Liuhong99/Sophia sophia.py SophiaG (update_hessian before the step that gets an estimate; relu(h) in the denominator as SophiaH), tools/golden/paper_optimizers.py', 'sophia'), [
        ('default (k 10)', {}),
        ('k 3, batch size 1, no decay', {'lr': 1e-3, 'k': 3, 'batchSize': 1, 'weightDecay': 0.0}),
        ('signed estimates (Hutchinson), rho and betas', {'lr': 1e-3, 'k': 4, 'batchSize': 64, 'rho': 0.5, 'betas': [0.9, 0.95], 'weightDecay': 0.2}),
        ('maximize', {'lr': 1e-3, 'k': 5, 'batchSize': 32, 'maximize': True}),
    ], 'hessian'),
    'sophia-book': (checked(sophia_book_np, sophia_book_torch, "float64 numpy of the book's Sophia (dldna chapter_05 optimizers.advanced.Sophia: h = 1 at the start, h = b2*h + (1-b2)*g^2 every k-th step, clamp(m/(rho*h + 1e-8), +-1)), tools/golden/paper_optimizers.py", 'sophia-book'), [
        ('default', {}),
        ('k 3 with coupled weight decay', {'lr': 1e-2, 'k': 3, 'weightDecay': 0.1}),
        ('rho and betas', {'lr': 1e-2, 'k': 2, 'rho': 1.0, 'betas': [0.9, 0.9]}),
    ], None),
    'adafactor': (checked(adafactor_np, adafactor_torch, 'float64 numpy of transformers.optimization.Adafactor (fairseq semantics), tools/golden/paper_optimizers.py', 'adafactor'), [
        ('default (relative step)', {}),
        ('first moment', {'beta1': 0.9}),
        ('external lr', {'lr': 1e-2, 'relativeStep': False, 'scaleParameter': False}),
        ('external lr, parameter scale, weight decay', {'lr': 0.05, 'relativeStep': False, 'weightDecay': 0.1, 'beta1': 0.5}),
        ('warmup init', {'warmupInit': True}),
        ('clip threshold and decay rate', {'clipThreshold': 0.5, 'decayRate': -0.5, 'eps': [1e-20, 1e-2]}),
    ], None),
    'lamb': (checked(lamb_np, None, 'float64 numpy of tensorflow_addons.optimizers.LAMB (bias correction on, trust ratio 1 when either norm is 0, no exclusions), tools/golden/paper_optimizers.py', 'lamb'), [
        ('default', {}),
        ('weight decay', {'lr': 0.01, 'weightDecay': 0.01}),
        ('betas and eps', {'lr': 0.01, 'betas': [0.8, 0.99], 'eps': 1e-8, 'weightDecay': 0.1}),
    ], None),
    'lars': (checked(lars_np, None, 'float64 numpy of LARS (You et al. 2017, Algorithm 1) as tf.contrib.opt.LARSOptimizer (trust ratio eta*|w|/(|g| + wd*|w| + eps), 1 when either norm is 0; momentum on lr*ratio*(g + wd*w)), tools/golden/paper_optimizers.py', 'lars'), [
        ('default', {}),
        ('weight decay', {'weightDecay': 1e-4}),
        ('nesterov', {'lr': 2.0, 'nesterov': True, 'weightDecay': 5e-4}),
        ('no momentum, trust coefficient and eps', {'lr': 0.5, 'momentum': 0.0, 'trustCoefficient': 0.02, 'eps': 1e-8}),
    ], None),
    'adabelief': (checked(adabelief_np, adabelief_torch, 'float64 numpy of adabelief-pytorch 0.2.0 AdaBelief (eps added into s in place), tools/golden/paper_optimizers.py', 'adabelief'), [
        ('default', {}),
        ('decoupled weight decay', {'lr': 0.01, 'weightDecay': 0.1}),
        ('coupled weight decay', {'lr': 0.01, 'weightDecay': 0.1, 'weightDecouple': False}),
        ('fixed decay', {'lr': 0.01, 'weightDecay': 0.05, 'fixedDecay': True}),
        ('amsgrad', {'lr': 0.01, 'amsgrad': True, 'eps': 1e-12}),
        ('rectify', {'lr': 0.01, 'rectify': True, 'betas': [0.9, 0.99]}),
        ('rectify without sgd steps', {'lr': 0.01, 'rectify': True, 'degeneratedToSgd': False, 'betas': [0.9, 0.99], 'amsgrad': True}),
    ], None),
}


def f32(x):
    """The shortest decimal that reads back as the same float32 (keeps -0.0 and integers short)."""
    v = float(repr(np.float32(x)))
    return int(v) if v.is_integer() and v != 0 else v


def values(a):
    return [f32(x) for x in np.asarray(a, dtype=np.float32).reshape(-1)]


def build(opt_id):
    ref, cases, extra_kind = OPTIMIZERS[opt_id]
    out = []
    for name, config in cases:
        base = zlib.crc32(f'{opt_id}/{name}'.encode())
        for attempt in range(100):
            params, grads, rng = problem(base + attempt)
            extra = ()
            if extra_kind == 'hessian':
                hess = hessian_estimates(rng, config.get('k', 10), signed='Hutchinson' in name)
                extra = (hess,)
            try:
                expected, source = ref(config, params, grads, extra)
                break
            except Retry:
                continue
        else:
            raise AssertionError(f'{opt_id}/{name}: no tie-free problem in 100 draws')
        for k, step in enumerate(expected):
            for n, v in step.items():
                if not np.all(np.isfinite(v)):
                    raise AssertionError(f'{opt_id}/{name}: non-finite values at step {k + 1} in {n}')
        case = {
            'name': name,
            'config': config,
            'params': {n: {'shape': list(SHAPES[n]), 'values': values(v)} for n, v in params.items()},
            'grads': [{n: values(g[n]) for n in SHAPES} for g in grads],
            'expected': [{n: values(e[n]) for n in SHAPES} for e in expected],
            'source': source,
        }
        if extra_kind == 'hessian':
            case['hessianDiag'] = [None if h is None else {n: values(h[n]) for n in SHAPES} for h in extra[0]]
        out.append(case)
    return out


def main(ids):
    if torch is not None:
        torch.set_num_threads(1)
    else:
        print('torch not importable: the torch cross-checks are skipped', file=sys.stderr)
    os.makedirs(OUT, exist_ok=True)
    for opt_id in ids or OPTIMIZERS:
        if opt_id not in OPTIMIZERS:
            sys.exit(f'unknown optimizer id {opt_id!r}; known: {", ".join(OPTIMIZERS)}')
        cases = build(opt_id)
        text = '{"cases": [\n' + ',\n'.join(json.dumps(c, separators=(',', ':')) for c in cases) + '\n]}\n'
        path = os.path.join(OUT, f'{opt_id}.json')
        with open(path, 'w') as f:
            f.write(text)
        print(f'{path}: {len(cases)} cases, {len(text) / 1024:.1f} KB')


if __name__ == '__main__':
    main(sys.argv[1:])
