"""PyTorch 1.13 references for @descent/models: the book's three models written in torch as
REFERENCE.md describes them, their parameter counts, and forward passes (plus gradients for
SimpleNetwork) on small configurations, with every weight exported in TensorFlow.js layout:
dense kernels [in, out] = torch weight.T, conv kernels [kh, kw, in, out], images NHWC.

Weights are keyed by the tfjs variable name without the model prefix ("dense_1/kernel",
"layer_1_attention/query/bias", ...), so a test can load them into a model of any name.

usage: /usr/bin/python3 tools/golden/models.py   (writes tools/golden/fixtures/models/*.json)
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "fixtures", "models")
os.makedirs(OUT, exist_ok=True)
torch.set_default_dtype(torch.float32)


def values(t):
    return [float(f"{v:.9g}") for v in t.detach().flatten().tolist()]


def entry(t):
    return {"shape": list(t.shape), "values": values(t)}


def dump(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump({"source": f"torch {torch.__version__}", **obj}, f, separators=(",", ":"))
        f.write("\n")


def count(model):
    return sum(p.numel() for p in model.parameters())


# --- the book's models ------------------------------------------------------------------------

ACTS = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "gelu": nn.GELU,  # exact erf form (approximate='none')
    "sigmoid": nn.Sigmoid,
    "leakyRelu": nn.LeakyReLU,  # slope 0.01
    "prelu": nn.PReLU,  # one slope, 0.25
    "silu": nn.SiLU,
    "mish": nn.Mish,
}


class SimpleNetwork(nn.Module):
    """The book's: one activation instance shared by every hidden position."""

    def __init__(self, act, input_size=784, hidden=(256, 192, 128, 64), classes=10):
        super().__init__()
        self.act = act
        sizes = [input_size, *hidden, classes]
        self.layers = nn.ModuleList(nn.Linear(sizes[i], sizes[i + 1]) for i in range(len(sizes) - 1))

    def forward(self, x):
        x = x.flatten(1)
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = self.act(x)
        return x


class CIFAR100CNN(nn.Module):
    def __init__(self, channels=(32, 64, 128), hidden=512, classes=100, hw=(32, 32), in_channels=3):
        super().__init__()
        blocks, c_in = [], in_channels
        for c in channels:
            blocks += [nn.Conv2d(c_in, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(), nn.MaxPool2d(2)]
            c_in = c
        self.features = nn.Sequential(*blocks)
        h, w = hw
        for _ in channels:
            h, w = h // 2, w // 2
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(c_in * h * w, hidden), nn.ReLU(), nn.Dropout(0.5), nn.Linear(hidden, classes))

    def forward(self, x):
        return self.classifier(self.features(x))


def sinusoid(length, d):
    pe = torch.zeros(length, d)
    pos = torch.arange(length, dtype=torch.float64).unsqueeze(1)
    div = torch.pow(10000.0, torch.arange(0, d, 2, dtype=torch.float64) / d)
    pe[:, 0::2] = torch.sin(pos / div).float()
    pe[:, 1::2] = torch.cos(pos / div[: d // 2]).float()
    return pe


class SimpleTransformer(nn.Module):
    """REFERENCE.md's description; the decoder's normalisation (LayerNorm) is inferred from the count."""

    def __init__(self, tokens=3072, classes=100, d=768, heads=12, layers=8, ffn=None, dropout=0.1):
        super().__init__()
        ffn = ffn or 4 * d
        self.embedding = nn.Sequential(
            nn.Linear(tokens, d), nn.BatchNorm1d(d), nn.Dropout(dropout), nn.GELU(),
            nn.Linear(d, d), nn.BatchNorm1d(d), nn.Dropout(dropout), nn.GELU(),
        )
        self.register_buffer("pe", sinusoid(1, d))
        layer = nn.TransformerEncoderLayer(d, heads, ffn, dropout, activation="gelu", batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.decoder = nn.Sequential(
            nn.Linear(d, 2 * d), nn.LayerNorm(2 * d), nn.GELU(), nn.Dropout(dropout),
            nn.Linear(2 * d, d), nn.LayerNorm(d), nn.GELU(), nn.Dropout(dropout),
            nn.Linear(d, classes),
        )
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.embedding(x.flatten(1)).unsqueeze(1) + self.pe
        x = self.encoder(x)
        x = 0.5 * x.mean(1) + 0.5 * x.max(1).values
        return self.decoder(x)


# --- exports in tfjs layout -------------------------------------------------------------------

def linear(out, key, m):
    out[f"{key}/kernel"] = entry(m.weight.T)
    out[f"{key}/bias"] = entry(m.bias)


def norm(out, key, m, batch=False):
    out[f"{key}/gamma"] = entry(m.weight)
    out[f"{key}/beta"] = entry(m.bias)
    if batch:
        out[f"{key}/moving_mean"] = entry(m.running_mean)
        out[f"{key}/moving_variance"] = entry(m.running_var)


def randomize_norms(model):
    """Non-trivial γ, β and running statistics, so that the test sees every one of them used."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.LayerNorm)):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0, 0.2)
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                m.running_mean.normal_(0, 0.3)
                m.running_var.uniform_(0.5, 2.0)


def simple_network_cases():
    cases = []
    for i, (name, act) in enumerate(ACTS.items()):
        torch.manual_seed(100 + i)
        sizes = [12, 9, 7, 5, 3]  # a small SimpleNetwork; the book's only differs in sizes
        net = SimpleNetwork(act(), sizes[0], sizes[1:-1], sizes[-1])
        if name == "prelu":
            with torch.no_grad():
                net.act.weight.fill_(-0.3)  # far from 0.25: shows one weight serves every position
        x = torch.randn(6, sizes[0]) * 2
        labels = torch.randint(0, sizes[-1], (6,))
        y = net(x)
        loss = F.cross_entropy(y, labels)
        loss.backward()
        weights, grads = {}, {}
        for j, layer in enumerate(net.layers):
            linear(weights, f"dense_{j + 1}", layer)
            grads[f"dense_{j + 1}/kernel"] = entry(layer.weight.grad.T)
            grads[f"dense_{j + 1}/bias"] = entry(layer.bias.grad)
        if name == "prelu":
            weights["prelu/alpha"] = entry(net.act.weight)
            grads["prelu/alpha"] = entry(net.act.weight.grad)
        cases.append({
            "activation": name,
            "sizes": sizes,
            "weights": weights,
            "x": entry(x),
            "labels": labels.tolist(),
            "logits": entry(y),
            "loss": float(loss),
            "grads": grads,
        })
    return cases


def attention_case():
    torch.manual_seed(7)
    d, heads, b, t = 8, 2, 2, 5
    mha = nn.MultiheadAttention(d, heads, batch_first=True)
    with torch.no_grad():
        mha.in_proj_bias.normal_(0, 0.3)
        mha.out_proj.bias.normal_(0, 0.3)
    x = torch.randn(b, t, d)
    with torch.no_grad():
        y, _ = mha(x, x, x, need_weights=False)
    w = {}
    for k, p in enumerate(["query", "key", "value"]):
        w[f"{p}/kernel"] = entry(mha.in_proj_weight[k * d:(k + 1) * d].T)
        w[f"{p}/bias"] = entry(mha.in_proj_bias[k * d:(k + 1) * d])
    linear(w, "output", mha.out_proj)
    return {"dModel": d, "heads": heads, "weights": w, "x": entry(x), "y": entry(y)}


def transformer_case():
    torch.manual_seed(11)
    cfg = {"tokens": 12, "numClasses": 5, "dModel": 8, "heads": 2, "layers": 2, "ffn": 16, "dropout": 0.1}
    model = SimpleTransformer(cfg["tokens"], cfg["numClasses"], cfg["dModel"], cfg["heads"], cfg["layers"], cfg["ffn"], cfg["dropout"])
    randomize_norms(model)
    with torch.no_grad():
        for m in model.modules():  # non-zero biases, so that the test sees them used
            if isinstance(m, nn.Linear):
                m.bias.normal_(0, 0.2)
            if isinstance(m, nn.MultiheadAttention):
                m.in_proj_bias.normal_(0, 0.2)
    model.eval()
    x = torch.randn(3, cfg["tokens"])
    with torch.no_grad():
        y = model(x)
    d = cfg["dModel"]
    w = {}
    emb = model.embedding
    linear(w, "embed_dense_1", emb[0]); norm(w, "embed_bn_1", emb[1], batch=True)
    linear(w, "embed_dense_2", emb[4]); norm(w, "embed_bn_2", emb[5], batch=True)
    for l, layer in enumerate(model.encoder.layers, start=1):
        p = f"layer_{l}_"
        norm(w, f"{p}norm_1", layer.norm1)
        for k, q in enumerate(["query", "key", "value"]):
            w[f"{p}attention/{q}/kernel"] = entry(layer.self_attn.in_proj_weight[k * d:(k + 1) * d].T)
            w[f"{p}attention/{q}/bias"] = entry(layer.self_attn.in_proj_bias[k * d:(k + 1) * d])
        linear(w, f"{p}attention/output", layer.self_attn.out_proj)
        norm(w, f"{p}norm_2", layer.norm2)
        linear(w, f"{p}ffn_1", layer.linear1)
        linear(w, f"{p}ffn_2", layer.linear2)
    dec = model.decoder
    linear(w, "decoder_dense_1", dec[0]); norm(w, "decoder_norm_1", dec[1])
    linear(w, "decoder_dense_2", dec[4]); norm(w, "decoder_norm_2", dec[5])
    linear(w, "logits", dec[8])
    return {"config": cfg, "parameters": count(model), "weights": w, "x": entry(x), "logits": entry(y)}


def cnn_case():
    torch.manual_seed(13)
    cfg = {"inputShape": [16, 12, 3], "channels": [4, 6, 8], "hiddenUnits": 10, "numClasses": 5}
    h, w_, c = cfg["inputShape"]
    model = CIFAR100CNN(cfg["channels"], cfg["hiddenUnits"], cfg["numClasses"], (h, w_), c)
    randomize_norms(model)
    model.eval()
    x = torch.randn(2, c, h, w_)
    with torch.no_grad():
        y = model(x)
    w = {}
    convs = [m for m in model.features if isinstance(m, nn.Conv2d)]
    bns = [m for m in model.features if isinstance(m, nn.BatchNorm2d)]
    for b, (conv, bn) in enumerate(zip(convs, bns), start=1):
        w[f"conv_{b}/kernel"] = entry(conv.weight.permute(2, 3, 1, 0))  # [out, in, kh, kw] -> [kh, kw, in, out]
        w[f"conv_{b}/bias"] = entry(conv.bias)
        norm(w, f"bn_{b}", bn, batch=True)
    fc1, fc2 = model.classifier[1], model.classifier[4]
    # torch flattens [c, h, w], tfjs [h, w, c]: permute the rows of the first dense kernel.
    ch, hh, ww = cfg["channels"][-1], h // 8, w_ // 8
    w["dense_1/kernel"] = entry(fc1.weight.view(-1, ch, hh, ww).permute(2, 3, 1, 0).reshape(hh * ww * ch, -1))
    w["dense_1/bias"] = entry(fc1.bias)
    linear(w, "dense_2", fc2)
    return {"config": cfg, "parameters": count(model), "weights": w, "x": entry(x.permute(0, 2, 3, 1)), "logits": entry(y)}


def counts():
    out = {
        "simpleNetwork": {name: count(SimpleNetwork(act())) for name, act in ACTS.items()},
        "cifarCnn": {
            "parameters": count(CIFAR100CNN()),
            "buffers": sum(b.numel() for n, b in CIFAR100CNN().named_buffers() if not n.endswith("num_batches_tracked")),
        },
        "transformer": [],
    }
    configs = [
        {"tokens": 3072, "numClasses": 100, "dModel": 768, "heads": 12, "layers": 8, "ffn": 3072},  # the book's
        {"tokens": 3072, "numClasses": 100, "dModel": 64, "heads": 4, "layers": 2, "ffn": 256},  # the small preset
        {"tokens": 100, "numClasses": 7, "dModel": 24, "heads": 3, "layers": 3, "ffn": 40},
    ]
    for cfg in configs:
        torch.manual_seed(0)
        m = SimpleTransformer(cfg["tokens"], cfg["numClasses"], cfg["dModel"], cfg["heads"], cfg["layers"], cfg["ffn"])
        out["transformer"].append({"config": cfg, "parameters": count(m)})
        del m
    return out


if __name__ == "__main__":
    dump("simple-network.json", {"cases": simple_network_cases()})
    dump("attention.json", attention_case())
    dump("transformer.json", transformer_case())
    dump("cifar-cnn.json", cnn_case())
    c = counts()
    dump("counts.json", c)
    print("counts:", json.dumps(c))
