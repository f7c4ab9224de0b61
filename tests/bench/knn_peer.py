"""scikit-learn's side of the kNN benchmark (docs/benchmarks.md, issue #33).

    python3 tests/bench/knn_peer.py make ../shared/peers OUT_DIR   # writes the two tables below
    python3 tests/bench/knn_peer.py time ../shared/peers FILE.csv   # one JSON line

`make` writes synth20k.csv (synth_100k's first 20,000 rows: 50 numeric features, two classes) and
multi20k.csv (make_classification with 20,000 rows, 40 features, 10 classes, random_state=7), the target last.
`time` splits FILE as bench_fit does (the first 80% of rows to fit, the rest to predict), standardises,
and times StandardScaler + KNeighborsClassifier(5) fit and predict_proba with one and with two threads
(threadpoolctl limits BLAS and OpenMP alike), the median of five each; it prints the test accuracy, AUC
and log loss, which bench_fit prints for the same split.
"""
import json
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, sys.argv[2] if len(sys.argv) > 2 else "../shared/peers")
import peerdata  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402


def write(path, X, y):
    header = ",".join([f"x{i}" for i in range(X.shape[1])] + ["target"])
    np.savetxt(path, np.column_stack([X, y]), delimiter=",", fmt="%.7g", header=header, comments="")


def make(out):
    X, y, _ = peerdata.load_xy_float("synth_100k.csv.gz")
    write(f"{out}/synth20k.csv", X[:20000], y[:20000])
    X, y = make_classification(n_samples=20000, n_features=40, n_informative=20, n_redundant=5, n_classes=10,
                               n_clusters_per_class=2, random_state=7)
    write(f"{out}/multi20k.csv", X, y)


def measure(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    X, y = data[:, :-1], data[:, -1]
    train = len(y) * 4 // 5
    result = {"file": path, "rows": len(y), "features": X.shape[1], "classes": len(np.unique(y))}
    for threads in (1, 2):
        times = []
        with threadpool_limits(threads):
            for _ in range(5):
                start = time.perf_counter()
                model = make_pipeline(StandardScaler(), KNeighborsClassifier(5)).fit(X[:train], y[:train])
                proba = model.predict_proba(X[train:])
                times.append(time.perf_counter() - start)
        result[f"fit_predict_s_{threads}_threads"] = statistics.median(times)
    test = y[train:]
    result["accuracy"] = accuracy_score(test, model.classes_[proba.argmax(1)])
    result["auc"] = (roc_auc_score(test, proba[:, 1]) if proba.shape[1] == 2
                     else roc_auc_score(test, proba, multi_class="ovr"))
    result["log_loss"] = log_loss(test, proba, labels=model.classes_)
    print(json.dumps(result))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[3])
    else:
        measure(sys.argv[3])
