#include "auth/session.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf/conf.h"
#include "db/db.h"
#include "util/log.h"
#include "util/utf8.h"

/* last_seen_at is written at most once a minute: most requests only read. */
#define TOUCH_INTERVAL 60

/*
 * A small cache per request thread of the sessions it checked lately, for
 * sessions.cache_seconds: a staff member clicking through pages costs no
 * query at all. A slot holds copies, never pointers into a request.
 */
#define CACHE_SLOTS 64

struct cached_session {
	unsigned long long epoch;  /* revocations seen when it was checked */
	long long shop_id;
	unsigned char hash[TOKEN_HASH_LEN];
	long long checked_ms;      /* monotonic time of the database check */
	long long user_id;
	enum staff_role role;
	long long age;
	char email[255], display_name[121], locale[3], csrf[TOKEN_LEN + 1];
};

static _Thread_local struct cached_session *cache;

/* Bumped by every logout and account change in this process: every
 * thread's cached sessions older than that are checked again at once.
 * Other processes see the change within cache_seconds. */
static atomic_ullong revocations;

void
session_cache_invalidate(void)
{
	atomic_fetch_add(&revocations, 1);
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct cached_session *
cache_slot(long long shop_id, const unsigned char hash[TOKEN_HASH_LEN])
{
	if (!cache) {
		cache = calloc(CACHE_SLOTS, sizeof(*cache));
		if (!cache)
			return NULL;
	}
	/* The hash is random: its first bytes spread the slots evenly. */
	return &cache[(hash[0] ^ (unsigned)shop_id) % CACHE_SLOTS];
}

static void
copy_field(char *dst, size_t size, const char *src)
{
	utf8_copy(dst, size, src);
}

/*
 * Keeps a session checked in the database. `epoch` is the revocation count
 * read BEFORE that check: a logout whose DELETE committed after the check
 * bumps the count after it, so the copy is stale at once. (Read after the
 * check, the count could already include that logout, and the revoked
 * session be trusted for cache_seconds.)
 */
static void
cache_store(long long shop_id, const unsigned char hash[TOKEN_HASH_LEN], const struct session *s,
    unsigned long long epoch)
{
	struct cached_session *c = cache_slot(shop_id, hash);

	if (!c)
		return;
	c->shop_id = shop_id;
	memcpy(c->hash, hash, TOKEN_HASH_LEN);
	c->epoch = epoch;
	c->checked_ms = now_ms();
	c->user_id = s->user.id;
	c->role = s->user.role;
	c->age = s->age;
	copy_field(c->email, sizeof(c->email), s->user.email);
	copy_field(c->display_name, sizeof(c->display_name), s->user.display_name);
	copy_field(c->locale, sizeof(c->locale), s->user.locale);
	copy_field(c->csrf, sizeof(c->csrf), s->csrf);
}

static struct session *
cache_lookup(struct arena *a, const struct config *cfg, long long shop_id,
    const unsigned char hash[TOKEN_HASH_LEN])
{
	struct cached_session *c = cache_slot(shop_id, hash);
	struct session *s;
	long long elapsed;

	if (!c || c->shop_id != shop_id || memcmp(c->hash, hash, TOKEN_HASH_LEN) != 0 ||
	    c->epoch != atomic_load(&revocations))
		return NULL;
	elapsed = now_ms() - c->checked_ms;
	if (elapsed < 0 || elapsed >= (long long)cfg->sessions.cache_seconds * 1000)
		return NULL;
	s = arena_alloc(a, sizeof(*s));
	s->user.id = c->user_id;
	s->user.role = c->role;
	s->user.email = arena_strdup(a, c->email);
	s->user.display_name = arena_strdup(a, c->display_name);
	s->user.locale = arena_strdup(a, c->locale);
	s->csrf = arena_strdup(a, c->csrf);
	s->age = c->age + elapsed / 1000;
	return s;
}

void
session_cache_free(void)
{
	free(cache);
	cache = NULL;
}

int
session_load(struct db *db, struct arena *a, const struct config *cfg,
    long long shop_id, const char *token, struct session **out)
{
	static const char sql[] =
		"SELECT u.id, u.email, u.display_name, u.role, u.locale, s.csrf_token,"
		" TIMESTAMPDIFF(SECOND, s.created_at, NOW(6)),"
		" TIMESTAMPDIFF(SECOND, s.last_seen_at, NOW(6))"
		" FROM staff_sessions s JOIN staff_users u"
		" ON u.shop_id = s.shop_id AND u.id = s.user_id"
		" WHERE s.shop_id = ? AND s.token_hash = ? AND u.disabled = 0";
	static const char sql_touch[] =
		"UPDATE staff_sessions SET last_seen_at = NOW(6) WHERE shop_id = ? AND token_hash = ?";
	unsigned char hash[TOKEN_HASH_LEN];
	unsigned long long epoch;
	struct db_result res;
	struct session *s;
	long long idle;

	*out = NULL;
	if (!token_valid(token))
		return SESSION_NONE;
	token_hash(token, hash);
	if (cfg->sessions.cache_seconds > 0 && (*out = cache_lookup(a, cfg, shop_id, hash)))
		return SESSION_OK;
	epoch = atomic_load(&revocations);
	if (db_exec(db, a, &res, sql, DB_PARAMS(DB_I64(shop_id), DB_BLOB(hash, sizeof(hash)))) != DB_OK)
		return SESSION_ERROR;
	if (res.nrows != 1)
		return SESSION_NONE;
	s = arena_alloc(a, sizeof(*s));
	s->user.id = db_ll(&res, 0, 0);
	s->user.email = db_str(&res, 0, 1);
	s->user.display_name = db_str(&res, 0, 2);
	staff_role_parse(db_str(&res, 0, 3), &s->user.role);
	s->user.locale = db_str(&res, 0, 4);
	s->csrf = db_str(&res, 0, 5);
	s->age = db_ll(&res, 0, 6);
	idle = db_ll(&res, 0, 7);
	if (s->age >= cfg->sessions.absolute_timeout || idle >= cfg->sessions.idle_timeout) {
		session_destroy(db, a, shop_id, token);
		return SESSION_NONE;
	}
	if (idle >= TOUCH_INTERVAL &&
	    db_exec(db, a, NULL, sql_touch, DB_PARAMS(DB_I64(shop_id), DB_BLOB(hash, sizeof(hash)))) != DB_OK)
		return SESSION_ERROR;
	if (cfg->sessions.cache_seconds > 0)
		cache_store(shop_id, hash, s, epoch);
	*out = s;
	return SESSION_OK;
}

int
session_create(struct db *db, struct arena *a, long long shop_id,
    long long user_id, const char *remote_addr, const char *user_agent,
    char token_out[TOKEN_LEN + 1])
{
	static const char sql[] =
		"INSERT INTO staff_sessions (shop_id, token_hash, user_id, csrf_token,"
		" remote_addr, user_agent) VALUES (?, ?, ?, ?, ?, LEFT(?, 255))";
	unsigned char hash[TOKEN_HASH_LEN];
	char csrf[TOKEN_LEN + 1];

	token_new(token_out);
	token_new(csrf);
	token_hash(token_out, hash);
	if (db_exec(db, a, NULL, sql, DB_PARAMS(DB_I64(shop_id), DB_BLOB(hash, sizeof(hash)),
	    DB_I64(user_id), DB_STR(csrf), DB_STR(remote_addr ? remote_addr : ""),
	    DB_STR(user_agent ? user_agent : ""))) != DB_OK)
		return SESSION_ERROR;
	return SESSION_OK;
}

int
session_destroy(struct db *db, struct arena *a, long long shop_id, const char *token)
{
	static const char sql[] =
		"DELETE FROM staff_sessions WHERE shop_id = ? AND token_hash = ?";
	unsigned char hash[TOKEN_HASH_LEN];

	if (!token_valid(token))
		return SESSION_OK;
	token_hash(token, hash);
	if (db_exec(db, a, NULL, sql, DB_PARAMS(DB_I64(shop_id), DB_BLOB(hash, sizeof(hash)))) != DB_OK)
		return SESSION_ERROR;
	/* After the DELETE has committed: see cache_store. */
	session_cache_invalidate();
	return SESSION_OK;
}

long long
session_purge(struct db *db, struct arena *a, const struct config *cfg)
{
	static const char sql[] =
		"DELETE FROM staff_sessions WHERE last_seen_at < NOW(6) - INTERVAL ? SECOND"
		" OR created_at < NOW(6) - INTERVAL ? SECOND";
	struct db_result res;

	if (db_exec(db, a, &res, sql, DB_PARAMS(DB_I64(cfg->sessions.idle_timeout),
	    DB_I64(cfg->sessions.absolute_timeout))) != DB_OK)
		return -1;
	return (long long)res.affected;
}
