# make_dist_grid.R — writes tests/fixtures/dist_grid.tsv, the R oracle for wasm/src/dist/.
#
# Run from the repository root:   Rscript tests/oracle/make_dist_grid.R
# (Debian's r-base-core; the committed fixture was made with R 4.2.2.)
#
# One row per case: func, a1, a2, a3, lower_tail, log_p, expected — all numbers written with
# sprintf("%.17g") ("Inf", "-Inf", "NaN" for non-finite; unused arguments as 0). The argument
# order is that of the C functions in wasm/src/dist/dist.h (pgamma/qgamma take shape, scale).
#
# What the grid covers: far tails (probabilities down to 1e-300, and log-scale values far below
# that), both tails, log_p, df from 0.5 to 1e7 including non-integer df and df = Inf, the
# quantiles of tiny p, and the boundary and invalid-argument conventions (NaN, +-Inf, p outside
# [0, 1], df <= 0, point masses).
#
# Cases deliberately left out, each because R itself gives no reliable reference there:
#  - qbeta and qf rows whose R answer does not reproduce p through R's own pbeta / pf to 1e-9
#    in log p (R 4.2.2's qbeta returns e.g. 1.1e-308, 1 or NaN for some far-tail p with large
#    shape parameters; qf inherits that, and loses digits in 1/qbeta - 1 when qbeta is near 1;
#    qf rows on R's chi-square branch for df > 4e5 are kept: there R and we use the same limit
#    formula, which is not an exact inverse of pf). The dropped count is written in the header;
#  - lgamma within 1e-2 of its zeros at 1 and 2: R takes log(gamma(x)) there and is only
#    accurate to ~1e-16 absolute, so a relative check would test R's rounding;
#  - qt(1/2, df < 1): R's bisection returns rounding noise (~1e-16) instead of 0.

out <- "tests/fixtures/dist_grid.tsv"
rows <- list()
add <- function(func, a1, a2 = 0, a3 = 0, lt = TRUE, lg = FALSE, expected) {
  rows[[length(rows) + 1L]] <<- data.frame(func = func, a1 = a1, a2 = a2, a3 = a3,
                                           lower_tail = as.integer(lt), log_p = as.integer(lg),
                                           expected = expected, stringsAsFactors = FALSE)
}
combos <- list(c(TRUE, FALSE), c(FALSE, FALSE), c(TRUE, TRUE), c(FALSE, TRUE))
nice <- function(x) signif(x, 7)   # round generated arguments to 7 significant digits
dropped <- c(qbeta = 0L, qf = 0L)

# ---- normal -------------------------------------------------------------------------------
for (x in c(-1e170, -1e10, -40, -38.4, -37.5, -30, -20, -10, -8.3, -8.2, -5.7, -5.6, -3,
            -1.959964, -1, -0.6744, -0.675, -0.1, -1e-20, 0, 1e-10, 0.3, 0.67449, 1, 2.5, 5.65,
            5.66, 8.29, 8.3, 12, 37.5, 38.5, 100, 1e200))
  for (cb in combos) add("pnorm", x, 0, 1, cb[1], cb[2], pnorm(x, 0, 1, cb[1], cb[2]))
for (a in list(c(3, 10, 2), c(-1e5, -1e5 + 1, 0.5), c(1, 2, 0), c(3, 2, 0), c(1, 2, -1),
               c(Inf, Inf, 1), c(-Inf, 0, 1), c(Inf, 0, 1), c(NaN, 0, 1), c(1, NaN, 1),
               c(1, 0, Inf), c(7, 1, 1e-3)))
  for (cb in combos[1:2]) add("pnorm", a[1], a[2], a[3], cb[1], cb[2],
                              suppressWarnings(pnorm(a[1], a[2], a[3], cb[1], cb[2])))
for (p in c(1e-300, 1e-200, 1e-100, 1e-50, 1e-20, 1.3e-11, 1.4e-11, 1e-8, 1e-5, 0.01, 0.074,
            0.076, 0.2, 0.4999, 0.5, 0.7, 0.924, 0.926, 0.99, 0.999999))
  for (lt in c(TRUE, FALSE)) add("qnorm", p, 0, 1, lt, FALSE, qnorm(p, 0, 1, lt, FALSE))
for (lp in c(-1e10, -1e6, -665000, -3000, -800, -690, -25.5, -24, -10, -1, -0.1, -1e-5, -1e-20))
  for (lt in c(TRUE, FALSE)) add("qnorm", lp, 0, 1, lt, TRUE, qnorm(lp, 0, 1, lt, TRUE))
for (a in list(c(0.3, 5, 2), c(0, 0, 1), c(1, 0, 1), c(-0.1, 0, 1), c(1.1, 0, 1),
               c(0.3, 1, 0), c(0.3, 1, -1), c(NaN, 0, 1)))
  add("qnorm", a[1], a[2], a[3], TRUE, FALSE, suppressWarnings(qnorm(a[1], a[2], a[3])))
for (a in c(0.1, -Inf, 0)) add("qnorm", a, 0, 1, FALSE, TRUE, suppressWarnings(qnorm(a, 0, 1, FALSE, TRUE)))

# ---- Student t ----------------------------------------------------------------------------
t_dfs <- c(0.5, 0.7, 0.999, 1, 1.3, 2, 2.5, 3, 4.7, 7, 12.5, 30, 99.5, 1000, 12345.6, 4e5,
           4.1e5, 1e6, 3.3e6, 1e7)
ptargets <- c(1e-300, 1e-200, 1e-100, 1e-30, 1e-8, 0.01, 0.3)
for (df in t_dfs) {
  xs <- c(nice(qt(ptargets, df)), 0, 1e-8, 1, 2.5, 40, 1e10)
  xs <- unique(xs[is.finite(xs)])
  for (i in seq_along(xs)) for (cb in combos)
    add("pt", xs[i], df, 0, cb[1], cb[2], pt(xs[i], df, lower.tail = cb[1], log.p = cb[2]))
  for (p in c(1e-300, 1e-150, 1e-50, 1e-20, 1e-10, 1e-4, 0.01, 0.05, 0.2, 0.4, 0.9, 0.99))
    for (lt in c(TRUE, FALSE)) {
      if (df < 1 && !lt && p < 1e-4) next  # R keeps only the digits of 1 - p there: see qt.c
      add("qt", p, df, 0, lt, FALSE, qt(p, df, lower.tail = lt))
    }
  for (lp in c(-1000, -700, -100, -10, -1, -0.01, -1e-8))
    for (lt in c(TRUE, FALSE)) {
      if (df < 1 && !lt) next
      add("qt", lp, df, 0, lt, TRUE, qt(lp, df, lower.tail = lt, log.p = TRUE))
    }
}
for (a in list(c(1, Inf), c(-3, Inf), c(40, Inf), c(Inf, 3), c(-Inf, 3), c(NaN, 3), c(1, NaN),
               c(1, 0), c(1, -1)))
  for (cb in combos) add("pt", a[1], a[2], 0, cb[1], cb[2],
                         suppressWarnings(pt(a[1], a[2], lower.tail = cb[1], log.p = cb[2])))
for (a in list(c(0.975, Inf), c(1e-300, Inf), c(0, 3), c(1, 3), c(1.5, 3), c(-0.5, 3),
               c(0.3, 0), c(0.3, -2), c(NaN, 3), c(0.3, NaN), c(0.975, 2), c(1e-300, 2),
               c(0.975, 1), c(1e-300, 1), c(0.5, 3)))
  for (lt in c(TRUE, FALSE)) add("qt", a[1], a[2], 0, lt, FALSE,
                                 suppressWarnings(qt(a[1], a[2], lower.tail = lt)))
for (a in list(c(0, 3), c(-Inf, 3), c(0.5, 3), c(-800, 2), c(-800, 1), c(-800, 3)))
  for (lt in c(TRUE, FALSE)) add("qt", a[1], a[2], 0, lt, TRUE,
                                 suppressWarnings(qt(a[1], a[2], lower.tail = lt, log.p = TRUE)))

# ---- beta ---------------------------------------------------------------------------------
shapes <- c(1e-20, 0.01, 0.5, 1, 2.5, 10.3, 40.5, 150, 2000, 1e5, 1e7)
k <- 0L
for (a in shapes) for (b in shapes) {
  m <- a / (a + b)
  xs <- nice(c(1e-300, 1e-30, 1e-3, 0.5, 1 - 1e-10, m * 0.97, m * 1.01, min(0.999, m * 3)))
  xs <- unique(xs[xs > 0 & xs < 1])
  for (x in xs) {
    k <- k + 1L
    cb <- combos[[k %% 4L + 1L]]
    add("pbeta", x, a, b, cb[1], cb[2], pbeta(x, a, b, lower.tail = cb[1], log.p = cb[2]))
  }
}
for (a in list(c(0, 2, 3), c(1, 2, 3), c(-0.1, 2, 3), c(1.5, 2, 3), c(0.3, 0, 3), c(0.3, 2, 0),
               c(0.3, 0, 0), c(0.7, 0, 0), c(0.3, Inf, 3), c(0.3, 2, Inf), c(0.3, Inf, Inf),
               c(0.7, Inf, Inf), c(0.3, -1, 3), c(NaN, 2, 3), c(0.3, NaN, 3)))
  for (cb in combos) add("pbeta", a[1], a[2], a[3], cb[1], cb[2],
                         suppressWarnings(pbeta(a[1], a[2], a[3], lower.tail = cb[1], log.p = cb[2])))
qshapes <- c(0.01, 0.5, 1, 2.5, 10.3, 40.5, 150, 2000, 1e5)
k <- 0L
for (a in qshapes) for (b in qshapes)
  for (p in c(1e-300, 1e-50, 1e-8, 0.025, 0.5, 0.9)) {
    k <- k + 1L
    cb <- combos[[k %% 4L + 1L]]
    pp <- if (cb[2]) log(p) else p
    q <- suppressWarnings(qbeta(pp, a, b, lower.tail = cb[1], log.p = cb[2]))
    back <- suppressWarnings(pbeta(q, a, b, lower.tail = cb[1], log.p = TRUE))
    if (!is.finite(q) || q <= 2.3e-308 || !is.finite(back) || abs(back - log(p)) > 1e-9 * max(1, abs(log(p)))) {
      dropped["qbeta"] <- dropped["qbeta"] + 1L
      next
    }
    add("qbeta", pp, a, b, cb[1], cb[2], q)
  }
for (a in list(c(0, 2, 3), c(1, 2, 3), c(1.5, 2, 3), c(0.3, 0, 0), c(0.5, 0, 0), c(0.3, 0, 3),
               c(0.3, 2, 0), c(0.3, Inf, Inf), c(0.3, -1, 3), c(NaN, 2, 3)))
  for (lt in c(TRUE, FALSE)) add("qbeta", a[1], a[2], a[3], lt, FALSE,
                                 suppressWarnings(qbeta(a[1], a[2], a[3], lower.tail = lt)))

# ---- gamma and chi-square -----------------------------------------------------------------
gshapes <- c(1e-10, 0.01, 0.5, 1, 2.5, 9.7, 50, 333.3, 5000, 1e5, 1e6, 1e7)
k <- 0L
for (s in gshapes) {
  xs <- nice(c(1e-300, 1e-20, 0.5, s * 0.5, s * 0.99, s * 1.02, s + 10 * sqrt(s) + 10,
               s * 3 + 100, 1e4 + s * 10))
  for (x in unique(xs)) for (j in 1:2) {
    k <- k + 1L
    cb <- combos[[k %% 4L + 1L]]
    sc <- if (j == 1) 1 else 2.5
    add("pgamma", x * sc, s, sc, cb[1], cb[2],
        pgamma(x * sc, s, scale = sc, lower.tail = cb[1], log.p = cb[2]))
  }
  for (p in c(1e-300, 1e-100, 1e-20, 1e-8, 0.01, 0.3, 0.5, 0.9, 0.999))
    for (lt in c(TRUE, FALSE)) add("qgamma", p, s, 1, lt, FALSE, qgamma(p, s, lower.tail = lt))
  for (lp in c(-800, -30, -1, -1e-5))
    for (lt in c(TRUE, FALSE)) add("qgamma", lp, s, 3, lt, TRUE,
                                   qgamma(lp, s, scale = 3, lower.tail = lt, log.p = TRUE))
}
for (a in list(c(1, 0, 1), c(0, 2, 1), c(-1, 2, 1), c(Inf, 2, 1), c(1, -1, 1), c(1, 2, 0),
               c(1, 2, -1), c(NaN, 2, 1), c(Inf, 2, Inf)))
  for (cb in combos[1:2]) add("pgamma", a[1], a[2], a[3], cb[1], cb[2],
                              suppressWarnings(pgamma(a[1], a[2], scale = a[3], lower.tail = cb[1])))
for (a in list(c(0.5, 0, 1), c(0, 2, 1), c(1, 2, 1), c(1.2, 2, 1), c(0.5, -1, 1), c(0.5, 2, 0),
               c(NaN, 2, 1)))
  for (lt in c(TRUE, FALSE)) add("qgamma", a[1], a[2], a[3], lt, FALSE,
                                 suppressWarnings(qgamma(a[1], a[2], scale = a[3], lower.tail = lt)))

c_dfs <- c(0.5, 1, 1.7, 2, 3, 10, 55.5, 100, 1000, 12345, 1e5, 4e5, 1e6, 1e7)
k <- 0L
for (df in c_dfs) {
  xs <- nice(qchisq(c(1e-300, 1e-100, 1e-10, 0.05, 0.5, 0.95), df))
  xs <- unique(c(xs[is.finite(xs) & xs > 0], nice(qchisq(c(1e-10, 1e-100, 1e-300), df, lower.tail = FALSE))))
  for (x in xs) for (j in 1:2) {
    k <- k + 1L
    cb <- combos[[k %% 4L + 1L]]
    add("pchisq", x, df, 0, cb[1], cb[2], pchisq(x, df, lower.tail = cb[1], log.p = cb[2]))
  }
  for (p in c(1e-300, 1e-100, 1e-10, 0.05, 0.5, 0.95))
    for (lt in c(TRUE, FALSE)) add("qchisq", p, df, 0, lt, FALSE, qchisq(p, df, lower.tail = lt))
  for (lp in c(-700, -20, -1e-3))
    for (lt in c(TRUE, FALSE)) add("qchisq", lp, df, 0, lt, TRUE,
                                   qchisq(lp, df, lower.tail = lt, log.p = TRUE))
}
for (a in list(c(1, 0), c(0, 0), c(1, -1), c(-1, 3), c(Inf, 3), c(NaN, 3)))
  for (cb in combos[1:2]) add("pchisq", a[1], a[2], 0, cb[1], cb[2],
                              suppressWarnings(pchisq(a[1], a[2], lower.tail = cb[1])))
for (a in list(c(0.5, 0), c(0.5, -1), c(0, 3), c(1, 3), c(2, 3)))
  for (lt in c(TRUE, FALSE)) add("qchisq", a[1], a[2], 0, lt, FALSE,
                                 suppressWarnings(qchisq(a[1], a[2], lower.tail = lt)))

# ---- F ------------------------------------------------------------------------------------
f_dfs <- c(0.5, 1, 3, 10.5, 100, 5000, 4e5, 1e7)
k <- 0L
for (d1 in f_dfs) for (d2 in f_dfs) {
  xs <- nice(c(qf(c(1e-200, 0.01, 0.5), d1, d2), qf(c(1e-10, 1e-200), d1, d2, lower.tail = FALSE)))
  for (x in unique(xs[is.finite(xs) & xs > 0])) {
    k <- k + 1L
    cb <- combos[[k %% 4L + 1L]]
    add("pf", x, d1, d2, cb[1], cb[2], pf(x, d1, d2, lower.tail = cb[1], log.p = cb[2]))
  }
  for (p in c(1e-300, 1e-20, 0.05, 0.5, 0.95))
    for (lt in c(TRUE, FALSE)) {
      q <- qf(p, d1, d2, lower.tail = lt)
      back <- pf(q, d1, d2, lower.tail = lt, log.p = TRUE)
      via_qbeta <- !(d1 <= d2 && d2 > 4e5) && !(d1 > 4e5)  # else R's (and our) chi-square limit
      if (via_qbeta && (!is.finite(q) || q <= 0 || !is.finite(back) ||
                        abs(back - log(p)) > 1e-9 * max(1, abs(log(p))))) {
        dropped["qf"] <- dropped["qf"] + 1L
        next
      }
      add("qf", p, d1, d2, lt, FALSE, q)
    }
}
for (a in list(c(2, Inf, 5), c(2, 5, Inf), c(0.5, Inf, Inf), c(1, Inf, Inf), c(2, Inf, Inf),
               c(0, 3, 5), c(Inf, 3, 5), c(2, 0, 5), c(2, 3, -1), c(NaN, 3, 5)))
  for (cb in combos[1:2]) add("pf", a[1], a[2], a[3], cb[1], cb[2],
                              suppressWarnings(pf(a[1], a[2], a[3], lower.tail = cb[1])))
for (a in list(c(0.3, Inf, 5), c(0.3, 5, Inf), c(0.3, Inf, Inf), c(0, 3, 5), c(1, 3, 5),
               c(0.3, 0, 5), c(1.5, 3, 5), c(1e-300, 3, 5)))
  for (lt in c(TRUE, FALSE)) add("qf", a[1], a[2], a[3], lt, FALSE,
                                 suppressWarnings(qf(a[1], a[2], a[3], lower.tail = lt)))

# ---- log gamma, log beta --------------------------------------------------------------------
for (x in c(1e-300, 1e-100, 1e-10, 1e-3, 0.1, 0.5, 0.9, 0.98, 1.02, 1.3, 1.5, 1.7, 1.98, 2.02,
            2.5, 3, 3.7, 7.5, 8, 9.99, 10, 10.5, 31.4, 100, 171.6, 1e3, 12345.678, 1e6, 1e10,
            1e100, 1e305, 3e305, Inf, -0.5, -1.5, -2.7, -10.3, -100.5, -1e6 - 0.5, 0, -1, -2,
            -Inf, NaN))
  add("lgamma", x, 0, 0, TRUE, FALSE, suppressWarnings(lgamma(x)))
for (a in c(1e-200, 1e-5, 0.3, 1, 2.5, 9.9, 10, 55, 1e4, 1e8, 1e300))
  for (b in c(1e-10, 0.5, 3, 10, 77.7, 1e6))
    add("lbeta", a, b, 0, TRUE, FALSE, lbeta(a, b))
for (a in list(c(0, 3), c(3, 0), c(-1, 3), c(Inf, 3), c(NaN, 3), c(1, 1), c(2, 1)))
  add("lbeta", a[1], a[2], 0, TRUE, FALSE, suppressWarnings(lbeta(a[1], a[2])))

# ---- write ----------------------------------------------------------------------------------
grid <- do.call(rbind, rows)
fmt <- function(x) sprintf("%.17g", x)   # gives "Inf", "-Inf", "NaN"
stopifnot(!any(is.na(grid$expected) & !is.nan(grid$expected)))
con <- file(out, open = "w", encoding = "UTF-8")
writeLines(c(
  sprintf("# DO NOT EDIT \u2014 generated by tests/oracle/make_dist_grid.R, %s, date %s",
          R.version.string, format(Sys.time(), "%Y-%m-%d")),
  sprintf("# %d cases; left out because R's own answer fails its round trip to 1e-9: qbeta %d, qf %d",
          nrow(grid), dropped[["qbeta"]], dropped[["qf"]]),
  "func\ta1\ta2\ta3\tlower_tail\tlog_p\texpected"), con)
writeLines(paste(grid$func, fmt(grid$a1), fmt(grid$a2), fmt(grid$a3), grid$lower_tail,
                 grid$log_p, fmt(grid$expected), sep = "\t"), con)
close(con)
cat(sprintf("wrote %s: %d rows\n", out, nrow(grid)))
