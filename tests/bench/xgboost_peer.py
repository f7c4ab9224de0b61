#!/usr/bin/python3
"""xgboost's own Python package on scikit-learn's folds, for the parity table (issue #3).

    /usr/bin/python3 tests/bench/xgboost_peer.py PEERS_DIR FOLDS_DIR [name=value ...]

PEERS_DIR is shared/peers (its peerdata.py and sklearn_parity.py give the datasets, the preprocessing and
the AUC); FOLDS_DIR is the folds/ that `sklearn_parity.py parity` writes. name=value pairs are passed to
xgboost.XGBClassifier as they are to `tunebench-cli train --set` (eta, lambda, rounds, ... in xgboost's own
names; the Python package's other defaults are libxgboost's, so give tunebench's for classes,
colsample_bynode=0.5 gamma=1, to compare with its defaults). As tunebench does by default (boost_from_average), a binary model's base_score is each training
fold's class prior; boost_from_average=false leaves xgboost 1.7's 0.5. Prints one markdown row per dataset: accuracy / AUC, to set beside tests/bench/parity.sh's xgboost
column. DATASETS, as for parity.sh, replaces the peers' datasets with a list of FILE:TARGET whose folds are
FOLDS_DIR/NAME.folds. Needs Debian's python3-xgboost and python3-sklearn.
"""
import os
import sys

import numpy as np

# tunebench's names that XGBClassifier spells differently; the rest pass through.
RENAMED = {"rounds": "n_estimators", "eta": "learning_rate", "lambda": "reg_lambda", "alpha": "reg_alpha"}


def value(text):
    """A NAME=VALUE pair's value as the Python package takes it: an int, else a float, else the text."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def main():
    peers, folds = sys.argv[1], sys.argv[2]
    params = dict(arg.split("=", 1) for arg in sys.argv[3:])
    sys.path.insert(0, peers)
    import sklearn_parity as sp
    import peerdata
    import xgboost
    from sklearn.metrics import accuracy_score

    settings = dict(n_estimators=100, tree_method="hist", n_jobs=1)
    from_average = params.pop("boost_from_average", "true") == "true"
    settings.update({RENAMED.get(k, k): value(v) for k, v in params.items()})
    print("| dataset | python xgboost %s |" % xgboost.__version__)
    print("|---|---|")
    datasets = [(label, name, target) for label, name, target, _ in sp.PARITY_DATASETS]
    if os.environ.get("DATASETS"):
        datasets = [(os.path.basename(entry).split(".")[0],) + tuple(os.path.abspath(entry).rsplit(":", 1))
                    for entry in os.environ["DATASETS"].split()]
    for label, file_name, target in datasets:
        path = os.path.join(folds, label + ".folds")
        if not os.path.exists(path):
            continue
        data = peerdata.load(file_name, target)
        X, y, kinds = data["X"], data["y"], data["kinds"]
        classes = np.array(sorted(set(y)))
        codes = np.searchsorted(classes, y)
        fold = np.loadtxt(path, dtype=int)
        accuracies, aucs = [], []
        for k in range(fold.max() + 1):
            train, test = fold != k, fold == k
            pre = sp.make_preprocessor(kinds)
            prior = {"base_score": float(np.mean(codes[train]))} if from_average and len(classes) == 2 else {}
            model = xgboost.XGBClassifier(**settings, **prior)
            model.fit(pre.fit_transform(X[train]), codes[train])
            P = model.predict_proba(pre.transform(X[test]))
            accuracies.append(accuracy_score(codes[test], P.argmax(axis=1)))
            aucs.append(sp.fold_auc(codes[test], P, np.arange(len(classes)))[0])
        print("| %s | %.4f / %.4f |" % (label, np.mean(accuracies), np.mean(aucs)))


if __name__ == "__main__":
    main()
