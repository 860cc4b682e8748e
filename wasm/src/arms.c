/* arms.c — the arm table (see arms.h): FNV-1a hashing (Fowler, Noll & Vo; 64-bit variant) with
 * linear probing; the table doubles when it would be more than half full. */
#include "arms.h"

#include <stdlib.h>
#include <string.h>

static uint64_t fnv1a(const char *s, size_t n) {
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

void cw_arms_init(cw_arms *t, int nmetrics) {
    memset(t, 0, sizeof *t);
    t->nmetrics = nmetrics;
}

void cw_arms_free(cw_arms *t) {
    for (int i = 0; i < t->n; i++) {
        for (int k = 0; k < t->nmetrics; k++) free(t->arms[i].cell[k].boot);
        free(t->arms[i].name);
        free(t->arms[i].cell);
    }
    free(t->arms);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

static int lookup(const cw_arms *t, const char *name, size_t len, uint64_t h, int *slot) {
    if (!t->nslots) return -1;
    size_t mask = (size_t)t->nslots - 1;
    for (size_t s = (size_t)(h & mask);; s = (s + 1) & mask) {
        int k = t->slots[s];
        if (k < 0) {
            if (slot) *slot = (int)s;
            return -1;
        }
        const cw_arm *a = &t->arms[k];
        if (a->hash == h && a->name_len == len && memcmp(a->name, name, len) == 0) return k;
    }
}

static int rehash(cw_arms *t, int nslots) {
    int *slots = malloc((size_t)nslots * sizeof *slots);
    if (!slots) return -1;
    for (int s = 0; s < nslots; s++) slots[s] = -1;
    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    for (int k = 0; k < t->n; k++) {
        int slot;
        lookup(t, t->arms[k].name, t->arms[k].name_len, t->arms[k].hash, &slot);
        t->slots[slot] = k;
    }
    return 0;
}

int cw_arms_find(const cw_arms *t, const char *name, size_t len) {
    return lookup(t, name, len, fnv1a(name, len), NULL);
}

int cw_arms_get(cw_arms *t, const char *name, size_t len, long line) {
    uint64_t h = fnv1a(name, len);
    int slot;
    int k = lookup(t, name, len, h, &slot);
    if (k >= 0) return k;
    if (t->n >= CW_MAX_ARMS) return -2;
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 8;
        cw_arm *a = realloc(t->arms, (size_t)cap * sizeof *a);
        if (!a) return -1;
        t->arms = a;
        t->cap = cap;
    }
    if (2 * (t->n + 1) > t->nslots) {
        if (rehash(t, t->nslots ? t->nslots * 2 : 16) != 0) return -1;
        lookup(t, name, len, h, &slot);
    }
    cw_arm *a = &t->arms[t->n];
    memset(a, 0, sizeof *a);
    size_t nm = t->nmetrics > 0 ? (size_t)t->nmetrics : 1;
    a->name = malloc(len + 1);
    a->cell = calloc(nm, sizeof *a->cell);
    if (!a->name || !a->cell) {
        free(a->name);
        free(a->cell);
        return -1;
    }
    memcpy(a->name, name, len);
    a->name[len] = '\0';
    a->name_len = len;
    a->hash = h;
    a->first_line = line;
    for (int i = 0; i < t->nmetrics; i++) cw_moments_init(&a->cell[i].m);
    t->slots[slot] = t->n;
    return t->n++;
}
