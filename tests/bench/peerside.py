"""scikit-learn's side of the bench scripts: the peers' data, preprocessing and scoring, on one thread.

    peers = peerside.Peers(PEERS_DIR, FILE, TARGET)
    accuracy, auc = peers.score(estimator, train_rows, test_rows)

PEERS_DIR is shared/peers: its peerdata.py loads the table, its sklearn_parity.py gives the preprocessing,
the models (peers.sp.make_model) and the AUC, as in shared/peers/RESULTS.md.
"""
import sys
import warnings

import numpy as np


class Peers:
    def __init__(self, peers_dir, file_name, target):
        sys.path.insert(0, peers_dir)
        import peerdata
        import sklearn_parity
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
        warnings.simplefilter("ignore")
        self.sp = sklearn_parity
        data = peerdata.load(file_name, target)
        self.X, self.y, self.kinds = data["X"], data["y"], data["kinds"]
        self.classes = np.array(sorted(set(self.y)))

    def score(self, estimator, train, test):
        """Fits the peers' preprocessing and `estimator` on the rows `train`; accuracy and AUC on `test`."""
        from sklearn.pipeline import Pipeline

        pipe = Pipeline([("pre", self.sp.make_preprocessor(self.kinds)), ("model", estimator)])
        pipe.fit(self.X[train], self.y[train])
        P = np.zeros((len(test), len(self.classes)))
        P[:, np.searchsorted(self.classes, pipe.classes_)] = pipe.predict_proba(self.X[test])
        accuracy = float(np.mean(self.classes[P.argmax(axis=1)] == self.y[test]))
        return accuracy, self.sp.fold_auc(self.y[test], P, self.classes)[0]
