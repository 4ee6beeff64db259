"""One optimizer step of torch.optim (foreach=True) on a parameter set of the given size, timed
per step: warm-up steps, then the median of the timed ones. The gradients are fixed random
tensors (set once, as the Node side does); only `step()` is timed. Also reports the optimizer
state bytes per parameter after the steps. Prints JSON.

usage: /usr/bin/python3 optimizer_steps_torch.py <size: 284k | 10m> <warmup> <steps> <threads> [names,...]
       /usr/bin/python3 optimizer_steps_torch.py --memory <name> <size>   (peak RSS of one optimizer)
"""
import json, resource, sys, time
import torch

SHAPES = {
    # The ReLU SimpleNetwork (784-256-192-128-64-10) as torch holds it: weight [out, in], bias.
    "284k": [(256, 784), (256,), (192, 256), (192,), (128, 192), (128,), (64, 128), (64,), (10, 64), (10,)],
    # Ten 1000×1000 layers with biases: 10,010,000 parameters.
    "10m": [s for _ in range(10) for s in ((1000, 1000), (1000,))],
}

# The same hyperparameters as tools/bench/optimizer-steps.mjs gives Descent.
OPTIMIZERS = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9, foreach=True),
    "adam": lambda p: torch.optim.Adam(p, lr=1e-3, foreach=True),
    "adamw": lambda p: torch.optim.AdamW(p, lr=1e-3, weight_decay=0.01, foreach=True),
    "adagrad": lambda p: torch.optim.Adagrad(p, lr=0.01, foreach=True),
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.99, eps=1e-8, foreach=True),
    "adadelta": lambda p: torch.optim.Adadelta(p, lr=1.0, rho=0.9, eps=1e-6, foreach=True),
    "adamax": lambda p: torch.optim.Adamax(p, lr=2e-3, foreach=True),
    "nadam": lambda p: torch.optim.NAdam(p, lr=2e-3, foreach=True),
    "radam": lambda p: torch.optim.RAdam(p, lr=1e-3, foreach=True),
}


def make(size):
    g = torch.Generator().manual_seed(0)
    params = []
    for s in SHAPES[size]:
        p = torch.nn.Parameter(torch.randn(*s, generator=g) * 0.05)
        p.grad = torch.randn(*s, generator=g) * 0.01
        params.append(p)
    return params


def state_bytes(opt):
    n = 0
    for st in opt.state.values():
        for v in st.values():
            if torch.is_tensor(v):
                n += v.numel() * v.element_size()
    return n


if sys.argv[1] == "--memory":
    name, size = sys.argv[2], sys.argv[3]
    torch.set_num_threads(1)
    params = make(size)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    opt = OPTIMIZERS[name](params)
    for _ in range(3):
        opt.step()
    n = sum(p.numel() for p in params)
    print(json.dumps({"name": name, "params": n, "maxRss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "rssBeforeOptimizer": before, "stateBytes": state_bytes(opt)}))
    sys.exit(0)

size, warmup, steps, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
names = sys.argv[5].split(",") if len(sys.argv) > 5 and sys.argv[5] else list(OPTIMIZERS)
torch.set_num_threads(threads)
out = {}
for name in names:
    params = make(size)
    opt = OPTIMIZERS[name](params)
    times = []
    with torch.no_grad():
        for i in range(warmup + steps):
            t0 = time.perf_counter()
            opt.step()
            dt = time.perf_counter() - t0
            if i >= warmup:
                times.append(dt)
    out[name] = {"times": times, "stateBytes": state_bytes(opt), "params": sum(p.numel() for p in params)}
    del opt, params
print(json.dumps({"torch": torch.__version__, "threads": threads, "size": size, "results": out}))
