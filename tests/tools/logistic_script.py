#!/usr/bin/env python3
"""A training script as users write them, for the editor's command tests: logistic regression by gradient descent
in plain Python on Tunebench's {train_path}/{validation_path} CSV files (last column named by --target), printing
"epoch=N loss=X" each epoch and "val_accuracy=A" at the end."""
import argparse
import csv
import math


def read(path, target):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    t = header.index(target)
    labels = sorted({r[t] for r in body})
    x = [[float(v) for i, v in enumerate(r) if i != t] for r in body]
    y = [labels.index(r[t]) for r in body]
    return x, y


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", required=True)
    parser.add_argument("--validation", required=True)
    parser.add_argument("--target", default="target")
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args()
    x, y = read(args.train, args.target)
    vx, vy = read(args.validation, args.target)
    d = len(x[0])
    mean = [sum(r[j] for r in x) / len(x) for j in range(d)]
    std = [math.sqrt(sum((r[j] - mean[j]) ** 2 for r in x) / len(x)) or 1.0 for j in range(d)]
    scale = lambda rows: [[(r[j] - mean[j]) / std[j] for j in range(d)] for r in rows]
    x, vx = scale(x), scale(vx)
    w, b = [0.0] * d, 0.0
    for epoch in range(1, args.epochs + 1):
        grad, gb, loss = [0.0] * d, 0.0, 0.0
        for r, label in zip(x, y):
            z = max(-30.0, min(30.0, sum(wi * ri for wi, ri in zip(w, r)) + b))
            p = 1.0 / (1.0 + math.exp(-z))
            loss -= math.log(p if label else 1.0 - p)
            for j in range(d):
                grad[j] += (p - label) * r[j]
            gb += p - label
        w = [wi - args.lr * g / len(x) for wi, g in zip(w, grad)]
        b -= args.lr * gb / len(x)
        print(f"epoch={epoch} loss={loss / len(x):.6f}", flush=True)
    right = sum((sum(wi * ri for wi, ri in zip(w, r)) + b > 0) == bool(label) for r, label in zip(vx, vy))
    print(f"val_accuracy={right / len(vx):.6f}")


if __name__ == "__main__":
    main()
