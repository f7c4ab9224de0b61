#!/usr/bin/python3
"""Parity over repeated 10-fold cross-validation: ours against scikit-learn's model of the family.

    /usr/bin/python3 tests/bench/repeated_parity.py PEERS_DIR BUILD_DIR FILE:TARGET ALGORITHM [REPEATS] [NAME=VALUE ...]

On a small table one 10-fold split decides a point or two by itself (wine: one wine of 178 is 0.56 points).
This runs REPEATS (default 10) splits, StratifiedKFold(10, shuffle=True, random_state=r) for r = 0..REPEATS-1,
each as a fold file for `tunebench-cli train --folds-file` and the same folds for scikit-learn's model (the
peers' preprocessing and settings, shared/peers/sklearn_parity.py, one thread). It prints each split's mean
accuracy / AUC for both, the means over all splits, and the corrected resampled t-test (Nadeau & Bengio,
2003: the variance of the REPEATS x 10 paired differences inflated by n_test / n_train, as tunebench's own
`benchmark` computes it) of the difference in accuracy, with its two-sided p-value.

ALGORITHM is ours (logistic, mlp, forest, xgboost, knn, tree); its peer is the one the parity tables set
beside it (xgboost: HistGradientBoostingClassifier), at its defaults. NAME=VALUE pairs set ours as `train --set`
does (other defaults to try: `eta=0.2 max_depth=3`). Needs Debian's python3-sklearn and python3-scipy.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

PEER = {"logistic": "LogisticRegression", "mlp": "MLPClassifier", "forest": "RandomForestClassifier",
        "xgboost": "HistGradientBoostingClassifier", "knn": "KNeighborsClassifier",
        "tree": "DecisionTreeClassifier"}


def corrected_t_test(differences, test_fraction):
    """Nadeau & Bengio's corrected resampled t-test: t and its two-sided p-value."""
    from scipy import stats
    d = np.asarray(differences)
    n = len(d)
    variance = (1.0 / n + test_fraction / (1.0 - test_fraction)) * d.var(ddof=1)
    if variance == 0.0:
        return 0.0, 1.0
    t = d.mean() / np.sqrt(variance)
    return t, 2.0 * stats.t.sf(abs(t), n - 1)


def main():
    peers_dir, build, entry, algorithm = sys.argv[1:5]
    repeats = int(sys.argv[5]) if len(sys.argv) > 5 else 10
    settings = [arg for pair in sys.argv[6:] for arg in ("--set", pair)]
    file_name, target = os.path.abspath(entry).rsplit(":", 1)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from peerside import Peers
    from sklearn.model_selection import StratifiedKFold

    peers = Peers(peers_dir, file_name, target)
    X, y = peers.X, peers.y
    cli = os.path.join(build, "app", "tunebench-cli")
    ours_acc, peer_acc, differences, ours_auc, peer_auc = [], [], [], [], []
    print("| split | %s accuracy / AUC | %s accuracy / AUC |" % (algorithm, PEER[algorithm]))
    print("|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for r in range(repeats):
            fold_of = np.empty(len(y), dtype=int)
            for k, (_, test) in enumerate(StratifiedKFold(10, shuffle=True, random_state=r).split(X, y)):
                fold_of[test] = k
            path = os.path.join(folder, "split%d.folds" % r)
            np.savetxt(path, fold_of, fmt="%d")
            run = subprocess.run([cli, "train", file_name, "--target", target, "--algorithm", algorithm,
                                  "--folds-file", path, "--threads", "1", "--json"] + settings,
                                 check=True, capture_output=True, text=True)
            ours = json.loads(run.stdout)["folds"]
            peer = []
            for k in range(10):
                train, test = np.where(fold_of != k)[0], np.where(fold_of == k)[0]
                accuracy, auc = peers.score(peers.sp.make_model(PEER[algorithm]), train, test)
                peer.append({"accuracy": accuracy, "auc": auc})
            for mine, theirs in zip(ours, peer):
                ours_acc.append(mine["accuracy"])
                peer_acc.append(theirs["accuracy"])
                differences.append(mine["accuracy"] - theirs["accuracy"])
                ours_auc.append(mine["auc"])
                peer_auc.append(theirs["auc"])
            print("| %d | %.4f / %.4f | %.4f / %.4f |" % (
                r, np.mean([f["accuracy"] for f in ours]), np.mean([f["auc"] for f in ours]),
                np.mean([f["accuracy"] for f in peer]), np.mean([f["auc"] for f in peer])))
    t, p = corrected_t_test(differences, 0.1)
    print("\nover %d x 10 folds: %s %.4f / %.4f, %s %.4f / %.4f (accuracy / AUC); accuracy difference %+.2f "
          "points, corrected resampled t = %.2f, p = %.3f"
          % (repeats, algorithm, np.mean(ours_acc), np.mean(ours_auc), PEER[algorithm], np.mean(peer_acc),
             np.mean(peer_auc), 100 * np.mean(differences), t, p))


if __name__ == "__main__":
    main()
