"""Continues training a model exported by backprop's exportPyTorch, one process per device (torchrun).

The same command runs on one CPU and on many GPUs, here or across machines:
    torchrun --standalone --nproc_per_node=1 train.py model.py model.safetensors train.safetensors test.safetensors out.safetensors
    torchrun --standalone --nproc_per_node=8 train.py ...   # 8 GPUs: one process each, gradients averaged by DDP
"""
import argparse
import importlib.util
import json
import os

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler


def main():
    parser = argparse.ArgumentParser()
    for name in ["model", "weights", "train", "test", "out"]:
        parser.add_argument(name)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()

    cuda = torch.cuda.is_available()
    dist.init_process_group("nccl" if cuda else "gloo")
    rank = dist.get_rank()
    device = torch.device("cuda", int(os.environ["LOCAL_RANK"])) if cuda else torch.device("cpu")
    torch.manual_seed(0)

    # The exported source: class Model, and a safetensors reader and writer that need no extra package.
    spec = importlib.util.spec_from_file_location("exported", args.model)
    exported = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(exported)
    model = exported.Model()
    model.load_state_dict(exported.load_weights(args.weights))
    model.to(device)

    train = exported.load_weights(args.train)
    dataset = TensorDataset(train["x"], train["y"].long())
    sampler = DistributedSampler(dataset, shuffle=True, seed=0)  # each process trains on its share
    loader = DataLoader(dataset, batch_size=args.batch_size, sampler=sampler)
    parallel = DistributedDataParallel(model, device_ids=[device.index] if cuda else None)
    optimizer = torch.optim.SGD(parallel.parameters(), lr=args.lr, momentum=0.9)

    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        parallel.train()
        for x, y in loader:
            optimizer.zero_grad()
            F.cross_entropy(parallel(x.to(device)), y.to(device)).backward()
            optimizer.step()

    if rank == 0:
        model.eval()
        test = exported.load_weights(args.test)
        with torch.no_grad():
            predicted = model(test["x"].to(device)).argmax(1).cpu()
        accuracy = (predicted == test["y"].long()).float().mean().item()
        exported.save_weights({k: v.cpu() for k, v in model.state_dict().items()}, args.out)
        print(json.dumps({"testAccuracy": accuracy}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
