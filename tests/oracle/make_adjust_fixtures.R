# make_adjust_fixtures.R — writes tests/fixtures/adjust_r.tsv, the reference values for the
# covariate-adjusted comparisons of `causeway analyze` (--covariates with --adjust additive|lin,
# and --pre-metric for CUPED), computed by R's lm and the sandwich package.
# Run from the repository root:  Rscript tests/oracle/make_adjust_fixtures.R
# Needs Debian's r-base-core plus r-cran-sandwich (apt-get install -y r-cran-sandwich). CI never
# runs this; the tests compare against the committed file.
#
#   additive  lm(y ~ 0 + M), M = [1, one indicator per treatment arm (control = reference),
#             covariates]; the arm's coefficient with sandwich::vcovHC type "HC1" and "HC2".
#   lin       Lin (2013, Annals of Applied Statistics 7(1):295-318): M = [1, indicators,
#             covariates centred at their pooled means, each indicator x each centred covariate
#             (grouped by covariate, as Causeway orders them)]; the arm's coefficient, HC2 and HC1.
#   cuped     Deng, Xu, Kohavi & Walker (2013): theta = cov(x, y) / var(x) over every row (all
#             arms pooled); y_adj = y - theta (x - mean(x)); Welch's t on y_adj, by formula
#             (checked against t.test).
# t, p and intervals use df = n - p for the regressions (two-sided, 95%).
#
# Rows:  case  key  field  value
#   key "option": field is a `causeway analyze` option name, value its value (the test runs the
#                 analysis with exactly these options)
#   key "metric": rows_used, theta, variance_reduction (CUPED)
#   key ARM:      difference, then SE_TYPE.se / .df / .t / .p_value / .ci_low / .ci_high, then
#                 p_adjusted: the headline p-value (the first SE type) by p.adjust(, "holm")
#                 across the case's treatment arms (Causeway's default --correction)
suppressPackageStartupMessages(library(sandwich))
fmt <- function(x) sprintf("%.17g", x)
rows <- character(0)
emit <- function(case, key, field, value) rows <<- c(rows, paste(case, key, field, value, sep = "\t"))
alpha <- 0.05

t_rows <- function(case, arm, type, est, se, df) {
  t <- est / se
  q <- qt(1 - alpha / 2, df)
  emit(case, arm, paste0(type, ".se"), fmt(se))
  emit(case, arm, paste0(type, ".df"), fmt(df))
  emit(case, arm, paste0(type, ".t"), fmt(t))
  emit(case, arm, paste0(type, ".p_value"), fmt(2 * pt(-abs(t), df)))
  emit(case, arm, paste0(type, ".ci_low"), fmt(est - q * se))
  emit(case, arm, paste0(type, ".ci_high"), fmt(est + q * se))
}

regression <- function(case, file, variant, control, y, covs, method) {
  d <- read.csv(file, stringsAsFactors = FALSE, check.names = FALSE)
  d <- d[d[[variant]] != "" & !is.na(d[[variant]]), ]
  ok <- complete.cases(d[, c(y, covs)])
  d <- d[ok, ]
  arms <- unique(as.character(d[[variant]]))   # order of first appearance, as Causeway
  treat <- setdiff(arms, control)
  D <- sapply(treat, function(a) as.numeric(as.character(d[[variant]]) == a))
  D <- matrix(D, nrow = nrow(d))
  # text covariates become indicators of every level but the first in byte order (radix sort:
  # the C locale, as Causeway orders them), in the order the covariates are given
  X <- do.call(cbind, lapply(covs, function(v) {
    x <- d[[v]]
    if (!is.character(x)) return(matrix(x, ncol = 1, dimnames = list(NULL, v)))
    lv <- sort(unique(x), method = "radix")
    m <- sapply(lv[-1], function(l) as.numeric(x == l))
    matrix(m, nrow = length(x), dimnames = list(NULL, paste0(v, "=", lv[-1])))
  }))
  if (method == "lin") X <- sweep(X, 2, colMeans(X))
  M <- cbind(1, D, X)
  if (method == "lin") for (j in seq_len(ncol(X))) M <- cbind(M, D * X[, j])
  fit <- lm(d[[y]] ~ 0 + M)
  if (any(is.na(coef(fit)))) stop(case, ": collinear columns; this script expects none")
  emit(case, "option", "variant", variant)
  emit(case, "option", "control", control)
  emit(case, "option", "metric", y)
  emit(case, "option", "covariates", paste(covs, collapse = ","))
  emit(case, "option", "adjust", method)
  emit(case, "option", "file", file)
  emit(case, "metric", "rows_used", fmt(nrow(d)))
  types <- if (method == "lin") c("HC2", "HC1", "HC3", "classical") else c("HC1", "HC2", "HC3", "classical")
  V <- lapply(types, function(ty) vcovHC(fit, type = if (ty == "classical") "const" else ty))
  df <- fit$df.residual
  headline <- numeric(0)
  for (t in seq_along(treat)) {
    est <- unname(coef(fit)[1 + t])
    emit(case, treat[t], "difference", fmt(est))
    for (k in seq_along(types)) t_rows(case, treat[t], types[k], est, sqrt(V[[k]][1 + t, 1 + t]), df)
    headline <- c(headline, 2 * pt(-abs(est / sqrt(V[[1]][1 + t, 1 + t])), df))
  }
  adjusted <- p.adjust(headline, "holm")
  for (t in seq_along(treat)) emit(case, treat[t], "p_adjusted", fmt(adjusted[t]))
}

cuped <- function(case, file, variant, control, y, x) {
  d <- read.csv(file, stringsAsFactors = FALSE, check.names = FALSE)
  d <- d[complete.cases(d[, c(y, x)]), ]
  theta <- cov(d[[x]], d[[y]]) / var(d[[x]])
  ya <- d[[y]] - theta * (d[[x]] - mean(d[[x]]))
  emit(case, "option", "variant", variant)
  emit(case, "option", "control", control)
  emit(case, "option", "metric", y)
  emit(case, "option", "pre-metric", x)
  emit(case, "option", "file", file)
  emit(case, "metric", "rows_used", fmt(nrow(d)))
  emit(case, "metric", "theta", fmt(theta))
  emit(case, "metric", "variance_reduction", fmt(1 - var(ya) / var(d[[y]])))
  g <- as.character(d[[variant]])
  a0 <- ya[g == control]
  treat <- setdiff(unique(g), control)
  headline <- numeric(0)
  for (arm in treat) {
    a1 <- ya[g == arm]
    v1 <- var(a1) / length(a1); v0 <- var(a0) / length(a0)
    se <- sqrt(v1 + v0)
    df <- (v1 + v0)^2 / (v1^2 / (length(a1) - 1) + v0^2 / (length(a0) - 1))
    est <- mean(a1) - mean(a0)
    tt <- t.test(a1, a0)
    stopifnot(abs(tt$statistic - est / se) < 1e-12 * abs(est / se), abs(tt$parameter - df) < 1e-9 * df)
    emit(case, arm, "difference", fmt(est))
    t_rows(case, arm, "welch", est, se, df)
    headline <- c(headline, tt$p.value)
  }
  adjusted <- p.adjust(headline, "holm")
  for (t in seq_along(treat)) emit(case, treat[t], "p_adjusted", fmt(adjusted[t]))
}

hill <- c("recency", "history", "mens", "womens", "newbie")
lal <- c("age", "educ", "black", "hisp", "married", "nodegree", "re74", "re75")
regression("hillstrom_additive", "web/samples/hillstrom.csv", "segment", "No E-Mail", "spend", hill, "additive")
regression("hillstrom_lin", "web/samples/hillstrom.csv", "segment", "No E-Mail", "spend", hill, "lin")
regression("lalonde_additive", "tests/data/lalonde_nsw_dw.csv", "treat", "0", "re78", lal, "additive")
regression("lalonde_lin", "tests/data/lalonde_nsw_dw.csv", "treat", "0", "re78", lal, "lin")
# text covariates (channel, zip_code) as indicator columns, with a numeric one
text_covs <- c("recency", "channel", "zip_code", "history")
regression("hillstrom_text_additive", "web/samples/hillstrom.csv", "segment", "No E-Mail", "spend", text_covs, "additive")
regression("hillstrom_text_lin", "web/samples/hillstrom.csv", "segment", "No E-Mail", "spend", text_covs, "lin")
cuped("lalonde_cuped", "tests/data/lalonde_nsw_dw.csv", "treat", "0", "re78", "re75")
# two treatment arms: the adjusted p-values are corrected as a family
cuped("hillstrom_cuped", "web/samples/hillstrom.csv", "segment", "No E-Mail", "spend", "history")

out <- "tests/fixtures/adjust_r.tsv"
writeLines(c(
  "# DO NOT EDIT — generated by tests/oracle/make_adjust_fixtures.R",
  paste0("# ", R.version.string, ", sandwich ", packageVersion("sandwich"), "; generated ",
         format(Sys.time(), "%Y-%m-%d %H:%M:%S %Z", tz = "UTC")),
  "case\tkey\tfield\tvalue",
  rows), out)
cat("wrote", length(rows), "rows to", out, "\n")
