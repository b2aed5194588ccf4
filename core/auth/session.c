#include "auth/session.h"

#include <string.h>

#include "conf/conf.h"
#include "db/db.h"

/* last_seen_at is written at most once a minute: most requests only read. */
#define TOUCH_INTERVAL 60

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
	struct db_result res;
	struct session *s;
	long long idle;

	*out = NULL;
	if (!token_valid(token))
		return SESSION_NONE;
	token_hash(token, hash);
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
	return db_exec(db, a, NULL, sql, DB_PARAMS(DB_I64(shop_id),
	    DB_BLOB(hash, sizeof(hash)))) == DB_OK ? SESSION_OK : SESSION_ERROR;
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
