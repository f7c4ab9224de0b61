#!/bin/sh
# Multi-fidelity on a real training task: the built-in mlp on a 12,000-row, 8-class table (scikit-learn's
# make_classification, made here), epochs as the resource (1, 3, 9, 27). Full-budget TPE (100 trials of 27 epochs)
# against ASHA and BOHB, whose trials pause at rungs and continue when promoted; prints, per strategy, the median over
# seeds of the best validation accuracy and of the epochs trained in all (budget_used; TPE: 100 x 27).
#   tests/bench/run_multifidelity_bench.sh [BUILD_DIR] [SEEDS] [TPE_SEEDS]
set -eu
BUILD=${1:-build/release}
SEEDS=${2:-5}
TPE_SEEDS=${3:-3}
CLI=$(realpath "$BUILD/app/tunebench-cli")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
/usr/bin/python3 - "$WORK/mf12k.csv" <<'PY'
import sys
import numpy as np
from sklearn.datasets import make_classification
X, y = make_classification(n_samples=12000, n_features=20, n_informative=12, n_redundant=4, n_classes=8,
                           n_clusters_per_class=2, random_state=21)
np.savetxt(sys.argv[1], np.column_stack([X, y]), delimiter=",", fmt="%.6g",
           header=",".join([f"x{i}" for i in range(20)] + ["target"]), comments="")
PY
RANGES='"learning_rate": {"type": "continuous", "min": 0.0001, "max": 0.1, "scaling": "log"},
        "units": {"type": "integer", "min": 8, "max": 256, "scaling": "log"},
        "l2": {"type": "continuous", "min": 0.000001, "max": 0.1, "scaling": "log"},
        "batch_size": {"type": "integer", "min": 32, "max": 512, "scaling": "log"}'
for strategy in tpe asha bohb; do
    seed=0
    runs=$SEEDS
    [ $strategy = tpe ] && runs=$TPE_SEEDS
    while [ "$seed" -lt "$runs" ]; do
        case $strategy in
            tpe) search='"strategy": "tpe", "limits": {"max_trials": 100, "max_parallel": 2}'; fixed='"epochs": 27, ' ;;
            asha) search='"strategy": "asha", "budget": {"min_resource": 1, "max_resource": 27}, "limits": {"max_trials": 250, "max_parallel": 2}'; fixed='' ;;
            bohb) search='"strategy": "bohb", "budget": {"min_resource": 1, "max_resource": 27}, "limits": {"max_trials": 110, "max_parallel": 2}'; fixed='' ;;
        esac
        cat > "$WORK/spec.json" <<SPEC
{"name": "$strategy-$seed", "dataset": {"path": "$WORK/mf12k.csv", "target": "target"},
 "validation": {"method": "holdout", "holdout": 0.25}, "algorithm": "mlp",
 "fixed": {$fixed "n_iter_no_change": 0},
 "ranges": {$RANGES}, "objective": {"metric": "accuracy"}, $search, "seed": $seed}
SPEC
        start=$(date +%s.%N)
        "$CLI" tune "$WORK/spec.json" --project "$WORK/bench.tbproj" --json > "$WORK/$strategy-$seed.json" 2> "$WORK/stderr" || { cat "$WORK/stderr"; exit 1; }
        end=$(date +%s.%N)
        echo "$start $end" > "$WORK/$strategy-$seed.time"
        seed=$((seed + 1))
    done
done
/usr/bin/python3 - "$WORK" "$SEEDS" "$TPE_SEEDS" <<'PY'
import json, statistics, sys
work, seeds, tpe_seeds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
print("| strategy | median best accuracy | per seed | median epochs trained | median seconds |")
print("|---|---|---|---|---|")
for strategy in ("tpe", "asha", "bohb"):
    best, epochs, seconds = [], [], []
    for seed in range(tpe_seeds if strategy == "tpe" else seeds):
        result = json.load(open(f"{work}/{strategy}-{seed}.json"))
        best.append(result["best"]["objective"])
        epochs.append(result.get("budget_used", 27 * result["trials"]))
        start, end = map(float, open(f"{work}/{strategy}-{seed}.time").read().split())
        seconds.append(end - start)
    print(f"| {strategy} | {statistics.median(best):.4f} | {', '.join(f'{b:.4f}' for b in best)} | "
          f"{statistics.median(epochs):.0f} | {statistics.median(seconds):.0f} |")
PY
