# make_counts_fixtures.R — writes tests/fixtures/counts_r.tsv, the reference values for the
# estimators computed from counts (wasm/src/proportions.c, chisq.c, fisher.c, adjust.c),
# computed by R: prop.test, chisq.test, fisher.test, p.adjust, and the formulas below.
# Run from the repository root:  Rscript tests/oracle/make_counts_fixtures.R
# Needs only Debian's r-base-core. CI never runs this; it compares against the committed file.
#
# Each row is one value:  case  func  args  field  value
#   func/args (space-separated; the C test calls the function of the same name):
#     wilson   x n alpha                    cw_wilson
#     prop     x1 n1 x2 n2 alpha            cw_prop_wald_ci, cw_prop_newcombe_ci, cw_prop_z_test,
#                                           cw_prop_lift (treatment x1/n1, control x2/n2)
#     lift     mean_t var_t mean_c var_c alpha   cw_relative_lift
#     chisq    correct nrow ncol cells...   cw_chisq_table (cells row-major)
#     gof      k x_1..x_k p_1..p_k          cw_chisq_gof
#     fisher   n11 n12 n21 n22              cw_fisher_2x2
#     padjust  method p_1..p_n              cw_p_adjust (NA entries written as NA)
#   value "NA": the estimate is unavailable (R gives NaN/NA or an error, or, where marked below,
#   Causeway declines a degenerate value that R returns); the C side must then give a reason.
#
# Sources of the reference values
#   Wilson: prop.test(x, n, correct = FALSE)$conf.int (R's own Wilson score interval).
#   Wald: prop.test(c(x1, x2), c(n1, n2), correct = FALSE)$conf.int (clipped to [-1, 1]); its
#     SE by formula. Causeway reports no Wald interval when that SE is 0 (R returns the point).
#   Newcombe (1998, Stat Med 17:873, method 10): no R package for it is installed here (PropCIs
#     is not), so it is assembled here from the paper's formula and R's Wilson intervals
#     above. Cross-checked against Python statsmodels 0.13.5 (Debian python3-statsmodels),
#     confint_proportions_2indep(x1, n1, x2, n2, method = "newcomb", compare = "diff"): all 138
#     Newcombe ends of this file agree to <= 5.6e-16 absolute. The check, from the repository root:
#     /usr/bin/python3 -c 'from statsmodels.stats.proportion import confint_proportions_2indep as c
#     r = [l.rstrip("\n").split("\t") for l in open("tests/fixtures/counts_r.tsv") if l[0] != "#"][1:]
#     e = [abs(c(*map(float, a.split()[:4]), method="newcomb", compare="diff",
#          alpha=float(a.split()[4]))[f.endswith("high")] - float(v))
#          for _, fn, a, f, v in r if fn == "prop" and f.startswith("newcombe") and v != "NA"]
#     print(len(e), max(e))'
#   z test: prop.test(correct = FALSE): X-squared, z = sign(p1 - p2) sqrt(X-squared), p-value;
#     min_expected from the expected counts R forms (n p, n (1 - p)).
#   Relative lift (delta method on the ratio scale): by formula, se = sqrt(vt/mc^2 + mt^2 vc/mc^4),
#     vt = p1 (1 - p1)/n1 for rates. Causeway declines it when mc = 0 or se = 0.
#   chisq / gof: chisq.test (correct = TRUE/FALSE; for gof p = p, rescale.p = TRUE); the Yates
#     correction actually applied is recomputed as min(0.5, abs(x - E)) from $expected.
#   fisher: fisher.test(conf.int = FALSE)$p.value.  padjust: p.adjust.

options(warn = 1)
fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
rows <- character(0)
add <- function(case, func, args, field, value) {
  rows <<- c(rows, paste(case, func, paste(fmt(args), collapse = " "), field, fmt(value), sep = "\t"))
}
quiet <- function(expr) suppressWarnings(tryCatch(expr, error = function(e) NULL))

## ---- proportions -------------------------------------------------------------------------
wilson <- function(x, n, alpha) {
  pt <- quiet(prop.test(x, n, correct = FALSE, conf.level = 1 - alpha))
  if (is.null(pt)) c(NA, NA) else as.numeric(pt$conf.int)
}

add_wilson <- function(case, x, n, alpha) {
  ci <- wilson(x, n, alpha)
  args <- c(x, n, alpha)
  add(case, "wilson", args, "rate", if (n >= 1 && x >= 0 && x <= n) x / n else NA)
  add(case, "wilson", args, "ci_low", ci[1])
  add(case, "wilson", args, "ci_high", ci[2])
}

add_prop <- function(case, x1, n1, x2, n2, alpha) {
  args <- c(x1, n1, x2, n2, alpha)
  ok <- n1 >= 1 && n2 >= 1 && x1 >= 0 && x2 >= 0 && x1 <= n1 && x2 <= n2
  p1 <- x1 / n1; p2 <- x2 / n2
  add(case, "prop", args, "difference", if (ok) p1 - p2 else NA)
  # Wald, from prop.test's interval; NA (Causeway's rule) when its SE is 0.
  pt <- if (ok) quiet(prop.test(c(x1, x2), c(n1, n2), correct = FALSE, conf.level = 1 - alpha))
  se <- if (ok) sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) else NA
  wald_ok <- ok && se > 0
  add(case, "prop", args, "wald_se", if (wald_ok) se else NA)
  add(case, "prop", args, "wald_low", if (wald_ok) pt$conf.int[1] else NA)
  add(case, "prop", args, "wald_high", if (wald_ok) pt$conf.int[2] else NA)
  # Newcombe's hybrid score interval, method 10, from the two Wilson intervals.
  if (ok) {
    w1 <- wilson(x1, n1, alpha); w2 <- wilson(x2, n2, alpha)
    d <- p1 - p2
    L <- d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2)
    U <- d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2)
  } else L <- U <- NA
  add(case, "prop", args, "newcombe_low", L)
  add(case, "prop", args, "newcombe_high", U)
  # The pooled z test = prop.test(correct = FALSE)'s chi-square.
  stat <- if (!is.null(pt)) unname(pt$statistic) else NA
  if (is.nan(stat)) stat <- NA
  p <- (x1 + x2) / (n1 + n2)
  E <- c(n1 * p, n2 * p, n1 * (1 - p), n2 * (1 - p))
  add(case, "prop", args, "chisq", stat)
  add(case, "prop", args, "z", if (!is.na(stat)) sign(p1 - p2) * sqrt(stat) else NA)
  add(case, "prop", args, "p_value", if (!is.na(stat)) pt$p.value else NA)
  add(case, "prop", args, "pooled_se", if (!is.na(stat)) sqrt(p * (1 - p) * (1 / n1 + 1 / n2)) else NA)
  add(case, "prop", args, "min_expected", if (!is.na(stat)) min(E) else NA)
  add(case, "prop", args, "small_expected", if (!is.na(stat)) as.numeric(any(E < 5)) else NA)
  # Relative lift of rates: the log risk-ratio interval of Katz, Baptista, Azen & Pike (1978),
  # exp(log(p1/p2) +- z sqrt((1-p1)/x1 + (1-p2)/x2)) - 1, which stays above -100%; its se is
  # the delta-method se on the ratio scale, (p1/p2) * se_log.
  lift_ok <- ok && x2 > 0
  z <- qnorm(alpha / 2, lower.tail = FALSE)
  se_ok <- lift_ok && x1 > 0 && !(x1 == n1 && x2 == n2)
  lse <- if (se_ok) sqrt((1 - p1) / x1 + (1 - p2) / x2) else NA
  add(case, "prop", args, "lift", if (lift_ok) p1 / p2 - 1 else NA)
  add(case, "prop", args, "lift_se", if (se_ok) (p1 / p2) * lse else NA)
  add(case, "prop", args, "lift_low", if (se_ok) exp(log(p1 / p2) - z * lse) - 1 else NA)
  add(case, "prop", args, "lift_high", if (se_ok) exp(log(p1 / p2) + z * lse) - 1 else NA)
}

add_lift <- function(case, mt, vt, mc, vc, alpha) {
  args <- c(mt, vt, mc, vc, alpha)
  ok <- mc != 0
  se <- if (ok) sqrt(vt / mc^2 + mt^2 * vc / mc^4) else NA
  z <- qnorm(alpha / 2, lower.tail = FALSE)
  se_ok <- ok && se > 0
  add(case, "lift", args, "lift", if (ok) mt / mc - 1 else NA)
  add(case, "lift", args, "se", if (se_ok) se else NA)
  add(case, "lift", args, "ci_low", if (se_ok) mt / mc - 1 - z * se else NA)
  add(case, "lift", args, "ci_high", if (se_ok) mt / mc - 1 + z * se else NA)
}

## ---- chi-square, Fisher -------------------------------------------------------------------
add_chisq <- function(case, tab, correct) {
  args <- c(as.numeric(correct), nrow(tab), ncol(tab), as.numeric(t(tab)))
  ct <- quiet(chisq.test(tab, correct = correct))
  ok <- !is.null(ct) && is.finite(ct$statistic)
  E <- if (ok) ct$expected
  yates <- if (ok && correct && all(dim(tab) == 2)) min(0.5, abs(tab - E)) else 0
  add(case, "chisq", args, "statistic", if (ok) unname(ct$statistic) else NA)
  add(case, "chisq", args, "df", (nrow(tab) - 1) * (ncol(tab) - 1))
  add(case, "chisq", args, "p_value", if (ok) ct$p.value else NA)
  add(case, "chisq", args, "min_expected", if (ok) min(E) else NA)
  add(case, "chisq", args, "small_expected", if (ok) as.numeric(any(E < 5)) else NA)
  add(case, "chisq", args, "correction", if (ok) yates else NA)
}

add_gof <- function(case, x, p) {
  args <- c(length(x), x, p)
  ct <- quiet(chisq.test(x, p = p, rescale.p = TRUE))
  ok <- !is.null(ct) && is.finite(ct$statistic)
  add(case, "gof", args, "statistic", if (ok) unname(ct$statistic) else NA)
  add(case, "gof", args, "df", length(x) - 1)
  add(case, "gof", args, "p_value", if (ok) ct$p.value else NA)
  add(case, "gof", args, "min_expected", if (ok) min(ct$expected) else NA)
  add(case, "gof", args, "small_expected", if (ok) as.numeric(any(ct$expected < 5)) else NA)
}

add_fisher <- function(case, n11, n12, n21, n22) {
  ft <- quiet(fisher.test(matrix(c(n11, n21, n12, n22), 2), conf.int = FALSE))
  add(case, "fisher", c(n11, n12, n21, n22), "p_value", if (is.null(ft)) NA else ft$p.value)
}

# All the 2x2 estimators of one treatment/control pair (rows: arms; columns: success, failure).
add_pair <- function(case, x1, n1, x2, n2, alphas = 0.05) {
  for (a in alphas) add_prop(case, x1, n1, x2, n2, a)
  if (n1 >= 1 && n2 >= 1) { # (a negative cell, x > n, makes R fail: written as NA)
    tab <- matrix(c(x1, x2, n1 - x1, n2 - x2), 2)
    add_chisq(case, tab, TRUE)
    add_chisq(case, tab, FALSE)
    add_fisher(case, x1, n1 - x1, x2, n2 - x2)
  }
}

add_padjust <- function(case, p) {
  for (m in c("holm", "bonferroni", "BH")) {
    adj <- p.adjust(p, m)
    args <- paste(m, paste(fmt(p), collapse = " "))
    for (i in seq_along(p))
      rows <<- c(rows, paste(case, "padjust", args, paste0("adj", i), fmt(adj[i]), sep = "\t"))
  }
}

## ---- the cases ---------------------------------------------------------------------------
# Hillstrom (web/samples/hillstrom.csv): arms by `segment`, control "No E-Mail"; counted here.
d <- read.csv("web/samples/hillstrom.csv", colClasses = "character")
arms <- c("Womens E-Mail", "Mens E-Mail", "No E-Mail")
n_arm <- sapply(arms, function(a) sum(d$segment == a))
hill_p <- c()
for (metric in c("conversion", "visit")) {
  y <- as.numeric(d[[metric]])
  x_arm <- sapply(arms, function(a) sum(y[d$segment == a]))
  for (a in arms[1:2]) {
    case <- paste("hillstrom", metric, sub(" ", "_", a), sep = "/")
    add_pair(case, x_arm[[a]], n_arm[[a]], x_arm[["No E-Mail"]], n_arm[["No E-Mail"]], c(0.05, 0.1))
    add_wilson(case, x_arm[[a]], n_arm[[a]], 0.05)
    hill_p <- c(hill_p, prop.test(c(x_arm[[a]], x_arm[["No E-Mail"]]),
                                  c(n_arm[[a]], n_arm[["No E-Mail"]]), correct = FALSE)$p.value)
  }
  add_wilson(paste("hillstrom", metric, "No_E-Mail", sep = "/"), x_arm[["No E-Mail"]],
             n_arm[["No E-Mail"]], 0.05)
  # arms x outcome (3 x 2)
  add_chisq(paste("hillstrom", metric, "arms_x_outcome", sep = "/"), cbind(x_arm, n_arm - x_arm), TRUE)
}
add_chisq("hillstrom/channel/arms_x_channel", unclass(table(factor(d$segment, arms), d$channel)), TRUE)
add_gof("hillstrom/srm/equal_thirds", unname(n_arm), rep(1 / 3, 3))
add_gof("hillstrom/srm/weights_1_1_1", unname(n_arm), c(1, 1, 1))
add_padjust("hillstrom/padjust", hill_p)

# Tiny and degenerate pairs.
pairs <- list(c(0, 10, 3, 10), c(3, 10, 0, 10), c(1, 2, 0, 3), c(5, 5, 2, 9), c(2, 9, 5, 5),
              c(0, 10, 0, 10), c(10, 10, 10, 10), c(0, 5, 5, 5), c(5, 5, 0, 5), c(1, 1, 0, 1),
              c(0, 1, 1, 1), c(3, 7, 3, 7), c(1, 20, 4, 25), c(7, 30, 12, 31), c(15, 16, 2, 17),
              c(0, 7, 7, 7), c(7, 7, 7, 7), c(0, 0, 3, 10), c(3, 10, 0, 0), c(11, 10, 3, 10))
for (p in pairs) add_pair(sprintf("tiny/%g_%g_vs_%g_%g", p[1], p[2], p[3], p[4]), p[1], p[2], p[3], p[4],
                          c(0.05, 0.1, 0.01))
for (w in list(c(0, 10), c(1, 2), c(5, 5), c(3, 10), c(1, 1000000), c(999999, 1000000),
               c(0, 1000000)))
  add_wilson(sprintf("tiny/wilson_%g_%g", w[1], w[2]), w[1], w[2], 0.05)
add_wilson("tiny/wilson_3_10_a0.2", 3, 10, 0.2)

# Large n (10^6 per arm), unequal splits, effects from null to p ~ 1e-219.
big <- list(c(5200, 1e6, 5000, 1e6), c(500000, 1e6, 499000, 1e6), c(1, 1e6, 0, 1e6),
            c(5600, 1e6, 5000, 1e6), c(7000, 1e6, 5000, 1e6), c(6000, 1e6, 3000, 1e6),
            c(300, 1e5, 3000, 1e6), c(30, 1000, 10, 200), c(250000, 5e5, 125000, 2.5e5),
            c(12345, 1e6, 12345, 1e6))
for (p in big) add_pair(sprintf("large/%g_%g_vs_%g_%g", p[1], p[2], p[3], p[4]), p[1], p[2], p[3], p[4],
                        c(0.05))

# Contingency tables: small expected counts, a zero cell, a zero row, Yates capped below 0.5,
# an r x c table with tiny counts.
add_chisq("table/yates_capped", matrix(c(10, 10, 10, 11), 2), TRUE)
add_chisq("table/yates_capped", matrix(c(10, 10, 10, 11), 2), FALSE)
add_chisq("table/zero_cell", matrix(c(0, 6, 9, 4), 2), TRUE)
add_chisq("table/zero_row", matrix(c(0, 6, 0, 4), 2), TRUE)
add_chisq("table/zero_column_3x3", matrix(c(1, 2, 3, 0, 0, 0, 4, 5, 6), 3), FALSE)
add_chisq("table/small_3x3", matrix(c(1, 2, 3, 4, 0, 2, 5, 1, 1), 3), TRUE)
add_chisq("table/2x4", matrix(c(12, 5, 7, 9, 30, 31, 2, 0), 2), TRUE)
add_chisq("table/large_3x2", matrix(c(5200, 5000, 5100, 994800, 995000, 994900), 3), TRUE)
add_fisher("table/fisher_symmetric_ties", 3, 3, 3, 3)
add_fisher("table/fisher_ties", 2, 5, 5, 2)
add_fisher("table/fisher_all_zero", 0, 0, 0, 0)
add_fisher("table/fisher_zero_column", 0, 0, 3, 4)
add_fisher("table/fisher_one_row", 5, 7, 0, 0)
add_fisher("table/fisher_lady", 3, 1, 1, 3)

# Sample-ratio mismatch (goodness of fit).
add_gof("srm/50123_49877", c(50123, 49877), c(0.5, 0.5))
add_gof("srm/3arm_50_25_25", c(50412, 24875, 24713), c(50, 25, 25))
add_gof("srm/3arm_0.5_0.25_0.25", c(50412, 24875, 24713), c(0.5, 0.25, 0.25))
add_gof("srm/exact_fit", c(20, 30, 50), c(0.2, 0.3, 0.5))
add_gof("srm/small", c(3, 1), c(0.5, 0.5))
add_gof("srm/zero_count", c(0, 10), c(0.5, 0.5))
add_gof("srm/zero_p", c(10, 10), c(1, 0))
add_gof("srm/all_zero", c(0, 0), c(0.5, 0.5))
add_gof("srm/large_imbalance", c(1001000, 999000), c(0.5, 0.5))
add_gof("srm/unequal_0.9_0.1", c(90300, 9700), c(0.9, 0.1))

# Relative lift of means (the general delta-method function).
add_lift("lift/means", 10.5, 0.04, 10, 0.05, 0.05)
add_lift("lift/negative_means", -2, 0.3, -2.5, 0.2, 0.1)
add_lift("lift/zero_control", 1, 0.1, 0, 0.1, 0.05)
add_lift("lift/zero_variance", 3, 0, 2, 0, 0.05)
add_lift("lift/treatment_zero", 0, 0.01, 2, 0.02, 0.05)

# p.adjust: ties, NA, a single value, values near 1.
add_padjust("padjust/ties", c(0.01, 0.02, 0.02, 0.03, 0.01, 0.5))
add_padjust("padjust/with_na", c(0.04, NA, 0.01, 0.03, NA, 0.2))
add_padjust("padjust/single", c(0.3))
add_padjust("padjust/single_with_na", c(NA, 0.3))
add_padjust("padjust/capped", c(0.9, 0.6, 0.4, 0.8))
add_padjust("padjust/tiny", c(1e-300, 2e-10, 0.049, 0.051, 1, 0))
add_padjust("padjust/all_equal", c(0.05, 0.05, 0.05))

out <- "tests/fixtures/counts_r.tsv"
writeLines(c(
  "# DO NOT EDIT — generated by tests/oracle/make_counts_fixtures.R",
  paste0("# ", R.version.string, "; generated ", format(Sys.time(), "%Y-%m-%d %H:%M:%S %Z")),
  "# value NA: unavailable (the C result must carry a reason); see the script for each source",
  paste("case", "func", "args", "field", "value", sep = "\t"),
  rows), out, useBytes = TRUE)
cat("wrote", length(rows), "rows to", out, "\n")
