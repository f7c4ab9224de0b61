#!/usr/bin/python3
"""scikit-learn's regression figures beside tunebench's, on the same folds (issue #3: "regression where the
family allows").

    /usr/bin/python3 tests/bench/regression_parity.py PEERS_DIR OUT_DIR [--weka WEKA_EXAMPLES] [--models M1,M2]

shared/peers/sklearn_parity.py covers classification only. This runs its protocol on regression tables:
KFold(10, shuffle=True, random_state=0), the peers' preprocessing (mean imputation and standardisation of
numeric columns, most-frequent imputation and one-hot encoding of nominal ones, fitted inside each training
fold), one thread, each model at scikit-learn's defaults beside the tunebench algorithm of its family at
tunebench's: Ridge(alpha=1) / linear, MLPRegressor((100,), max_iter=200, random_state=0) / mlp,
RandomForestRegressor(100, random_state=0) / forest, HistGradientBoostingRegressor(random_state=0) /
xgboost, KNeighborsRegressor(5) / knn, DecisionTreeRegressor(random_state=0) / tree. Cell: mean over folds
of R² / RMSE.

Datasets: cpu.arff (shared/data: 209 rows, 6 numeric attributes), scikit-learn's bundled diabetes (442 rows,
10 attributes, unscaled), Friedman #1 made here (1,000 rows, 10 features of which 5 matter, noise 1, seed 1),
the first 2,000 rows of synth_reg_50k (shared/data), and a mixed table made here (synth_reg_mixed: 1,000
rows, five numeric and three nominal columns, 5 % of feature cells blank); with --weka, Weka's
cpu.with.vendor.arff (a nominal vendor of 30 levels). --seeds 8 averages each seeded model (MLP, forest,
boosting, tree) over random_state 0-7, to set beside tunebench's seeds 0-7 (`--set seed=S`). Writes OUT_DIR/folds/NAME.folds, OUT_DIR/data/ and
prints scikit-learn's table; then

    DATASETS="$(cat OUT_DIR/datasets)" METRICS="r2 rmse" ALGORITHMS="linear mlp forest xgboost knn tree" \\
        tests/bench/parity.sh build/release OUT_DIR/folds

prints tunebench's on exactly the same folds.
"""
import argparse
import itertools
import os
import sys
import time
import warnings

import numpy as np

MODELS = ["Ridge", "MLPRegressor", "RandomForestRegressor", "HistGradientBoostingRegressor",
          "KNeighborsRegressor", "DecisionTreeRegressor"]


def make_model(name):
    from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
    from sklearn.linear_model import Ridge
    from sklearn.neighbors import KNeighborsRegressor
    from sklearn.neural_network import MLPRegressor
    from sklearn.tree import DecisionTreeRegressor
    return {
        "Ridge": lambda: Ridge(alpha=1.0),
        "MLPRegressor": lambda: MLPRegressor(hidden_layer_sizes=(100,), max_iter=200, random_state=0),
        "RandomForestRegressor": lambda: RandomForestRegressor(n_estimators=100, random_state=0, n_jobs=1),
        "HistGradientBoostingRegressor": lambda: HistGradientBoostingRegressor(random_state=0),
        "KNeighborsRegressor": lambda: KNeighborsRegressor(5),
        "DecisionTreeRegressor": lambda: DecisionTreeRegressor(random_state=0),
    }[name]()


def write_table(path, header, rows):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(row) + "\n")


def write_made(data_dir, shared_data):
    """The tables made here, written as CSV so that tunebench reads exactly what scikit-learn does."""
    from sklearn.datasets import load_diabetes, make_friedman1, make_regression
    made = []
    X, y = load_diabetes(return_X_y=True, scaled=False)
    path = os.path.join(data_dir, "diabetes_reg.csv")
    names = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
    write_table(path, names + ["target"], (["%.17g" % v for v in row] + ["%.17g" % t] for row, t in zip(X, y)))
    made.append(path)

    X, y = make_friedman1(n_samples=1000, n_features=10, noise=1.0, random_state=1)
    path = os.path.join(data_dir, "friedman1.csv")
    write_table(path, ["x%d" % j for j in range(10)] + ["target"],
                (["%.17g" % v for v in row] + ["%.17g" % t] for row, t in zip(X, y)))
    made.append(path)

    import gzip
    path = os.path.join(data_dir, "synth_reg_2k.csv")
    with gzip.open(os.path.join(shared_data, "synth_reg_50k.csv.gz"), "rt") as f, open(path, "w") as out:
        for i, line in enumerate(f):
            if i > 2000:
                break
            out.write(line)
    made.append(path)

    # Five numeric columns and three nominal ones (a grade cut from an informative feature, a region that is
    # noise, a colour with a level of 1 % that moves the target), 5 % of feature cells blank.
    X, y = make_regression(n_samples=1000, n_features=7, n_informative=5, noise=10.0, random_state=3)
    rng = np.random.default_rng(3)
    grade = np.array(list("ABCDE"))[np.digitize(X[:, 5] + rng.normal(0, 0.5, len(y)), [-1.2, -0.4, 0.4, 1.2])]
    region = rng.choice(["north", "south", "east", "west", "centre"], len(y))
    rare = rng.random(len(y)) < 0.01
    colour = np.where(rare, "violet", np.where(X[:, 6] > 0, "red", "blue"))
    y = y + 40.0 * rare
    rows = []
    for i in range(len(y)):
        cells = ["%.10g" % v for v in X[i, :5]] + [grade[i], region[i], colour[i]]
        cells = ["" if rng.random() < 0.05 else c for c in cells]
        rows.append(cells + ["%.10g" % y[i]])
    path = os.path.join(data_dir, "synth_reg_mixed.csv")
    write_table(path, ["x%d" % j for j in range(5)] + ["grade", "region", "colour", "target"], rows)
    made.append(path)
    return made


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("peers")
    parser.add_argument("out")
    parser.add_argument("--models", default=None)
    parser.add_argument("--weka", default=None, help="also Weka's cpu.with.vendor.arff (Debian's weka package)")
    parser.add_argument("--seeds", type=int, default=1,
                        help="average seeded models over random_state 0..SEEDS-1 (to set beside tunebench's seeds)")
    args = parser.parse_args()
    sys.path.insert(0, os.path.abspath(args.peers))
    import peerdata
    import sklearn_parity as sp
    from sklearn.base import clone
    from sklearn.metrics import mean_squared_error, r2_score
    from sklearn.model_selection import KFold
    from sklearn.pipeline import Pipeline
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    out = os.path.abspath(args.out)
    data_dir, folds_dir = os.path.join(out, "data"), os.path.join(out, "folds")
    os.makedirs(data_dir, exist_ok=True)
    os.makedirs(folds_dir, exist_ok=True)
    shared_data = os.path.abspath(os.path.join(args.peers, "..", "data"))
    files = [(os.path.join(shared_data, "cpu.arff"), "class")]
    files += [(path, "target") for path in write_made(data_dir, shared_data)]
    if args.weka:
        # Copied under a name of its own: labels, like parity.sh's fold files, end at the first dot.
        import shutil
        path = os.path.join(data_dir, "cpu_with_vendor.arff")
        shutil.copyfile(os.path.join(args.weka, "cpu.with.vendor.arff"), path)
        files.append((path, "class"))
    with open(os.path.join(out, "datasets"), "w") as f:
        f.write(" ".join("%s:%s" % entry for entry in files) + "\n")

    models = args.models.split(",") if args.models else MODELS
    print("| dataset | " + " | ".join(models) + " |")
    print("|---|" + "---|" * len(models))
    for path, target in files:
        label = os.path.basename(path).split(".")[0]
        d = peerdata.load(path, target)
        X, y, kinds = d["X"], d["y"].astype(float), d["kinds"]
        splits = list(KFold(n_splits=10, shuffle=True, random_state=0).split(X))
        fold_of = np.empty(len(y), dtype=int)
        for k, (_, test) in enumerate(splits):
            fold_of[test] = k
        with open(os.path.join(folds_dir, label + ".folds"), "w") as f:
            f.write("".join("%d\n" % k for k in fold_of))
        cells = []
        for name in models:
            model = make_model(name)
            seeded = "random_state" in model.get_params()
            r2s, rmses, fits = [], [], []
            for (train, test), seed in itertools.product(splits, range(args.seeds if seeded else 1)):
                if seeded:
                    model.set_params(random_state=seed)
                pipe = Pipeline([("pre", sp.make_preprocessor(kinds)), ("model", clone(model))])
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    start = time.perf_counter()
                    pipe.fit(X[train], y[train])
                    fits.append(time.perf_counter() - start)
                predicted = pipe.predict(X[test])
                r2s.append(r2_score(y[test], predicted))
                rmses.append(mean_squared_error(y[test], predicted) ** 0.5)
            cells.append("%.4f / %.4f (%.1f ms)" % (np.mean(r2s), np.mean(rmses), 1000 * np.mean(fits)))
        print("| %s | %s |" % (label, " | ".join(cells)), flush=True)


if __name__ == "__main__":
    main()
