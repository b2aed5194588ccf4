/* Unit tests of the desk's read cache (core/db/read_cache.h): what a hit
 * gives back, the version rule, the bound and least-recently-used
 * eviction, and the statements never kept. */
#include "db/read_cache.h"
#include "tap.h"

/* A result of nrows rows of two columns: "r<i>" and NULL on odd rows. */
static void
make(struct arena *a, struct db_result *res, size_t nrows)
{
	size_t i;

	memset(res, 0, sizeof(*res));
	res->nrows = nrows;
	res->ncols = 2;
	res->rows = arena_alloc(a, (nrows ? nrows : 1) * sizeof(*res->rows));
	for (i = 0; i < nrows; i++) {
		res->rows[i].col = arena_alloc(a, 2 * sizeof(char *));
		res->rows[i].len = arena_alloc(a, 2 * sizeof(size_t));
		res->rows[i].col[0] = arena_printf(a, "r%zu", i);
		res->rows[i].len[0] = strlen(res->rows[i].col[0]);
		if (i % 2 == 0) {
			res->rows[i].col[1] = arena_strndup(a, "x\0y", 3);   /* a NUL inside */
			res->rows[i].len[1] = 3;
		}
	}
}

static bool
get1(long long shop, long long version, const char *key, size_t keylen, struct arena *a, struct db_result *out)
{
	size_t done = 0;

	return read_cache_get(shop, version, key, keylen, a, out, 1, &done);
}

static void
put1(long long shop, long long version, const char *key, size_t keylen, const struct db_result *res)
{
	read_cache_put(shop, version, key, keylen, res, 1, 1);
}

int
main(void)
{
	struct arena a;
	struct db_result in[3], out[3], one;
	struct read_cache_figures f;
	size_t done = 0, i;
	char key[64];
	bool kept;

	arena_init(&a, 0);
	read_cache_init(0);
	make(&a, &in[0], 3);
	put1(1, 1, "k", 1, &in[0]);
	ok(!get1(1, 1, "k", 1, &a, &one), "off (0 MB): nothing is kept");
	ok(!read_cache_on(), "off says so");

	read_cache_init(1 << 20);
	ok(!get1(1, 1, "k", 1, &a, &one), "empty: a miss");
	put1(1, 1, "k", 1, &in[0]);
	ok(get1(1, 1, "k", 1, &a, &one), "stored: a hit");
	is_int((long long)one.nrows, 3, "three rows");
	is_int((long long)one.ncols, 2, "two columns");
	is_str(one.rows[2].col[0], "r2", "a value");
	ok(one.rows[1].col[1] == NULL, "SQL NULL stays NULL");
	ok(one.rows[0].col[1] && one.rows[0].len[1] == 3 && memcmp(one.rows[0].col[1], "x\0y", 4) == 0,
	    "a value with a NUL inside: its bytes and length, NUL-terminated");
	ok(one.rows[0].col[0] != in[0].rows[0].col[0], "the hit is a copy, in the caller's arena");

	ok(!get1(2, 1, "k", 1, &a, &one), "another shop, same key: a miss");
	ok(!get1(1, 2, "k", 1, &a, &one), "a newer version: a miss");
	ok(!get1(1, 1, "k", 1, &a, &one), "…and the older entry was dropped when seen");
	put1(1, 3, "k", 1, &in[0]);
	make(&a, &in[1], 1);
	put1(1, 2, "k", 1, &in[1]);   /* a lagging replica's request */
	ok(get1(1, 3, "k", 1, &a, &one) && one.nrows == 3, "an older version never replaces a newer entry");
	ok(!get1(1, 2, "k", 1, &a, &one), "an older version does not match a newer entry");
	ok(get1(1, 3, "k", 1, &a, &one), "…which it leaves in place");

	/* Keys are bytes: parameters with NULs, one byte apart. */
	put1(1, 1, "p\0\x01", 3, &in[0]);
	put1(1, 1, "p\0\x02", 3, &in[1]);
	ok(get1(1, 1, "p\0\x01", 3, &a, &one) && one.nrows == 3, "binary key 1: its own result");
	ok(get1(1, 1, "p\0\x02", 3, &a, &one) && one.nrows == 1, "binary key 2: its own result");
	ok(!get1(1, 1, "p\0", 2, &a, &one), "a key's prefix: a miss");

	/* Several result sets: each comes back, with affected and insert id. */
	make(&a, &in[0], 2);
	make(&a, &in[1], 0);
	make(&a, &in[2], 5);
	in[1].affected = 7;
	in[2].insert_id = 9;
	read_cache_put(4, 1, "batch", 5, in, 3, 3);
	ok(read_cache_get(4, 1, "batch", 5, &a, out, 3, &done), "a batch: a hit");
	is_int((long long)done, 3, "its statements done");
	is_int((long long)out[0].nrows, 2, "set 1: 2 rows");
	is_int((long long)out[1].nrows, 0, "set 2: no row");
	is_int((long long)out[1].ncols, 2, "set 2: its columns");
	is_int((long long)out[1].affected, 7, "set 2: affected rows");
	is_int((long long)out[2].nrows, 5, "set 3: 5 rows");
	is_int((long long)out[2].insert_id, 9, "set 3: insert id");
	is_str(out[2].rows[4].col[0], "r4", "set 3: its last value");
	ok(!read_cache_get(4, 1, "batch", 5, &a, out, 2, &done), "asked for another count of sets: a miss");

	/* The bound: 64 KiB, entries of about 2 KiB; the least recently used go. */
	read_cache_init(64 << 10);
	make(&a, &one, 60);
	for (i = 0, kept = true; i < 100; i++) {
		snprintf(key, sizeof(key), "key %zu", i);
		put1(1, 1, key, strlen(key), &one);
		kept = kept && get1(1, 1, "key 0", 5, &a, &out[0]);
	}
	ok(kept, "the entry used at every step is kept");
	read_cache_figures(&f);
	ok(f.bytes <= 64 << 10, "bytes held within the bound");
	ok(f.evictions > 0, "some were evicted");
	ok(f.entries < 100 && f.entries > 10, "the bound holds some, not all");
	ok(!get1(1, 1, "key 1", 5, &a, &out[0]), "the least recently used went first");
	ok(get1(1, 1, "key 99", 6, &a, &out[0]), "the newest is there");
	make(&a, &one, 1000);
	put1(1, 1, "big", 3, &one);
	ok(!get1(1, 1, "big", 3, &a, &out[0]), "a result over an eighth of the bound is not kept");
	read_cache_figures(&f);
	ok(f.hits > 0 && f.misses > 0, "hits and misses counted");

	ok(read_cache_cacheable("SELECT a FROM orders WHERE shop_id = 1", 38), "a plain read is kept");
	ok(!read_cache_cacheable("SELECT NOW()", 12), "the clock: never");
	ok(!read_cache_cacheable("SELECT a FROM t WHERE d > CURDATE()", 35), "the date: never");
	ok(!read_cache_cacheable("SELECT a FROM t FOR UPDATE", 26), "a locking read: never");
	ok(!read_cache_cacheable("SELECT a FROM t LOCK IN SHARE MODE", 34), "a shared lock: never");
	arena_free(&a);
	return done_testing();
}
