"""Times a training step's forward and backward pass of all-MiniLM-L6-v2 in PyTorch, on
the batch that encoder-bench (benchmarks/encoder-bench) times in FuseLab.

The batch: 32 token sequences of 12 to 28 tokens, 20 on average (with --equal-lengths,
20 each), [CLS] first and [SEP] last. PyTorch takes it as transformers' BertModel does:
padded to the longest sequence, with an additive attention mask and masked mean
pooling; the loss is sum(c * e) over the normalised sentence embeddings e. The model is
BERT written out in plain torch (float32) from data/minilm/model.safetensors; every
weight requires a gradient, and the gradients are set to None before each step, as
`optimizer.zero_grad()` does.

Run from the repository root, after `swift build -c release --product encoder-bench`:

    data/python/bin/python benchmarks/encoder_step.py [--threads 1] [--repeats 10]
        [--equal-lengths] [--swift]

With --swift it runs .build/release/encoder-bench on the same batch first.

With --meld-epoch it times instead what benchmarks/finetune-meld.fuse times in FuseLab:
one epoch of fine-tuning MiniLM with an MLP head (Linear(384, 128), ReLU, Dropout(0.1),
Linear(128, 7)) on MELD Emotion's train split, batch 32, shuffled, each batch padded to
its longest utterance; cross-entropy; AdamW at 2e-5 for the encoder and 1e-3 for the head
(weight decay 0.01); then scoring the dev split without gradients. The utterances are
tokenized by the Hugging Face `tokenizers` package from data/minilm/tokenizer.json, cut at
256 tokens as FuseLab cuts them. --batches N times the first N batches only and
extrapolates the epoch from their mean (it says so).

    data/python/bin/python benchmarks/encoder_step.py --meld-epoch [--batches 40]
"""
import argparse
import json
import math
import subprocess
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_file

ROOT = Path(__file__).resolve().parent.parent


def bench_tokens(count, equal_lengths):
    batch = []
    for s in range(count):
        length = 20 if equal_lengths else 12 + (5 * s) % 17
        inner = [1000 + (7919 * s + 104729 * p) % 28000 for p in range(1, length - 1)]
        batch.append([101] + inner + [102])
    return batch


def load(folder):
    config = json.loads((folder / "config.json").read_text())
    weights = {}
    for name, tensor in load_file(str(folder / "model.safetensors")).items():
        name = name.removeprefix("bert.")
        if name.startswith("pooler.") or name.endswith("position_ids"):
            continue
        weights[name] = tensor.float().requires_grad_(True)
    return config, weights


def sentence_embeddings(weights, config, ids, mask):
    batch, length = ids.shape
    width = config["hidden_size"]
    heads = config["num_attention_heads"]
    size = width // heads
    eps = config["layer_norm_eps"]

    def norm(x, name):
        return F.layer_norm(x, (width,), weights[name + ".weight"], weights[name + ".bias"], eps)

    def dense(x, name):
        return F.linear(x, weights[name + ".weight"], weights[name + ".bias"])

    def split(t):
        return t.view(batch, length, heads, size).transpose(1, 2)

    x = (weights["embeddings.word_embeddings.weight"][ids]
         + weights["embeddings.position_embeddings.weight"][:length]
         + weights["embeddings.token_type_embeddings.weight"][0])
    x = norm(x, "embeddings.LayerNorm")
    additive = (1.0 - mask[:, None, None, :]) * torch.finfo(torch.float32).min
    for layer in range(config["num_hidden_layers"]):
        path = f"encoder.layer.{layer}."
        q, k, v = (split(dense(x, path + "attention.self." + part))
                   for part in ("query", "key", "value"))
        scores = q @ k.transpose(-1, -2) / math.sqrt(size) + additive
        context = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(batch, length, width)
        x = norm(x + dense(context, path + "attention.output.dense"),
                 path + "attention.output.LayerNorm")
        hidden = F.gelu(dense(x, path + "intermediate.dense"))
        x = norm(x + dense(hidden, path + "output.dense"), path + "output.LayerNorm")
    weight = mask[:, :, None]
    pooled = (x * weight).sum(dim=1) / weight.sum(dim=1).clamp(min=1e-9)
    return F.normalize(pooled, dim=1)


def summary(name, times):
    """Median and minimum of the runs after the first, wall clock and CPU time."""
    def figures(values):
        timed = sorted(values[1:])
        return f"median {timed[len(timed) // 2] * 1e3:.1f} ms, min {timed[0] * 1e3:.1f} ms"
    return (f"{name}: wall {figures([t[0] for t in times])}; "
            f"cpu {figures([t[1] for t in times])}")


def now():
    return time.perf_counter(), time.process_time()


def since(start, end=None):
    end = end or now()
    return end[0] - start[0], end[1] - start[1]


def meld_tokens(folder, meld, split):
    import csv
    from tokenizers import Tokenizer
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(256)
    with open(meld / f"{split}_sent_emo.csv", encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    classes = sorted({row["Emotion"] for row in rows})
    tokens = [tokenizer.encode(row["Utterance"]).ids for row in rows]
    return tokens, [classes.index(row["Emotion"]) for row in rows]


def padded(batch):
    longest = max(map(len, batch))
    ids = torch.zeros(len(batch), longest, dtype=torch.long)
    mask = torch.zeros(len(batch), longest)
    for row, sequence in enumerate(batch):
        ids[row, :len(sequence)] = torch.tensor(sequence)
        mask[row, :len(sequence)] = 1
    return ids, mask


def meld_epoch(arguments):
    """One fine-tuning epoch on MELD train, then dev scoring; prints seconds."""
    import random
    torch.manual_seed(1)
    torch.set_num_threads(arguments.threads)
    folder, meld = Path(arguments.model), Path(arguments.meld)
    config, weights = load(folder)
    train, labels = meld_tokens(folder, meld, "train")
    dev, dev_labels = meld_tokens(folder, meld, "dev")
    width = config["hidden_size"]
    head = torch.nn.Sequential(
        torch.nn.Linear(width, 128), torch.nn.ReLU(), torch.nn.Dropout(0.1),
        torch.nn.Linear(128, 7))
    optimizer = torch.optim.AdamW(
        [{"params": list(weights.values()), "lr": 2e-5},
         {"params": list(head.parameters()), "lr": 1e-3}], weight_decay=0.01)
    order = list(range(len(train)))
    random.Random(1).shuffle(order)
    batches = [order[start:start + 32] for start in range(0, len(order), 32)]
    timed = batches[:arguments.batches] if arguments.batches else batches
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s): MELD train "
          f"{len(train)} utterances in {len(batches)} batches of 32; timing {len(timed)}")

    head.train()
    start = now()
    for number, batch in enumerate(timed, 1):
        ids, mask = padded([train[i] for i in batch])
        optimizer.zero_grad(set_to_none=True)
        logits = head(sentence_embeddings(weights, config, ids, mask))
        loss = F.cross_entropy(logits, torch.tensor([labels[i] for i in batch]))
        loss.backward()
        optimizer.step()
        if number % 50 == 0:
            print(f"  batch {number}: loss {loss.item():.4f}, {since(start)[0]:.1f} s")
            sys.stdout.flush()
    wall, cpu = since(start)
    per_batch = wall / len(timed)
    note = "" if len(timed) == len(batches) else (
        f" (extrapolated from {len(timed)} batches: {per_batch:.3f} s each)")
    print(f"train pass: {wall:.1f} s wall, {cpu:.1f} s cpu; epoch of {len(batches)} batches "
          f"{per_batch * len(batches):.1f} s{note}")

    head.eval()
    start = now()
    correct = 0
    with torch.no_grad():
        for first in range(0, len(dev), 128):
            chunk = dev[first:first + 128]
            ids, mask = padded(chunk)
            predicted = head(sentence_embeddings(weights, config, ids, mask)).argmax(dim=1)
            correct += sum(int(p == dev_labels[first + k]) for k, p in enumerate(predicted))
    wall, cpu = since(start)
    print(f"dev scoring: {wall:.1f} s wall, {cpu:.1f} s cpu; dev accuracy "
          f"{correct / len(dev):.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=str(ROOT / "data" / "minilm"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--sentences", type=int, default=32)
    parser.add_argument("--equal-lengths", action="store_true")
    parser.add_argument("--swift", action="store_true", help="run encoder-bench first")
    parser.add_argument("--meld-epoch", action="store_true",
                        help="time a fine-tuning epoch on MELD train instead")
    parser.add_argument("--meld", default=str(ROOT.parent / "shared" / "data" / "meld"))
    parser.add_argument("--batches", type=int, default=0,
                        help="with --meld-epoch, time only the first N batches")
    arguments = parser.parse_args()
    if arguments.meld_epoch:
        meld_epoch(arguments)
        return

    if arguments.swift:
        command = [str(ROOT / ".build" / "release" / "encoder-bench"), "--model", arguments.model,
                   "--threads", str(arguments.threads), "--repeats", str(arguments.repeats),
                   "--sentences", str(arguments.sentences)]
        if arguments.equal_lengths:
            command.append("--equal-lengths")
        print("FuseLab (encoder-bench)")
        sys.stdout.flush()
        subprocess.run(command, check=True)
        print()

    torch.set_num_threads(arguments.threads)
    config, weights = load(Path(arguments.model))
    tokens = bench_tokens(arguments.sentences, arguments.equal_lengths)
    longest = max(map(len, tokens))
    ids = torch.zeros(len(tokens), longest, dtype=torch.long)
    mask = torch.zeros(len(tokens), longest)
    for row, sequence in enumerate(tokens):
        ids[row, :len(sequence)] = torch.tensor(sequence)
        mask[row, :len(sequence)] = 1
    width = config["hidden_size"]
    index = torch.arange(len(tokens) * width, dtype=torch.float64).view(len(tokens), width)
    c = torch.cos(0.37 * index + 0.1).float()
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s): "
          f"{len(tokens)} sentences, {sum(map(len, tokens))} tokens padded to "
          f"{len(tokens)} x {longest}")

    inference = []
    for _ in range(arguments.repeats + 1):
        start = now()
        with torch.no_grad():
            sentence_embeddings(weights, config, ids, mask)
        inference.append(since(start))
    print(summary("inference forward", inference))

    forward, backward = [], []
    for _ in range(arguments.repeats + 1):
        for weight in weights.values():
            weight.grad = None
        start = now()
        loss = (c * sentence_embeddings(weights, config, ids, mask)).sum()
        middle = now()
        loss.backward()
        forward.append(since(start, middle))
        backward.append(since(middle))
    print(summary("training forward", forward))
    print(summary("backward", backward))
    print(summary("forward + backward",
                  [(f[0] + b[0], f[1] + b[1]) for f, b in zip(forward, backward)]))


if __name__ == "__main__":
    main()
