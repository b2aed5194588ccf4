/*
 * rng: the generator's machinery (see rng.h): splitmix64 and the draws
 * made from it, weighted tables, FNV-1a keys in an open-addressing set
 * (the e-mails and order codes already taken), and the Fenwick tree that
 * draws repeat buyers.
 */
#include "seed/rng.h"

#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/log.h"

/* The splitmix64 finaliser. */
static uint64_t
fmix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* A well-mixed 64-bit value from any input. */
static uint64_t
mix64(uint64_t z)
{
	return fmix64(z + 0x9E3779B97F4A7C15ULL);
}

/* Seeds r for (seed, shop salt, stream, index). */
void
rng_init(struct rng *r, uint64_t seed, uint64_t salt, unsigned stream, uint64_t index)
{
	r->x = mix64(seed ^ mix64(salt + stream * 0x632BE59BD9B4E019ULL) ^
	    mix64(index * 0xD6E8FEB86659FD93ULL + stream));
}

/* The next 64 random bits. */
uint64_t
rng_next(struct rng *r)
{
	r->x += 0x9E3779B97F4A7C15ULL;
	return fmix64(r->x);
}

/* Uniform in [0, n), n > 0 (Lemire's multiply; the bias is negligible). */
uint64_t
rng_below(struct rng *r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

/* Uniform in [lo, hi]. */
long long
rng_range(struct rng *r, long long lo, long long hi)
{
	return lo + (long long)rng_below(r, (uint64_t)(hi - lo) + 1);
}

/* True with probability permille / 1000. */
bool
rng_pm(struct rng *r, unsigned permille)
{
	return rng_below(r, 1000) < permille;
}

/* Index drawn from `n` relative weights. */
size_t
rng_weights(struct rng *r, const unsigned *w, size_t n)
{
	unsigned total = 0, x;
	size_t i;

	for (i = 0; i < n; i++)
		total += w[i];
	x = (unsigned)rng_below(r, total);
	for (i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* Builds w over `n` records of `size` bytes whose unsigned weight is at
 * `off`; allocates from `a`. */
void
wtab_init(struct wtab *w, struct arena *a, const void *base, size_t n, size_t size, size_t off)
{
	uint64_t total = 0;
	size_t i;

	w->n = n;
	w->cum = arena_alloc(a, n * sizeof(*w->cum));
	for (i = 0; i < n; i++) {
		unsigned weight;

		memcpy(&weight, (const char *)base + i * size + off, sizeof(weight));
		total += weight;
		w->cum[i] = total;
	}
	if (total == 0)
		die("seed: a data table has no weight");
}

/* An index of the table, drawn by weight. */
size_t
wtab_pick(const struct wtab *w, struct rng *r)
{
	uint64_t x = rng_below(r, w->cum[w->n - 1]);
	size_t lo = 0, hi = w->n - 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (w->cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* FNV-1a of `len` bytes, never 0. */
uint64_t
hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0xCBF29CE484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001B3ULL;
	}
	h = mix64(h);
	return h ? h : 1;
}

/* Adds key; false when it was there already. Keeps the load under 1/2. */
bool
u64set_add(struct u64set *s, uint64_t key)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024, j, k;
		uint64_t *slot = calloc(cap, sizeof(*slot));

		if (!slot)
			die("out of memory");
		for (j = 0; j < s->cap; j++) {
			if (!s->slot[j])
				continue;
			for (k = (size_t)(s->slot[j] & (cap - 1)); slot[k]; k = (k + 1) & (cap - 1))
				;
			slot[k] = s->slot[j];
		}
		free(s->slot);
		s->slot = slot;
		s->cap = cap;
	}
	for (i = (size_t)(key & (s->cap - 1)); s->slot[i]; i = (i + 1) & (s->cap - 1))
		if (s->slot[i] == key)
			return false;
	s->slot[i] = key;
	s->n++;
	return true;
}

void
u64set_free(struct u64set *s)
{
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

/* Adds w to the weight of element i (0-based). */
void
fenwick_add(struct fenwick *f, size_t i, uint64_t w)
{
	f->total += w;
	for (i++; i <= f->n; i += i & (~i + 1))
		f->t[i] += w;
}

/* The element whose cumulative range holds x, x < total. */
size_t
fenwick_find(const struct fenwick *f, uint64_t x)
{
	size_t pos = 0, step = 1;

	while (step * 2 <= f->n)
		step *= 2;
	for (; step; step /= 2) {
		if (pos + step <= f->n && f->t[pos + step] <= x) {
			pos += step;
			x -= f->t[pos];
		}
	}
	return pos;   /* 0-based index of the next element */
}
