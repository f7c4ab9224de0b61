#!/bin/sh
# Multi-fidelity for a script: tests/bench/mlp_partial_fit.py (scikit-learn's MLPClassifier, partial_fit per epoch,
# a pickled checkpoint) on a 12,000-row, 8-class table (9,000 rows to train, 3,000 to validate), epochs 1..27.
# Tunebench's ASHA and BOHB run it through the external-command path ({budget}, {checkpoint_dir}); Debian's Optuna
# runs the same training code in process with TPE and its Hyperband pruner, and with its successive-halving pruner,
# for the epochs ASHA trained (equal compute), and TPE without pruning for 100 trials of 27 epochs (the full-budget
# reference). Prints the median best validation accuracy and epochs over seeds.
#   tests/bench/run_script_multifidelity_bench.sh [BUILD_DIR] [SEEDS] [REFERENCE_SEEDS]
set -eu
BUILD=${1:-build/release}
SEEDS=${2:-5}
REFERENCE_SEEDS=${3:-3}
CLI=$(realpath "$BUILD/app/tunebench-cli")
HERE=$(dirname "$(realpath "$0")")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
/usr/bin/python3 - "$WORK" <<'PY'
import sys
import numpy as np
from sklearn.datasets import make_classification
X, y = make_classification(n_samples=12000, n_features=20, n_informative=12, n_redundant=4, n_classes=8,
                           n_clusters_per_class=2, random_state=21)
header = ",".join([f"x{i}" for i in range(20)] + ["target"])
data = np.column_stack([X, y])
np.savetxt(sys.argv[1] + "/train.csv", data[:9000], delimiter=",", fmt="%.6g", header=header, comments="")
np.savetxt(sys.argv[1] + "/validation.csv", data[9000:], delimiter=",", fmt="%.6g", header=header, comments="")
PY
RANGES='"learning_rate": {"type": "continuous", "min": 0.0001, "max": 0.1, "scaling": "log"},
        "alpha": {"type": "continuous", "min": 0.000001, "max": 0.1, "scaling": "log"},
        "units": {"type": "integer", "min": 8, "max": 256, "scaling": "log"},
        "batch_size": {"type": "integer", "min": 32, "max": 512, "scaling": "log"}'
seed=0
while [ "$seed" -lt "$SEEDS" ]; do
    for strategy in asha bohb; do
        trials=150
        [ $strategy = bohb ] && trials=70
        cat > "$WORK/spec.json" <<SPEC
{"name": "$strategy-$seed",
 "algorithm": {"command": ["/usr/bin/python3", "$HERE/mlp_partial_fit.py", "$WORK/train.csv", "$WORK/validation.csv",
                           "{checkpoint_dir}", "{budget}", "{learning_rate}", "{alpha}", "{units}", "{batch_size}"],
               "metrics": [{"name": "accuracy", "regex": "^accuracy=(\\\\S+)"},
                           {"name": "epoch_accuracy", "regex": "epoch=(?<step>\\\\d+) accuracy=(?<value>\\\\S+)"}]},
 "ranges": {$RANGES}, "objective": {"metric": "accuracy", "goal": "maximize"},
 "strategy": "$strategy", "budget": {"min_resource": 1, "max_resource": 27},
 "limits": {"max_trials": $trials, "max_parallel": 2}, "seed": $seed}
SPEC
        "$CLI" tune "$WORK/spec.json" --project "$WORK/bench.tbproj" --json > "$WORK/$strategy-$seed.json" 2> "$WORK/stderr" || { cat "$WORK/stderr"; exit 1; }
    done
    epochs=$(/usr/bin/python3 -c "import json; print(json.load(open('$WORK/asha-$seed.json'))['budget_used'])")
    for mode in hyperband halving; do
        /usr/bin/python3 "$HERE/optuna_multifidelity.py" "$WORK/train.csv" "$WORK/validation.csv" $mode $seed "$epochs" > "$WORK/optuna-$mode-$seed.json"
    done
    if [ "$seed" -lt "$REFERENCE_SEEDS" ]; then
        /usr/bin/python3 "$HERE/optuna_multifidelity.py" "$WORK/train.csv" "$WORK/validation.csv" full $seed > "$WORK/optuna-full-$seed.json"
    fi
    seed=$((seed + 1))
done
/usr/bin/python3 - "$WORK" "$SEEDS" "$REFERENCE_SEEDS" <<'PY'
import json, statistics, sys
work, seeds, references = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = {"Tunebench asha": [f"asha-{s}.json" for s in range(seeds)],
        "Tunebench bohb": [f"bohb-{s}.json" for s in range(seeds)],
        "Optuna TPE + Hyperband pruner (ASHA's epochs)": [f"optuna-hyperband-{s}.json" for s in range(seeds)],
        "Optuna TPE + successive halving (ASHA's epochs)": [f"optuna-halving-{s}.json" for s in range(seeds)],
        "Optuna TPE, 100 trials x 27 epochs (reference)": [f"optuna-full-{s}.json" for s in range(references)]}
print("| run | median best accuracy | per seed | median epochs |")
print("|---|---|---|---|")
for name, files in rows.items():
    results = [json.load(open(f"{work}/{f}")) for f in files]
    best = [r["best"]["objective"] if isinstance(r["best"], dict) else r["best"] for r in results]
    epochs = [r.get("budget_used", r.get("epochs", 0)) for r in results]
    print(f"| {name} | {statistics.median(best):.4f} | {', '.join(f'{b:.4f}' for b in best)} | "
          f"{statistics.median(epochs):.0f} |")
PY
