#!/usr/bin/python3
"""scikit-learn's parity figures on classification data that shared/peers/sklearn_parity.py leaves out.

    /usr/bin/python3 tests/bench/extra_parity.py PEERS_DIR OUT_DIR [--models M1,M2,...]

Runs sklearn_parity.py's own protocol (its StratifiedKFold(10) folds, preprocessing, models and AUC) on
wine_data.csv and iris.csv from shared/data (classification sets its list does not include) and on a
four-class set made here with make_classification (800 rows, 12 features, 6 informative, seed 1), which
no one tuned anything on. Writes OUT_DIR/sklearn_parity.{json,md}, OUT_DIR/folds/*.folds and the made set
in OUT_DIR/data/; then

    DATASETS="../shared/data/wine_data.csv:target ../shared/data/iris.csv:target OUT_DIR/data/synth_4class.csv:target" \\
        ALGORITHMS="logistic mlp forest xgboost knn tree" tests/bench/parity.sh build/release OUT_DIR/folds

gives tunebench's figures on exactly the same folds.
"""
import argparse
import os
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("peers")
    parser.add_argument("out")
    parser.add_argument("--models", default=None)
    args = parser.parse_args()
    sys.path.insert(0, os.path.abspath(args.peers))
    import sklearn_parity as sp
    from sklearn.datasets import make_classification

    os.makedirs(os.path.join(args.out, "data"), exist_ok=True)
    made = os.path.abspath(os.path.join(args.out, "data", "synth_4class.csv"))
    X, y = make_classification(n_samples=800, n_features=12, n_informative=6, n_classes=4, random_state=1)
    with open(made, "w") as f:
        f.write(",".join("x%d" % j for j in range(X.shape[1])) + ",target\n")
        for row, label in zip(X, y):
            f.write(",".join("%.17g" % v for v in row) + ",%d\n" % label)

    # Labels are the files' names without extension, as tests/bench/parity.sh names their folds.
    sp.PARITY_DATASETS = [("wine_data", "wine_data.csv", "target", "shared/data, not in sklearn_parity.py"),
                          ("iris", "iris.csv", "target", "shared/data, the CSV copy with a numeric target"),
                          ("synth_4class", made, "target", "make_classification(800, 12, 6 informative, 4 classes)")]
    sp.RESULTS = os.path.abspath(args.out)
    sp.FOLDS_DIR = os.path.join(sp.RESULTS, "folds")
    sp.run_parity(argparse.Namespace(datasets=None, models=args.models))


if __name__ == "__main__":
    main()
