#!/usr/bin/env python3
"""Token ids of MELD utterances, made with Hugging Face `tokenizers` as sentence-transformers
tokenizes them for all-MiniLM-L6-v2: no padding, truncation at 256 tokens, [CLS] and [SEP].

Usage: make_minilm_ids.py TOKENIZER_JSON OUTPUT CSV [CSV ...] [--every K]

Writes one line per selected utterance: "<csv index> <row> <id> <id> ...", rows counted
from 0 over the data rows of each CSV (column "Utterance"); with --every K only rows
0, K, 2K, ... are written. The encoder tests run this at test time into a temporary file.
"""
import csv
import sys

from tokenizers import Tokenizer


def main(arguments):
    every = 1
    if "--every" in arguments:
        position = arguments.index("--every")
        every = int(arguments[position + 1])
        del arguments[position:position + 2]
    tokenizer_path, output_path, *csv_paths = arguments
    tokenizer = Tokenizer.from_file(tokenizer_path)
    tokenizer.no_padding()
    tokenizer.enable_truncation(256)
    with open(output_path, "w", encoding="utf-8") as output:
        for index, path in enumerate(csv_paths):
            with open(path, encoding="utf-8", newline="") as source:
                rows = list(csv.DictReader(source))
            chosen = range(0, len(rows), every)
            encodings = tokenizer.encode_batch([rows[row]["Utterance"] for row in chosen])
            for row, encoding in zip(chosen, encodings):
                output.write(f"{index} {row} {' '.join(map(str, encoding.ids))}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
