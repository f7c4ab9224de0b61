#!/usr/bin/python3
"""scikit-learn's 10-fold accuracy / AUC of a seeded model over random_state 0-7, on given folds.

    /usr/bin/python3 tests/bench/seed_spread.py PEERS_DIR FILE TARGET FOLDS {mlp,forest,tree}

Uses shared/peers/sklearn_parity.py's preprocessing, models and AUC, with the model's random_state set to
0..7 instead of 0, to tell a difference between algorithms from the seed-to-seed spread of one run. Our side:

    for s in 0 1 2 3 4 5 6 7; do tunebench-cli train FILE --target TARGET --algorithm mlp \\
        --folds-file FOLDS --threads 1 --set seed=$s --json; done
"""
import os
import sys

import numpy as np


def main():
    peers_dir, file_name, target, folds, model = sys.argv[1:6]
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from peerside import Peers

    peers = Peers(peers_dir, file_name, target)
    fold_of = np.array([int(line) for line in open(folds)])
    name = {"mlp": "MLPClassifier", "forest": "RandomForestClassifier", "tree": "DecisionTreeClassifier"}[model]
    means = []
    for seed in range(8):
        accs, aucs = [], []
        for k in range(fold_of.max() + 1):
            train, test = np.where(fold_of != k)[0], np.where(fold_of == k)[0]
            accuracy, auc = peers.score(peers.sp.make_model(name).set_params(random_state=seed), train, test)
            accs.append(accuracy)
            aucs.append(auc)
        means.append((np.mean(accs), np.mean(aucs)))
        print("random_state %d: %.4f / %.4f" % (seed, *means[-1]), flush=True)
    print("mean over 0-7: %.4f / %.4f" % tuple(np.mean(means, axis=0)))


if __name__ == "__main__":
    main()
