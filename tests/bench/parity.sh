#!/usr/bin/env bash
# Parity with scikit-learn: 10-fold CV accuracy / AUC of every algorithm on every classification dataset.
#   tests/bench/parity.sh [BUILD_DIR] [FOLDS_DIR]
# With FOLDS_DIR (the folds/ that shared/peers/sklearn_parity.py writes), every fit uses exactly scikit-learn's
# folds, so that differences come from the algorithms alone. Prints a markdown table: accuracy / AUC (ms per fit).
# TRAIN_ARGS adds options to every train, e.g. TRAIN_ARGS="--set grow_policy=lossguide --set max_leaves=31".
# DATASETS replaces the eight datasets with a list of FILE:TARGET (tests/bench/extra_parity.py's, for one); a
# dataset's folds are FOLDS_DIR/NAME.folds, NAME being the file's name without extension.
# SCORE=pooled scores every out-of-fold prediction at once (train's out_of_fold), as Weka's figures are,
# instead of the mean over folds. METRICS names the two figures of a cell (default "accuracy auc"; for
# example "balanced_accuracy auc", as tests/bench/balanced_parity.py prints them).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
folds=${2:-}
algorithms=${ALGORITHMS:-logistic forest xgboost knn tree}
cli=$build/app/tunebench-cli
data=$root/tests/data
datasets=${DATASETS:-$data/breast_cancer.csv:target $data/diabetes.arff:class $data/ionosphere.arff:class
$data/iris.arff:class $data/glass.arff:Type $data/digits.csv.gz:target $data/penguins.csv:species
$data/breast-cancer.arff:Class}
printf '| dataset |'
for a in $algorithms; do printf ' %s |' "$a"; done
printf '\n|---|'
for a in $algorithms; do printf -- '---|'; done
printf '\n'
for entry in $datasets; do
    file=${entry%:*}
    target=${entry##*:}
    name=$(basename "$file")
    name=${name%%.*}
    split=(--folds 10)
    [ -n "$folds" ] && [ -f "$folds/$name.folds" ] && split=(--folds-file "$folds/$name.folds")
    printf '| %s |' "$name"
    for a in $algorithms; do
        "$cli" train "$file" --target "$target" --algorithm "$a" "${split[@]}" --threads 1 ${TRAIN_ARGS:-} --json |
            SCORE=${SCORE:-mean} METRICS=${METRICS:-accuracy auc} /usr/bin/python3 -c 'import json,os,sys
d=json.load(sys.stdin); n=len(d["folds"]); first, second = os.environ["METRICS"].split()
m=d["out_of_fold"] if os.environ["SCORE"] == "pooled" else {k: v["mean"] for k, v in d["metrics"].items()}
print(" %.4f / %.4f (%.1f ms) |" % (m[first], m[second], 1000*d["fit_seconds"]/n), end="")'
    done
    printf '\n'
done
