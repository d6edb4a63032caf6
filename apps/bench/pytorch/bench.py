"""The pytorch column of apps/bench: runs one case given as JSON on stdin, on the CPU with one thread, and
prints {medianMs, p25Ms, p75Ms, samples, output} as JSON. Arrays travel as base64 float32 (little-endian).
Timing follows the bench's rules: warm up at least 10 calls (2 past 2 s) and 200 ms, batches of at least 10 ms, the median."""
import base64
import json
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)


def arr(s, shape=None):
    a = torch.from_numpy(np.frombuffer(base64.b64decode(s), dtype=np.float32).copy())
    return a.reshape(shape) if shape is not None else a


def out(t):
    return base64.b64encode(t.detach().numpy().astype(np.float32).tobytes()).decode()


def measure(fn, quick):
    warm, sample, reps = (0.05, 0.002, 5) if quick else (0.2, 0.01, 21)
    calls, start = 0, time.perf_counter()
    while calls < 2 or (calls < 10 and time.perf_counter() - start < 2) or time.perf_counter() - start < warm:
        fn()
        calls += 1
    per_call = (time.perf_counter() - start) / calls
    batch = max(1, round(sample / max(per_call, 1e-9)))
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(batch):
            fn()
        times.append((time.perf_counter() - t0) / batch * 1000)
    times.sort()
    q = lambda p: float(np.quantile(times, p))
    return {"medianMs": q(0.5), "p25Ms": q(0.25), "p75Ms": q(0.75), "samples": len(times)}


def conv(spec):
    """A convolution product: the forward pass, or the input or weight gradient as torch.nn.grad computes it."""
    c = spec["conv"]
    n, ch, size, o, k, pad = c["images"], c["channels"], c["size"], c["outChannels"], c["kernel"], c["padding"]
    out_size = size + 2 * pad - k + 1
    x = arr(spec["x"], (n, ch, size, size))
    w = arr(spec["w"], (o, ch, k, k))
    dy = arr(spec["dy"], (n, o, out_size, out_size))
    result = {}
    if c["direction"] == "forward":
        product = lambda: torch.nn.functional.conv2d(x, w, padding=pad)
    elif c["direction"] == "dx":
        product = lambda: torch.nn.grad.conv2d_input(x.shape, w, dy, padding=pad)
    else:
        product = lambda: torch.nn.grad.conv2d_weight(x, w.shape, dy, padding=pad)

    @torch.no_grad()
    def run():
        result["y"] = product()

    return run, lambda: out(result["y"])


def gemm(spec):
    if "conv" in spec:
        return conv(spec)
    M, N, K = spec["M"], spec["N"], spec["K"]
    lead = (spec["batch"],) if spec.get("batch", 1) > 1 else ()
    a = arr(spec["a"], lead + ((K, M) if spec["transA"] else (M, K)))
    b = arr(spec["b"], lead + ((N, K) if spec["transB"] else (K, N)))
    opa = a.transpose(-2, -1) if spec["transA"] else a
    opb = b.transpose(-2, -1) if spec["transB"] else b
    result = {}

    def run():
        result["c"] = opa @ opb

    return run, lambda: out(result["c"])


def mlp(sizes, activation, layers_w, layers_b):
    mods = []
    for i, (w, b) in enumerate(zip(layers_w, layers_b)):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1])
        with torch.no_grad():
            lin.weight.copy_(w)
            lin.bias.copy_(b)
        mods.append(lin)
        if i < len(layers_w) - 1:
            mods.append(torch.nn.Tanh() if activation == "tanh" else torch.nn.ReLU())
    return torch.nn.Sequential(*mods)


def lenet(ws, bs):
    """The zoo LeNet (lenetLayers in src/cases.ts) with the given weights."""
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 6, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(6, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
        torch.nn.Linear(400, 120), torch.nn.ReLU(), torch.nn.Linear(120, 84), torch.nn.ReLU(), torch.nn.Linear(84, 10))
    layers = [m for m in model if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    with torch.no_grad():
        for layer, w, b in zip(layers, ws, bs):
            layer.weight.copy_(arr(w, tuple(layer.weight.shape)))
            layer.bias.copy_(arr(b))
    return model


def train(spec):
    sizes = spec["sizes"]
    if spec["model"] == "lenet":
        model = lenet(spec["weights"], spec["biases"])
        x = arr(spec["x"], (spec["batch"], 1, 28, 28))
    else:
        ws = [arr(w, (sizes[i + 1], sizes[i])) for i, w in enumerate(spec["weights"])]
        bs = [arr(b) for b in spec["biases"]]
        model = mlp(sizes, spec["activation"], ws, bs)
        x = arr(spec["x"], (spec["batch"], sizes[0]))
    y = arr(spec["y"])
    if spec["task"] == "binary":
        y = y.reshape(spec["batch"], 1)
        loss_fn = torch.nn.BCEWithLogitsLoss()
    else:
        y = y.long()
        loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=spec["lr"]) if spec["optimizer"] == "sgd" else torch.optim.Adam(model.parameters(), lr=spec["lr"])

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    first = torch.tensor([step(), step(), step()])
    return step, lambda: out(first)


def inference(spec):
    layers = []
    for layer in spec["layers"]:
        kind = layer["kind"]
        if kind == "standardize":
            mean, std = arr(layer["mean"]), arr(layer["std"])
            layers.append(lambda h, mean=mean, std=std: (h - mean) / std)
        elif kind == "linear":
            w, b = arr(layer["weight"], (layer["out"], layer["in"])), arr(layer["bias"])
            layers.append(lambda h, w=w, b=b: torch.nn.functional.linear(h, w, b))
        elif kind == "conv":
            k, pad = layer["kernel"], layer["padding"]
            w, b = arr(layer["weight"], (layer["out"], layer["in"], k, k)), arr(layer["bias"])
            layers.append(lambda h, w=w, b=b, pad=pad: torch.nn.functional.conv2d(h, w, b, padding=pad))
        elif kind == "maxpool":
            layers.append(lambda h, k=layer["kernel"]: torch.nn.functional.max_pool2d(h, k))
        elif kind == "flatten":
            layers.append(lambda h: h.flatten(1))
        else:
            layers.append(torch.tanh if kind == "tanh" else torch.relu)
    image = spec.get("image")
    x = arr(spec["x"], (spec["batch"], *image) if image else (spec["batch"], spec["features"]))
    result = {}

    @torch.no_grad()
    def run():
        h = x
        for f in layers:
            h = f(h)
        result["y"] = h

    return run, lambda: out(result["y"])


def main():
    job = json.load(sys.stdin)
    run, output = {"gemm": gemm, "train": train, "inference": inference}[job["suite"]](job["spec"])
    timing = measure(run, job["quick"])
    print(json.dumps({**timing, "output": output()}))


if __name__ == "__main__":
    main()
