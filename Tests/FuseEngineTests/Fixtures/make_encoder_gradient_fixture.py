"""Writes encoder_gradient_fixture.json: the gradient of a fixed loss of all-MiniLM-L6-v2's
sentence embeddings with respect to every tensor of the model, computed by PyTorch.

The model is BERT written out in plain torch (no transformers needed), run in float64 on
the float32 weights of data/minilm/model.safetensors, one sequence at a time with no
padding. Sentence embeddings are the mean of the last hidden states, scaled to unit
length as sentence-transformers does (F.normalize). The loss is

    L = sum over sentences s and columns j of c[s, j] * e[s, j],
    c[s, j] = cos(0.37 * (384 s + j) + 0.1)

which Swift computes the same way. The batch is three MELD utterances as the MiniLM
tokenizer cuts them (ids written below, so the tokenizer is not needed); the second
sentence gives its last tokens token type 1, so that the token type table's second row
gets a gradient too.

For every state-dict tensor the fixture keeps the L2 norm of its gradient and a few
entries (flat row-major index and value): the largest in magnitude and two drawn at
random among the non-zero ones. It also keeps the loss and the first entries of each
sentence embedding, and, to show what float32 changes, the largest relative difference
between these norms in float64 and in float32.

The key biases' gradients are zero in exact arithmetic (adding a constant to every score
of a row leaves its softmax as it was), so their norms here are float64 rounding, about
1e-16; they are left out of the float32 comparison.

Regenerate, from the repository root:

    data/python/bin/python Tests/FuseEngineTests/Fixtures/make_encoder_gradient_fixture.py \
        data/minilm > Tests/FuseEngineTests/Fixtures/encoder_gradient_fixture.json
"""
import json
import math
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_file

TOKENS = [
    [101, 2821, 2026, 2643, 1010, 2017, 4364, 999, 102],  # "Oh my God, you guys!"
    [101, 2061, 1010, 7910, 1010, 2054, 2024, 2017, 2725, 2182, 1029,
     1045, 2245, 2017, 2020, 2012, 2147, 1012, 102],  # "So, uh, what are you doing here? I ..."
    [101, 3100, 1012, 102],  # "Okay."
]
TOKEN_TYPES = [
    [0] * 9,
    [0] * 11 + [1] * 8,
    [0] * 4,
]
ENTRIES_AT_RANDOM = 2


def sentence_embeddings(weights, config, normalize=True):
    width = config["hidden_size"]
    heads = config["num_attention_heads"]
    size = width // heads
    eps = config["layer_norm_eps"]

    def norm(x, name):
        return F.layer_norm(x, (width,), weights[name + ".weight"], weights[name + ".bias"], eps)

    def dense(x, name):
        return x @ weights[name + ".weight"].T + weights[name + ".bias"]

    rows = []
    for ids, types in zip(TOKENS, TOKEN_TYPES):
        length = len(ids)
        x = (weights["embeddings.word_embeddings.weight"][ids]
             + weights["embeddings.position_embeddings.weight"][:length]
             + weights["embeddings.token_type_embeddings.weight"][types])
        x = norm(x, "embeddings.LayerNorm")
        for layer in range(config["num_hidden_layers"]):
            path = f"encoder.layer.{layer}."

            def split(t):
                return t.view(length, heads, size).transpose(0, 1)

            q, k, v = (split(dense(x, path + "attention.self." + part))
                       for part in ("query", "key", "value"))
            probabilities = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(size), dim=-1)
            context = (probabilities @ v).transpose(0, 1).reshape(length, width)
            x = norm(x + dense(context, path + "attention.output.dense"),
                     path + "attention.output.LayerNorm")
            hidden = F.gelu(dense(x, path + "intermediate.dense"))
            x = norm(x + dense(hidden, path + "output.dense"), path + "output.LayerNorm")
        rows.append(x.mean(dim=0))
    embeddings = torch.stack(rows)
    return F.normalize(embeddings, dim=1) if normalize else embeddings


def gradients(folder, dtype):
    config = json.loads((folder / "config.json").read_text())
    stored = load_file(str(folder / "model.safetensors"))
    weights = {}
    for name, tensor in stored.items():
        name = name.removeprefix("bert.")
        if name.startswith("pooler.") or name.endswith("position_ids"):
            continue
        weights[name] = tensor.to(dtype).requires_grad_(True)
    embeddings = sentence_embeddings(weights, config)
    sentences, width = embeddings.shape
    index = torch.arange(sentences * width, dtype=torch.float64).view(sentences, width)
    c = torch.cos(0.37 * index + 0.1).to(dtype)
    loss = (c * embeddings).sum()
    loss.backward()
    return loss.item(), embeddings.detach(), {name: w.grad for name, w in weights.items()}


def main():
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "data/minilm")
    torch.manual_seed(20261204)
    loss, embeddings, grads = gradients(folder, torch.float64)
    _, _, grads32 = gradients(folder, torch.float32)

    lines = []
    float32_drift = 0.0
    for name in sorted(grads):
        flat = grads[name].flatten()
        norm = flat.norm().item()
        if not name.endswith("attention.self.key.bias"):
            drift = abs(grads32[name].double().norm().item() - norm) / norm
            float32_drift = max(float32_drift, drift)
        largest = int(flat.abs().argmax())
        nonzero = flat.nonzero().flatten()
        drawn = nonzero[torch.randperm(len(nonzero))[:ENTRIES_AT_RANDOM]].tolist()
        entry = {
            "norm": float(f"{norm:.10g}"),
            "entries": [[i, float(f"{flat[i].item():.10g}")] for i in [largest] + drawn],
        }
        lines.append(f"  {json.dumps(name)}: {json.dumps(entry)}")

    header = {
        "model": "all-MiniLM-L6-v2 (data/minilm)",
        "normalize": True,
        "tokens": TOKENS,
        "token_types": TOKEN_TYPES,
        "loss": loss,
        "embedding_head": [[float(f"{v:.10g}") for v in row] for row in embeddings[:, :8].tolist()],
        "float32_norm_drift": float(f"{float32_drift:.3g}"),
    }
    print("{")
    for key, value in header.items():
        print(f"  {json.dumps(key)}: {json.dumps(value)},")
    print('  "gradients": {')
    print(",\n".join("  " + line for line in lines))
    print("  }")
    print("}")


if __name__ == "__main__":
    main()
