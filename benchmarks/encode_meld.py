"""Times encoding every MELD utterance (train, dev and test: 13,708) with all-MiniLM-L6-v2,
in FuseLab and in sentence-transformers, side by side at the same thread count.

FuseLab runs benchmarks/encode-meld.fuse (cache off) in a fresh process; its time is the
process's wall time, reading the CSVs, loading the model and tokenising included.
sentence-transformers encodes the same utterances, read from the same CSVs, with the
model folder data/minilm assembled as all-MiniLM-L6-v2 is (Transformer, mean Pooling,
Normalize; at most 256 tokens), batch 32, its default; its time is `encode` alone, the
model already loaded. The runs alternate, FuseLab first, so that a change in the
machine's load falls on both. Run from the repository root, after `scripts/setup` and
`pip install sentence-transformers` into data/python:

    data/python/bin/python benchmarks/encode_meld.py [--threads 2] [--runs 3]
"""
import argparse
import csv
import json
import statistics
import subprocess
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent


def utterances(meld):
    texts = []
    for split in ("train", "dev", "test"):
        with open(meld / f"{split}_sent_emo.csv", newline="", encoding="utf-8") as f:
            texts += [row["Utterance"] for row in csv.DictReader(f)]
    return texts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fuselab", default=str(ROOT / ".build" / "release" / "fuselab"))
    parser.add_argument("--meld", default=str(ROOT.parent / "shared" / "data" / "meld"))
    args = parser.parse_args()

    from sentence_transformers import SentenceTransformer, models

    torch.set_num_threads(args.threads)
    folder = str(ROOT / "data" / "minilm")
    transformer = models.Transformer(folder, max_seq_length=256)
    pooling = models.Pooling(transformer.get_word_embedding_dimension(), "mean")
    encoder = SentenceTransformer(modules=[transformer, pooling, models.Normalize()],
                                  device="cpu")
    texts = utterances(Path(args.meld))

    fuselab, torch_times = [], []
    for run in range(args.runs):
        start = time.perf_counter()
        subprocess.run([args.fuselab, "--threads", str(args.threads), "run",
                        "benchmarks/encode-meld.fuse"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        fuselab.append(time.perf_counter() - start)
        start = time.perf_counter()
        encoder.encode(texts, batch_size=32, convert_to_numpy=True)
        torch_times.append(time.perf_counter() - start)
        print(f"run {run + 1}: FuseLab {fuselab[-1]:.1f} s, "
              f"sentence-transformers {torch_times[-1]:.1f} s", flush=True)

    result = {
        "utterances": len(texts), "threads": args.threads, "runs": args.runs,
        "fuselab_median_s": round(statistics.median(fuselab), 2),
        "sentence_transformers_median_s": round(statistics.median(torch_times), 2),
    }
    result["ratio"] = round(result["fuselab_median_s"]
                            / result["sentence_transformers_median_s"], 3)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
