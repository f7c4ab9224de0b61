#!/usr/bin/env bash
# Cancellation latency (issue #3: a cancelled fit ends within 100 ms): every algorithm on synth_100k (80,000
# training rows x 50; linear on synth_reg_50k), cancelled at several moments of its fit and of its prediction
# of the 20,000 test rows, from another thread. Prints one JSON line per run, then the worst per algorithm.
#   tests/bench/cancel_latency.sh [BUILD_DIR] [DATA_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
data=${2:-$root/../shared/data}
bench=$build/tests/bench/bench_fit
[ -x "$bench" ] || { echo "build $bench first (cmake --build --preset release)" >&2; exit 1; }

out=$(mktemp)
trap 'rm -f "$out"' EXIT
for case in "synth_100k logistic" "synth_100k mlp" "synth_100k forest" "synth_100k xgboost" "synth_100k knn" \
    "synth_100k tree" "synth_reg_50k linear" "synth_reg_50k xgboost" "synth_100k xgboost tree_method=exact"; do
    set -- $case
    for after in 0.02 0.1 0.3 0.7 1.5 3; do
        "$bench" "$data/$1.csv.gz" "$2" "${@:3}" --cancel-after "$after" | sed "s/^{/{\"case\": \"$case\", /" |
            tee -a "$out"
    done
done
/usr/bin/python3 - "$out" <<'PY'
import json, sys
worst = {}
for line in open(sys.argv[1]):
    run = json.loads(line)
    key = run["case"]
    entry = worst.setdefault(key, [0.0, 0, 0])
    entry[2] += 1
    if "cancel_latency_ms" in run:
        entry[0] = max(entry[0], run["cancel_latency_ms"])
        entry[1] += 1
print("| case | runs cancelled / runs (the others finished first) | worst latency ms |")
print("|---|---|---|")
for key, (latency, cancelled, runs) in worst.items():
    print("| %s | %d / %d | %.1f |" % (key, cancelled, runs, latency))
PY
