"""One epoch of the ReLU SimpleNetwork (784-256-192-128-64-10), batch 256, Adam 1e-3, on the
FashionMNIST training set, in PyTorch at its best setting on this machine. Prints JSON.

usage: /usr/bin/python3 train_epoch_torch.py <images.npy-free: reads the Debian IDX files> <reps> <threads>
"""
import gzip, json, sys, time
import numpy as np
import torch

reps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
torch.set_num_threads(threads)
root = "/usr/share/datasets/fashion-mnist"


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


x = torch.tensor((idx(f"{root}/train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255 - 0.5) / 0.5)
y = torch.tensor(idx(f"{root}/train-labels-idx1-ubyte.gz").astype(np.int64))
torch.manual_seed(0)
sizes = [784, 256, 192, 128, 64, 10]
layers = []
for i in range(5):
    layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
    if i < 4:
        layers.append(torch.nn.ReLU())
model = torch.nn.Sequential(*layers)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
times = []
cpu_times = []  # process CPU seconds (all threads): less sensitive than wall time to a loaded machine
for r in range(reps):
    perm = torch.randperm(x.shape[0])
    t0 = time.perf_counter()
    c0 = time.process_time()
    for s in range(0, x.shape[0], 256):
        idx_ = perm[s : s + 256]
        opt.zero_grad()
        loss = loss_fn(model(x[idx_]), y[idx_])
        loss.backward()
        opt.step()
    times.append(time.perf_counter() - t0)
    cpu_times.append(time.process_time() - c0)
print(json.dumps({"times": times, "cpuTimes": cpu_times, "threads": threads, "torch": torch.__version__, "finalLoss": float(loss)}))
