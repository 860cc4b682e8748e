/* main.c — the native command-line face of the core: analyze and did read FILE in 4 MiB chunks
 * (again when the core asks), power solves; each prints its JSON. The Node CLI
 * (wasm/node/cli.js) mirrors this file flag for flag. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "causeway.h"

#define CHUNK (4u << 20)

static int usage_error(const char *msg) {
    fprintf(stderr, "error: %s\n(run 'causeway --help' for usage)\n", msg);
    return 2;
}

static void report_error(const char *file, long line, long column, const char *msg) {
    if (line > 0 && column > 0) fprintf(stderr, "error: %s:%ld:%ld: %s\n", file, line, column, msg);
    else if (line > 0) fprintf(stderr, "error: %s:%ld: %s\n", file, line, msg);
    else fprintf(stderr, "error: %s: %s\n", file, msg);
}

/* argv[*i] is "--name value" or "--name=value": the name into key, the value into *value
 * (advancing *i past a separate value). Returns 0, or a usage error's exit status. */
static int flag(int argc, char **argv, int *i, char key[64], const char **value) {
    const char *name = argv[*i] + 2, *eq = strchr(name, '=');
    if (eq) {
        snprintf(key, 64, "%.*s", (int)(eq - name), name);
        *value = eq + 1;
        return 0;
    }
    snprintf(key, 64, "%s", name);
    if (*i + 1 >= argc) {
        char msg[128];
        snprintf(msg, sizeof msg, "option --%s needs a value", key);
        return usage_error(msg);
    }
    *value = argv[++*i];
    return 0;
}

/* A command that reads FILE (analyze, did): the core object behind it, through wrappers. */
typedef struct {
    const char *name;      /* for "NAME needs a FILE" */
    const char *flag_off;  /* a flag without a value, and the option it sets */
    const char *flag_key, *flag_value;
    void *(*create)(void);
    void (*destroy)(void *);
    cw_status (*set)(void *, const char *, const char *);
    cw_status (*feed)(void *, const uint8_t *, size_t);
    cw_status (*finish)(void *);
    const char *(*result)(const void *);
    const char *(*error)(const void *);
    long (*line)(const void *);
    long (*column)(const void *);
} job_ops;

static void *a_new(void) { return cw_analysis_new(); }
static void a_free(void *j) { cw_analysis_free(j); }
static cw_status a_set(void *j, const char *k, const char *v) { return cw_analysis_set(j, k, v); }
static cw_status a_feed(void *j, const uint8_t *b, size_t n) { return cw_analysis_feed(j, b, n); }
static cw_status a_finish(void *j) { return cw_analysis_finish(j); }
static const char *a_result(const void *j) { return cw_analysis_result(j); }
static const char *a_error(const void *j) { return cw_analysis_error(j); }
static long a_line(const void *j) { return cw_analysis_error_line(j); }
static long a_column(const void *j) { return cw_analysis_error_column(j); }
static const job_ops ANALYZE = {"analyze", "--no-header", "header", "no", a_new, a_free, a_set, a_feed,
                                a_finish, a_result, a_error, a_line, a_column};

static void *d_new(void) { return cw_did_new(); }
static void d_free(void *j) { cw_did_free(j); }
static cw_status d_set(void *j, const char *k, const char *v) { return cw_did_set(j, k, v); }
static cw_status d_feed(void *j, const uint8_t *b, size_t n) { return cw_did_feed(j, b, n); }
static cw_status d_finish(void *j) { return cw_did_finish(j); }
static const char *d_result(const void *j) { return cw_did_result(j); }
static const char *d_error(const void *j) { return cw_did_error(j); }
static long d_line(const void *j) { return cw_did_error_line(j); }
static long d_column(const void *j) { return cw_did_error_column(j); }
static const job_ops DID = {"did", "--balanced", "balanced", "yes", d_new, d_free, d_set, d_feed,
                            d_finish, d_result, d_error, d_line, d_column};

static int run_file_job(const job_ops *ops, int argc, char **argv) {
    const char *file = NULL;
    void *a = ops->create();
    if (!a) return usage_error("out of memory");
    int rc = 0;
    for (int i = 0; i < argc && rc == 0; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0) {
            fputs(cw_help_text(), stdout);
            ops->destroy(a);
            return 0;
        }
        if (strcmp(arg, ops->flag_off) == 0) { /* the one flag without a value */
            if (ops->set(a, ops->flag_key, ops->flag_value) != CW_OK) rc = usage_error(ops->error(a));
            continue;
        }
        if (strncmp(arg, "--", 2) != 0 || strcmp(arg, "--") == 0) {
            if (file) {
                char msg[300];
                snprintf(msg, sizeof msg, "unexpected argument '%s' (only one FILE)", arg);
                rc = usage_error(msg);
            }
            file = arg;
            continue;
        }
        const char *value;
        char key[64];
        if ((rc = flag(argc, argv, &i, key, &value)) != 0) break;
        if (strcmp(key, "file") == 0) {
            rc = usage_error("unknown option --file");
            break;
        }
        if (ops->set(a, key, value) != CW_OK) rc = usage_error(ops->error(a));
    }
    if (rc == 0 && !file) {
        char msg[64];
        snprintf(msg, sizeof msg, "%s needs a FILE", ops->name);
        rc = usage_error(msg);
    }
    if (rc != 0) {
        ops->destroy(a);
        return rc;
    }
    const char *shown = strcmp(file, "-") == 0 ? "<stdin>" : file;
    const char *base = strrchr(shown, '/');
    ops->set(a, "file", base ? base + 1 : shown);
    unsigned char *buf = malloc(CHUNK);
    cw_status st = buf ? CW_OK : CW_ERR_NOMEM;
    for (int pass = 1; st == CW_OK; pass++) { /* reads again while the core asks (CW_AGAIN) */
        if (pass > 1 && strcmp(file, "-") == 0) {
            report_error(shown, 0, 0, "this analysis reads the input more than once (--winsorize, --covariates, did): "
                                      "give a file, not standard input");
            free(buf);
            ops->destroy(a);
            return 2;
        }
        FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
        if (!f) {
            report_error(shown, 0, 0, strerror(errno));
            free(buf);
            ops->destroy(a);
            return 1;
        }
        while (st == CW_OK) {
            size_t n = fread(buf, 1, CHUNK, f);
            if (n > 0) st = ops->feed(a, buf, n);
            if (n < CHUNK) break;
        }
        int read_error = ferror(f);
        if (f != stdin) fclose(f);
        if (st == CW_OK && read_error) {
            report_error(shown, 0, 0, "read error");
            free(buf);
            ops->destroy(a);
            return 1;
        }
        if (st == CW_OK) st = ops->finish(a);
        if (st == CW_AGAIN) st = CW_OK;
        else break;
    }
    free(buf);
    if (st != CW_OK) {
        report_error(shown, ops->line(a), ops->column(a),
                     st == CW_ERR_NOMEM && !*ops->error(a) ? "out of memory" : ops->error(a));
        ops->destroy(a);
        return st == CW_ERR_OPTION ? 2 : 1;
    }
    fputs(ops->result(a), stdout);
    fputc('\n', stdout);
    ops->destroy(a);
    return 0;
}

/* causeway power --flag value ...: one solve, the JSON on stdout. */
static int power(int argc, char **argv) {
    cw_powercalc *p = cw_powercalc_new();
    if (!p) return usage_error("out of memory");
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0) {
            fputs(cw_help_text(), stdout);
            cw_powercalc_free(p);
            return 0;
        }
        if (strncmp(arg, "--", 2) != 0) {
            char msg[300];
            snprintf(msg, sizeof msg, "unexpected argument '%s'", arg);
            cw_powercalc_free(p);
            return usage_error(msg);
        }
        const char *value;
        char key[64];
        int rc = flag(argc, argv, &i, key, &value);
        if (rc != 0) {
            cw_powercalc_free(p);
            return rc;
        }
        if (cw_powercalc_set(p, key, value) != CW_OK) {
            rc = usage_error(cw_powercalc_error(p));
            cw_powercalc_free(p);
            return rc;
        }
    }
    if (cw_powercalc_run(p) != CW_OK) {
        int rc = usage_error(cw_powercalc_error(p));
        cw_powercalc_free(p);
        return rc;
    }
    fputs(cw_powercalc_result(p), stdout);
    fputc('\n', stdout);
    cw_powercalc_free(p);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(cw_help_text(), argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("causeway %s\n", cw_version());
        return 0;
    }
    if (strcmp(argv[1], "analyze") == 0) return run_file_job(&ANALYZE, argc - 2, argv + 2);
    if (strcmp(argv[1], "did") == 0) return run_file_job(&DID, argc - 2, argv + 2);
    if (strcmp(argv[1], "power") == 0) return power(argc - 2, argv + 2);
    char msg[300];
    snprintf(msg, sizeof msg, "unknown command '%s'", argv[1]);
    return usage_error(msg);
}
