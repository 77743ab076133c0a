#!/usr/bin/python3
"""The exact optimum of logreg's objective on a bench set, by Newton's method in numpy (float64),
independent of logreg and of scikit-learn's stopping rules:

    J(W, b) = (1/n) Σᵢ ℓ(yᵢ, W xᵢ + b) + ‖W‖²_F / (2 C n)    (intercepts b not penalized)

with ℓ the binomial loss (two classes, one coefficient row) or the multinomial loss (all K rows
penalized, as scikit-learn's multinomial LogisticRegression). Newton steps with a backtracking line
search until ‖∇J‖∞ < 1e-14; prints one JSON line: objective, grad_inf, iterations.
usage: optima.py DATA.csv TARGET [C]"""
import json
import sys

import numpy as np
import pandas as pd

path, target = sys.argv[1], sys.argv[2]
C = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
df = pd.read_csv(path)
y_raw = df.pop(target).to_numpy()
X = np.column_stack([df.to_numpy(dtype=np.float64), np.ones(len(df))])
n, p = X.shape
classes, y = np.unique(y_raw, return_inverse=True)
K = 1 if len(classes) == 2 else len(classes)
Y = np.zeros((n, K))
if K == 1:
    Y[:, 0] = y
else:
    Y[np.arange(n), y] = 1
pen = np.ones(p)
pen[-1] = 0  # the intercept is free


def value_grad_hess(theta):
    B = theta.reshape(K, p)
    Z = X @ B.T
    if K == 1:
        z = Z[:, 0]
        loss = np.mean(np.logaddexp(0, z) - Y[:, 0] * z)
        P = 1 / (1 + np.exp(-z))
        R = (P - Y[:, 0])[:, None]
        Wt = (P * (1 - P))[:, None]
    else:
        m = Z.max(axis=1, keepdims=True)
        lse = m[:, 0] + np.log(np.exp(Z - m).sum(axis=1))
        loss = np.mean(lse - (Z * Y).sum(axis=1))
        P = np.exp(Z - lse[:, None])
        R = P - Y
    J = loss + 0.5 * np.sum((B * pen) ** 2) / (C * n)
    G = (R.T @ X) / n + B * pen / (C * n)
    H = np.zeros((K * p, K * p))
    for a in range(K):
        for c in range(a, K):
            w = Wt[:, 0] if K == 1 else (P[:, a] * ((a == c) - P[:, c]))
            blk = (X * w[:, None]).T @ X / n
            H[a * p:(a + 1) * p, c * p:(c + 1) * p] = blk
            H[c * p:(c + 1) * p, a * p:(a + 1) * p] = blk.T
    H += np.diag(np.tile(pen, K)) / (C * n)
    return J, G.ravel(), H


theta = np.zeros(K * p)
for it in range(100):
    J, g, H = value_grad_hess(theta)
    if np.max(np.abs(g)) < 1e-14:
        break
    # The multinomial Hessian is singular along Σₖ Wₖ only without a penalty; here it is positive definite.
    step = np.linalg.solve(H + 1e-300 * np.eye(len(g)), g)
    t = 1.0
    while value_grad_hess(theta - t * step)[0] > J and t > 1e-10:
        t /= 2
    theta = theta - t * step
J, g, _ = value_grad_hess(theta)
print(json.dumps({'objective': J, 'grad_inf': float(np.max(np.abs(g))), 'iterations': it}))
