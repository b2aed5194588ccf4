/*
 * rng: the generator's machinery, which knows nothing of shops: a seeded
 * random generator, weighted tables, a set of 64-bit keys and a Fenwick
 * tree of weights. Private to core/seed/.
 */
#ifndef CPT_SEED_RNG_H
#define CPT_SEED_RNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

/* splitmix64: small, fast, and good enough for synthetic data. */
struct rng {
	uint64_t x;
};

/* Seeds r for (seed, shop salt, stream, index). */
void rng_init(struct rng *r, uint64_t seed, uint64_t salt, unsigned stream, uint64_t index);
/* The next 64 random bits. */
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n), n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Uniform in [lo, hi]. */
long long rng_range(struct rng *r, long long lo, long long hi);
/* True with probability permille / 1000. */
bool rng_pm(struct rng *r, unsigned permille);
/* Index drawn from `n` relative weights. */
size_t rng_weights(struct rng *r, const unsigned *w, size_t n);

/* A weighted table as cumulative weights, for a binary-search pick. */
struct wtab {
	uint64_t *cum;
	size_t n;
};

/* Builds w over `n` records of `size` bytes whose unsigned weight is at
 * `off`; allocates from `a`. WTAB() builds it over a table of names.h. */
void wtab_init(struct wtab *w, struct arena *a, const void *base, size_t n, size_t size, size_t off);
/* An index of the table, drawn by weight. */
size_t wtab_pick(const struct wtab *w, struct rng *r);

#define WTAB_F(w, a, table, type, field) \
	wtab_init(&(w), (a), (table), table##_n, sizeof(type), offsetof(type, field))
#define WTAB(w, a, table, type) WTAB_F(w, a, table, type, weight)

/* A set of non-zero 64-bit keys, open addressing. */
struct u64set {
	uint64_t *slot;
	size_t cap, n;
};

/* FNV-1a of `len` bytes, never 0: the key of a string in a set. */
uint64_t hash_bytes(const char *s, size_t len);
/* Adds key; false when it was there already. */
bool u64set_add(struct u64set *s, uint64_t key);
/* Frees the keys; the set is empty again. */
void u64set_free(struct u64set *s);

/* Fenwick tree of weights: repeat buyers drawn in proportion to loyalty. */
struct fenwick {
	uint64_t *t;     /* 1-based */
	size_t n;
	uint64_t total;
};

/* Adds w to the weight of element i (0-based). */
void fenwick_add(struct fenwick *f, size_t i, uint64_t w);
/* The element whose cumulative range holds x, x < total. */
size_t fenwick_find(const struct fenwick *f, uint64_t x);

#endif
