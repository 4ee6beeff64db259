"""Case 3 of tools/bench: the Hessian of the ReLU SimpleNetwork on 256 FashionMNIST test images in
PyTorch 1.13 by double backprop, PyHessian's way (the gradient graph built once with
create_graph=True, each Hessian-vector product one more backward with retain_graph=True): top-1
and top-5 eigenvalues by power iteration with deflation (exactly `iters` products each, no early
stop) and Hutchinson's trace with `samples` Rademacher vectors. The weights and images are the
Node side's (TensorFlow.js layout, written by tools/bench/hessian.mjs). Prints JSON.

usage: /usr/bin/python3 hessian_torch.py <dir> <reps> <iters> <samples> <threads>
"""
import json, os, sys, time
import numpy as np
import torch

folder, reps, iters, samples, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
torch.set_num_threads(threads)
shapes = json.load(open(os.path.join(folder, "shapes.json")))
read = lambda name, dtype: np.fromfile(os.path.join(folder, name), dtype=dtype)
theta = torch.from_numpy(read("theta.f32", np.float32))
x = torch.from_numpy(read("x.f32", np.float32).reshape(256, -1))
y = torch.from_numpy(read("y.i32", np.int32).astype(np.int64))

sizes = [s[0] for s in shapes[0::2]] + [shapes[-1][0]]
layers = []
for i in range(len(sizes) - 1):
    layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
    if i < len(sizes) - 2:
        layers.append(torch.nn.ReLU())
model = torch.nn.Sequential(*layers)
params = [p for p in model.parameters()]
with torch.no_grad():
    at = 0
    for p, s in zip(params, shapes):
        n = int(np.prod(s))
        t = theta[at : at + n].reshape(s)
        p.copy_(t.t() if len(s) == 2 else t)
        at += n

g = torch.Generator().manual_seed(0)


def dot(a, b):
    return sum(float(torch.sum(u * v)) for u, v in zip(a, b))


def normalize(v):
    n = dot(v, v) ** 0.5
    return [u / (n + 1e-6) for u in v]


def orthogonalize(v, basis):
    for b in basis:
        c = dot(v, b)
        v = [u - c * w for u, w in zip(v, b)]
    return normalize(v)


def grads_graph():
    loss = torch.nn.functional.cross_entropy(model(x), y)
    return torch.autograd.grad(loss, params, create_graph=True)


def hvp(gs, v):
    return torch.autograd.grad(gs, params, grad_outputs=v, retain_graph=True)


def top_eigen(k):
    gs = grads_graph()
    values, vectors = [], []
    for _ in range(k):
        v = normalize([torch.randn(p.shape, generator=g) for p in params])
        value = None
        for _ in range(iters):
            v = orthogonalize(v, vectors)
            hv = hvp(gs, v)
            value = dot(hv, v)
            v = normalize([h.detach() for h in hv])
        values.append(value)
        vectors.append(v)
    return values


def trace():
    gs = grads_graph()
    out = []
    for _ in range(samples):
        v = [torch.randint(0, 2, p.shape, generator=g).float() * 2 - 1 for p in params]
        out.append(dot(hvp(gs, v), v))
    return float(np.mean(out)), float(np.std(out, ddof=1) / np.sqrt(len(out)))


res = {}
for name, fn in (("top1", lambda: top_eigen(1)), ("top5", lambda: top_eigen(5)), ("trace", trace)):
    times = []
    for r in range(reps + 1):  # the first run warms up
        t0 = time.perf_counter()
        value = fn()
        if r > 0:
            times.append(time.perf_counter() - t0)
    res[name] = {"times": times, "value": value}
print(json.dumps({"torch": torch.__version__, "threads": threads, "results": res}))
