#!/usr/bin/python3
"""xgboost settings against HistGradientBoostingRegressor on regression tables, over repeated 10-fold splits.

    /usr/bin/python3 tests/bench/xgboost_regression_sweep.py PEERS_DIR DATASETS_FILE REPEATS "SETTINGS" ...

DATASETS_FILE is the `datasets` list that tests/bench/regression_parity.py writes (FILE:TARGET ...). Each
SETTINGS is a quoted list of xgboost's own NAME=VALUE ("max_depth=3 eta=0.2"; "" for libxgboost's defaults),
given to Debian's python3-xgboost (which equals tunebench's xgboost given the same settings), 100 rounds, one
thread, exact splits up to 50,000 cells as tunebench's `auto`, starting from each training fold's mean as
tunebench's `boost_from_average`. Both sides get the peers' preprocessing on KFold(10, shuffle=True,
random_state=r), r = 0..REPEATS-1. Prints, per table and setting, the mean R² of both and the difference in
points (and split 0's). Session 18 chose xgboost's regression defaults (depth 3, eta 0.2) with it.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from xgboost_peer import RENAMED, value  # noqa: E402


def main():
    peers_dir, datasets, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
    settings = [dict(arg.split("=", 1) for arg in entry.split()) for entry in sys.argv[4:]]
    from peerside import Peers
    import xgboost
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.metrics import r2_score
    from sklearn.model_selection import KFold

    for entry in open(datasets).read().split():
        file_name, target = entry.rsplit(":", 1)
        peers = Peers(peers_dir, file_name, target)
        X, y = peers.X, peers.y.astype(float)
        exact = X.shape[0] * X.shape[1] <= 50000
        scores = {i: [] for i in range(len(settings))}
        for r in range(repeats):
            folds = list(KFold(10, shuffle=True, random_state=r).split(X))

            def fold_r2(make):
                result = []
                for train, test in folds:
                    pre = peers.sp.make_preprocessor(peers.kinds)
                    model = make(y[train])
                    model.fit(pre.fit_transform(X[train]), y[train])
                    result.append(r2_score(y[test], model.predict(pre.transform(X[test]))))
                return np.mean(result)

            hgbr = fold_r2(lambda _: HistGradientBoostingRegressor(random_state=0))
            for i, given in enumerate(settings):
                options = dict(n_estimators=100, n_jobs=1, tree_method="exact" if exact else "hist")
                options.update({RENAMED.get(k, k): value(v) for k, v in given.items()})
                ours = fold_r2(lambda t: xgboost.XGBRegressor(**options, base_score=float(t.mean())))
                scores[i].append((ours, hgbr))
        name = os.path.basename(file_name).split(".")[0]
        for i, given in enumerate(settings):
            d = np.array(scores[i])
            print("%-16s %-44s R2 %.4f  HGBR %.4f  difference %+6.2f (split 0 %+6.2f)" % (
                name, " ".join("%s=%s" % kv for kv in given.items()) or "defaults", d[:, 0].mean(), d[:, 1].mean(),
                100 * (d[:, 0] - d[:, 1]).mean(), 100 * (d[0, 0] - d[0, 1])), flush=True)


if __name__ == "__main__":
    main()
