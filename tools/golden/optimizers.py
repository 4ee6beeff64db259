#!/usr/bin/env python3
"""Reference optimizer trajectories for Descent's optimizer conformance tests.

Usage:  /usr/bin/python3 tools/golden/optimizers.py [id ...]     (default: every id below)

Writes tools/golden/fixtures/optim/<id>.json in the format of `GoldenTrajectory`
(packages/testkit/src/golden.ts):

    { "cases": [ { "name", "config" (Descent's camelCase names), "params": {name: {shape, values}},
                   "grads": [ {name: values} per step ], "expected": [ {name: values after the step} ],
                   "source" } ] }

Parameters are a [4, 3] 'dense/kernel' and a [3] 'dense/bias' (tfjs names, row-major values).
Each case runs STEPS steps. The gradient scale of a step is drawn (without replacement, in a
seeded random order) from a log-spaced range 1e-8 .. 1e3; entries get random signs and a
per-entry spread of two decades. In every step kernel[1, 1] and bias[2] are exactly zero (they
never see a gradient), and one more kernel entry, rotating with the step, is zero as well.

References:
  * torch 1.13's torch.optim on float32 parameters, single-tensor code path (foreach=False),
    p.grad set to the given float32 gradient before each opt.step().
  * nadam: torch >= 2.0's NAdam algorithm (mu_product bookkeeping fixed: torch 1.13 multiplies
    mu into mu_product_next twice), written here in float64 numpy. It is checked first against
    torch 1.13's NAdam with the 1.13 bookkeeping switched back on, which validates the rest.
  * sgd-book: the SGD of the book's companion code (Deep Learning DNA, ch. 5, dldna):
    buf = m*buf + (1-m)*g (first step buf = g), p -= lr*buf. Float64 numpy; checked first
    against torch 1.13 SGD with dampening = momentum, which computes the same thing.

Numbers are written as the shortest decimal that reads back to the same float32 (numpy's
float32 repr), so float32(value) is exactly the float32 torch used or produced, and the files
stay small (each well under 100 KB).
"""
import json
import math
import os
import sys
import zlib

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures', 'optim')
STEPS = 30
SHAPES = {'dense/kernel': (4, 3), 'dense/bias': (3,)}
ALWAYS_ZERO = {'dense/kernel': 4, 'dense/bias': 2}  # flat indices: kernel[1, 1], bias[2]
TORCH = f'torch {torch.__version__}'

# Descent's camelCase names -> torch keyword arguments.
TORCH_NAMES = {
    'lr': 'lr', 'betas': 'betas', 'eps': 'eps', 'weightDecay': 'weight_decay', 'amsgrad': 'amsgrad',
    'maximize': 'maximize', 'momentum': 'momentum', 'dampening': 'dampening', 'nesterov': 'nesterov',
    'lrDecay': 'lr_decay', 'initialAccumulatorValue': 'initial_accumulator_value', 'alpha': 'alpha',
    'centered': 'centered', 'rho': 'rho', 'momentumDecay': 'momentum_decay',
}


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
            flat[ALWAYS_ZERO[n]] = 0.0
            if n == 'dense/kernel':
                flat[k % flat.size] = 0.0
            step[n] = g
        grads.append(step)
    return params, grads


def run_torch(cls, kwargs, params, grads):
    ts = {n: torch.tensor(v, dtype=torch.float32, requires_grad=True) for n, v in params.items()}
    opt = cls(list(ts.values()), foreach=False, **kwargs)
    out = []
    for g in grads:
        for n, t in ts.items():
            t.grad = torch.tensor(g[n], dtype=torch.float32)
        opt.step()
        out.append({n: t.detach().numpy().copy() for n, t in ts.items()})
    return out


def torch_kwargs(config, required=None):
    kw = dict(required or {})
    for k, v in config.items():
        kw[TORCH_NAMES[k]] = tuple(v) if k == 'betas' else v
    return kw


def nadam_numpy(params, grads, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weightDecay=0.0, momentumDecay=4e-3, torch113=False):
    """torch >= 2.0 NAdam (single-tensor path) in float64. torch113=True restores 1.13's
    mu_product_next = mu_product * mu * mu_next (mu counted twice), for validation only."""
    b1, b2 = betas
    p = {n: v.astype(np.float64) for n, v in params.items()}
    st = {n: {'step': 0, 'mu_product': 1.0, 'm': np.zeros_like(p[n]), 'v': np.zeros_like(p[n])} for n in p}
    out = []
    for g in grads:
        for n in p:
            s = st[n]
            grad = g[n].astype(np.float64)
            s['step'] += 1
            step = s['step']
            bias_correction2 = 1 - b2 ** step
            if weightDecay != 0:
                grad = grad + weightDecay * p[n]
            mu = b1 * (1.0 - 0.5 * (0.96 ** (step * momentumDecay)))
            mu_next = b1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentumDecay)))
            s['mu_product'] *= mu
            mu_product_next = s['mu_product'] * mu_next * (mu if torch113 else 1.0)
            s['m'] = b1 * s['m'] + (1 - b1) * grad
            s['v'] = b2 * s['v'] + (1 - b2) * grad * grad
            denom = np.sqrt(s['v'] / bias_correction2) + eps
            p[n] = p[n] - lr * (1.0 - mu) / (1.0 - s['mu_product']) * grad / denom
            p[n] = p[n] - lr * mu_next / (1.0 - mu_product_next) * s['m'] / denom
        out.append({n: v.copy() for n, v in p.items()})
    return out


def sgd_book_numpy(params, grads, lr=1e-3, momentum=0.0, maximize=False):
    """The book's SGD (dldna chapter_05 optimizers.basic.SGD) in float64."""
    p = {n: v.astype(np.float64) for n, v in params.items()}
    buf = {n: None for n in p}
    out = []
    for g in grads:
        for n in p:
            d = g[n].astype(np.float64)
            if maximize:
                d = -d
            if momentum != 0.0:
                buf[n] = d.copy() if buf[n] is None else momentum * buf[n] + (1 - momentum) * d
                d = buf[n]
            p[n] = p[n] - lr * d
        out.append({n: v.copy() for n, v in p.items()})
    return out


def assert_close(actual, expected, what, rtol=1e-4, atol=1e-6):
    for k, (a, e) in enumerate(zip(actual, expected)):
        for n in e:
            a64, e64 = np.asarray(a[n], np.float64), np.asarray(e[n], np.float64)
            if not np.all(np.abs(a64 - e64) <= atol + rtol * np.abs(e64)):
                raise AssertionError(f'{what}: step {k + 1}, {n}: {a64.ravel()} vs {e64.ravel()}')


def assert_differs(a, b, what):
    """The reference must be told apart from `b` by the tests' tolerance (rtol 1e-4, atol 1e-6)."""
    try:
        assert_close(a, b, what)
    except AssertionError:
        return
    raise AssertionError(f'{what}: indistinguishable at the test tolerance')


def torch_ref(cls, required=None):
    def make(config, params, grads):
        return run_torch(cls, torch_kwargs(config, required), params, grads), f'{TORCH} torch.optim.{cls.__name__} (single-tensor path, float32)'
    return make


def nadam_ref(config, params, grads):
    kw = dict(config)
    if 'betas' in kw:
        kw['betas'] = tuple(kw['betas'])
    # Validation: with the 1.13 bookkeeping, the numpy code must reproduce torch 1.13's NAdam, and
    # the corrected trajectory must differ from it (so the tests can tell the two apart).
    t113 = run_torch(torch.optim.NAdam, torch_kwargs(config), params, grads)
    assert_close(nadam_numpy(params, grads, torch113=True, **kw), t113, 'nadam numpy (1.13 mode) vs torch 1.13')
    ref = nadam_numpy(params, grads, **kw)
    assert_differs(ref, t113, 'nadam (torch >= 2.0) vs torch 1.13')
    return ref, 'float64 numpy, torch >= 2.0 torch.optim.NAdam algorithm (mu_product_next = mu_product * mu_next), tools/golden/optimizers.py'


def sgd_book_ref(config, params, grads):
    m = config.get('momentum', 0.0)
    t = run_torch(torch.optim.SGD, {'lr': config.get('lr', 1e-3), 'momentum': m, 'dampening': m, 'maximize': config.get('maximize', False)}, params, grads)
    ref = sgd_book_numpy(params, grads, **config)
    assert_close(ref, t, 'sgd-book numpy vs torch 1.13 SGD(dampening=momentum)')
    if m != 0:
        plain = run_torch(torch.optim.SGD, {'lr': config.get('lr', 1e-3), 'momentum': m, 'maximize': config.get('maximize', False)}, params, grads)
        assert_differs(ref, plain, 'sgd-book vs torch 1.13 SGD(dampening=0)')
    return ref, 'float64 numpy of the book\'s SGD (dldna chapter 5: buf = m*buf + (1-m)*g, first buf = g; p -= lr*buf), tools/golden/optimizers.py'


# id -> (reference, [(case name, Descent config)]). Configs list only what differs from the defaults.
OPTIMIZERS = {
    'sgd': (torch_ref(torch.optim.SGD, {'lr': 1e-3}), [  # torch 1.13 requires lr; Descent's default is 1e-3
        ('default', {}),
        ('weight decay', {'lr': 0.01, 'weightDecay': 0.1}),
        ('momentum', {'lr': 0.01, 'momentum': 0.9}),
        ('momentum with dampening', {'lr': 0.01, 'momentum': 0.9, 'dampening': 0.5}),
        ('nesterov with weight decay', {'lr': 0.01, 'momentum': 0.9, 'nesterov': True, 'weightDecay': 0.01}),
        ('maximize with momentum', {'lr': 0.005, 'momentum': 0.8, 'maximize': True, 'weightDecay': 0.05}),
    ]),
    'sgd-book': (sgd_book_ref, [
        ('default', {}),
        ('momentum 0.9', {'lr': 0.01, 'momentum': 0.9}),
        ('maximize with momentum', {'lr': 0.05, 'momentum': 0.8, 'maximize': True}),
    ]),
    'adam': (torch_ref(torch.optim.Adam), [
        ('default', {}),
        ('weight decay', {'lr': 0.01, 'weightDecay': 0.1}),
        ('amsgrad', {'lr': 0.01, 'amsgrad': True}),
        ('maximize', {'lr': 0.01, 'maximize': True}),
        ('betas and eps', {'lr': 0.02, 'betas': [0.8, 0.99], 'eps': 1e-6}),
        ('amsgrad, weight decay, maximize', {'lr': 0.01, 'betas': [0.5, 0.9], 'amsgrad': True, 'weightDecay': 0.01, 'maximize': True}),
    ]),
    'adamw': (torch_ref(torch.optim.AdamW), [
        ('default', {}),
        ('weight decay 0.1', {'lr': 0.01, 'weightDecay': 0.1}),
        ('no weight decay', {'lr': 0.01, 'weightDecay': 0.0}),
        ('amsgrad', {'lr': 0.01, 'amsgrad': True, 'weightDecay': 0.05}),
        ('maximize', {'lr': 0.01, 'maximize': True, 'betas': [0.8, 0.99]}),
    ]),
    'adagrad': (torch_ref(torch.optim.Adagrad), [
        ('default', {}),
        ('lr decay', {'lr': 0.1, 'lrDecay': 0.05}),
        ('weight decay', {'weightDecay': 0.1}),
        ('initial accumulator', {'lr': 0.1, 'initialAccumulatorValue': 0.1}),
        ('eps and maximize', {'eps': 1e-6, 'maximize': True}),
    ]),
    'rmsprop': (torch_ref(torch.optim.RMSprop), [
        ('default', {}),
        ('weight decay', {'lr': 0.001, 'weightDecay': 0.1}),
        ('momentum', {'lr': 0.001, 'momentum': 0.9}),
        ('centered', {'lr': 0.001, 'centered': True, 'alpha': 0.9}),
        ('centered with momentum', {'lr': 0.001, 'centered': True, 'momentum': 0.5, 'eps': 1e-6}),
        ('maximize', {'lr': 0.001, 'maximize': True, 'momentum': 0.9, 'weightDecay': 0.01}),
    ]),
    'adadelta': (torch_ref(torch.optim.Adadelta), [
        ('default', {}),
        ('weight decay', {'weightDecay': 0.1}),
        ('rho and eps', {'lr': 0.5, 'rho': 0.5, 'eps': 1e-4}),
        ('maximize', {'maximize': True}),
    ]),
    'adamax': (torch_ref(torch.optim.Adamax), [
        ('default', {}),
        ('weight decay', {'lr': 0.01, 'weightDecay': 0.1}),
        ('betas and eps', {'lr': 0.01, 'betas': [0.5, 0.9], 'eps': 1e-6}),
        ('maximize', {'lr': 0.01, 'maximize': True}),
    ]),
    'nadam': (nadam_ref, [
        ('default', {}),
        ('weight decay', {'lr': 0.01, 'weightDecay': 0.1}),
        ('momentum decay', {'lr': 0.01, 'momentumDecay': 0.1}),
        ('betas and eps', {'lr': 0.01, 'betas': [0.8, 0.99], 'eps': 1e-6}),
    ]),
    'radam': (torch_ref(torch.optim.RAdam), [
        ('default', {}),  # beta2 = 0.999: unrectified steps 1-5, rectified from step 6
        ('weight decay', {'lr': 0.01, 'weightDecay': 0.1}),
        ('betas and eps', {'lr': 0.01, 'betas': [0.8, 0.9], 'eps': 1e-6}),
    ]),
}


def f32(x):
    """The shortest decimal that reads back as the same float32 (keeps -0.0 and integers short)."""
    v = float(repr(np.float32(x)))
    return int(v) if v.is_integer() and v != 0 else v


def values(a):
    return [f32(x) for x in np.asarray(a, dtype=np.float32).reshape(-1)]


def build(opt_id):
    ref, cases = OPTIMIZERS[opt_id]
    out = []
    for name, config in cases:
        params, grads = problem(zlib.crc32(f'{opt_id}/{name}'.encode()))
        expected, source = ref(config, params, grads)
        for k, step in enumerate(expected):
            for n, v in step.items():
                if not np.all(np.isfinite(v)):
                    raise AssertionError(f'{opt_id}/{name}: non-finite values at step {k + 1} in {n}')
        out.append({
            'name': name,
            'config': config,
            'params': {n: {'shape': list(SHAPES[n]), 'values': values(v)} for n, v in params.items()},
            'grads': [{n: values(g[n]) for n in SHAPES} for g in grads],
            'expected': [{n: values(e[n]) for n in SHAPES} for e in expected],
            'source': source,
        })
    return out


def main(ids):
    torch.set_num_threads(1)
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
