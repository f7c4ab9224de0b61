#!/usr/bin/python3
"""scikit-learn's parity figures on classification data that shared/peers/sklearn_parity.py leaves out.

    /usr/bin/python3 tests/bench/extra_parity.py PEERS_DIR OUT_DIR [--models M1,M2,...]

Runs sklearn_parity.py's own protocol (its StratifiedKFold(10) folds, preprocessing, models and AUC) on
wine_data.csv and iris.csv from shared/data (classification sets its list does not include) and on a
four-class set made here with make_classification (800 rows, 12 features, 6 informative, seed 1), which
no one tuned anything on, and on a mixed set made here too (synth_mixed: 1,000 rows, 70/30 "good"/"bad",
six numeric and three nominal columns, one of them with a rare level, and 5 % of feature cells missing),
which exercises imputation and one-hot encoding as real tabular data does. Writes OUT_DIR/sklearn_parity.{json,md}, OUT_DIR/folds/*.folds and the made set
in OUT_DIR/data/; then

    DATASETS="../shared/data/wine_data.csv:target ../shared/data/iris.csv:target OUT_DIR/data/synth_4class.csv:target \\
              OUT_DIR/data/synth_mixed.csv:target" \\
        ALGORITHMS="logistic mlp forest xgboost knn tree" tests/bench/parity.sh build/release OUT_DIR/folds

gives tunebench's figures on exactly the same folds.
"""
import argparse
import os
import sys


def write_mixed(path):
    """Binary "good"/"bad" (70/30): six numeric columns and three nominal ones (one from an informative
    feature cut into five letters, one of noise, one with a level of 1 %), 5 % of feature cells blank."""
    import numpy as np
    from sklearn.datasets import make_classification
    X, y = make_classification(n_samples=1000, n_features=8, n_informative=5, n_redundant=1,
                               weights=[0.7, 0.3], flip_y=0.03, random_state=2)
    rng = np.random.default_rng(2)
    grade = np.array(list("ABCDE"))[np.digitize(X[:, 6] + rng.normal(0, 0.5, len(y)), [-1.2, -0.4, 0.4, 1.2])]
    noise = rng.choice(["north", "south", "east", "west", "centre"], len(y))
    colour = np.where(rng.random(len(y)) < 0.01, "violet",
                      np.where(X[:, 7] + rng.normal(0, 1, len(y)) > 0, "red", "blue"))
    header = ["x%d" % j for j in range(6)] + ["grade", "region", "colour", "target"]
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for i in range(len(y)):
            cells = ["%.10g" % v for v in X[i, :6]] + [grade[i], noise[i], colour[i]]
            cells = ["" if rng.random() < 0.05 else c for c in cells]
            f.write(",".join(cells + ["good" if y[i] == 0 else "bad"]) + "\n")


WEKA_SETS = [("credit-g", "German credit: 1,000 rows, 13 nominal and 7 numeric attributes"),
             ("vote", "435 rows, 16 nominal y/n attributes, 5 % missing"),
             ("soybean", "683 rows, 35 nominal attributes, 19 classes, 10 % missing"),
             ("labor", "57 rows, 8 nominal and 8 numeric attributes, a third missing"),
             ("segment-challenge", "1,500 rows, 19 numeric attributes, 7 classes"),
             ("unbalanced", "856 rows, 32 numeric attributes, 12 positives")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("peers")
    parser.add_argument("out")
    parser.add_argument("--models", default=None)
    parser.add_argument("--weka", default=None,
                        help="also the classification sets of Weka's examples folder (Debian's weka package)")
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

    mixed = os.path.abspath(os.path.join(args.out, "data", "synth_mixed.csv"))
    write_mixed(mixed)

    # Labels are the files' names without extension, as tests/bench/parity.sh names their folds.
    sp.PARITY_DATASETS = [("wine_data", "wine_data.csv", "target", "shared/data, not in sklearn_parity.py"),
                          ("iris", "iris.csv", "target", "shared/data, the CSV copy with a numeric target"),
                          ("synth_4class", made, "target", "make_classification(800, 12, 6 informative, 4 classes)"),
                          ("synth_mixed", mixed, "target", "numeric and nominal columns, 5 % missing cells")]
    if args.weka:
        # Real tables from Weka's examples that neither shared/data nor the peers' script hold: nominal
        # attributes, many missing cells (vote, soybean, labor), 19 classes (soybean), 1.4 % positives
        # (unbalanced).
        for label, note in WEKA_SETS:
            sp.PARITY_DATASETS.append((label, os.path.abspath(os.path.join(args.weka, label + ".arff")), None, note))
    sp.RESULTS = os.path.abspath(args.out)
    sp.FOLDS_DIR = os.path.join(sp.RESULTS, "folds")
    sp.run_parity(argparse.Namespace(datasets=None, models=args.models))


if __name__ == "__main__":
    main()
