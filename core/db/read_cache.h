/*
 * read_cache: the desk's reads answered from memory while the shop's data
 * has not changed (db_desk, db/db.h, is how a page uses it).
 *
 * Each shop has a desk version, its row of desk_versions (migration
 * 022): every transaction that changes what the desk pages read
 * (orders and everything hanging from them, the search words, the
 * counters, products' stock and thresholds, the shop's statuses) marks
 * the shop (db_desk_changed), and db.c adds 1 to the version in that same
 * transaction, as its last statement before COMMIT (held only through the
 * commit: never part of a deadlock cycle).
 *
 * A cached result is keyed by (shop, version, the server it came from,
 * primary or replica, the statement's text and its parameters' bytes:
 * a replica that differs from the primary at the same version, filtered
 * or changed by hand, keeps its own answers) and holds every result set of the statement or
 * batch. Why it is never stale:
 *   - the version is read on the same connection as the cached reads
 *     (primary or replica) and before them, once per page: the version
 *     row and the data change in one transaction, so the data a read
 *     sees is at least as new as the version read before it;
 *   - an entry stored under version V therefore holds data of V or later.
 *     A writer committing between the version read and the data read
 *     makes the entry carry an older version than its data: once V+1 is
 *     committed, no request reads V again (a replica applies commits in
 *     order, so does its version row), so the entry is never matched
 *     again. The cache may hold a wasted entry, never serve a stale one.
 *   - A replica that fails while the version is read hands the reads to
 *     the primary: the version may then be the primary's and the data
 *     the replica's (older); db.c turns the cache off for that page.
 * Never cached: writes, reads inside a transaction, locking reads, and
 * statements whose answer depends on the clock (NOW(), CURDATE() …), for
 * the same data gives another answer an hour later.
 *
 * One cache per process, shared by its threads (one mutex: a lookup is a
 * hash probe and one memcpy), bounded in bytes (database.read_cache_mb,
 * 0 turns it off), least recently used evicted first. One entry per key
 * whatever the version: a lookup or store with a newer version drops the
 * older entry when it meets it.
 */
#ifndef CPT_READ_CACHE_H
#define CPT_READ_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"
#include "util/arena.h"

/* Sets the bound (0: off, every lookup misses, nothing is stored) and
 * empties the cache. Called once before the threads start; again only in
 * tests. */
void read_cache_init(size_t max_bytes);
bool read_cache_on(void);

/*
 * Looks up (shop, version, key[0..keylen)). On a hit, fills res[0..nres)
 * (nres must be the count stored) and *done, in `arena`, exactly as the
 * live read did, and returns true.
 */
bool read_cache_get(long long shop_id, long long version, const void *key, size_t keylen,
    struct arena *arena, struct db_result *res, size_t nres, size_t *done);

/* Stores a copy of res[0..nres) and done under the key (evicting the
 * least recently used entries past the bound); a result larger than an
 * eighth of the bound is not kept. */
void read_cache_put(long long shop_id, long long version, const void *key, size_t keylen,
    const struct db_result *res, size_t nres, size_t done);

/* True when a statement's answer may be kept: not a locking read, not
 * one that reads the clock or draws a random number. */
bool read_cache_cacheable(const char *sql, size_t len);

struct read_cache_figures {
	unsigned long long hits, misses, evictions, entries, bytes, max_bytes;
};
void read_cache_figures(struct read_cache_figures *out);

#endif
