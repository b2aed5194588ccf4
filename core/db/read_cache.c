#include "db/read_cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

/*
 * An entry is one allocation: the header, the key's bytes, then the
 * value: nres and done, then per result set nrows, ncols, affected and
 * insert_id, then its cells row by row, each a length (NULL_LEN for SQL
 * NULL) and its bytes with a NUL after them. A hit copies the value into
 * the request's arena at once and points the rows' columns into that copy.
 */
struct entry {
	struct entry *hnext;          /* the bucket's chain */
	struct entry *prev, *next;    /* LRU: head is the most recent */
	uint64_t hash;
	long long shop_id, version;
	size_t keylen, vallen;
	unsigned char data[];         /* key, then value */
};

#define NBUCKETS ((size_t)1 << 15)
#define NULL_LEN UINT64_MAX

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry **buckets;
static struct entry *head, *tail;
static size_t max_bytes, bytes, entries;
static unsigned long long hits, misses, evictions;

static uint64_t
hash_of(long long shop_id, const void *key, size_t keylen)
{
	const unsigned char *p = key;
	uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)shop_id * 0x9E3779B97F4A7C15ull;
	size_t i;

	for (i = 0; i < keylen; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static size_t
entry_size(const struct entry *e)
{
	return sizeof(*e) + e->keylen + e->vallen;
}

static void
lru_unlink(struct entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		tail = e->prev;
	e->prev = e->next = NULL;
}

static void
lru_push(struct entry *e)
{
	e->prev = NULL;
	e->next = head;
	if (head)
		head->prev = e;
	head = e;
	if (!tail)
		tail = e;
}

/* Unlinks e from its bucket and the LRU list and frees it. */
static void
entry_drop(struct entry *e)
{
	struct entry **pp = &buckets[e->hash & (NBUCKETS - 1)];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	lru_unlink(e);
	bytes -= entry_size(e);
	entries--;
	free(e);
}

/* The entry of (shop, key) whatever its version, or NULL. */
static struct entry *
find(uint64_t h, long long shop_id, const void *key, size_t keylen)
{
	struct entry *e;

	for (e = buckets[h & (NBUCKETS - 1)]; e; e = e->hnext)
		if (e->hash == h && e->shop_id == shop_id && e->keylen == keylen &&
		    memcmp(e->data, key, keylen) == 0)
			return e;
	return NULL;
}

void
read_cache_init(size_t max)
{
	pthread_mutex_lock(&lock);
	while (tail)
		entry_drop(tail);
	if (max && !buckets) {
		buckets = calloc(NBUCKETS, sizeof(*buckets));
		if (!buckets) {
			log_error("read cache: out of memory: turned off");
			max = 0;
		}
	}
	max_bytes = max;
	hits = misses = evictions = 0;
	pthread_mutex_unlock(&lock);
}

bool
read_cache_on(void)
{
	return max_bytes > 0;   /* set once before the threads start */
}

static void
put_u64(unsigned char **p, uint64_t v)
{
	memcpy(*p, &v, sizeof(v));
	*p += sizeof(v);
}

static uint64_t
get_u64(const unsigned char **p)
{
	uint64_t v;

	memcpy(&v, *p, sizeof(v));
	*p += sizeof(v);
	return v;
}

static size_t
value_size(const struct db_result *res, size_t nres)
{
	size_t n = 2 * sizeof(uint64_t), i, r, c;

	for (i = 0; i < nres; i++) {
		n += 4 * sizeof(uint64_t);
		for (r = 0; r < res[i].nrows; r++)
			for (c = 0; c < res[i].ncols; c++)
				n += sizeof(uint64_t) + (res[i].rows[r].col[c] ? res[i].rows[r].len[c] + 1 : 0);
	}
	return n;
}

static void
value_write(unsigned char *p, const struct db_result *res, size_t nres, size_t done)
{
	size_t i, r, c;

	put_u64(&p, nres);
	put_u64(&p, done);
	for (i = 0; i < nres; i++) {
		put_u64(&p, res[i].nrows);
		put_u64(&p, res[i].ncols);
		put_u64(&p, res[i].affected);
		put_u64(&p, res[i].insert_id);
		for (r = 0; r < res[i].nrows; r++)
			for (c = 0; c < res[i].ncols; c++) {
				const char *s = res[i].rows[r].col[c];
				size_t len = res[i].rows[r].len[c];

				put_u64(&p, s ? len : NULL_LEN);
				if (s) {
					memcpy(p, s, len);
					p[len] = '\0';
					p += len + 1;
				}
			}
	}
}

/* Turns the arena's copy of a value back into result sets. */
static bool
value_read(const unsigned char *p, struct arena *arena, struct db_result *res, size_t nres, size_t *done)
{
	size_t i, r, c;

	if (get_u64(&p) != nres)
		return false;
	*done = (size_t)get_u64(&p);
	for (i = 0; i < nres; i++) {
		struct db_result *out = &res[i];

		out->nrows = (size_t)get_u64(&p);
		out->ncols = (size_t)get_u64(&p);
		out->affected = get_u64(&p);
		out->insert_id = get_u64(&p);
		out->rows = out->nrows || out->ncols ?
		    arena_alloc(arena, (out->nrows ? out->nrows : 1) * sizeof(*out->rows)) : NULL;
		for (r = 0; r < out->nrows; r++) {
			struct db_row *row = &out->rows[r];

			row->col = arena_alloc(arena, (out->ncols ? out->ncols : 1) * sizeof(*row->col));
			row->len = arena_alloc(arena, (out->ncols ? out->ncols : 1) * sizeof(*row->len));
			for (c = 0; c < out->ncols; c++) {
				uint64_t len = get_u64(&p);

				if (len == NULL_LEN)
					continue;
				row->col[c] = (char *)p;
				row->len[c] = (size_t)len;
				p += len + 1;
			}
		}
	}
	return true;
}

bool
read_cache_get(long long shop_id, long long version, const void *key, size_t keylen,
    struct arena *arena, struct db_result *res, size_t nres, size_t *done)
{
	uint64_t h;
	struct entry *e;
	unsigned char *copy = NULL;

	if (!read_cache_on())
		return false;
	h = hash_of(shop_id, key, keylen);
	pthread_mutex_lock(&lock);
	e = find(h, shop_id, key, keylen);
	if (e && e->version < version) {   /* the shop changed since: never matched again */
		entry_drop(e);
		evictions++;
		e = NULL;
	}
	if (e && e->version == version) {
		hits++;
		lru_unlink(e);
		lru_push(e);
		copy = arena_alloc(arena, e->vallen);
		memcpy(copy, e->data + e->keylen, e->vallen);
	} else {
		misses++;
	}
	pthread_mutex_unlock(&lock);
	if (!copy)
		return false;
	memset(res, 0, nres * sizeof(*res));
	return value_read(copy, arena, res, nres, done);
}

void
read_cache_put(long long shop_id, long long version, const void *key, size_t keylen,
    const struct db_result *res, size_t nres, size_t done)
{
	size_t vallen, size;
	struct entry *e, *old;

	if (!read_cache_on())
		return;
	vallen = value_size(res, nres);
	size = sizeof(*e) + keylen + vallen;
	if (size > max_bytes / 8)
		return;
	e = malloc(size);
	if (!e)
		return;   /* a cache: the page is answered anyway */
	e->hash = hash_of(shop_id, key, keylen);
	e->shop_id = shop_id;
	e->version = version;
	e->keylen = keylen;
	e->vallen = vallen;
	memcpy(e->data, key, keylen);
	value_write(e->data + keylen, res, nres, done);
	pthread_mutex_lock(&lock);
	old = find(e->hash, shop_id, key, keylen);
	if (old && old->version >= version) {
		/* Stored meanwhile by another thread, or newer (a lagging
		 * replica's request): keep what is there. */
		pthread_mutex_unlock(&lock);
		free(e);
		return;
	}
	if (old) {
		entry_drop(old);
		evictions++;
	}
	e->hnext = buckets[e->hash & (NBUCKETS - 1)];
	buckets[e->hash & (NBUCKETS - 1)] = e;
	lru_push(e);
	bytes += size;
	entries++;
	while (bytes > max_bytes && tail) {
		entry_drop(tail);
		evictions++;
	}
	pthread_mutex_unlock(&lock);
}

/* Words whose presence means another answer later for the same data, or
 * a read that belongs in a transaction. The SQL of this codebase writes
 * its keywords in capitals; a user's text that happens to hold one of
 * them only costs that read its caching. */
static const char *const uncacheable[] = {
	"NOW(", "CURDATE", "CURTIME", "CURRENT_", "UTC_", "SYSDATE", "UNIX_TIMESTAMP", "RAND(",
	"UUID", "FOR UPDATE", "LOCK IN SHARE MODE", "LAST_INSERT_ID", "@@", "SLEEP(",
};

bool
read_cache_cacheable(const char *sql, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(uncacheable) / sizeof(uncacheable[0]); i++)
		if (memmem(sql, len, uncacheable[i], strlen(uncacheable[i])))
			return false;
	return true;
}

void
read_cache_figures(struct read_cache_figures *out)
{
	pthread_mutex_lock(&lock);
	out->hits = hits;
	out->misses = misses;
	out->evictions = evictions;
	out->entries = entries;
	out->bytes = bytes;
	out->max_bytes = max_bytes;
	pthread_mutex_unlock(&lock);
}
