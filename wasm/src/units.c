/* units.c — the duplicate-id set (see units.h): FNV-1a 64 of the id text finished with the
 * splitmix64 mixer, open addressing with linear probing, doubling at half full. */
#include "units.h"

#include <stdlib.h>
#include <string.h>

#include "rng.h"

void cw_units_init(cw_units *u) { memset(u, 0, sizeof *u); }

void cw_units_free(cw_units *u) {
    free(u->key);
    free(u->arm);
    memset(u, 0, sizeof *u);
}

static uint64_t hash_id(const char *s, size_t n) {
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    h = cw_splitmix64(h);
    return h ? h : 1; /* 0 marks an empty slot */
}

static size_t slot_of(const cw_units *u, uint64_t h) {
    size_t mask = u->cap - 1, s = (size_t)h & mask;
    while (u->key[s] && u->key[s] != h) s = (s + 1) & mask;
    return s;
}

static int grow(cw_units *u) {
    size_t cap = u->cap ? u->cap * 2 : 1024;
    uint64_t *key = calloc(cap, sizeof *key);
    int32_t *arm = malloc(cap * sizeof *arm);
    if (!key || !arm) {
        free(key);
        free(arm);
        return -1;
    }
    uint64_t *old_key = u->key;
    int32_t *old_arm = u->arm;
    size_t old_cap = u->cap;
    u->key = key;
    u->arm = arm;
    u->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old_key[i]) {
            size_t s = slot_of(u, old_key[i]);
            u->key[s] = old_key[i];
            u->arm[s] = old_arm[i];
        }
    free(old_key);
    free(old_arm);
    return 0;
}

int cw_units_add(cw_units *u, const char *id, size_t len, int arm, long line) {
    if (len == 0) {
        u->missing++;
        return 0;
    }
    if (u->full) return 0;
    if (2 * (u->n + 1) > u->cap) {
        if (u->n >= CW_UNITS_MAX) {
            u->full = 1;
            return 0;
        }
        if (grow(u) != 0) return -1;
    }
    uint64_t h = hash_id(id, len);
    size_t s = slot_of(u, h);
    if (!u->key[s]) {
        u->key[s] = h;
        u->arm[s] = arm;
        u->n++;
        return 0;
    }
    if (u->repeated++ == 0) u->first_repeat_line = line;
    if (u->arm[s] != arm && u->arm[s] >= 0) {
        if (u->cross_arm++ == 0) u->first_cross_line = line;
        u->arm[s] = -1; /* counted: this id is in several arms */
    }
    return 0;
}
