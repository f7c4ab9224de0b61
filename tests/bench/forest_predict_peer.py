"""scikit-learn's side of the forest-prediction benchmark (docs/benchmarks.md, issue #33):
RandomForestClassifier(n_estimators=100, random_state=0) fitted on synth_100k's first 80,000 rows, then
predict_proba on the last 20,000 timed with one and with two threads (median of five each).

    python3 tests/bench/forest_predict_peer.py ../shared/peers

Prints one JSON object. The fit uses both cores (it is not what is measured).
"""
import json
import statistics
import sys
import time

sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else "../shared/peers")
import peerdata  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

threadpool_limits(1)
X, y, _ = peerdata.load_xy_float("synth_100k.csv.gz")
train = int(round(0.8 * len(y)))
model = RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=2).fit(X[:train], y[:train])
result = {"rows": int(len(y) - train)}
for jobs in (1, 2):
    model.n_jobs = jobs
    times = []
    for _ in range(5):
        start = time.perf_counter()
        proba = model.predict_proba(X[train:])
        times.append(time.perf_counter() - start)
    result[f"predict_proba_s_{jobs}_threads"] = statistics.median(times)
result["test_auc"] = float(roc_auc_score(y[train:], proba[:, 1]))
print(json.dumps(result))
