"""The loss surface of tools/bench/landscape.mjs in PyTorch: the same SimpleNetwork weights, the
same two directions and the same 256 images (written by the Node side, TensorFlow.js layout), a
grid×grid loop that sets θ + x·d1 + y·d2 and evaluates the mean cross-entropy, torch.no_grad.
Prints JSON: wall and CPU times per repetition, and the largest loss difference from Descent's grid.

usage: /usr/bin/python3 landscape_torch.py <dir> <grid> <reps> <threads>
"""
import json, os, sys, time
import numpy as np
import torch

folder, grid, reps, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads)
shapes = json.load(open(os.path.join(folder, "shapes.json")))
read = lambda name, dtype: np.fromfile(os.path.join(folder, name), dtype=dtype)
theta, d1, d2 = (torch.from_numpy(read(f, np.float32)) for f in ("theta.f32", "d1.f32", "d2.f32"))
x = torch.from_numpy(read("x.f32", np.float32).reshape(256, -1))
y = torch.from_numpy(read("y.i32", np.int32).astype(np.int64))
descent_loss = read("loss.f64", np.float64)

# tfjs order: kernel0 [in, out], bias0, kernel1, ... -> torch Linear weight = kernel.T
sizes = [s[0] for s in shapes[0::2]] + [shapes[-1][0]]
layers = []
for i in range(len(sizes) - 1):
    layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
    if i < len(sizes) - 2:
        layers.append(torch.nn.ReLU())
model = torch.nn.Sequential(*layers)
params = [p for p in model.parameters()]  # weight0, bias0, weight1, ...


def split(flat):
    out, at = [], 0
    for s in shapes:
        n = int(np.prod(s))
        t = flat[at : at + n].reshape(s)
        out.append(t.t() if len(s) == 2 else t)
        at += n
    return out


T, D1, D2 = split(theta), split(d1), split(d2)
xs = np.linspace(-1, 1, grid)
loss_fn = torch.nn.CrossEntropyLoss()
times, cpu = [], []
loss = np.zeros(grid * grid)
with torch.no_grad():
    for r in range(reps + 1):  # the first pass warms up
        t0, c0 = time.perf_counter(), time.process_time()
        for i, b in enumerate(xs):
            for j, a in enumerate(xs):
                for p, t, u, v in zip(params, T, D1, D2):
                    p.copy_(t + a * u + b * v)
                loss[i * grid + j] = float(loss_fn(model(x), y))
        if r > 0:
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
print(json.dumps({"times": times, "cpu": cpu, "threads": threads, "torch": torch.__version__, "maxDiff": float(np.max(np.abs(loss - descent_loss)))}))
