/* powercalc.c — the "power" face of the core: options in as name/value strings (the CLI's
 * flags), one solve by power.c (R's power.t.test / power.prop.test), the answer out as JSON
 * (schema causeway.power/1 in docs/result-schema.md). Same error path as an analysis. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "causeway.h"
#include "json.h"
#include "power.h"
#include "text.h"

struct cw_powercalc {
    int proportions;       /* 1: two proportions; 0: means; -1: decide from the options */
    int solve;             /* cw_power_solve, or -1: the one quantity not given */
    double n, delta, sd, p1, p2, power, alpha;
    cw_power_opts opts;
    char *result;
    cw_status failed;
    char msg[300];
};

static cw_status pfail(cw_powercalc *p, cw_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static cw_status pfail(cw_powercalc *p, cw_status st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->msg, sizeof p->msg, fmt, ap);
    cw_utf8_repair(p->msg); /* an option value cut to a length */
    va_end(ap);
    p->failed = st;
    return st;
}

cw_powercalc *cw_powercalc_new(void) {
    cw_powercalc *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->proportions = -1;
    p->solve = -1;
    p->n = p->delta = p->p1 = p->p2 = p->power = NAN;
    p->sd = 1.0;
    p->alpha = 0.05;
    p->opts.sample = CW_TWO_SAMPLE;
    return p;
}

void cw_powercalc_free(cw_powercalc *p) {
    if (!p) return;
    free(p->result);
    free(p);
}

static int number(const char *value, double *out) {
    char *end;
    errno = 0;
    double x = strtod(value, &end);
    if (end == value || *end || errno || !isfinite(x)) return 0;
    *out = x;
    return 1;
}

cw_status cw_powercalc_set(cw_powercalc *p, const char *name, const char *value) {
    static const char *const nums[] = {"n", "delta", "sd", "p1", "p2", "power", "alpha"};
    double *slots[] = {&p->n, &p->delta, &p->sd, &p->p1, &p->p2, &p->power, &p->alpha};
    for (int k = 0; k < 7; k++)
        if (strcmp(name, nums[k]) == 0) {
            if (!number(value, slots[k])) return pfail(p, CW_ERR_OPTION, "--%s must be a number (got '%s')", name, value);
            return CW_OK;
        }
    if (strcmp(name, "type") == 0) {
        if (strcmp(value, "means") == 0) p->proportions = 0;
        else if (strcmp(value, "proportions") == 0) p->proportions = 1;
        else return pfail(p, CW_ERR_OPTION, "--type must be means or proportions (got '%s')", value);
        return CW_OK;
    }
    if (strcmp(name, "solve") == 0) {
        if (strcmp(value, "power") == 0) p->solve = CW_SOLVE_POWER;
        else if (strcmp(value, "n") == 0) p->solve = CW_SOLVE_N;
        else if (strcmp(value, "effect") == 0) p->solve = CW_SOLVE_EFFECT;
        else return pfail(p, CW_ERR_OPTION, "--solve must be n, effect or power (got '%s')", value);
        return CW_OK;
    }
    if (strcmp(name, "sample") == 0) {
        if (strcmp(value, "two") == 0) p->opts.sample = CW_TWO_SAMPLE;
        else if (strcmp(value, "one") == 0) p->opts.sample = CW_ONE_SAMPLE;
        else if (strcmp(value, "paired") == 0) p->opts.sample = CW_PAIRED;
        else return pfail(p, CW_ERR_OPTION, "--sample must be two, one or paired (got '%s')", value);
        return CW_OK;
    }
    if (strcmp(name, "alternative") == 0) {
        if (strcmp(value, "two-sided") == 0) p->opts.one_sided = 0;
        else if (strcmp(value, "one-sided") == 0) p->opts.one_sided = 1;
        else return pfail(p, CW_ERR_OPTION, "--alternative must be two-sided or one-sided (got '%s')", value);
        return CW_OK;
    }
    if (strcmp(name, "strict") == 0) {
        if (strcmp(value, "yes") == 0) p->opts.strict = 1;
        else if (strcmp(value, "no") == 0) p->opts.strict = 0;
        else return pfail(p, CW_ERR_OPTION, "--strict must be yes or no (got '%s')", value);
        return CW_OK;
    }
    return pfail(p, CW_ERR_OPTION, "unknown option --%s", name);
}

static void field(cw_json *j, const char *key, double x) {
    cw_json_key(j, key);
    cw_json_number(j, x); /* null when not finite: "unavailable" says why */
}

cw_status cw_powercalc_run(cw_powercalc *p) {
    if (p->failed) return p->failed;
    if (!(p->alpha > 0 && p->alpha < 1)) return pfail(p, CW_ERR_OPTION, "--alpha must be between 0 and 1");
    int props = p->proportions >= 0 ? p->proportions : !isnan(p->p1);
    double effect = props ? p->p2 : p->delta;
    int solve = p->solve;
    if (solve < 0) { /* the one of n, effect, power that is missing */
        int missing = isnan(p->n) + isnan(effect) + isnan(p->power);
        if (missing != 1)
            return pfail(p, CW_ERR_OPTION,
                         "give exactly two of --n, --%s and --power (the third is solved for), or --solve",
                         props ? "p2" : "delta");
        solve = isnan(p->n) ? CW_SOLVE_N : isnan(p->power) ? CW_SOLVE_POWER : CW_SOLVE_EFFECT;
    }
    p->opts.solve = (cw_power_solve)solve;
    if (props && isnan(p->p1)) return pfail(p, CW_ERR_OPTION, "--p1 (the control rate) is required for proportions");
    const char *need = solve != CW_SOLVE_N && isnan(p->n)         ? "--n"
                       : solve != CW_SOLVE_POWER && isnan(p->power) ? "--power"
                       : solve != CW_SOLVE_EFFECT && isnan(effect)  ? (props ? "--p2" : "--delta")
                                                                    : NULL;
    if (need) return pfail(p, CW_ERR_OPTION, "%s is required to solve for %s", need,
                           solve == CW_SOLVE_N ? "n" : solve == CW_SOLVE_POWER ? "power" : "the effect");
    cw_json j;
    cw_json_init(&j);
    cw_json_begin_object(&j);
    cw_json_key(&j, "schema");
    cw_json_string(&j, "causeway.power/1");
    cw_json_key(&j, "version");
    cw_json_string(&j, CW_VERSION);
    cw_json_key(&j, "type");
    cw_json_string(&j, props ? "proportions" : "means");
    cw_json_key(&j, "solve");
    cw_json_string(&j, solve == CW_SOLVE_N ? "n" : solve == CW_SOLVE_POWER ? "power" : "effect");
    cw_json_key(&j, "alternative");
    cw_json_string(&j, p->opts.one_sided ? "one-sided" : "two-sided");
    cw_json_key(&j, "strict");
    cw_json_bool(&j, p->opts.strict);
    const char *unavailable;
    if (props) {
        cw_power_props in = {p->n, p->p1, p->p2, p->p2 - p->p1, p->alpha, p->power, 0, NULL}, out;
        cw_power_prop(&in, &p->opts, &out);
        field(&j, "n", out.n);
        field(&j, "p1", out.p1);
        field(&j, "p2", out.p2);
        field(&j, "effect", out.effect);
        field(&j, "alpha", out.sig_level);
        field(&j, "power", out.power);
        unavailable = out.unavailable;
    } else {
        cw_power_means in = {p->n, p->delta, p->sd, p->alpha, p->power, 0, NULL}, out;
        cw_power_t(&in, &p->opts, &out);
        cw_json_key(&j, "sample");
        cw_json_string(&j, p->opts.sample == CW_TWO_SAMPLE ? "two" : p->opts.sample == CW_ONE_SAMPLE ? "one" : "paired");
        field(&j, "n", out.n);
        field(&j, "delta", out.delta);
        field(&j, "sd", out.sd);
        field(&j, "alpha", out.sig_level);
        field(&j, "power", out.power);
        unavailable = out.unavailable;
    }
    cw_json_key(&j, "unavailable");
    cw_json_string(&j, unavailable);
    cw_json_end_object(&j);
    free(p->result);
    p->result = cw_json_take(&j);
    if (!p->result) return pfail(p, CW_ERR_NOMEM, "out of memory");
    return CW_OK;
}

const char *cw_powercalc_result(const cw_powercalc *p) { return p->failed ? NULL : p->result; }
const char *cw_powercalc_error(const cw_powercalc *p) { return p->failed ? p->msg : ""; }
