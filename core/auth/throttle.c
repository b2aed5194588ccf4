#include "auth/throttle.h"

#include <arpa/inet.h>
#include <string.h>

#include "db/db.h"
#include "util/arena.h"

/* The database's clock in microseconds: every process and machine counts
 * on the same one. Constant within a statement. */
#define NOW_US "CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS SIGNED)"

/*
 * One attempt. T is the interval (window / limit), W the window, both in
 * microseconds. wait_us is computed from the old tat_us, then tat_us moves
 * only if the attempt is let in (MariaDB runs the assignments left to
 * right). LAST_INSERT_ID(x) hands 1 + the wait back in the statement's
 * result, so no second query can see another attempt's value.
 */
static const char sql_take[] =
	"INSERT INTO login_throttle (shop_id, scope, subject, tat_us, wait_us)"
	" VALUES (?, ?, ?, " NOW_US " + ?, LAST_INSERT_ID(1))"
	" ON DUPLICATE KEY UPDATE"
	" wait_us = LAST_INSERT_ID(1 + GREATEST(0, GREATEST(tat_us, " NOW_US ") + ? - " NOW_US " - ?)),"
	" tat_us = IF(wait_us = 1, GREATEST(tat_us, " NOW_US ") + ?, tat_us)";

static long long
interval_us(int limit, int window)
{
	return (long long)window * 1000000 / (limit > 0 ? limit : 1);
}

int
throttle_take(struct db *db, struct arena *a, long long shop_id, const char *scope,
    const char *subject, int limit, int window, long long *wait)
{
	long long t = interval_us(limit, window), w = (long long)window * 1000000;
	struct db_result res;
	long long wait_us;

	if (db_exec(db, a, &res, sql_take, DB_PARAMS(DB_I64(shop_id), DB_STR(scope),
	    DB_STR(subject), DB_I64(t), DB_I64(t), DB_I64(w), DB_I64(t))) != DB_OK)
		return -1;
	if (res.insert_id < 1)
		return -1;   /* never: both branches set it */
	wait_us = (long long)res.insert_id - 1;
	*wait = wait_us > 0 ? (wait_us + 999999) / 1000000 : 0;
	return 0;
}

int
throttle_refund(struct db *db, struct arena *a, long long shop_id, const char *scope,
    const char *subject, int limit, int window)
{
	static const char sql[] =
		"UPDATE login_throttle SET tat_us = tat_us - ?"
		" WHERE shop_id = ? AND scope = ? AND subject = ?";

	return db_exec(db, a, NULL, sql, DB_PARAMS(DB_I64(interval_us(limit, window)),
	    DB_I64(shop_id), DB_STR(scope), DB_STR(subject))) == DB_OK ? 0 : -1;
}

int
throttle_clear(struct db *db, struct arena *a, long long shop_id, const char *scope,
    const char *subject)
{
	static const char sql[] =
		"DELETE FROM login_throttle WHERE shop_id = ? AND scope = ? AND subject = ?";

	return db_exec(db, a, NULL, sql, DB_PARAMS(DB_I64(shop_id), DB_STR(scope),
	    DB_STR(subject))) == DB_OK ? 0 : -1;
}

long long
throttle_purge(struct db *db, struct arena *a)
{
	/* A bucket whose time has come is the same as no bucket. */
	static const char sql[] = "DELETE FROM login_throttle WHERE tat_us < " NOW_US;
	struct db_result res;

	if (db_exec(db, a, &res, sql, 0, NULL) != DB_OK)
		return -1;
	return (long long)res.affected;
}

const char *
throttle_address(struct arena *a, const char *remote_addr)
{
	unsigned char v6[16];
	struct in_addr v4;
	char text[INET6_ADDRSTRLEN];
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (!remote_addr)
		return "unknown";
	if (inet_pton(AF_INET, remote_addr, &v4) == 1 &&
	    inet_ntop(AF_INET, &v4, text, sizeof(text)))
		return arena_strdup(a, text);
	if (inet_pton(AF_INET6, remote_addr, v6) != 1)
		return "unknown";
	if (memcmp(v6, mapped, sizeof(mapped)) == 0) {   /* ::ffff:192.0.2.1 */
		memcpy(&v4, v6 + 12, 4);
		return inet_ntop(AF_INET, &v4, text, sizeof(text)) ? arena_strdup(a, text) : "unknown";
	}
	memset(v6 + 8, 0, 8);
	if (!inet_ntop(AF_INET6, v6, text, sizeof(text)))
		return "unknown";
	return arena_printf(a, "%s/64", text);
}
