/*
 * order_document_check (core/orders/order_document.c) against the test
 * stack's MariaDB, in a shop of its own with its own status codes (removed
 * at the end): an open order may be invoiced and slipped; a held one and
 * a cancelled one are refused, in French; a completed one is not; a quote
 * and another shop's order are not found.
 * usage: test_document CONFIG
 */
#include <mysql.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "db/db.h"
#include "orders/order_document.h"
#include "orders/workflow.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/i18n.h"
#include "tap.h"

static struct arena arena;
static long long shop, other_shop;

#define TEXT(db, ...) do { \
	char sql_[1024]; \
	int n_ = snprintf(sql_, sizeof(sql_), __VA_ARGS__); \
	db_exec_text((db), sql_, (size_t)n_); \
} while (0)

static long long
last_id(struct db *db)
{
	struct db_result r;

	if (db_exec(db, &arena, &r, "SELECT LAST_INSERT_ID()", 0, NULL) != DB_OK || r.nrows != 1)
		return -1;
	return db_ll(&r, 0, 0);
}

static void
new_order(struct db *db, long long in, const char *code, const char *status, int on_hold, const char *kind)
{
	TEXT(db, "INSERT INTO orders (shop_id, code, kind, status, on_hold, channel, currency, prices_include_vat,"
	    " lines_cents, total_ex_vat_cents, total_vat_cents, total_cents, vat_breakdown, remarks, placed_at)"
	    " VALUES (%lld, '%s', '%s', '%s', %d, 'web', 'EUR', 1, 0, 0, 0, 0, '[]', '', NOW(6))",
	    in, code, kind, status, on_hold);
}

static int
check(struct db *db, long long in, const char *code, enum order_doc_kind kind, const char **why)
{
	*why = NULL;
	return order_document_check(db, &arena, in, code, kind, why);
}

int
main(int argc, char **argv)
{
	struct config *cfg;
	struct db *db;
	struct buf err;
	const char *why;
	int k;

	if (argc < 2) {
		printf("1..0 # SKIP no configuration (needs the test stack's database)\n");
		return 0;
	}
	arena_init(&arena, 0);
	buf_init(&err, 0);
	if (config_load(argv[1], &cfg, &err) != 0) {
		fprintf(stderr, "%s", buf_str(&err));
		return 2;
	}
	buf_free(&err);
	i18n_init(cfg->paths.locale);
	i18n_use("fr");
	mysql_library_init(0, NULL, NULL);
	db = db_open(cfg);
	if (!ok(db != NULL, "a connection"))
		return done_testing();
	TEXT(db, "INSERT INTO shops (code) VALUES ('test-doc-%lld')", (long long)getpid());
	shop = last_id(db);
	TEXT(db, "INSERT INTO shops (code) VALUES ('test-doc-%lld-b')", (long long)getpid());
	other_shop = last_id(db);
	/* Its own codes: nothing may lean on 'cancelled' or 'completed'. */
	TEXT(db, "INSERT INTO shop_statuses (shop_id, code, position, label_fr, label_en, colour, flags) VALUES"
	    " (%lld, 'neuve', 1, 'Neuve', 'New', '#1d4ed8', 'arrival,sale'),"
	    " (%lld, 'finie', 2, 'Finie', 'Done', '#166534', 'completed,final,sale'),"
	    " (%lld, 'rendue', 3, 'Rendue', 'Returned', '#166534', 'final'),"
	    " (%lld, 'abandon', 4, 'Abandonnée', 'Dropped', '#b91c1c', 'cancels,final')", shop, shop, shop, shop);
	new_order(db, shop, "DOCOPEN1", "neuve", 0, "order");
	new_order(db, shop, "DOCHELD1", "neuve", 1, "order");
	new_order(db, shop, "DOCCANC1", "abandon", 0, "order");
	new_order(db, shop, "DOCDONE1", "finie", 0, "order");
	new_order(db, shop, "DOCRETU1", "rendue", 0, "order");
	new_order(db, shop, "DOCQUOT1", "neuve", 0, "quote");
	new_order(db, other_shop, "DOCOTHE1", "neuve", 0, "order");
	ok(shop > 0 && other_shop > 0, "two shops of its own");

	for (k = ORDER_DOC_INVOICE; k <= ORDER_DOC_PACKING_SLIP; k++) {
		const char *what = k == ORDER_DOC_INVOICE ? "invoice" : "packing slip";

		is_int(check(db, shop, "DOCOPEN1", k, &why), WF_OK, "an open order may get its %s", what);
		is_int(check(db, shop, "DOCDONE1", k, &why), WF_OK, "a completed order may get its documents");
		is_int(check(db, shop, "DOCRETU1", k, &why), WF_OK, "so may one in another final status");
		is_int(check(db, shop, "DOCHELD1", k, &why), WF_REFUSED, "a held order is refused");
		ok(why && strstr(why, "Cette commande est en attente : reprenez-la avant"), "held: %s", why ? why : "no reason");
		is_int(check(db, shop, "DOCCANC1", k, &why), WF_REFUSED, "an order in the shop's cancelling status is refused");
		ok(why && strstr(why, "Cette commande est annulée"), "cancelled: %s", why ? why : "no reason");
		is_int(check(db, shop, "DOCQUOT1", k, &why), WF_NOT_FOUND, "a quote is not an order");
		is_int(check(db, shop, "DOCOTHE1", k, &why), WF_NOT_FOUND, "another shop's order is not found");
		is_int(check(db, other_shop, "DOCOPEN1", k, &why), WF_NOT_FOUND, "nor is this shop's from the other");
	}
	i18n_use("en");
	check(db, shop, "DOCHELD1", ORDER_DOC_INVOICE, &why);
	ok(why && strcmp(why, "This order is on hold: resume it before invoicing it.") == 0,
	    "in English for English staff");

	TEXT(db, "DELETE FROM orders WHERE shop_id IN (%lld, %lld)", shop, other_shop);
	TEXT(db, "DELETE FROM shop_statuses WHERE shop_id IN (%lld, %lld)", shop, other_shop);
	TEXT(db, "DELETE FROM shops WHERE id IN (%lld, %lld)", shop, other_shop);
	wf_cache_free();
	db_close(db);
	config_free(cfg);
	i18n_done();
	arena_free(&arena);
	return done_testing();
}
