#!/usr/bin/python3
"""scikit-learn's figures with class_weight="balanced", on the peers' protocol, for imbalanced tables.

    /usr/bin/python3 tests/bench/balanced_parity.py PEERS_DIR OUT_DIR [--weka DIR]

For each table (diabetes 65/35 and breast-cancer 70/30 from shared/data; with --weka, Weka's credit-g 70/30
and unbalanced, 12 positives in 856), runs LogisticRegression(max_iter=1000), DecisionTreeClassifier and
RandomForestClassifier(100) with random_state=0, with and without class_weight="balanced", and
xgboost's XGBClassifier (Debian's python3-xgboost, tree_method as tunebench's auto picks it) with and without
sample_weight=compute_sample_weight("balanced"), on sklearn_parity.py's StratifiedKFold(10, shuffle=True,
random_state=0) folds and preprocessing (fitted inside each training fold). Prints a markdown table of mean
fold balanced accuracy / AUC and writes OUT_DIR/folds/NAME.folds, so that

    DATASETS="PEERS_DIR/../data/diabetes.arff:class ..." METRICS="balanced_accuracy auc" \\
        TRAIN_ARGS="--set class_weight=balanced" ALGORITHMS="logistic tree forest xgboost" \\
        tests/bench/parity.sh build/release OUT_DIR/folds

gives tunebench's figures on exactly the same folds. With --seeds N, tree and forest figures are means over
random_state 0..N-1 (a single tree's or forest's figure moves by a point or more from seed to seed); ours:

    for s in 0 1 2 3 4 5 6 7; do TRAIN_ARGS="--set class_weight=balanced --set seed=$s" ... parity.sh ...; done
"""
import argparse
import os
import sys
import warnings


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("peers")
    parser.add_argument("out")
    parser.add_argument("--weka", default=None, help="Weka's examples folder (Debian's weka package)")
    parser.add_argument("--seeds", type=int, default=1, help="tree and forest: mean over this many seeds")
    args = parser.parse_args()
    sys.path.insert(0, os.path.abspath(args.peers))
    import numpy as np
    import peerdata
    import sklearn_parity as sp
    import xgboost
    from sklearn.base import clone
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import balanced_accuracy_score, roc_auc_score
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import Pipeline
    from sklearn.tree import DecisionTreeClassifier
    from sklearn.utils.class_weight import compute_sample_weight
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    tables = [("diabetes", "diabetes.arff"), ("breast-cancer", "breast-cancer.arff")]
    if args.weka:
        tables += [(name, os.path.abspath(os.path.join(args.weka, name + ".arff")))
                   for name in ("credit-g", "unbalanced")]
    models = {
        "logistic": lambda w, s: LogisticRegression(max_iter=1000, class_weight=w),
        "tree": lambda w, s: DecisionTreeClassifier(random_state=s, class_weight=w),
        "forest": lambda w, s: RandomForestClassifier(n_estimators=100, random_state=s, n_jobs=1, class_weight=w),
        "xgboost": lambda w, s: xgboost.XGBClassifier(n_estimators=100, n_jobs=1),
    }
    os.makedirs(os.path.join(args.out, "folds"), exist_ok=True)
    print("| dataset | " + " | ".join("%s %s" % (m, w) for m in models for w in ("none", "balanced")) + " |")
    print("|---|" + "---|" * (2 * len(models)))
    for label, fname in tables:
        d = peerdata.load(fname)
        X, y, kinds = d["X"], d["y"], d["kinds"]
        classes = np.array(sorted(set(y)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            splits = list(StratifiedKFold(n_splits=10, shuffle=True, random_state=0).split(X, y))
        fold_of = np.empty(len(y), dtype=int)
        for k, (_, test) in enumerate(splits):
            fold_of[test] = k
        with open(os.path.join(args.out, "folds", label + ".folds"), "w") as f:
            f.write("".join("%d\n" % k for k in fold_of))
        cells = []
        for name, make in models.items():
            seeds = range(args.seeds) if name in ("tree", "forest") else range(1)
            for weight in (None, "balanced"):
                balanced, aucs = [], []
                for (train, test), seed in ((split, seed) for seed in seeds for split in splits):
                    pipe = Pipeline([("pre", sp.make_preprocessor(kinds)), ("model", make(weight, seed))])
                    codes = np.searchsorted(classes, y[train])
                    fit = {}
                    if name == "xgboost":
                        # tunebench's tree_method auto: exact search up to 50,000 cells, histograms above.
                        cells_count = len(train) * clone(pipe.named_steps["pre"]).fit_transform(X[train]).shape[1]
                        pipe.set_params(model__tree_method="exact" if cells_count <= 50000 else "hist")
                        if weight:
                            fit["model__sample_weight"] = compute_sample_weight("balanced", codes)
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        pipe.fit(X[train], codes, **fit)
                    probabilities = pipe.predict_proba(X[test])
                    truth = np.searchsorted(classes, y[test])
                    balanced.append(balanced_accuracy_score(truth, probabilities.argmax(axis=1)))
                    aucs.append(roc_auc_score(truth == 1, probabilities[:, 1]))
                cells.append("%.4f / %.4f" % (np.mean(balanced), np.mean(aucs)))
        print("| %s | %s |" % (label, " | ".join(cells)))


if __name__ == "__main__":
    main()
