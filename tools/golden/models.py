"""Forward passes of the book's SimpleNetwork in PyTorch 1.13 for every activation, to check the
tfjs models (weights exported in tfjs layout: dense kernels [in, out] = torch weight.T).

usage: /usr/bin/python3 tools/golden/models.py
"""
import json, os
import torch

OUT = os.path.join(os.path.dirname(__file__), "fixtures", "models")
os.makedirs(OUT, exist_ok=True)
ACTS = {
    "relu": torch.nn.ReLU(),
    "tanh": torch.nn.Tanh(),
    "gelu": torch.nn.GELU(),
    "sigmoid": torch.nn.Sigmoid(),
    "leakyRelu": torch.nn.LeakyReLU(),
    "prelu": torch.nn.PReLU(),
    "silu": torch.nn.SiLU(),
    "mish": torch.nn.Mish(),
}


class SimpleNetwork(torch.nn.Module):
    # The book's: one activation instance shared by every hidden position.
    def __init__(self, act, sizes):
        super().__init__()
        self.act = act
        self.layers = torch.nn.ModuleList(torch.nn.Linear(sizes[i], sizes[i + 1]) for i in range(len(sizes) - 1))

    def forward(self, x):
        x = x.flatten(1)
        for i, l in enumerate(self.layers):
            x = l(x)
            if i < len(self.layers) - 1:
                x = self.act(x)
        return x


cases = []
for i, (name, act) in enumerate(ACTS.items()):
    torch.manual_seed(i)
    sizes = [12, 9, 7, 5, 3]  # a small SimpleNetwork; the full one only differs in sizes
    net = SimpleNetwork(act, sizes)
    if name == "prelu":
        with torch.no_grad():
            net.act.weight.fill_(-0.3)  # a slope that shows whether one weight serves all layers
    x = torch.randn(6, 12) * 2
    with torch.no_grad():
        y = net(x)
    weights = []
    for l in net.layers:
        weights.append({"shape": [l.in_features, l.out_features], "values": l.weight.detach().T.flatten().tolist()})
        weights.append({"shape": [l.out_features], "values": l.bias.detach().tolist()})
    cases.append({
        "activation": name,
        "sizes": sizes,
        "weights": weights,
        "slope": float(net.act.weight) if name == "prelu" else None,
        "x": x.flatten().tolist(),
        "logits": y.flatten().tolist(),
    })
with open(os.path.join(OUT, "simple-network.json"), "w") as f:
    json.dump({"source": f"torch {torch.__version__}", "cases": cases}, f)
print("wrote", len(cases))
