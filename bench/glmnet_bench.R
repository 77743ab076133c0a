#!/usr/bin/env Rscript
# glmnet side of the model-selection benchmark (bench/run.ts --select): on a CSV whose last column
# is a 0/1 label, times glmnet's default lasso path and cv.glmnet(nfolds = 10), after reading.
# Prints one JSON line: path_seconds, n_lambda, lambda (the path's), cv_seconds, cv_lambda_min.
# With a second argument `path`, the path only (cv_seconds and cv_lambda_min are then null).
# usage: Rscript glmnet_bench.R DATA.csv [path]
suppressMessages({ library(glmnet); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
y <- d[[ncol(d)]]
X <- as.matrix(d[, -ncol(d)])
t0 <- proc.time()[["elapsed"]]
fit <- glmnet(X, y, family = "binomial")
t1 <- proc.time()[["elapsed"]]
cv_seconds <- NULL
cv_lambda_min <- NULL
if (length(args) < 2 || args[2] != "path") {
  set.seed(1)
  cv <- cv.glmnet(X, y, family = "binomial", nfolds = 10)
  cv_seconds <- proc.time()[["elapsed"]] - t1
  cv_lambda_min <- cv$lambda.min
}
cat(toJSON(list(path_seconds = t1 - t0, n_lambda = length(fit$lambda), lambda = fit$lambda,
                cv_seconds = cv_seconds, cv_lambda_min = cv_lambda_min), auto_unbox = TRUE, digits = NA, null = "null"), "\n")
