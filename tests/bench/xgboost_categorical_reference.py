#!/usr/bin/python3
"""Known answers for tst_algorithms xgboostSplitsCategoriesAsItsPythonPackageDoes, from Debian's python3-xgboost.

breast-cancer.arff's nine attributes as the index of each value among the attribute's declared levels (NaN
where missing); deg-malig quantitative, the other eight categorical. Trains 20 rounds of depth 3 on the first
200 rows, prints the probabilities of rows 200-204 and the last round's training log loss.

    /usr/bin/python3 tests/bench/xgboost_categorical_reference.py [max_cat_to_onehot=16] [max_cat_threshold=1]
    /usr/bin/python3 tests/bench/xgboost_categorical_reference.py tree_method=exact   # codes as numbers
"""
import sys

import numpy as np
import xgboost as xgb

levels, rows, in_data = [], [], False
for line in open("tests/data/breast-cancer.arff").read().splitlines():
    if line.lower().startswith("@attribute"):
        levels.append([v.strip().strip("'") for v in line[line.index("{") + 1:line.rindex("}")].split(",")])
    elif line.lower().startswith("@data"):
        in_data = True
    elif in_data and line.strip() and not line.startswith("%"):
        rows.append([v.strip().strip("'") for v in line.split(",")])
X = np.array([[np.nan if v == "?" else levels[j].index(v) for j, v in enumerate(r[:9])] for r in rows],
             dtype=np.float32)
y = np.array([levels[9].index(r[9]) for r in rows], dtype=np.float32)

params = {"objective": "binary:logistic", "max_depth": 3, "tree_method": "hist", "nthread": 1,
          "eval_metric": "logloss"}
for argument in sys.argv[1:]:
    name, value = argument.split("=")
    params[name] = value if name == "tree_method" else int(value)
if params["tree_method"] == "exact":  # exact has no categorical splits: the codes are plain numbers
    train = xgb.DMatrix(X[:200], label=y[:200])
else:
    train = xgb.DMatrix(X[:200], label=y[:200], feature_types=["c"] * 5 + ["q"] + ["c"] * 3,
                        enable_categorical=True)
log = {}
booster = xgb.train(params, train, 20, evals=[(train, "train")], evals_result=log, verbose_eval=False)
print([float("%.9g" % p) for p in booster.predict(xgb.DMatrix(X[200:205]))], repr(log["train"]["logloss"][-1]))
