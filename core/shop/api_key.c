#include "shop/api_key.h"

#include <sodium.h>
#include <string.h>

#include "auth/secret.h"
#include "auth/token.h"
#include "db/db.h"
#include "util/arena.h"
#include "util/log.h"

_Static_assert(API_KEY_PREFIX_LEN * 3 <= API_KEY_MIN * 2, "a prefix never shows most of a key");

static bool
key_shape_valid(const char *k)
{
	size_t n;

	for (n = 0; k[n]; n++)
		if (!((k[n] >= 'a' && k[n] <= 'z') || (k[n] >= 'A' && k[n] <= 'Z') ||
		    (k[n] >= '0' && k[n] <= '9') || k[n] == '_' || k[n] == '-'))
			return false;
	return n >= API_KEY_MIN && n <= API_KEY_MAX;
}

/*
 * BLAKE2b-256 of the key, keyed with the host's API-key subkey: a copy of
 * the database alone cannot test guesses, not even of short fixed keys.
 * The hash is deterministic, so it is also how a key finds its row.
 */
static int
key_hash(const struct config *cfg, const char *key, unsigned char out[TOKEN_HASH_LEN])
{
	unsigned char subkey[SECRET_KEY_LEN];
	int rc;

	if (!secret_subkey(cfg, SECRET_API_KEYS, subkey)) {
		log_error("api keys: no security.key_file in the configuration");
		return -1;
	}
	rc = crypto_generichash(out, TOKEN_HASH_LEN, (const unsigned char *)key, strlen(key),
	    subkey, sizeof(subkey));
	sodium_memzero(subkey, sizeof(subkey));
	return rc == 0 ? 0 : -1;
}

int
api_key_create(struct db *db, struct arena *a, const struct config *cfg,
    long long shop_id, const char *name, const char *fixed, const char **out)
{
	static const char sql[] =
		"INSERT INTO api_keys (shop_id, name, prefix, key_hash) VALUES (?, ?, ?, ?)";
	unsigned char hash[TOKEN_HASH_LEN];
	char random[TOKEN_LEN + 1];
	const char *key;

	if (!name || !*name || strlen(name) > 100)
		return API_KEY_INVALID;
	if (fixed) {
		if (!key_shape_valid(fixed))
			return API_KEY_INVALID;
		key = fixed;
	} else {
		token_new(random);
		key = arena_printf(a, "cpt_%s", random);
	}
	if (key_hash(cfg, key, hash) != 0)
		return API_KEY_ERROR;
	if (db_exec(db, a, NULL, sql, DB_PARAMS(DB_I64(shop_id), DB_STR(name),
	    DB_STR(arena_strndup(a, key, API_KEY_PREFIX_LEN)), DB_BLOB(hash, sizeof(hash)))) != DB_OK)
		return db_errno(db) == 1062 ? API_KEY_EXISTS : API_KEY_ERROR;
	*out = arena_strdup(a, key);
	return API_KEY_OK;
}

/*
 * A key made before migration 004 is stored with the plain BLAKE2b of its
 * text: found that way once, its row gets the keyed hash, so keys in use
 * keep working through the upgrade and leave the old hash behind.
 */
static int
upgrade_legacy(struct db *db, struct arena *a, long long shop_id, const char *token,
    const unsigned char keyed[TOKEN_HASH_LEN], struct db_result *r)
{
	static const char sql[] =
		"SELECT id, name, 1 FROM api_keys WHERE shop_id = ? AND key_hash = ?"
		" AND legacy_hash = 1 AND revoked_at IS NULL";
	static const char sql_rehash[] =
		"UPDATE api_keys SET key_hash = ?, legacy_hash = 0 WHERE shop_id = ? AND id = ?";
	unsigned char plain[TOKEN_HASH_LEN];

	token_hash(token, plain);
	if (db_exec(db, a, r, sql, DB_PARAMS(DB_I64(shop_id), DB_BLOB(plain, sizeof(plain)))) != DB_OK)
		return API_KEY_ERROR;
	if (r->nrows == 0)
		return API_KEY_NOT_FOUND;
	if (db_exec(db, a, NULL, sql_rehash, DB_PARAMS(DB_BLOB(keyed, TOKEN_HASH_LEN),
	    DB_I64(shop_id), DB_I64(db_ll(r, 0, 0)))) != DB_OK)
		return API_KEY_ERROR;
	return API_KEY_OK;
}

int
api_key_check(struct db *db, struct arena *a, const struct config *cfg,
    long long shop_id, const char *token, long long *key_id, const char **name)
{
	static const char sql[] =
		"SELECT id, name, last_used_at IS NULL OR last_used_at < NOW(6) - INTERVAL 60 SECOND"
		" FROM api_keys WHERE shop_id = ? AND key_hash = ? AND legacy_hash = 0"
		" AND revoked_at IS NULL";
	static const char sql_used[] = "UPDATE api_keys SET last_used_at = NOW(6) WHERE shop_id = ? AND id = ?";
	unsigned char hash[TOKEN_HASH_LEN];
	struct db_result r;
	int rc;

	if (!token || !key_shape_valid(token))
		return API_KEY_NOT_FOUND;
	if (key_hash(cfg, token, hash) != 0)
		return API_KEY_ERROR;
	if (db_exec(db, a, &r, sql, DB_PARAMS(DB_I64(shop_id), DB_BLOB(hash, sizeof(hash)))) != DB_OK)
		return API_KEY_ERROR;
	if (r.nrows == 0 && (rc = upgrade_legacy(db, a, shop_id, token, hash, &r)) != API_KEY_OK)
		return rc;
	*key_id = db_ll(&r, 0, 0);
	*name = db_str(&r, 0, 1);
	/* Written at most once a minute: most API calls only read. */
	if (db_ll(&r, 0, 2) &&
	    db_exec(db, a, NULL, sql_used, DB_PARAMS(DB_I64(shop_id), DB_I64(*key_id))) != DB_OK)
		return API_KEY_ERROR;
	return API_KEY_OK;
}

int
api_key_revoke(struct db *db, struct arena *a, const struct config *cfg,
    long long shop_id, const char *given)
{
	static const char sql_by_hash[] =
		"SELECT id FROM api_keys WHERE shop_id = ? AND key_hash = ? AND revoked_at IS NULL";
	static const char sql_by_prefix[] =
		"SELECT id FROM api_keys WHERE shop_id = ? AND prefix = ? AND revoked_at IS NULL";
	static const char sql[] =
		"UPDATE api_keys SET revoked_at = NOW(6) WHERE shop_id = ? AND id = ? AND revoked_at IS NULL";
	unsigned char hash[TOKEN_HASH_LEN];
	struct db_result r;

	if (!given || strlen(given) < API_KEY_PREFIX_LEN)
		return API_KEY_INVALID;
	r.nrows = 0;
	if (key_shape_valid(given)) {
		if (key_hash(cfg, given, hash) != 0)
			return API_KEY_ERROR;
		if (db_exec(db, a, &r, sql_by_hash, DB_PARAMS(DB_I64(shop_id),
		    DB_BLOB(hash, sizeof(hash)))) != DB_OK)
			return API_KEY_ERROR;
	}
	if (r.nrows == 0 && db_exec(db, a, &r, sql_by_prefix, DB_PARAMS(DB_I64(shop_id),
	    DB_STR(arena_strndup(a, given, API_KEY_PREFIX_LEN)))) != DB_OK)
		return API_KEY_ERROR;
	if (r.nrows == 0)
		return API_KEY_NOT_FOUND;
	if (r.nrows > 1)
		return API_KEY_AMBIGUOUS;
	if (db_exec(db, a, &r, sql, DB_PARAMS(DB_I64(shop_id), DB_I64(db_ll(&r, 0, 0)))) != DB_OK)
		return API_KEY_ERROR;
	return API_KEY_OK;
}

int
api_key_list(struct db *db, struct arena *a, long long shop_id, struct api_key **keys, size_t *n)
{
	static const char sql[] =
		"SELECT id, name, prefix, DATE_FORMAT(created_at, '%Y-%m-%d %H:%i'),"
		" DATE_FORMAT(last_used_at, '%Y-%m-%d %H:%i'), revoked_at IS NOT NULL"
		" FROM api_keys WHERE shop_id = ? ORDER BY id";
	struct db_result r;
	size_t i;

	if (db_exec(db, a, &r, sql, DB_PARAMS(DB_I64(shop_id))) != DB_OK)
		return API_KEY_ERROR;
	*keys = arena_alloc(a, (r.nrows ? r.nrows : 1) * sizeof(**keys));
	for (i = 0; i < r.nrows; i++) {
		(*keys)[i].id = db_ll(&r, i, 0);
		(*keys)[i].name = db_str(&r, i, 1);
		(*keys)[i].prefix = db_str(&r, i, 2);
		(*keys)[i].created_at = db_str(&r, i, 3);
		(*keys)[i].last_used_at = db_str(&r, i, 4);
		(*keys)[i].revoked = db_ll(&r, i, 5) != 0;
	}
	*n = r.nrows;
	return API_KEY_OK;
}
