"""xgboost's defaults on large multiclass tables, against HistGradientBoostingClassifier (issue #33).

    /usr/bin/python3 tests/bench/xgboost_multiclass.py BUILD_DIR OUT_DIR [VARIANT ...]

Makes four tables of 10,000 rows or more and 10 classes or more with scikit-learn's generators (fixed seeds;
two "for choosing" defaults, two "for checking" them, see TABLES), writes each with its folds
(StratifiedKFold(5, shuffle=True, random_state=0)), scores HistGradientBoostingClassifier(random_state=0) on those
folds, then `tunebench-cli train --algorithm xgboost --folds-file` on the same folds with the defaults and with
each VARIANT (settings as NAME=VALUE,NAME=VALUE, given to --set). Prints one markdown row per table: mean
accuracy of HGB and of each xgboost, with its difference to HGB in points.
"""
import json
import os
import subprocess
import sys

import numpy as np
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold

# name: (role, make_classification arguments)
TABLES = {
    "multi20k": ("choosing", dict(n_samples=20000, n_features=40, n_informative=20, n_redundant=5, n_classes=10,
                                  n_clusters_per_class=2, random_state=7)),
    "classes26": ("choosing", dict(n_samples=26000, n_features=16, n_informative=12, n_redundant=2,
                                   n_classes=26, n_clusters_per_class=1, class_sep=1.5, random_state=3)),
    "noisy12": ("checking", dict(n_samples=15000, n_features=30, n_informative=15, n_redundant=5, n_classes=12,
                                 n_clusters_per_class=2, flip_y=0.05, random_state=11)),
    "wide20": ("checking", dict(n_samples=12000, n_features=100, n_informative=25, n_redundant=10,
                                n_classes=20, n_clusters_per_class=1, random_state=5)),
}


def ours(cli, path, folds_path, variant):
    command = [cli, "train", path, "--target", "target", "--algorithm", "xgboost", "--folds-file", folds_path,
               "--threads", "2", "--json"]
    for setting in filter(None, variant.split(",")):
        command += ["--set", setting]
    result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    return result["metrics"]["accuracy"]["mean"]


def main(build, out, variants):
    cli = os.path.join(build, "app", "tunebench-cli")
    os.makedirs(out, exist_ok=True)
    variants = [""] + variants
    names = ["xgboost defaults"] + [f"xgboost {v}" for v in variants[1:]]
    print("| table | role | rows x features, classes | HGB | " + " | ".join(names) + " |")
    print("|---|---|---|---|" + "---|" * len(names))
    for name, (role, arguments) in TABLES.items():
        X, y = make_classification(**arguments)
        path = os.path.join(out, f"{name}.csv")
        header = ",".join([f"x{i}" for i in range(X.shape[1])] + ["target"])
        labels = np.array([f"k{int(v)}" for v in y])  # words: a class, whatever their number
        with open(path, "w") as f:
            f.write(header + "\n")
            for row, label in zip(X, labels):
                f.write(",".join(f"{v:.7g}" for v in row) + "," + label + "\n")
        X = np.loadtxt(path, delimiter=",", skiprows=1, usecols=range(X.shape[1]))  # the numbers both read
        folds = np.zeros(len(y), dtype=int)
        accuracies = []
        for fold, (train, test) in enumerate(StratifiedKFold(5, shuffle=True, random_state=0).split(X, y)):
            folds[test] = fold
            model = HistGradientBoostingClassifier(random_state=0).fit(X[train], y[train])
            accuracies.append(np.mean(model.predict(X[test]) == y[test]))
        folds_path = os.path.join(out, f"{name}.folds")
        np.savetxt(folds_path, folds, fmt="%d")
        hgb = float(np.mean(accuracies))
        cells = []
        for variant in variants:
            accuracy = ours(cli, path, folds_path, variant)
            cells.append(f"{accuracy:.4f} ({100 * (accuracy - hgb):+.2f})")
        print(f"| {name} | {role} | {X.shape[0]} x {X.shape[1]}, {len(np.unique(y))} | {hgb:.4f} | "
              + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
