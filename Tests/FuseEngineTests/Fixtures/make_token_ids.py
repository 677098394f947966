"""Writes the reference token ids of every MELD utterance, from the model's own tokenizer.

The reference is Hugging Face `tokenizers` loading all-MiniLM-L6-v2's tokenizer.json.
That file asks for padding to 128 and truncation at 128; here padding is switched off
and truncation set to --max-length (256, the model's max_seq_length), which is what
FuseLab's WordPieceTokenizer does.

The CSVs are read as FuseLab's CSV reader reads them: UTF-8 with a byte order mark
dropped, or Windows-1252 (undefined bytes kept as the control character of the same
number) when the file is not valid UTF-8.

Output, one JSON document:
    {"tokenizers": VERSION, "max_length": N,
     "splits": [{"name": "train", "file": PATH,
                 "utterances": [{"text": ..., "ids": [...]}, ...]}, ...]}

Run from the repository root (the Swift test runs it into a temporary file):
    python3 Tests/FuseEngineTests/Fixtures/make_token_ids.py --output /tmp/ids.json
"""
import argparse
import codecs
import csv
import io
import json
import os
import sys

import tokenizers


def keep_undefined_bytes(error):
    # Windows-1252 leaves five bytes undefined; keep each as the same code point.
    return "".join(chr(b) for b in error.object[error.start : error.end]), error.end


codecs.register_error("fuselab-latin1", keep_undefined_bytes)


def read_text(path):
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="fuselab-latin1")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokenizer", default="data/minilm/tokenizer.json")
    parser.add_argument("--meld", default="../shared/data/meld")
    parser.add_argument("--max-length", type=int, default=256)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()

    tokenizer = tokenizers.Tokenizer.from_file(args.tokenizer)
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=args.max_length)

    splits = []
    for name in ["train", "dev", "test"]:
        path = os.path.join(args.meld, f"{name}_sent_emo.csv")
        rows = csv.DictReader(io.StringIO(read_text(path), newline=""))
        texts = [row["Utterance"] for row in rows]
        encodings = tokenizer.encode_batch(texts)
        utterances = [{"text": t, "ids": e.ids} for t, e in zip(texts, encodings)]
        splits.append({"name": name, "file": path, "utterances": utterances})

    document = {
        "tokenizers": tokenizers.__version__,
        "max_length": args.max_length,
        "splits": splits,
    }
    with open(args.output, "w", encoding="utf-8") as sink:
        json.dump(document, sink, ensure_ascii=False)
    total = sum(len(s["utterances"]) for s in splits)
    print(f"wrote {total} utterances to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
