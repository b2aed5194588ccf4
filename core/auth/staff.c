#include "auth/staff.h"
#include "auth/session.h"
#include "auth/throttle.h"

#include <ctype.h>
#include <semaphore.h>
#include <unistd.h>
#include <sodium.h>
#include <string.h>

#include "conf/conf.h"
#include "db/db.h"
#include "util/log.h"

static const struct { const char *name; enum staff_role role; } role_names[] = {
	{ "owner", ROLE_OWNER },
	{ "staff", ROLE_STAFF },
	{ "picker", ROLE_PICKER },
};

bool
staff_role_parse(const char *s, enum staff_role *out)
{
	size_t i;

	for (i = 0; s && i < sizeof(role_names) / sizeof(role_names[0]); i++) {
		if (strcmp(s, role_names[i].name) == 0) {
			*out = role_names[i].role;
			return true;
		}
	}
	return false;
}

const char *
staff_role_name(enum staff_role role)
{
	size_t i;

	for (i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (role_names[i].role == role)
			return role_names[i].name;
	return "?";
}

bool
email_valid(const char *s)
{
	const char *at, *dot;
	size_t len;

	if (!s)
		return false;
	len = strlen(s);
	if (len < 3 || len > 254)
		return false;
	at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return false;
	dot = strrchr(at, '.');
	if (!dot || dot == at + 1 || dot[1] == '\0')
		return false;
	for (; *s; s++)
		if (isspace((unsigned char)*s) || iscntrl((unsigned char)*s))
			return false;
	return true;
}

static bool
locale_valid(const char *l)
{
	return l && (strcmp(l, "fr") == 0 || strcmp(l, "en") == 0);
}

/* Lower-cases an e-mail into the arena: addresses compare case-blind. */
static char *
email_fold(struct arena *a, const char *email)
{
	char *e = arena_strdup(a, email), *p;

	for (p = e; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return e;
}

/* argon2id takes 64 MiB per hash: at most one hash per core at a time, so
 * a burst of logins queues instead of taking a gigabyte. */
static sem_t hash_slots;
static bool hash_slots_ready;

static void
hash_slot_take(void)
{
	if (hash_slots_ready)
		while (sem_wait(&hash_slots) != 0)
			;
}

static void
hash_slot_give(void)
{
	if (hash_slots_ready)
		sem_post(&hash_slots);
}

static int
hash_password(const char *password, char out[crypto_pwhash_STRBYTES])
{
	int rc;

	hash_slot_take();
	rc = crypto_pwhash_str(out, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE);
	hash_slot_give();
	if (rc != 0) {
		log_error("staff: argon2id hashing failed (out of memory?)");
		return -1;
	}
	return 0;
}

/* Checks a password against its stored hash, in a hashing slot. */
static bool
verify_password(const char *hash, const char *password)
{
	int rc;

	hash_slot_take();
	rc = crypto_pwhash_str_verify(hash, password, strlen(password));
	hash_slot_give();
	return rc == 0;
}

int
staff_create(struct db *db, struct arena *a, long long shop_id,
    const char *email, const char *display_name, enum staff_role role,
    const char *locale, const char *password, long long *id_out)
{
	static const char sql[] =
		"INSERT INTO staff_users (shop_id, email, display_name, password_hash, role, locale)"
		" VALUES (?, ?, ?, ?, ?, ?)";
	char hash[crypto_pwhash_STRBYTES];
	struct db_result res;
	int rc;

	if (!email_valid(email) || !locale_valid(locale) || !password ||
	    strlen(password) < STAFF_PASSWORD_MIN)
		return STAFF_INVALID;
	if (hash_password(password, hash) != 0)
		return STAFF_ERROR;
	rc = db_exec(db, a, &res, sql, DB_PARAMS(DB_I64(shop_id), DB_STR(email_fold(a, email)),
	    DB_STR(display_name ? display_name : ""), DB_STR(hash),
	    DB_STR(staff_role_name(role)), DB_STR(locale)));
	if (rc != DB_OK)
		return db_errno(db) == 1062 ? STAFF_EXISTS : STAFF_ERROR;
	if (id_out)
		*id_out = (long long)res.insert_id;
	return STAFF_OK;
}

int
staff_set_password(struct db *db, struct arena *a, long long shop_id,
    const char *email, const char *password)
{
	static const char sql[] =
		"UPDATE staff_users SET password_hash = ? WHERE shop_id = ? AND email = ?";
	static const char sql_drop_sessions[] =
		"DELETE s FROM staff_sessions s JOIN staff_users u"
		" ON u.shop_id = s.shop_id AND u.id = s.user_id"
		" WHERE s.shop_id = ? AND u.email = ?";
	char hash[crypto_pwhash_STRBYTES];
	struct db_result res;

	if (!password || strlen(password) < STAFF_PASSWORD_MIN)
		return STAFF_INVALID;
	if (hash_password(password, hash) != 0)
		return STAFF_ERROR;
	email = email_fold(a, email);
	if (db_exec(db, a, &res, sql, DB_PARAMS(DB_STR(hash), DB_I64(shop_id), DB_STR(email))) != DB_OK)
		return STAFF_ERROR;
	if (res.affected == 0)
		return STAFF_NOT_FOUND;
	/* A new password logs every open session out. */
	if (db_exec(db, a, NULL, sql_drop_sessions, DB_PARAMS(DB_I64(shop_id), DB_STR(email))) != DB_OK)
		return STAFF_ERROR;
	session_cache_invalidate();
	return STAFF_OK;
}

int
staff_set_locale(struct db *db, struct arena *a, long long shop_id,
    long long user_id, const char *locale)
{
	static const char sql[] =
		"UPDATE staff_users SET locale = ? WHERE shop_id = ? AND id = ?";

	if (!locale_valid(locale))
		return STAFF_INVALID;
	if (db_exec(db, a, NULL, sql, DB_PARAMS(DB_STR(locale), DB_I64(shop_id), DB_I64(user_id))) != DB_OK)
		return STAFF_ERROR;
	session_cache_invalidate();
	return STAFF_OK;
}

int
staff_set_disabled(struct db *db, struct arena *a, long long shop_id,
    const char *email, bool disabled)
{
	static const char sql[] =
		"UPDATE staff_users SET disabled = ? WHERE shop_id = ? AND email = ?";
	static const char sql_exists[] =
		"SELECT 1 FROM staff_users WHERE shop_id = ? AND email = ?";
	static const char sql_drop_sessions[] =
		"DELETE s FROM staff_sessions s JOIN staff_users u"
		" ON u.shop_id = s.shop_id AND u.id = s.user_id"
		" WHERE s.shop_id = ? AND u.email = ?";
	struct db_result res;

	email = email_fold(a, email);
	if (db_exec(db, a, &res, sql_exists, DB_PARAMS(DB_I64(shop_id), DB_STR(email))) != DB_OK)
		return STAFF_ERROR;
	if (res.nrows == 0)
		return STAFF_NOT_FOUND;
	if (db_exec(db, a, NULL, sql, DB_PARAMS(DB_I64(disabled ? 1 : 0), DB_I64(shop_id),
	    DB_STR(email))) != DB_OK)
		return STAFF_ERROR;
	if (!disabled)
		return STAFF_OK;
	/* After the UPDATE: a session loaded from now on is refused anyway. */
	if (db_exec(db, a, NULL, sql_drop_sessions, DB_PARAMS(DB_I64(shop_id), DB_STR(email))) != DB_OK)
		return STAFF_ERROR;
	session_cache_invalidate();
	return STAFF_OK;
}

int
staff_list(struct db *db, struct arena *a, long long shop_id,
    struct staff_user **users, size_t *n)
{
	static const char sql[] =
		"SELECT id, email, display_name, role, locale, disabled FROM staff_users"
		" WHERE shop_id = ? ORDER BY email";
	struct db_result res;
	size_t i;

	if (db_exec(db, a, &res, sql, DB_PARAMS(DB_I64(shop_id))) != DB_OK)
		return STAFF_ERROR;
	*users = arena_alloc(a, (res.nrows ? res.nrows : 1) * sizeof(**users));
	for (i = 0; i < res.nrows; i++) {
		struct staff_user *u = &(*users)[i];

		u->id = db_ll(&res, i, 0);
		u->email = db_str(&res, i, 1);
		u->display_name = db_str(&res, i, 2);
		staff_role_parse(db_str(&res, i, 3), &u->role);
		u->locale = db_str(&res, i, 4);
		u->disabled = db_ll(&res, i, 5) != 0;
	}
	*n = res.nrows;
	return STAFF_OK;
}

/* Verified against when the account does not exist, so that an unknown
 * e-mail takes as long as a wrong password. */
static char dummy_hash[crypto_pwhash_STRBYTES];

int
staff_init(void)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	if (!hash_slots_ready && sem_init(&hash_slots, 0, cores > 0 ? (unsigned)cores : 2) == 0)
		hash_slots_ready = true;
	return hash_password("comptoir-timing-equaliser", dummy_hash);
}

/* The buckets one attempt is counted in (auth/throttle.h). */
struct buckets {
	const char *device;       /* the browser's bucket, when it is known to the account */
	const char *address;      /* else: the client address's … */
	const char *email;        /* … and the account's, for unknown clients */
};

/* Counts the attempt; *wait > 0 when it must not go on. Known browsers
 * are counted only in their own bucket, so nobody else can throttle them. */
static int
buckets_take(struct db *db, struct arena *a, const struct config *cfg, long long shop_id,
    const struct buckets *b, long long *wait)
{
	int per_account = cfg->login.max_failures_per_account, window = cfg->login.window;

	if (b->device)
		return throttle_take(db, a, shop_id, THROTTLE_DEVICE, b->device, per_account,
		    window, wait);
	/* One budget per address across every shop: shop id 0. */
	if (throttle_take(db, a, 0, THROTTLE_ADDRESS, b->address,
	    cfg->login.max_failures_per_address, window, wait) != 0)
		return -1;
	if (*wait > 0)
		return 0;
	return throttle_take(db, a, shop_id, THROTTLE_ACCOUNT, b->email, per_account, window, wait);
}

/* A login that succeeded: its browser's bucket starts afresh; an unknown
 * client's attempt is given back to the shared buckets it came out of. */
static int
buckets_success(struct db *db, struct arena *a, const struct config *cfg, long long shop_id,
    const struct buckets *b)
{
	if (b->device)
		return throttle_clear(db, a, shop_id, THROTTLE_DEVICE, b->device);
	if (throttle_refund(db, a, 0, THROTTLE_ADDRESS, b->address,
	    cfg->login.max_failures_per_address, cfg->login.window) != 0)
		return -1;
	return throttle_refund(db, a, shop_id, THROTTLE_ACCOUNT, b->email,
	    cfg->login.max_failures_per_account, cfg->login.window);
}

enum login_result
staff_login(struct db *db, struct arena *a, const struct config *cfg,
    long long shop_id, const struct login_attempt *in, struct login_outcome *out)
{
	static const char sql_user[] =
		"SELECT id, password_hash, disabled, role FROM staff_users WHERE shop_id = ? AND email = ?";
	struct buckets b = { NULL, NULL, NULL };
	struct db_result res;
	long long user_id = 0;
	bool ok = false;

	out->user_id = 0;
	out->role = ROLE_PICKER;
	out->wait = 0;
	out->device[0] = '\0';
	if (!in->email || !in->password || strlen(in->email) > 254 || strlen(in->password) > 1024)
		return LOGIN_BAD_CREDENTIALS;
	b.email = email_fold(a, in->email);
	b.address = throttle_address(a, in->remote_addr);

	if (db_exec(db, a, &res, sql_user, DB_PARAMS(DB_I64(shop_id), DB_STR(b.email))) != DB_OK)
		return LOGIN_ERROR;
	if (res.nrows == 1) {
		user_id = db_ll(&res, 0, 0);
		if (!device_cookie_check(cfg, a, shop_id, user_id, in->device, &b.device))
			b.device = NULL;
	}
	if (buckets_take(db, a, cfg, shop_id, &b, &out->wait) != 0)
		return LOGIN_ERROR;
	if (out->wait > 0) {
		log_info("login throttled for %s from %s (shop %lld, %s)", b.email, b.address,
		    shop_id, b.device ? "known browser" : "unknown client");
		return LOGIN_THROTTLED;
	}
	if (res.nrows == 1)
		ok = verify_password(db_str(&res, 0, 1), in->password) && db_ll(&res, 0, 2) == 0;
	else
		/* Same cost as a real check; the answer is no in any case. */
		verify_password(dummy_hash, in->password);
	if (!ok) {
		log_info("login failed for %s from %s (shop %lld)", b.email, b.address, shop_id);
		return LOGIN_BAD_CREDENTIALS;
	}
	if (buckets_success(db, a, cfg, shop_id, &b) != 0)
		return LOGIN_ERROR;
	/* A browser new to the account becomes known to it. */
	if (!b.device && !device_cookie_new(cfg, shop_id, user_id, out->device))
		out->device[0] = '\0';
	out->user_id = user_id;
	if (!staff_role_parse(db_str(&res, 0, 3), &out->role))
		return LOGIN_ERROR;
	return LOGIN_OK;
}

long long
staff_purge_login_failures(struct db *db, struct arena *a, const struct config *cfg)
{
	(void)cfg;
	return throttle_purge(db, a);
}
