#!/usr/bin/python3
"""scikit-learn side of the model-selection benchmark (bench/run.ts --select), after reading:
one L1 fit with saga at C (default 0.03) and LogisticRegressionCV(Cs=10, cv=5) (L2, lbfgs).
Prints one JSON line: saga_seconds, saga_objective, saga_n_iter, lrcv_seconds, lrcv_C.
usage: sk_select.py DATA.csv TARGET [C]"""
import json, sys, time
import numpy as np, pandas as pd
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV

d = pd.read_csv(sys.argv[1])
y = d.pop(sys.argv[2]).values
X = d.values
C = float(sys.argv[3]) if len(sys.argv) > 3 else 0.03
t0 = time.perf_counter()
m = LogisticRegression(penalty='l1', solver='saga', C=C, max_iter=10000).fit(X, y)
t1 = time.perf_counter()
z = X @ m.coef_[0] + m.intercept_[0]
J = np.mean(np.logaddexp(0, z) - y * z) + np.abs(m.coef_).sum() / (C * len(y))
t2 = time.perf_counter()
cv = LogisticRegressionCV(Cs=10, cv=5, max_iter=1000).fit(X, y)
t3 = time.perf_counter()
print(json.dumps({'saga_seconds': t1 - t0, 'saga_objective': J, 'saga_n_iter': int(m.n_iter_[0]), 'lrcv_seconds': t3 - t2, 'lrcv_C': float(cv.C_[0])}))
