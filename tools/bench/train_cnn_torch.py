"""One epoch of the book's CIFAR100CNN (conv 3x3 32/64/128 + BatchNorm + ReLU + MaxPool, dense
512, dropout 0.5, 100 logits), Adam 1e-3, on the CIFAR-shaped images written by
tools/bench/train-cnn.mjs (uint8 N×32×32×3, labels uint8), in PyTorch at its best setting on this
machine (torch.set_num_threads(threads); OpenBLAS keeps its own threads). Prints JSON.

usage: /usr/bin/python3 train_cnn_torch.py <dir> <n> <batch> <reps> <threads>
"""
import json, os, sys, time
import numpy as np
import torch
import torch.nn as nn

folder, n, batch, reps, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
torch.set_num_threads(threads)
images = np.fromfile(os.path.join(folder, "images.u8"), dtype=np.uint8).reshape(n, 32, 32, 3)
x = torch.tensor((images.transpose(0, 3, 1, 2).astype(np.float32) / 255 - 0.5) / 0.5)
y = torch.tensor(np.fromfile(os.path.join(folder, "labels.u8"), dtype=np.uint8).astype(np.int64))
torch.manual_seed(0)


def block(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(), nn.MaxPool2d(2)]


model = nn.Sequential(*block(3, 32), *block(32, 64), *block(64, 128), nn.Flatten(), nn.Linear(128 * 4 * 4, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 100))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
model.train()
times = []
for r in range(reps):
    perm = torch.randperm(n)
    t0 = time.perf_counter()
    for s in range(0, n, batch):
        i = perm[s : s + batch]
        opt.zero_grad()
        loss = loss_fn(model(x[i]), y[i])
        loss.backward()
        opt.step()
    times.append(time.perf_counter() - t0)
print(json.dumps({"times": times, "threads": threads, "torch": torch.__version__, "finalLoss": float(loss)}))
