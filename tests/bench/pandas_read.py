"""pandas.read_csv on one file: wall time, throughput and peak RSS as JSON (the peer side of bench_read)."""
import json
import os
import resource
import sys
import time

import pandas as pd

path = sys.argv[1]
start = time.perf_counter()
frame = pd.read_csv(path)
seconds = time.perf_counter() - start
size = os.path.getsize(path)
print(json.dumps({"tool": "pandas " + pd.__version__, "rows": frame.shape[0], "columns": frame.shape[1],
                  "seconds": round(seconds, 4), "mb_per_s": round(size / 1e6 / seconds, 1),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "file_mb": round(size / 1e6, 1)}))
