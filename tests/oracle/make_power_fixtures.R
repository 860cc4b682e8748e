# make_power_fixtures.R — writes tests/fixtures/power_r.tsv, the reference values for power and
# sample size (R's power.t.test and power.prop.test) and for the non-central t distribution
# function pt(t, df, ncp) that power.t.test is built on.
# Run from the repository root:  Rscript tests/oracle/make_power_fixtures.R
# Needs only Debian's r-base-core. CI never runs this; it compares against the committed file.
#
# Tolerance. power.*.test solve with uniroot(tol = .Machine$double.eps^0.25), about 1.2e-4
# *absolute* in n, delta or p2: enough to move a small delta in its 2nd digit. The C core solves to
# machine precision, so column 'value' calls the same R functions with tol = 1e-14 (both accept a
# 'tol' argument since R 3.3.0, so R's own code runs, not a copy), and column 'r_default' keeps
# what R prints by default, so the test can show that the two differ only by R's tolerance.
# The one direction R does not offer — p2 below p1 — is solved by uniroot on a copy of
# power.prop.test's power equation (p.body, R 4.2.2) over [0, p1], marked where it is defined.
# value 'NA': R has no answer the C core should give — R warns that no p2 in [p1, 1] exists, or
# R had to look below the start of its own interval (n < 2 for t, n < 1 for proportions); the
# C core reports these as unavailable.

fmt <- function(x) if (is.null(x) || length(x) != 1 || is.na(x)) "NA" else sprintf("%.17g", x)
rows <- character(0)
add <- function(...) rows <<- c(rows, paste(..., sep = "\t"))

# Runs expr; returns list(value, warned). Errors stop the script: every case here must run.
run <- function(expr) {
  warned <- FALSE
  v <- withCallingHandlers(expr, warning = function(w) {
    warned <<- TRUE
    invokeRestart("muffleWarning")
  })
  list(value = v, warned = warned)
}

sides <- list(list(alt = "two.sided", strict = FALSE), list(alt = "two.sided", strict = TRUE),
              list(alt = "one.sided", strict = FALSE))
alphas <- c(0.01, 0.05, 0.1)
powers <- c(0.8, 0.9)

# ---- power.t.test ----
t_case <- function(solve, type, s, alpha, n = NULL, delta = NULL, sd = 1, power = NULL) {
  call <- function(tol) power.t.test(n = n, delta = delta, sd = sd, sig.level = alpha,
                                     power = power, type = type, alternative = s$alt,
                                     strict = s$strict, tol = tol)
  tight <- run(call(1e-14))
  if (tight$warned) stop("power.t.test warned at tol = 1e-14: ", solve, " ", type)
  dflt <- run(call(.Machine$double.eps^0.25))
  v <- tight$value[[solve]]
  if (solve == "n" && v < 2) v <- NA # R searched below its interval start [2, 1e7]
  add("t", solve, type, s$alt, s$strict, fmt(alpha), fmt(n), fmt(delta), fmt(sd), "NA", "NA",
      fmt(power), fmt(v), fmt(dflt$value[[solve]]))
}

for (type in c("two.sample", "one.sample", "paired")) {
  sds <- if (type == "two.sample") c(1, 2.5) else 1
  for (s in sides) for (alpha in alphas) {
    for (n in c(2, 5, 30, 1000, 2e5, 1e6)) for (delta in c(0.01, 0.3, 1, 2)) for (sd in sds)
      t_case("power", type, s, alpha, n = n, delta = delta, sd = sd)
    for (power in powers) {
      for (delta in c(3, 1.2, 0.5, 0.1, 0.02, 0.004)) for (sd in sds)
        t_case("n", type, s, alpha, delta = delta, sd = sd, power = power)
      for (n in c(2, 5, 30, 1000, 2e5, 1e6)) for (sd in sds)
        t_case("delta", type, s, alpha, n = n, sd = sd, power = power)
    }
  }
}
# R goes below n = 2 here (power already reached with fewer): unavailable in the C core.
t_case("n", "two.sample", sides[[1]], 0.05, delta = 10, power = 0.8)

# ---- power.prop.test ----
# A copy of power.prop.test's power equation (R 4.2.2, p.body), used only for p2 below p1.
prop_body <- function(n, p1, p2, sig.level, tside, strict) {
  if (strict && tside == 2) {
    qu <- qnorm(sig.level/tside, lower.tail = FALSE)
    d <- abs(p1 - p2)
    q1 <- 1 - p1
    q2 <- 1 - p2
    pbar <- (p1 + p2)/2
    qbar <- 1 - pbar
    v1 <- p1 * q1
    v2 <- p2 * q2
    vbar <- pbar * qbar
    pnorm((sqrt(n) * d - qu * sqrt(2 * vbar))/sqrt(v1 + v2)) +
      pnorm((sqrt(n) * d + qu * sqrt(2 * vbar))/sqrt(v1 + v2), lower.tail = FALSE)
  } else {
    pnorm((sqrt(n) * abs(p1 - p2) - (qnorm(sig.level/tside, lower.tail = FALSE) *
      sqrt((p1 + p2) * (1 - (p1 + p2)/2))))/sqrt(p1 * (1 - p1) + p2 * (1 - p2)))
  }
}

prop_case <- function(solve, s, alpha, n = NULL, p1 = NULL, p2 = NULL, power = NULL) {
  if (solve == "p2_below") {
    tside <- if (s$alt == "two.sided") 2 else 1
    f <- function(x) prop_body(n, p1, x, alpha, tside, s$strict) - power
    if (f(0) * f(p1) > 0) {
      v <- NA
      d <- NA
    } else {
      v <- uniroot(f, c(0, p1), tol = 1e-14)$root
      d <- uniroot(f, c(0, p1))$root
    }
  } else {
    call <- function(tol) power.prop.test(n = n, p1 = p1, p2 = p2, sig.level = alpha,
                                          power = power, alternative = s$alt,
                                          strict = s$strict, tol = tol)
    tight <- run(call(1e-14))
    dflt <- run(call(.Machine$double.eps^0.25))
    v <- tight$value[[solve]]
    d <- dflt$value[[solve]]
    if (tight$warned) v <- NA                   # "No p2 in [p1, 1] can be found ..."
    if (solve == "n" && !is.na(v) && v < 1) v <- NA # below R's interval start [1, 1e7]
  }
  add("prop", solve, "", s$alt, s$strict, fmt(alpha), fmt(n), "NA", "NA", fmt(p1), fmt(p2),
      fmt(power), fmt(v), fmt(d))
}

pairs <- list(c(0.1, 0.12), c(0.5, 0.55), c(0.02, 0.021), c(0.3, 0.5), c(0.9, 0.6),
              c(0.001, 0.0012), c(0.1, 0.9))
for (s in sides) for (alpha in alphas) {
  for (n in c(5, 100, 1e4, 1e6)) for (pp in pairs)
    prop_case("power", s, alpha, n = n, p1 = pp[1], p2 = pp[2])
  for (power in powers) {
    for (pp in c(pairs, list(c(0.5, 0.5005))))
      prop_case("n", s, alpha, p1 = pp[1], p2 = pp[2], power = power)
    for (p1 in c(0.01, 0.1, 0.5, 0.9, 0.99)) for (n in c(10, 100, 1e4, 1e6)) {
      prop_case("p2", s, alpha, n = n, p1 = p1, power = power)
      prop_case("p2_below", s, alpha, n = n, p1 = p1, power = power)
    }
  }
}

# ---- pt(t, df, ncp): the arguments power.t.test evaluates ----
# upper tail at t = qt(1 - a, df) and lower tail at -t (strict = TRUE's far tail), for the df of
# n = 2 .. 2e5 + 1 per group (the series; beyond df = 4e5 R uses a normal approximation).
pnt_rows <- character(0)
for (df in c(1, 2, 3, 5, 8, 10, 18, 30, 50, 98, 198, 1000, 1998, 1e4, 2e4, 1e5, 2e5, 3.99e5, 4e5,
             1e6)) {
  for (a in c(0.005, 0.01, 0.025, 0.05, 0.1)) {
    t <- qt(a, df, lower.tail = FALSE)
    for (ncp in c(0.05, 0.5, 1, 2, 2.8, 3.5, 5, 10, 20, 37, 38)) {
      pnt_rows <- c(pnt_rows,
        paste("pnt", fmt(t), fmt(df), fmt(ncp), "0", fmt(pt(t, df, ncp, lower.tail = FALSE)),
              sep = "\t"),
        paste("pnt", fmt(-t), fmt(df), fmt(ncp), "1", fmt(pt(-t, df, ncp, lower.tail = TRUE)),
              sep = "\t"))
    }
  }
}

out <- "tests/fixtures/power_r.tsv"
writeLines(c(
  "# DO NOT EDIT — generated by tests/oracle/make_power_fixtures.R",
  paste0("# ", R.version.string, "; generated ", format(Sys.time(), "%Y-%m-%d %H:%M:%S %Z")),
  "# t/prop rows: 'value' = the solved field from power.t.test / power.prop.test with tol = 1e-14",
  "#   (NA: R has no answer the C core gives, see the script); 'r_default' = R's default tol;",
  "#   input columns of the solved field are NA. solve p2_below: uniroot on power.prop.test's",
  "#   equation over [0, p1]. pnt rows: pnt, t, df, ncp, lower_tail, pt(t, df, ncp, lower_tail).",
  paste("kind", "solve", "type", "alternative", "strict", "sig_level", "n", "delta", "sd", "p1",
        "p2", "power", "value", "r_default", sep = "\t"),
  rows, pnt_rows), out, useBytes = TRUE)
cat("wrote", length(rows), "power rows and", length(pnt_rows), "pnt rows to", out, "\n")
