# make_ols_fixtures.R — writes tests/fixtures/ols_r.tsv, the reference values for the streaming
# least-squares core (wasm/src/ols.c): coefficients, classical, HC0–HC3 and cluster-robust
# standard errors, t, p, intervals and joint Wald tests, computed by R's lm, sandwich and lmtest.
# Run from the repository root:  Rscript tests/oracle/make_ols_fixtures.R
# Needs Debian's r-base-core plus r-cran-sandwich and r-cran-lmtest
#   (apt-get install -y r-cran-sandwich r-cran-lmtest). CI never runs this; it compares against
#   the committed file.
#
# Each case is written first as its specification, which the C test (tests/c/test_ols.c) reads to
# build the same design matrix from the same CSV file, row by row:
#   case spec file    -  path of the CSV (comma-separated, header row; a field may be quoted)
#   case spec y       -  the response, a term (below)
#   case spec term    -  one column of X, in order (R's lm processes columns in this order, and
#                        drops a column that is collinear with the columns before it)
#   case spec filter  -  COL=VALUE: keep only rows whose field COL is exactly VALUE
#   case spec cluster -  COL: cluster-robust errors by the (string) value of COL
#   case spec alpha   -  intervals at level 1 - alpha
#   case spec wald    -  TERM;TERM...: a joint Wald test that these coefficients are all zero
# A term is  summand(+summand)*,  a summand  factor(*factor)*,  a factor one of
#   1 or any number   that constant;
#   COL               the field as a number;
#   COL=LABEL         1 when the field is exactly LABEL, else 0.
# Evaluated left to right in doubles (products first, then sums), so R and C do the same IEEE
# operations in the same order. A row is used only when every field a term or the response
# names is non-empty (listwise deletion, as lm's na.omit does). Labels must not contain + or *.
#
# Results, one value a row:  case  section  name  field  value
#   fit       -       n, rank, df, rss, sigma, clusters (G), dropped (a term name; one row per
#                     dropped term, in order)
#   classical, HC0, HC1, HC2, HC3  (vcov(), sandwich::vcovHC(type = ...)),
#   CR0 (vcovCL(type = "HC0", cadjust = FALSE)), CR1 (vcovCL(type = "HC1"), Stata's and
#   statsmodels' default: G/(G-1) * (n-1)/(n-p)):
#             term    estimate, se, t, p_value, ci_low, ci_high, df
#             (by formula with df = n - p, or G - 1 for CR0/CR1 as Stata does, and checked against
#             lmtest::coeftest and coefci given that df; lmtest's own default for a clustered lm
#             fit would be n - p)
#             -       unavailable  (value: a word; R's numbers are then meaningless — e.g. HC2 and
#                     HC3 with an observation of leverage 1 divide 0 by 0 — and Causeway must say why)
#   wald:TYPE TERMS   W = b' V^-1 b, F = W/q, df1 = q, df2 (the covariance's df), p_chisq, p_f
#             (cross-checked below against anova() for the classical covariance and against
#             lmtest::waldtest for every covariance)
# The offset case (a response and two columns shifted by 1e9) is referenced to lm and sandwich on
# the exactly unshifted design, mapped back: on the raw design they lose digits (the file's header
# says how many), and the point of the case is that Causeway does not.
suppressMessages({
  library(sandwich)
  library(lmtest)
})

cases <- list(
  list(name = "lalonde", file = "tests/data/lalonde_nsw_dw.csv", y = "re78",
       terms = c("1", "treat", "age", "educ", "black", "hisp", "married", "nodegree", "re74", "re75"),
       types = c("classical", "HC0", "HC1", "HC2", "HC3"), alpha = 0.1,
       wald = list(c("black", "hisp"), c("treat"), c("re74", "re75", "married"))),
  list(name = "hillstrom", file = "web/samples/hillstrom.csv", y = "spend",
       terms = c("1", "segment=Mens E-Mail", "segment=Womens E-Mail", "recency", "history", "mens",
                 "womens", "newbie"),
       types = c("classical", "HC0", "HC1", "HC2", "HC3"), alpha = 0.05,
       wald = list(c("segment=Mens E-Mail", "segment=Womens E-Mail"))),
  # Card & Krueger (1994): the difference in differences is the nj*post coefficient
  list(name = "card_krueger", file = "tests/data/card_krueger_panel_long.csv", y = "fte",
       terms = c("1", "nj", "post", "nj*post"), cluster = "store_id",
       types = c("classical", "HC0", "HC1", "HC2", "HC3", "CR0", "CR1"), alpha = 0.05,
       wald = list(c("post", "nj*post"), c("nj", "post", "nj*post"))),
  list(name = "card_krueger_balanced", file = "tests/data/card_krueger_panel_long.csv", y = "fte",
       terms = c("1", "nj", "post", "nj*post"), filter = "balanced=1", cluster = "store_id",
       types = c("classical", "HC0", "HC1", "HC2", "HC3", "CR0", "CR1"), alpha = 0.05,
       wald = list(c("post", "nj*post"))),
  # no intercept column, but the two group indicators span it
  list(name = "card_krueger_cells", file = "tests/data/card_krueger_panel_long.csv", y = "fte",
       terms = c("nj=0", "nj=1", "post", "nj*post"), cluster = "store_id",
       types = c("classical", "HC1", "HC3", "CR1"), alpha = 0.05, wald = list(c("nj=0", "nj=1"))),
  # collinear columns: re74+re75 comes before re75, so lm keeps it and drops re75; 2*age+educ is
  # an exact combination of earlier columns and is dropped too
  list(name = "collinear", file = "tests/data/lalonde_nsw_dw.csv", y = "re78",
       terms = c("1", "treat", "re74+re75", "age", "educ", "re74", "re75", "black", "2*age+educ"),
       types = c("classical", "HC1", "HC2", "HC3"), alpha = 0.05,
       wald = list(c("re74", "re74+re75", "black"))),
  # the dummy trap: an intercept and an indicator for every arm; lm drops the last arm
  list(name = "dummy_trap", file = "web/samples/hillstrom.csv", y = "visit",
       terms = c("1", "segment=Mens E-Mail", "segment=Womens E-Mail", "segment=No E-Mail", "recency"),
       types = c("classical", "HC1", "HC2"), alpha = 0.05, wald = list()),
  # large offsets: response and two covariates shifted by 1e9 (their spread is ~1e3-1e4, so
  # relative to the offset it is ~1e-6, above lm's tol = 1e-7 and kept)
  list(name = "offset", file = "tests/data/lalonde_nsw_dw.csv", y = "re78+1e9",
       terms = c("1", "treat", "age", "educ", "black", "re74+1e9", "re75+1e9"),
       types = c("classical", "HC0", "HC1", "HC2", "HC3"), alpha = 0.05,
       wald = list(c("re74+1e9", "re75+1e9")),
       offsets = c(y = 1e9, "re74+1e9" = 1e9, "re75+1e9" = 1e9)),
  # one observation aged 55: its indicator gives it leverage 1, so HC2 and HC3 are undefined
  list(name = "leverage_one", file = "tests/data/lalonde_nsw_dw.csv", y = "re78",
       terms = c("1", "treat", "age", "educ", "age=55"),
       types = c("classical", "HC0", "HC1", "HC2", "HC3"), alpha = 0.05, wald = list())
)

fmt <- function(x) sprintf("%.17g", x)

eval_factor <- function(d, f) {
  if (grepl("=", f, fixed = TRUE)) {
    col <- sub("=.*$", "", f)
    label <- sub("^[^=]*=", "", f)
    return(as.numeric(d[[col]] == label))
  }
  num <- suppressWarnings(as.numeric(f))
  if (!is.na(num) && !(f %in% names(d))) return(rep(num, nrow(d)))
  as.numeric(d[[f]])
}

eval_term <- function(d, term) {
  total <- NULL
  for (s in strsplit(term, "+", fixed = TRUE)[[1]]) {
    v <- NULL
    for (f in strsplit(s, "*", fixed = TRUE)[[1]]) {
      fv <- eval_factor(d, f)
      v <- if (is.null(v)) fv else v * fv
    }
    total <- if (is.null(total)) v else total + v
  }
  total
}

columns_of <- function(term) {
  fs <- unlist(strsplit(unlist(strsplit(term, "+", fixed = TRUE)), "*", fixed = TRUE))
  cols <- sub("=.*$", "", fs)
  cols[is.na(suppressWarnings(as.numeric(cols)))]
}

# lm and the covariances of every type asked for, on design X (columns named by term)
fit_all <- function(X, y, types, cl) {
  D <- data.frame(y = y, X, check.names = FALSE)
  m <- lm(y ~ 0 + ., data = D)
  b <- coef(m)
  raw <- names(b)  # terms other than plain names come back `quoted`
  stopifnot(identical(gsub("`", "", raw), colnames(X)))
  kept <- !is.na(b)
  V <- list()
  for (type in types) {
    v <- switch(type,
      classical = vcov(m),
      # (leverage_one: sandwich warns that HC2/HC3 are unstable; they are written as unavailable)
      HC0 = , HC1 = , HC2 = , HC3 = withCallingHandlers(vcovHC(m, type = type), warning = function(w)
        if (grepl("hat values are close to 1", conditionMessage(w))) invokeRestart("muffleWarning")),
      CR0 = vcovCL(m, cluster = cl, type = "HC0", cadjust = FALSE),
      CR1 = vcovCL(m, cluster = cl, type = "HC1"))
    V[[type]] <- unname(v[raw[kept], raw[kept], drop = FALSE])  # vcov() has NA rows for dropped terms
  }
  list(m = m, D = D, b = unname(b[kept]), kept = kept, V = V, h = hatvalues(m))
}

maxrel <- function(a, b) max(ifelse(a == b, 0, abs(a / b - 1)))
rows <- list()
add <- function(...) rows[[length(rows) + 1]] <<- paste(..., sep = "\t")
notes <- character(0)

for (cs in cases) {
  d <- read.csv(cs$file, check.names = FALSE, stringsAsFactors = FALSE, colClasses = "character",
                na.strings = character(0))
  add(cs$name, "spec", "-", "file", cs$file)
  add(cs$name, "spec", "-", "y", cs$y)
  for (tm in cs$terms) add(cs$name, "spec", "-", "term", tm)
  if (!is.null(cs$filter)) add(cs$name, "spec", "-", "filter", cs$filter)
  if (!is.null(cs$cluster)) add(cs$name, "spec", "-", "cluster", cs$cluster)
  add(cs$name, "spec", "-", "alpha", fmt(cs$alpha))
  for (w in cs$wald) add(cs$name, "spec", "-", "wald", paste(w, collapse = ";"))

  if (!is.null(cs$filter)) {
    fc <- sub("=.*$", "", cs$filter)
    d <- d[d[[fc]] == sub("^[^=]*=", "", cs$filter), , drop = FALSE]
  }
  used <- unique(c(unlist(lapply(c(cs$y, cs$terms), columns_of)), cs$cluster))
  keep <- rep(TRUE, nrow(d))
  for (u in used) keep <- keep & d[[u]] != ""
  d <- d[keep, , drop = FALSE]

  X <- sapply(cs$terms, function(tm) eval_term(d, tm))
  colnames(X) <- cs$terms
  y <- eval_term(d, cs$y)
  cl <- if (!is.null(cs$cluster)) d[[cs$cluster]] else NULL
  G <- if (is.null(cl)) NA else length(unique(cl))
  f <- fit_all(X, y, cs$types, cl)
  b <- f$b
  V <- f$V
  if (!is.null(cs$offsets)) {
    # Reference by exact reparametrisation: every offset column minus its offset is exact in
    # doubles (Sterbenz), so lm on the shifted design fits the same model to the same numbers;
    # with the intercept in column 1, X = Xs T, T = I + e1 off', so b = T^-1 (c + off_y e1) and
    # V = T^-1 Vs T^-T. lm and sandwich on the raw design lose digits here (kappa(X) ~ 4.5e14;
    # sandwich forms X' Omega X in raw coordinates): the differences are printed below.
    stopifnot(cs$terms[1] == "1", all(f$kept))
    off <- ifelse(cs$terms %in% names(cs$offsets), cs$offsets[cs$terms], 0)
    Xs <- sweep(X, 2, off)
    ys <- y - cs$offsets[["y"]]
    stopifnot(all(sweep(Xs, 2, -off) == X), all(ys + cs$offsets[["y"]] == y))
    s <- fit_all(Xs, ys, cs$types, cl)
    Ti <- diag(length(off))
    Ti[1, ] <- Ti[1, ] - off
    b <- drop(Ti %*% (s$b + c(cs$offsets[["y"]], rep(0, length(off) - 1))))
    V <- lapply(s$V, function(v) Ti %*% v %*% t(Ti))
    notes <- c(notes, sprintf(
      "# %s: R on the raw design differs from this reference by up to %.2g (coefficients)%s",
      cs$name, maxrel(f$b, b), paste(sprintf(", %.2g (%s SEs)", sapply(cs$types, function(ty)
        maxrel(sqrt(diag(f$V[[ty]])), sqrt(diag(V[[ty]])))), cs$types), collapse = "")))
    f$h <- s$h
  }
  m <- f$m
  kept <- f$kept
  n <- nobs(m)
  add(cs$name, "fit", "-", "n", fmt(n))
  add(cs$name, "fit", "-", "rank", fmt(m$rank))
  add(cs$name, "fit", "-", "df", fmt(df.residual(m)))
  add(cs$name, "fit", "-", "rss", fmt(deviance(m)))
  add(cs$name, "fit", "-", "sigma", fmt(sigma(m)))
  for (tm in cs$terms[!kept]) add(cs$name, "fit", "-", "dropped", tm)
  if (!is.null(cs$cluster)) add(cs$name, "fit", "-", "clusters", fmt(G))

  for (type in cs$types) {
    if (type %in% c("HC2", "HC3") && any(f$h > 1 - 1e-10)) {
      add(cs$name, type, "-", "unavailable", "leverage")
      next
    }
    df <- if (type %in% c("CR0", "CR1")) G - 1 else df.residual(m)
    se <- sqrt(diag(V[[type]]))
    tv <- b / se
    pv <- 2 * pt(-abs(tv), df)
    q <- qt(1 - cs$alpha / 2, df)
    lo <- b - q * se
    hi <- b + q * se
    if (is.null(cs$offsets)) {  # the same through lmtest, which matches terms by name
      vv <- matrix(V[[type]], sum(kept), dimnames = list(names(coef(m))[kept], names(coef(m))[kept]))
      ct <- coeftest(m, vcov. = vv, df = df)
      ci <- coefci(m, vcov. = vv, df = df, level = 1 - cs$alpha)
      stopifnot(maxrel(ct[, 2], se) < 1e-14, maxrel(ct[, 4], pv) < 1e-12,
                maxrel(ci[, 1], lo) < 1e-12, maxrel(ci[, 2], hi) < 1e-12)
    }
    for (i in seq_along(b)) {
      tm <- cs$terms[kept][i]
      add(cs$name, type, tm, "estimate", fmt(b[i]))
      add(cs$name, type, tm, "se", fmt(se[i]))
      add(cs$name, type, tm, "t", fmt(tv[i]))
      add(cs$name, type, tm, "p_value", fmt(pv[i]))
      add(cs$name, type, tm, "ci_low", fmt(lo[i]))
      add(cs$name, type, tm, "ci_high", fmt(hi[i]))
      add(cs$name, type, tm, "df", fmt(df))
    }
    for (w in cs$wald) {
      stopifnot(all(w %in% cs$terms[kept]))
      idx <- match(w, cs$terms[kept])
      Vw <- V[[type]][idx, idx, drop = FALSE]
      W <- drop(t(b[idx]) %*% solve(Vw, b[idx]))
      qn <- length(w)
      Fs <- W / qn
      if (is.null(cs$offsets)) {
        # cross-checks: nested-model F (classical) and lmtest::waldtest, on the model refitted
        # without its dropped columns (waldtest refuses aliased coefficients)
        full <- lm(y ~ 0 + ., data = f$D[, c("y", cs$terms[kept]), drop = FALSE])
        restricted <- lm(y ~ 0 + ., data = f$D[, c("y", setdiff(cs$terms[kept], w)), drop = FALSE])
        if (type == "classical") stopifnot(abs(anova(restricted, full)$F[2] / Fs - 1) < 1e-10)
        wt <- waldtest(restricted, full, vcov = V[[type]], test = "Chisq")
        stopifnot(abs(wt$Chisq[2] / W - 1) < 1e-10)
      }
      section <- paste0("wald:", type)
      nm <- paste(w, collapse = ";")
      add(cs$name, section, nm, "W", fmt(W))
      add(cs$name, section, nm, "F", fmt(Fs))
      add(cs$name, section, nm, "df1", fmt(qn))
      add(cs$name, section, nm, "df2", fmt(df))
      add(cs$name, section, nm, "p_chisq", fmt(pchisq(W, qn, lower.tail = FALSE)))
      add(cs$name, section, nm, "p_f", fmt(pf(Fs, qn, df, lower.tail = FALSE)))
    }
  }
}

out <- "tests/fixtures/ols_r.tsv"
writeLines(c(
  "# DO NOT EDIT — generated by tests/oracle/make_ols_fixtures.R",
  paste0("# ", R.version.string, ", sandwich ", packageVersion("sandwich"), ", lmtest ",
         packageVersion("lmtest"), "; generated ", format(Sys.time(), "%Y-%m-%d %H:%M:%S %Z")),
  "# lm(y ~ 0 + X) on the design each case's spec rows describe; see the script for the format",
  notes,
  paste("case", "section", "name", "field", "value", sep = "\t"),
  unlist(rows)), out, useBytes = TRUE)
cat("wrote", length(rows), "rows to", out, "\n")
