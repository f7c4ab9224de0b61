"""A table of many text columns for the CSV reading benchmark (docs/benchmarks.md, issue #33):
200,000 rows x 30 categorical columns (column j has 5 + 3j levels, words like "berlin_17") and one numeric
target, random_state 0.

    /usr/bin/python3 tests/bench/make_text_table.py OUT.csv
"""
import sys

import numpy as np

rng = np.random.default_rng(0)
rows, columns = 200_000, 30
words = ["berlin", "lisbon", "oslo", "quito", "lima", "cairo", "hanoi", "dakar"]
with open(sys.argv[1], "w") as out:
    out.write(",".join([f"c{j}" for j in range(columns)] + ["target"]) + "\n")
    levels = [[f"{words[k % len(words)]}_{k}" for k in range(5 + 3 * j)] for j in range(columns)]
    picks = [rng.integers(0, len(levels[j]), rows) for j in range(columns)]
    target = rng.normal(size=rows)
    for i in range(rows):
        out.write(",".join(levels[j][picks[j][i]] for j in range(columns)) + f",{target[i]:.6f}\n")
