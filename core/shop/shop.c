#include "shop/shop.h"

#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "db/db.h"
#include "db/sqltext.h"
#include "orders/workflow.h"
#include "util/buf.h"
#include "util/log.h"

/* Shops per round trip: 10,000 shop files are read in 10 SELECTs (and,
 * for those without a row, 10 batches of INSERT IGNORE + SELECT), not
 * 20,000 statements. */
#define SYNC_CHUNK 1000

static int
cmp_shop_code(const void *a, const void *b)
{
	return strcmp((*(struct shop *const *)a)->code, (*(struct shop *const *)b)->code);
}

/* Sets the ids of shops[0..n) found by `sql`'s last statement (id, code)
 * in res; how many were found. */
static size_t
take_ids(const struct db_result *res, struct shop **shops, size_t n)
{
	size_t i, found = 0;

	for (i = 0; i < res->nrows; i++) {
		struct shop key = { .code = (char *)db_str(res, i, 1) }, *kp = &key, **s;

		s = bsearch(&kp, shops, n, sizeof(*shops), cmp_shop_code);
		if (s && (*s)->id == 0) {
			(*s)->id = db_ll(res, i, 0);
			found++;
		}
	}
	return found;
}

/*
 * One chunk: reads the ids of shops[0..n) in one round trip; when some
 * have no row yet, creates them (INSERT IGNORE: another process may do the
 * same at the same time) and reads the ids again, in one more.
 */
static int
sync_chunk(struct db *db, struct arena *a, struct shop **shops, size_t n)
{
	struct db_result res[2];
	struct buf sql;
	size_t i, found;
	int rc = DB_ERROR, attempt;

	for (i = 0; i < n; i++)
		shops[i]->id = 0;
	buf_init(&sql, 0);
	buf_puts(&sql, "SELECT id, code FROM shops WHERE code IN (");
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(&sql, ',');
		sql_str(db, &sql, shops[i]->code);
	}
	buf_putc(&sql, ')');
	if (buf_failed(&sql)) {
		buf_free(&sql);
		return DB_ERROR;
	}
	if (db_batch(db, a, &sql, 0, res, 1, NULL) == DB_OK && take_ids(&res[0], shops, n) == n) {
		buf_free(&sql);
		return DB_OK;   /* every row there: a restart, a reload */
	}
	for (i = 0; i < n; i++)
		shops[i]->id = 0;
	buf_reset(&sql);
	buf_puts(&sql, "INSERT IGNORE INTO shops (code) VALUES ");
	for (i = 0; i < n; i++) {
		buf_puts(&sql, i ? ",(" : "(");
		sql_str(db, &sql, shops[i]->code);
		buf_putc(&sql, ')');
	}
	buf_puts(&sql, ";SELECT id, code FROM shops WHERE code IN (");
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(&sql, ',');
		sql_str(db, &sql, shops[i]->code);
	}
	buf_putc(&sql, ')');
	if (buf_failed(&sql)) {
		buf_free(&sql);
		return DB_ERROR;
	}
	/* INSERT IGNORE of the same codes may run twice: sent again once
	 * after a lost connection or a deadlock. */
	for (attempt = 0; attempt < 2; attempt++) {
		rc = db_batch(db, a, &sql, 0, res, 2, NULL);
		if (rc != DB_RETRY && rc != DB_UNKNOWN)
			break;
	}
	buf_free(&sql);
	if (rc != DB_OK)
		return rc;
	found = take_ids(&res[1], shops, n);
	return found == n ? DB_OK : DB_ERROR;
}

int
shop_sync(struct db *db, struct arena *a, struct config *cfg)
{
	struct shop **shops;
	size_t i;
	int rc = DB_OK;

	if (cfg->nshops == 0)
		return 0;
	shops = malloc(cfg->nshops * sizeof(*shops));
	if (!shops) {
		log_error("shops: out of memory");
		return -1;
	}
	for (i = 0; i < cfg->nshops; i++)
		shops[i] = &cfg->shops[i];
	qsort(shops, cfg->nshops, sizeof(*shops), cmp_shop_code);
	for (i = 0; i < cfg->nshops && rc == DB_OK; i += SYNC_CHUNK) {
		size_t n = cfg->nshops - i < SYNC_CHUNK ? cfg->nshops - i : SYNC_CHUNK;

		rc = sync_chunk(db, a, shops + i, n);
		if (rc != DB_OK)
			log_error("shops %s to %s: cannot record them in the database",
			    shops[i]->code, shops[i + n - 1]->code);
	}
	free(shops);
	if (rc != DB_OK)
		return -1;
	/* A new shop's statuses come with its row. */
	return wf_shops_sync(db, a, cfg);
}
