#!/usr/bin/python3
"""Golden fixtures for @descent/datasets, written to tools/golden/fixtures/datasets/.

Run with the system Python (torch 1.13, Pillow, numpy come from Debian packages):
    /usr/bin/python3 tools/golden/datasets.py

- normalize.json: torchvision's ToTensor + Normalize, as torch ops (x.float().div(255), then
  .sub_(mean).div_(std) in float32), for every byte value and several mean/std settings, plus an
  end-to-end CIFAR-format record set with its normalised NHWC tensor.
- rotate.json: Pillow's Image.rotate(angle, NEAREST, fillcolor=0) — what torchvision's
  RandomRotation does to a PIL image — on small images, for fixed and random angles.
- fashion-mnist.json: what numpy reads from the Debian FashionMNIST files (counts, label
  histograms, SHA-256 of the pixel and label payloads) and the SHA-256 of the book's landscape
  batch (first 256 test images, ToTensor + Normalize(0.5, 0.5), laid out NHWC).
"""
import base64
import gzip
import hashlib
import json
import os

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'fixtures', 'datasets')
FASHION_DIR = '/usr/share/datasets/fashion-mnist'


def write(name, obj):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), 'w') as f:
        json.dump(obj, f, separators=(',', ':'))
    print('wrote', os.path.join(OUT, name))


def to_tensor_normalize(chw_uint8, mean, std):
    """torchvision.transforms.ToTensor then Normalize on an N×C×H×W uint8 array; float32 torch ops."""
    x = torch.from_numpy(chw_uint8).float().div(255)
    if mean is None:
        return x
    m = torch.as_tensor(mean, dtype=torch.float32).view(1, -1, 1, 1)
    s = torch.as_tensor(std, dtype=torch.float32).view(1, -1, 1, 1)
    return x.sub_(m).div_(s)


def normalize_fixture():
    settings = [
        {'mean': 0.5, 'std': 0.5},
        {'mean': 0.1307, 'std': 0.3081},
        {'mean': [0.4914, 0.4822, 0.4465], 'std': [0.2470, 0.2435, 0.2616]},
        {'mean': None, 'std': None},
    ]
    tables = []
    for s in settings:
        channels = 3 if isinstance(s['mean'], list) else 1
        byte_values = np.tile(np.arange(256, dtype=np.uint8), (channels, 1)).reshape(1, channels, 1, 256)
        mean = s['mean'] if s['mean'] is None or isinstance(s['mean'], list) else [s['mean']]
        std = s['std'] if s['std'] is None or isinstance(s['std'], list) else [s['std']]
        values = to_tensor_normalize(byte_values, mean, std).reshape(channels, 256)
        tables.append({'mean': s['mean'], 'std': s['std'], 'values': [[float(v) for v in row] for row in values.numpy()]})

    # End to end: CIFAR-10 binary records → torch's normalised tensor, permuted to NHWC.
    rng = np.random.default_rng(20240501)
    n = 4
    labels = rng.integers(0, 10, size=n, dtype=np.uint8)
    pixels = rng.integers(0, 256, size=(n, 3, 32, 32), dtype=np.uint8)
    records = b''.join(bytes([labels[i]]) + pixels[i].tobytes() for i in range(n))
    mean, std = [0.4914, 0.4822, 0.4465], [0.2470, 0.2435, 0.2616]
    nhwc = to_tensor_normalize(pixels, mean, std).permute(0, 2, 3, 1).contiguous().numpy().astype('<f4')
    cifar = {
        'records': base64.b64encode(records).decode(),
        'labels': labels.tolist(),
        'mean': mean,
        'std': std,
        'nhwcSha256': hashlib.sha256(nhwc.tobytes()).hexdigest(),
        'nhwcFirst': [float(v) for v in nhwc.reshape(-1)[:12]],
    }
    write('normalize.json', {'tables': tables, 'cifar': cifar})


def rotate_fixture():
    rng = np.random.default_rng(7)
    images = [
        ('rgb32', rng.integers(0, 256, size=(32, 32, 3), dtype=np.uint8)),
        ('gray28', rng.integers(0, 256, size=(28, 28), dtype=np.uint8)),
        ('rgb7x5', rng.integers(0, 256, size=(5, 7, 3), dtype=np.uint8)),  # H=5, W=7: off-centre half pixels
    ]
    fixed = [-10.0, -9.999, -7.25, -3.3, -0.5, -1e-7, 0.0, 1e-9, 0.3, 2.5, 4.2, 7.77, 9.5, 10.0,
             45.0, 90.0, -90.0, 180.0, 270.0, 123.4, -170.1, 359.9]
    random_angles = [float(a) for a in rng.uniform(-10, 10, size=16)]
    cases = []
    for name, arr in images:
        img = Image.fromarray(arr)
        angles = fixed + (random_angles if name == 'rgb32' else [])
        outs = []
        for a in angles:
            rotated = np.asarray(img.rotate(a, resample=Image.NEAREST, fillcolor=0))
            outs.append({'angle': a, 'bytes': base64.b64encode(rotated.tobytes()).decode()})
        h, w = arr.shape[:2]
        c = 1 if arr.ndim == 2 else arr.shape[2]
        cases.append({'name': name, 'height': h, 'width': w, 'channels': c, 'image': base64.b64encode(arr.tobytes()).decode(), 'rotations': outs})
    import PIL
    write('rotate.json', {'pillow': PIL.__version__, 'cases': cases})


def read_idx(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    rank = data[3]
    header = 4 + 4 * rank
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(rank)]
    return shape, np.frombuffer(data, dtype=np.uint8, offset=header)


def fashion_fixture():
    if not os.path.isdir(FASHION_DIR):
        print('skip fashion-mnist.json:', FASHION_DIR, 'missing (apt-get install dataset-fashion-mnist)')
        return
    out = {}
    for split, prefix in (('train', 'train'), ('test', 't10k')):
        ishape, images = read_idx(os.path.join(FASHION_DIR, f'{prefix}-images-idx3-ubyte.gz'))
        lshape, labels = read_idx(os.path.join(FASHION_DIR, f'{prefix}-labels-idx1-ubyte.gz'))
        out[split] = {
            'imageShape': ishape,
            'labelShape': lshape,
            'classCounts': np.bincount(labels, minlength=10).tolist(),
            'imagesSha256': hashlib.sha256(images.tobytes()).hexdigest(),
            'labelsSha256': hashlib.sha256(labels.tobytes()).hexdigest(),
            'pixelSum': int(images.astype(np.int64).sum()),
            'firstLabels': labels[:16].tolist(),
        }
        if split == 'test':
            first = images[: 256 * 784].reshape(256, 1, 28, 28).copy()
            x = to_tensor_normalize(first, [0.5], [0.5]).permute(0, 2, 3, 1).contiguous().numpy().astype('<f4')
            out['landscapeBatch'] = {
                'count': 256,
                'xSha256': hashlib.sha256(x.tobytes()).hexdigest(),
                'xSum': float(torch.from_numpy(x).double().sum()),
                'classCounts': np.bincount(labels[:256], minlength=10).tolist(),
            }
    write('fashion-mnist.json', out)


if __name__ == '__main__':
    normalize_fixture()
    rotate_fixture()
    fashion_fixture()
