/* private.c — the "share privately" mode (see private.h): declarations, the plan of the noise,
 * fixed-point ingestion into exact integer sums, and the one noisy release. Nothing here uses a
 * floating-point value derived from the data; the data's only way out is cw_private_release. */
#include "private.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp_sample.h"
#include "number.h"
#include "rng.h"
#include "sha256.h"

cw_private *cw_private_new(void) {
    cw_private *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->control = -1;
    p->d = 2; /* DP-SPEC B1: resolution 0.01 unless declared */
    p->unit_col = -1;
    p->point = '.';
    return p;
}

void cw_private_free(cw_private *p) {
    if (!p) return;
    for (int i = 0; i < p->narms; i++) free(p->arm[i]);
    for (int i = 0; i < p->nmetrics; i++) {
        free(p->metric[i].name);
        free(p->metric[i].lo_text);
        free(p->metric[i].hi_text);
    }
    free(p->bounds_text);
    free(p->resolution_text);
    free(p->cell);
    free(p->rel);
    free(p->units.key);
    free(p->units.arm);
    free(p->units.sum);
    free(p->units.has);
    free(p);
}

static cw_status bad(cw_private *p, const char *fmt, const char *value) {
    snprintf(p->msg, sizeof p->msg, fmt, value);
    return CW_ERR_OPTION;
}

static char *dup_n(const char *s, size_t n) {
    s = cw_trim(s, &n);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

int cw_private_is_option(const char *name) {
    static const char *const names[] = {"arms", "bounds", "dp-epsilon", "dp-delta", "resolution", "dp-interval",
                                        "dp-session-key"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0) return 1;
#ifdef DP_TEST_RNG
    if (strcmp(name, "dp-test-seed") == 0) return 1;
#endif
    return 0;
}

static cw_status set_arms(cw_private *p, const char *value) {
    for (int i = 0; i < p->narms; i++) free(p->arm[i]);
    p->narms = 0;
    const char *s = value;
    for (;;) {
        const char *end = strchr(s, ',');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        if (p->narms == CW_PRIV_MAX_ARMS)
            return bad(p, "--arms: at most 50 arms can be declared (got '%s')", value);
        char *label = dup_n(s, n);
        if (!label) return CW_ERR_NOMEM;
        if (!*label) {
            free(label);
            return bad(p, "--arms lists the arm labels separated by commas, e.g. A,B,C (got '%s')", value);
        }
        for (int i = 0; i < p->narms; i++)
            if (strcmp(p->arm[i], label) == 0) {
                free(label);
                return bad(p, "--arms names an arm twice (got '%s')", value);
            }
        p->arm_len[p->narms] = strlen(label);
        p->arm[p->narms++] = label;
        if (!end) break;
        s = end + 1;
    }
    if (p->narms < 2) return bad(p, "--arms needs at least two arms: the control and a treatment (got '%s')", value);
    return CW_OK;
}

static cw_status set_double(cw_private *p, const char *value, double *out, const char *what) {
    char *end;
    errno = 0;
    double x = strtod(value, &end);
    while (*end == ' ') end++;
    if (end == value || *end || errno || !isfinite(x)) return bad(p, what, value);
    *out = x;
    return CW_OK;
}

cw_status cw_private_set(cw_private *p, const char *name, const char *value) {
    if (strcmp(name, "arms") == 0) return set_arms(p, value);
    if (strcmp(name, "bounds") == 0) {
        free(p->bounds_text);
        return (p->bounds_text = dup_n(value, strlen(value))) ? CW_OK : CW_ERR_NOMEM;
    }
    if (strcmp(name, "dp-epsilon") == 0) {
        cw_status st = set_double(p, value, &p->epsilon, "--dp-epsilon takes a positive number such as 1 (got '%s')");
        if (st != CW_OK) return st;
        uint64_t s;
        if (cw_dp_eps_units(p->epsilon, &s) != CW_BUDGET_OK)
            return bad(p, "--dp-epsilon must be from 2^-20 (about 1e-6) to 64 (got '%s')", value);
        p->have_epsilon = 1;
        return CW_OK;
    }
    if (strcmp(name, "dp-delta") == 0) {
        cw_status st = set_double(p, value, &p->delta, "--dp-delta takes a small positive number such as 1e-6 (got '%s')");
        if (st != CW_OK) return st;
        if (!(p->delta >= 1e-300 && p->delta <= 0.01))
            return bad(p,
                       "--dp-delta must be above 0 and at most 0.01; it should be far below one over the "
                       "number of people, e.g. 1e-6 (got '%s')",
                       value);
        return CW_OK;
    }
    if (strcmp(name, "resolution") == 0) {
        int d;
        if (cw_fix_resolution(value, strlen(value), &d) != 0)
            return bad(p, "--resolution must be a power of ten from 1e-9 to 1e6, such as 0.01 or 1 (got '%s')",
                       value);
        p->d = d;
        free(p->resolution_text);
        return (p->resolution_text = dup_n(value, strlen(value))) ? CW_OK : CW_ERR_NOMEM;
    }
    if (strcmp(name, "dp-interval") == 0) {
        static const char *const names[] = {"convolution", "wald", "conservative"};
        for (int k = 0; k < 3; k++)
            if (strcmp(value, names[k]) == 0) {
                p->interval = (cw_priv_interval)k;
                return CW_OK;
            }
        return bad(p, "--dp-interval must be convolution, wald or conservative (got '%s')", value);
    }
    if (strcmp(name, "dp-session-key") == 0) {
        size_t n = strlen(value);
        if (n > 64 || strspn(value, "0123456789abcdef") != n)
            return bad(p, "--dp-session-key takes up to 64 lowercase hex digits (got '%s')", value);
        memcpy(p->session_key, value, n + 1);
        return CW_OK;
    }
#ifdef DP_TEST_RNG
    if (strcmp(name, "dp-test-seed") == 0) {
        p->test_seeded = 1;
        p->test_seed = strtoull(value, NULL, 10);
        return CW_OK;
    }
#endif
    return bad(p, "unknown option --%s", name);
}

/* ---- the plan: bounds, budget split, noise --------------------------------------------------- */

/* "COL=L:U,..." entry for name; 1 found (texts written), 0 absent, -1 malformed. */
static int find_bounds(const char *text, const char *name, char *lo, char *hi, size_t size) {
    const char *s = text;
    while (s && *s) {
        const char *end = strchr(s, ',');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        const char *eq = NULL;
        for (size_t i = n; i-- > 0;) /* the last '=' : column names may hold '=' */
            if (s[i] == '=') {
                eq = s + i;
                break;
            }
        if (!eq) return -1;
        size_t cn = (size_t)(eq - s);
        const char *col = cw_trim(s, &cn);
        const char *colon = memchr(eq + 1, ':', (size_t)(s + n - eq - 1));
        if (!colon) return -1;
        if (cn == strlen(name) && memcmp(col, name, cn) == 0) {
            size_t ln = (size_t)(colon - eq - 1), hn = (size_t)(s + n - colon - 1);
            if (ln >= size || hn >= size) return -1;
            memcpy(lo, eq + 1, ln);
            lo[ln] = '\0';
            memcpy(hi, colon + 1, hn);
            hi[hn] = '\0';
            return 1;
        }
        s = end ? end + 1 : NULL;
    }
    return 0;
}

/* Every name in --bounds must be a metric. */
static cw_status check_bounds_names(cw_private *p, const char *const *names, int n) {
    const char *s = p->bounds_text;
    while (s && *s) {
        const char *end = strchr(s, ',');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        const char *eq = NULL;
        for (size_t i = len; i-- > 0;)
            if (s[i] == '=') {
                eq = s + i;
                break;
            }
        if (!eq || !memchr(eq, ':', (size_t)(s + len - eq)))
            return bad(p, "--bounds takes COL=LOW:HIGH for each numeric metric, e.g. revenue=0:500 (got '%s')",
                       p->bounds_text);
        size_t cn = (size_t)(eq - s);
        const char *col = cw_trim(s, &cn);
        int found = 0;
        for (int k = 0; k < n; k++) found |= strlen(names[k]) == cn && memcmp(names[k], col, cn) == 0;
        if (!found) {
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(cn < 100 ? cn : 100), col);
            return bad(p, "--bounds names '%s', which is not a --metric", name);
        }
        s = end ? end + 1 : NULL;
    }
    return CW_OK;
}

static cw_status budget_error(cw_private *p, cw_budget_status st, const char *metric, const char *what) {
    snprintf(p->msg, sizeof p->msg, "private release of %s of '%s': %s", what, metric, cw_budget_strerror(st));
    return CW_ERR_OPTION;
}

/* The noise of one statistic of sensitivity sens given units of budget: discrete Laplace under
 * pure DP; under zCDP the discrete Gaussian, or the discrete Laplace at the same rho when the
 * Gaussian's sigma2 would pass the sampler's 2^62 (the Laplace then costs (eps^2/2)-zCDP). */
static cw_budget_status plan_noise(const cw_private *p, uint64_t sens, uint64_t units, cw_dp_noise *nz) {
    if (!p->zcdp) return cw_dp_noise_plan(CW_MECH_LAPLACE, sens, units, nz);
    cw_budget_status st = cw_dp_noise_plan(CW_MECH_GAUSSIAN, sens, units, nz);
    if (st == CW_BUDGET_SCALE) st = cw_dp_laplace_from_rho(sens, units, nz);
    return st;
}

cw_status cw_private_plan(cw_private *p, const char *const *metric_names, const int *declared_binary,
                          int nmetrics, const char *control, double alpha, int have_unit) {
    if (!p->have_epsilon)
        return bad(p, "%s", "a private release needs --dp-epsilon (the privacy budget, e.g. 1)");
    if (p->narms < 2)
        return bad(p, "%s",
                   "a private release needs --arms A,B,...: the arm labels, declared rather than read from the "
                   "data (a rare label would otherwise be revealed)");
    if (nmetrics > CW_PRIV_MAX_METRICS) return bad(p, "%s", "a private release takes at most 16 metrics");
    p->control = -1;
    for (int i = 0; i < p->narms; i++)
        if (strcmp(p->arm[i], control) == 0) p->control = i;
    if (p->control < 0) return bad(p, "--control '%s' is not one of the declared --arms", control);
    p->alpha = alpha;
    (void)have_unit;
    cw_status st = check_bounds_names(p, metric_names, nmetrics);
    if (st != CW_OK) return st;
    uint64_t total;
    if (p->delta > 0.0) {
        p->zcdp = 1;
        if (cw_dp_eps_units(p->epsilon, &p->eps_units) != CW_BUDGET_OK ||
            cw_dp_zcdp_rho_units(p->epsilon, p->delta, &p->rho_units) != CW_BUDGET_OK)
            return bad(p, "%s", "--dp-epsilon and --dp-delta give no usable zCDP budget");
        total = p->rho_units;
    } else {
        if (cw_dp_eps_units(p->epsilon, &p->eps_units) != CW_BUDGET_OK)
            return bad(p, "%s", "--dp-epsilon is out of range");
        total = p->eps_units;
    }
    uint32_t equal[CW_PRIV_MAX_METRICS];
    uint64_t share[CW_PRIV_MAX_METRICS];
    for (int i = 0; i < nmetrics; i++) equal[i] = 1;
    if (cw_dp_split(total, equal, nmetrics, share) != CW_BUDGET_OK) return bad(p, "%s", "no metric to release");
    p->nmetrics = nmetrics;
    for (int i = 0; i < nmetrics; i++) {
        cw_priv_metric *m = &p->metric[i];
        memset(m, 0, sizeof *m);
        m->col = -1;
        if (!(m->name = dup_n(metric_names[i], strlen(metric_names[i])))) return CW_ERR_NOMEM;
        m->units = share[i];
        char lo[128], hi[128];
        int found = p->bounds_text ? find_bounds(p->bounds_text, m->name, lo, hi, sizeof lo) : 0;
        if (found < 0)
            return bad(p, "--bounds takes COL=LOW:HIGH for each numeric metric, e.g. revenue=0:500 (got '%s')",
                       p->bounds_text);
        if (found && declared_binary[i]) {
            snprintf(p->msg, sizeof p->msg, "'%s' is declared binary and also given --bounds: choose one",
                     m->name);
            return CW_ERR_OPTION;
        }
        if (!found && !declared_binary[i]) {
            snprintf(p->msg, sizeof p->msg,
                     "in a private release every metric is declared: '%s:binary' for a 0/1 outcome, or "
                     "--bounds %s=LOW:HIGH for a numeric one (bounds are never taken from the data)",
                     m->name, m->name);
            return CW_ERR_OPTION;
        }
        cw_budget_status bs;
        if (!found) {
            m->binary = 1;
            if ((bs = plan_noise(p, 1, m->units, &m->tab)) != CW_BUDGET_OK)
                return budget_error(p, bs, m->name, "the table");
            continue;
        }
        /* bounds rounded outward to the resolution (DP-SPEC B1.1) */
        if (cw_fix_parse(lo, strlen(lo), '.', p->d, CW_ROUND_FLOOR, &m->lo) != CW_FIX_OK ||
            cw_fix_parse(hi, strlen(hi), '.', p->d, CW_ROUND_CEIL, &m->hi) != CW_FIX_OK) {
            snprintf(p->msg, sizeof p->msg,
                     "--bounds for '%s' must be two numbers LOW:HIGH within 1e15 resolution units (got '%.60s:%.60s')",
                     m->name, lo, hi);
            return CW_ERR_OPTION;
        }
        if (m->hi <= m->lo) {
            snprintf(p->msg, sizeof p->msg, "--bounds for '%s': LOW must be below HIGH (got '%.60s:%.60s')", m->name, lo,
                     hi);
            return CW_ERR_OPTION;
        }
        if (!(m->lo_text = dup_n(lo, strlen(lo))) || !(m->hi_text = dup_n(hi, strlen(hi)))) return CW_ERR_NOMEM;
        m->range = m->hi - m->lo;
        m->wshift = 0;
        while ((((uint64_t)m->range + ((uint64_t)1 << m->wshift) - 1) >> m->wshift) > ((uint64_t)1 << CW_PRIV_W_BITS))
            m->wshift++;
        m->range_w = (int64_t)(((uint64_t)m->range + ((uint64_t)1 << m->wshift) - 1) >> m->wshift);
        m->has_w = p->interval != CW_PRIV_CONSERVATIVE;
        uint32_t w[3] = {1, 2, 1};
        uint64_t part[3];
        if (cw_dp_split(m->units, w, m->has_w ? 3 : 2, part) != CW_BUDGET_OK) return CW_ERR_OPTION;
        uint64_t sens_w = ((uint64_t)m->range_w * (uint64_t)m->range_w + 1) / 2;
        if ((bs = plan_noise(p, 1, part[0], &m->n)) != CW_BUDGET_OK) return budget_error(p, bs, m->name, "the count");
        if ((bs = plan_noise(p, (uint64_t)m->range, part[1], &m->t)) != CW_BUDGET_OK)
            return budget_error(p, bs, m->name, "the sum");
        if (m->has_w && (bs = plan_noise(p, sens_w, part[2], &m->w)) != CW_BUDGET_OK)
            return budget_error(p, bs, m->name, "the sum of squares");
    }
    /* exact checks: every noise within its allotment, the allotments within the total */
    uint64_t used = 0;
    for (int i = 0; i < nmetrics; i++) {
        const cw_priv_metric *m = &p->metric[i];
        const cw_dp_noise *nz[3];
        cw_priv_noises(m, nz);
        for (int k = 0; k < 3; k++) {
            if (!nz[k]) continue;
            if (!cw_dp_noise_check(nz[k])) return bad(p, "%s", "internal error: a noise plan exceeds its budget");
            used += nz[k]->units;
        }
    }
    if (used > total) return bad(p, "%s", "internal error: the statistics' budgets exceed the total");
    p->cell = calloc((size_t)p->narms * (size_t)nmetrics, sizeof *p->cell);
    return p->cell ? CW_OK : CW_ERR_NOMEM;
}

/* ---- ingestion ------------------------------------------------------------------------------ */

/* round(y / 2^s), halves to even; exact for |y| < 2^62. */
static int64_t shift_half_even(int64_t y, int s) {
    if (s == 0) return y;
    int64_t m = (int64_t)1 << s;
    int64_t q = y >= 0 ? y / m : -((-y + m - 1) / m); /* floor */
    int64_t r = y - q * m;
    if (r > m / 2 || (r == m / 2 && (q & 1))) q++;
    return q;
}

void cw_private_cell_add(const cw_priv_metric *m, cw_priv_cell *cell, int64_t x) {
    cell->n++;
    if (m->binary) {
        cell->c += x != 0;
        return;
    }
    if (x < m->lo) x = m->lo;
    if (x > m->hi) x = m->hi;
    int64_t y = 2 * x - (m->lo + m->hi); /* in [-R, R] */
    int64_t yw = shift_half_even(y, m->wshift);
    cell->t += y;
    cell->w += (cw_dp_i128)yw * yw - (cw_dp_i128)((m->range_w * m->range_w) / 2);
}

/* A metric's value in units: binary 0/1 exactly, numeric at the resolution. 0 when unusable. */
static int parse_value(const cw_private *p, const cw_priv_metric *m, const char *s, size_t len, int64_t *x) {
    if (m->binary) {
        int64_t lo, hi;
        if (cw_fix_parse(s, len, p->point, 0, CW_ROUND_FLOOR, &lo) != CW_FIX_OK ||
            cw_fix_parse(s, len, p->point, 0, CW_ROUND_CEIL, &hi) != CW_FIX_OK || lo != hi || (lo != 0 && lo != 1))
            return 0;
        *x = lo;
        return 1;
    }
    return cw_fix_parse(s, len, p->point, p->d, CW_ROUND_HALF_EVEN, x) == CW_FIX_OK;
}

static int find_arm(const cw_private *p, const char *v, size_t n) {
    for (int i = 0; i < p->narms; i++)
        if (p->arm_len[i] == n && memcmp(p->arm[i], v, n) == 0) return i;
    return -1;
}

static uint64_t hash_id(const char *s, size_t n) {
    uint64_t h = 14695981039346656037ull; /* FNV-1a 64, finished with splitmix64 */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    h = cw_splitmix64(h);
    return h ? h : 1;
}

static int units_grow(cw_private *p) {
    cw_priv_units *u = &p->units;
    size_t cap = u->cap ? u->cap * 2 : 1024, nm = (size_t)p->nmetrics;
    uint64_t *key = calloc(cap, sizeof *key);
    int32_t *arm = malloc(cap * sizeof *arm);
    cw_dp_i128 *sum = calloc(cap * nm, sizeof *sum);
    uint8_t *has = calloc(cap * nm, 1);
    if (!key || !arm || !sum || !has) {
        free(key), free(arm), free(sum), free(has);
        return -1;
    }
    for (size_t i = 0; i < u->cap; i++) {
        if (!u->key[i]) continue;
        size_t s = (size_t)u->key[i] & (cap - 1);
        while (key[s]) s = (s + 1) & (cap - 1);
        key[s] = u->key[i];
        arm[s] = u->arm[i];
        memcpy(sum + s * nm, u->sum + i * nm, nm * sizeof *sum);
        memcpy(has + s * nm, u->has + i * nm, nm);
    }
    free(u->key), free(u->arm), free(u->sum), free(u->has);
    u->key = key, u->arm = arm, u->sum = sum, u->has = has, u->cap = cap;
    return 0;
}

cw_status cw_private_row(cw_private *p, const cw_row *row, int variant_col, int unit_col, const int *metric_col) {
    size_t vlen = row->len[variant_col];
    const char *v = cw_trim(row->text + row->start[variant_col], &vlen);
    int g = find_arm(p, v, vlen);
    if (g < 0) return CW_OK; /* an undeclared arm: dropped */
    if (unit_col < 0) {
        for (int i = 0; i < p->nmetrics; i++) {
            int64_t x;
            if (parse_value(p, &p->metric[i], row->text + row->start[metric_col[i]], row->len[metric_col[i]], &x))
                cw_private_cell_add(&p->metric[i], &p->cell[g * p->nmetrics + i], x);
        }
        return CW_OK;
    }
    size_t ulen = row->len[unit_col];
    const char *id = cw_trim(row->text + row->start[unit_col], &ulen);
    if (ulen == 0) return CW_OK; /* no id: dropped */
    cw_priv_units *u = &p->units;
    if ((u->n + 1) * 2 > u->cap) {
        if (u->n >= CW_PRIV_MAX_UNITS) {
            snprintf(p->msg, sizeof p->msg,
                     "more than %u distinct ids in '--unit': combine each person's rows in your warehouse "
                     "first (docs/warehouse.md) and release one row per person",
                     CW_PRIV_MAX_UNITS);
            return CW_ERR_ROW;
        }
        if (units_grow(p) != 0) {
            snprintf(p->msg, sizeof p->msg, "out of memory for the unit ids");
            return CW_ERR_NOMEM;
        }
    }
    uint64_t h = hash_id(id, ulen);
    size_t s = (size_t)h & (u->cap - 1);
    while (u->key[s] && u->key[s] != h) s = (s + 1) & (u->cap - 1);
    if (!u->key[s]) {
        u->key[s] = h;
        u->arm[s] = g;
        u->n++;
    } else if (u->arm[s] != g) {
        u->arm[s] = -2; /* in two arms: the id is dropped */
    }
    size_t nm = (size_t)p->nmetrics;
    for (int i = 0; i < p->nmetrics; i++) {
        int64_t x;
        if (!parse_value(p, &p->metric[i], row->text + row->start[metric_col[i]], row->len[metric_col[i]], &x))
            continue;
        cw_dp_i128 *acc = &u->sum[s * nm + (size_t)i];
        if (p->metric[i].binary) {
            if (x) *acc = 1;
        } else {
            *acc += x; /* |x| <= 1e15 and rows < 2^63: no overflow in 128 bits */
        }
        u->has[s * nm + (size_t)i] = 1;
    }
    return CW_OK;
}

cw_status cw_private_close(cw_private *p) {
    cw_priv_units *u = &p->units;
    size_t nm = (size_t)p->nmetrics;
    for (size_t s = 0; s < u->cap; s++) {
        if (!u->key[s] || u->arm[s] < 0) continue;
        for (size_t i = 0; i < nm; i++) {
            if (!u->has[s * nm + i]) continue;
            const cw_priv_metric *m = &p->metric[i];
            cw_dp_i128 v = u->sum[s * nm + i];
            /* clamp after summing; the clamp also brings v into int64 */
            int64_t x = m->binary ? (int64_t)v : v < m->lo ? m->lo : v > m->hi ? m->hi : (int64_t)v;
            cw_private_cell_add(m, &p->cell[(size_t)u->arm[s] * nm + i], x);
        }
    }
    return CW_OK;
}

/* ---- the release ---------------------------------------------------------------------------- */

static cw_dp_status draw(const cw_dp_noise *nz, cw_dp_source *src, int64_t *z) {
    return nz->mech == CW_MECH_LAPLACE ? cw_dp_laplace(src, nz->t, nz->s, z) : cw_dp_gaussian(src, nz->sigma2, z);
}

cw_dp_status cw_private_noise_cell(const cw_priv_metric *m, const cw_priv_cell *cell, cw_dp_source *src,
                                   cw_priv_released *out) {
    int64_t z[3] = {0, 0, 0};
    cw_dp_status st;
    memset(out, 0, sizeof *out);
    if (m->binary) {
        if ((st = draw(&m->tab, src, &z[0])) != CW_DP_OK || (st = draw(&m->tab, src, &z[1])) != CW_DP_OK) return st;
        out->c = (cw_dp_i128)cell->c + z[0];
        out->f = (cw_dp_i128)(cell->n - cell->c) + z[1];
        return CW_DP_OK;
    }
    if ((st = draw(&m->n, src, &z[0])) != CW_DP_OK || (st = draw(&m->t, src, &z[1])) != CW_DP_OK) return st;
    if (m->has_w && (st = draw(&m->w, src, &z[2])) != CW_DP_OK) return st;
    out->n = (cw_dp_i128)cell->n + z[0];
    out->t = cell->t + z[1];
    out->w = m->has_w ? cell->w + z[2] : 0;
    return CW_DP_OK;
}

/* SHA-256 of the session key, the declarations that shape the aggregates, and the aggregates. */
static void fingerprint(cw_private *p) {
    cw_sha256 h;
    cw_sha256_init(&h);
    cw_sha256_update(&h, p->session_key, strlen(p->session_key) + 1);
    cw_sha256_update(&h, &p->d, sizeof p->d);
    cw_sha256_update(&h, &p->unit_col, sizeof p->unit_col);
    for (int g = 0; g < p->narms; g++) cw_sha256_update(&h, p->arm[g], p->arm_len[g] + 1);
    for (int i = 0; i < p->nmetrics; i++) {
        const cw_priv_metric *m = &p->metric[i];
        cw_sha256_update(&h, m->name, strlen(m->name) + 1);
        int64_t shape[3] = {m->binary, m->lo, m->hi};
        cw_sha256_update(&h, shape, sizeof shape);
    }
    for (size_t k = 0; k < (size_t)p->narms * (size_t)p->nmetrics; k++) {
        const cw_priv_cell *c = &p->cell[k];
        int64_t v[6] = {c->n, c->c, (int64_t)(c->t >> 64), (int64_t)c->t, (int64_t)(c->w >> 64), (int64_t)c->w};
        cw_sha256_update(&h, v, sizeof v);
    }
    uint8_t out[32];
    cw_sha256_final(&h, out);
    for (int i = 0; i < 32; i++) snprintf(p->fingerprint + 2 * i, 3, "%02x", out[i]);
}

cw_status cw_private_release(cw_private *p, cw_dp_source *src) {
    size_t cells = (size_t)p->narms * (size_t)p->nmetrics;
    fingerprint(p);
    cw_priv_released *rel = calloc(cells ? cells : 1, sizeof *rel);
    if (!rel) return CW_ERR_NOMEM;
    for (size_t k = 0; k < cells; k++) {
        cw_dp_status st = cw_private_noise_cell(&p->metric[k % (size_t)p->nmetrics], &p->cell[k], src, &rel[k]);
        if (st != CW_DP_OK) {
            free(rel);
            snprintf(p->msg, sizeof p->msg, "no private release: %s", cw_dp_strerror(st));
            return CW_ERR_STATE;
        }
    }
    /* the true aggregates are no longer needed: wipe them */
    memset(p->cell, 0, cells * sizeof *p->cell);
    p->rel = rel;
    p->released = 1;
    return CW_OK;
}
