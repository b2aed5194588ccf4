/*
 * The stock module (core/stock/): the plan without a database, then
 * against the test stack's MariaDB, in a shop of its own removed at the
 * end: reserving an order's lines, releasing them once (a second release,
 * and two at once, give nothing back twice), a line at a time, the
 * merchant's adjustments and their refusals, and the history of each.
 * usage: test_stock [CONFIG] (without CONFIG, only the plan)
 */
#include <mysql.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "db/db.h"
#include "orders/order.h"
#include "stock/stock.h"
#include "util/arena.h"
#include "util/buf.h"
#include "tap.h"

static struct config *cfg;
static struct arena arena;
static long long shop, p_mug, p_card, p_free, order1, order2;
static const struct order_actor staff = { ACTOR_STAFF, 0, "Test" };

static void
test_plan(void)
{
	struct order_line l[5] = {
		{ .line_no = 1, .product_id = 9, .quantity = 2, .reserved_stock = true },
		{ .line_no = 2, .product_id = 4, .quantity = 1, .reserved_stock = true },
		{ .line_no = 3, .product_id = 9, .quantity = 3, .reserved_stock = true },
		{ .line_no = 4, .product_id = 7, .quantity = 5, .reserved_stock = false },
		{ .line_no = 5, .product_id = 0, .quantity = 1, .reserved_stock = true },
	};
	struct stock_need *nd;
	size_t n = stock_plan(&arena, l, 5, &nd);

	is_int((long long)n, 2, "one need per stocked product; untracked and gone products have none");
	ok(n == 2 && nd[0].product_id == 4 && nd[1].product_id == 9, "needs sorted by product id");
	ok(n == 2 && nd[0].quantity == 1 && nd[1].quantity == 5, "the lines of one product add up");
	ok(n == 2 && nd[0].first_line == 1 && nd[1].first_line == 0, "each need names its first line");
	is_int((long long)stock_plan(&arena, l, 0, &nd), 0, "no lines, no needs");
}

static long long
scalar(struct db *db, const char *sql, long long a, long long b)
{
	struct db_result r;

	if (db_exec(db, &arena, &r, sql, DB_PARAMS(DB_I64(a), DB_I64(b))) != DB_OK || r.nrows != 1)
		return -1;
	return db_ll(&r, 0, 0);
}

static const char sql_reserved[] = "SELECT stock_reserved FROM products WHERE shop_id = ? AND id = ?";
static const char sql_on_hand[] = "SELECT stock_on_hand FROM products WHERE shop_id = ? AND id = ?";
static const char sql_flags[] =
	"SELECT COALESCE(SUM(reserved_stock << (line_no - 1)), 0) FROM order_lines WHERE shop_id = ? AND order_id = ?";
static const char sql_events[] = "SELECT COUNT(*) FROM product_events WHERE shop_id = ? AND product_id = ?";

static long long reserved(struct db *db, long long p) { return scalar(db, sql_reserved, shop, p); }
static long long on_hand(struct db *db, long long p) { return scalar(db, sql_on_hand, shop, p); }
static long long events(struct db *db, long long p) { return scalar(db, sql_events, shop, p); }

/* SQL text of the fixtures (a statement each, no parameters). */
#define TEXT(db, ...) do { \
	char sql_[512]; \
	int n_ = snprintf(sql_, sizeof(sql_), __VA_ARGS__); \
	db_exec_text((db), sql_, (size_t)n_); \
} while (0)

static long long
last_id(struct db *db)
{
	return scalar(db, "SELECT LAST_INSERT_ID() + 0 * ? * ?", 0, 0);
}

static long long
new_product(struct db *db, const char *sku, long long stock, int tracked)
{
	char sql[512];
	int n = snprintf(sql, sizeof(sql), "INSERT INTO products (shop_id, sku, name, price_cents, vat_rate,"
	    " track_stock, stock_on_hand) VALUES (%lld, '%s', '%s', 100, 2000, %d, %lld)", shop, sku, sku,
	    tracked, stock);

	return db_exec_text(db, sql, (size_t)n) == DB_OK ? last_id(db) : -1;
}

static long long
new_order(struct db *db, const char *code)
{
	char sql[512];
	int n = snprintf(sql, sizeof(sql), "INSERT INTO orders (shop_id, code, status, channel, currency,"
	    " prices_include_vat, lines_cents, total_ex_vat_cents, total_vat_cents, total_cents, vat_breakdown,"
	    " remarks, placed_at) VALUES (%lld, '%s', 'received', 'web', 'EUR', 1, 0, 0, 0, 0, '[]', '',"
	    " NOW(6))", shop, code);

	return db_exec_text(db, sql, (size_t)n) == DB_OK ? last_id(db) : -1;
}

static int
add_line(struct db *db, long long order, int line_no, long long product, long long quantity)
{
	char sql[512];
	int n = snprintf(sql, sizeof(sql), "INSERT INTO order_lines (shop_id, order_id, line_no, product_id,"
	    " sku, name, options, quantity, unit_price_cents, vat_rate, total_cents) VALUES (%lld, %lld, %d,"
	    " %lld, 'X', 'X', '{}', %lld, 100, 2000, 100)", shop, order, line_no, product, quantity);

	return db_exec_text(db, sql, (size_t)n);
}

/* ---- each call in a transaction of its own, as a caller's ---------------- */

struct call {
	enum { RESERVE, RELEASE, RESERVE_LINE, RELEASE_LINE } what;
	long long order;
	int line_no;
	long long quantity;
	long long short_product, available;
};

static int
call_tx(struct db *db, void *arg)
{
	struct call *c = arg;

	switch (c->what) {
	case RESERVE:
		return stock_reserve_order(db, &arena, shop, c->order, STOCK_CAUSE_QUOTE, &staff,
		    &c->short_product, &c->available);
	case RELEASE:
		return stock_release_order(db, &arena, shop, c->order, &staff);
	case RESERVE_LINE:
		return stock_reserve_line(db, &arena, shop, c->order, c->line_no, c->quantity, STOCK_CAUSE_EDIT,
		    &staff, &c->available);
	case RELEASE_LINE:
		return stock_release_line(db, &arena, shop, c->order, c->line_no, c->quantity, STOCK_CAUSE_EDIT,
		    &staff);
	}
	return DB_ERROR;
}

static int
run(struct db *db, struct call c)
{
	return db_tx(db, call_tx, &c);
}

static void
test_reserve_release(struct db *db)
{
	static const char sql_history[] =
		"SELECT CONCAT_WS(' ', action, cause, order_id = ?, on_hand_before, on_hand_after, reserved_before,"
		" reserved_after, actor_label) FROM product_events WHERE shop_id = ? AND product_id = ? ORDER BY id";
	struct call c = { .what = RESERVE, .order = order1 };
	struct db_result h;
	int rc;

	rc = db_tx(db, call_tx, &c);
	is_int(rc, DB_OK, "an order's lines are reserved");
	is_int(reserved(db, p_mug), 5, "two lines of one product reserve their sum");
	is_int(reserved(db, p_card), 1, "and the other product its line");
	is_int(reserved(db, p_free), 0, "a product that does not track stock is left alone");
	is_int(scalar(db, sql_flags, shop, order1), 7, "lines 1-3 hold a reservation, line 4 (untracked) none");
	is_int(run(db, (struct call){ .what = RESERVE, .order = order1 }), DB_OK, "reserving again is no error");
	is_int(reserved(db, p_mug), 5, "and reserves nothing twice");

	is_int(stock_release_order(db, &arena, shop, order1, &staff), DB_ERROR,
	    "a release outside a transaction is refused");
	is_int(reserved(db, p_mug), 5, "and gives nothing back");
	is_int(run(db, (struct call){ .what = RELEASE, .order = order1 }), DB_OK, "the order is released");
	ok(reserved(db, p_mug) == 0 && reserved(db, p_card) == 0, "everything it held is given back");
	is_int(scalar(db, sql_flags, shop, order1), 0, "its lines hold nothing");
	is_int(run(db, (struct call){ .what = RELEASE, .order = order1 }), DB_OK, "a second release is no error");
	ok(reserved(db, p_mug) == 0 && reserved(db, p_card) == 0, "and gives nothing back twice");
	is_int(events(db, p_mug), 2, "the history: one reservation, one release");
	rc = db_exec(db, &arena, &h, sql_history, DB_PARAMS(DB_I64(order1), DB_I64(shop), DB_I64(p_mug)));
	ok(rc == DB_OK && h.nrows == 2, "history rows read");
	if (rc == DB_OK && h.nrows == 2) {
		is_str(db_str(&h, 0, 0), "reserved quote 1 10 10 0 5 Test", "reserved: who, why, before, after");
		is_str(db_str(&h, 1, 0), "released cancel 1 10 10 5 0 Test", "released by cancel: before, after");
	}

	c = (struct call){ .what = RESERVE, .order = order2 };
	rc = db_tx(db, call_tx, &c);
	is_int(rc, STOCK_SHORT, "more than is available is refused");
	ok(c.short_product == p_card && c.available == 3, "naming the product and what is left (%lld, %lld)",
	    c.short_product, c.available);
	ok(reserved(db, p_mug) == 0 && reserved(db, p_card) == 0, "the rolled-back transaction reserved nothing");
	is_int(events(db, p_card), 2, "and wrote no history");
}

static void
test_lines(struct db *db)
{
	long long avail = -1;
	struct call c;

	is_int(run(db, (struct call){ .what = RESERVE, .order = order1 }), DB_OK, "reserved again");
	is_int(run(db, (struct call){ .what = RELEASE_LINE, .order = order1, .line_no = 1, .quantity = 1 }),
	    DB_OK, "one unit of a line given back");
	is_int(reserved(db, p_mug), 4, "one unit less reserved");
	/* As an edit does: the line's quantity follows. */
	TEXT(db, "UPDATE order_lines SET quantity = 1 WHERE shop_id = %lld AND order_id = %lld AND line_no = 1",
	    shop, order1);
	is_int(scalar(db, sql_flags, shop, order1), 7, "the line still holds the rest");
	is_int(run(db, (struct call){ .what = RELEASE_LINE, .order = order1, .line_no = 3, .quantity = 4 }),
	    STOCK_INVALID, "more than the line's quantity is refused");
	is_int(run(db, (struct call){ .what = RELEASE_LINE, .order = order1, .line_no = 3, .quantity = 3 }),
	    DB_OK, "a line's whole quantity given back");
	is_int(scalar(db, sql_flags, shop, order1), 3, "that line holds nothing now");
	is_int(reserved(db, p_mug), 1, "its units are available again");
	is_int(run(db, (struct call){ .what = RELEASE_LINE, .order = order1, .line_no = 3, .quantity = 3 }),
	    DB_OK, "a line holding nothing gives nothing back");
	is_int(reserved(db, p_mug), 1, "nothing twice");
	is_int(run(db, (struct call){ .what = RESERVE_LINE, .order = order1, .line_no = 3, .quantity = 3 }),
	    DB_OK, "a line reserved again");
	is_int(reserved(db, p_mug), 4, "its units reserved");
	is_int(scalar(db, sql_flags, shop, order1), 7, "it holds a reservation again");
	c = (struct call){ .what = RESERVE_LINE, .order = order1, .line_no = 2, .quantity = 3 };
	is_int(db_tx(db, call_tx, &c), STOCK_SHORT, "a line's increase beyond what is available is refused");
	is_int(c.available, 2, "saying what is left");
	is_int(reserved(db, p_card), 1, "and reserves nothing");
	is_int(run(db, (struct call){ .what = RESERVE_LINE, .order = order1, .line_no = 4, .quantity = 2 }),
	    DB_OK, "a line of a product that does not track stock");
	is_int(scalar(db, sql_flags, shop, order1), 7, "holds nothing");
	is_int(run(db, (struct call){ .what = RESERVE_LINE, .order = order1, .line_no = 9, .quantity = 1 }),
	    STOCK_NOT_FOUND, "no such line");
	(void)avail;
}

static void
test_adjust(struct db *db, struct db *other)
{
	static const char sql_last[] =
		"SELECT CONCAT_WS('|', action, cause, reason, on_hand_before, on_hand_after, reserved_before,"
		" reserved_after) FROM product_events WHERE shop_id = ? AND product_id = ? ORDER BY id DESC LIMIT 1";
	long long after = -1, n = events(db, p_mug), res = -1;
	struct db_result h;

	/* p_mug: 10 on hand, 4 reserved by order1. */
	is_int(stock_adjust(db, &arena, shop, p_mug, 3, "Inventaire : 3 trouvées", &staff, &after), DB_OK,
	    "an adjustment with a reason");
	is_int(after, 13, "on hand after");
	is_int(on_hand(db, p_mug), 13, "stored");
	if (db_exec(db, &arena, &h, sql_last, DB_PARAMS(DB_I64(shop), DB_I64(p_mug))) == DB_OK && h.nrows == 1)
		is_str(db_str(&h, 0, 0), "adjusted|adjust|Inventaire : 3 trouvées|10|13|4|4", "its history");
	else
		ok(0, "its history");
	is_int(stock_adjust(db, &arena, shop, p_mug, -10, "Casse", &staff, &after), STOCK_BELOW_RESERVED,
	    "below what is reserved is refused");
	is_int(on_hand(db, p_mug), 13, "and changes nothing");
	is_int(stock_adjust(db, &arena, shop, p_mug, -9, "Casse", &staff, &after), DB_OK,
	    "down to exactly what is reserved");
	is_int(after, 4, "nothing left available");
	is_int(stock_adjust(db, &arena, shop, p_mug, 0, "Rien", &staff, NULL), STOCK_INVALID, "a zero delta");
	is_int(stock_adjust(db, &arena, shop, p_mug, 1, "", &staff, NULL), STOCK_INVALID, "an empty reason");
	is_int(stock_adjust(db, &arena, shop, p_mug, STOCK_ON_HAND_MAX, "Trop", &staff, NULL), STOCK_INVALID,
	    "past the maximum");
	is_int(stock_adjust(db, &arena, shop + 1000000, p_mug, 1, "Ailleurs", &staff, NULL), STOCK_NOT_FOUND,
	    "another shop's product is not found");
	is_int(events(db, p_mug), n + 2, "two rows of history, none for the refusals");
	is_int(stock_set_on_hand(db, &arena, shop, p_mug, 3, &staff, &res), STOCK_BELOW_RESERVED,
	    "the storefront's count below what is reserved is refused");
	is_int(res, 4, "saying what is reserved");
	is_int(stock_set_on_hand(db, &arena, shop, p_mug, 20, &staff, NULL), DB_OK, "the storefront's count");
	is_int(on_hand(db, p_mug), 20, "stored");
	is_int(stock_set_on_hand(db, &arena, shop, p_mug, 20, &staff, NULL), DB_OK, "the same count again");
	is_int(events(db, p_mug), n + 3, "writes history once");
	(void)other;
}

/* Two staff cancel the same order at once: its stock comes back once. */
struct racer {
	struct db *db;
	int rc;
};

static void *
race_release(void *arg)
{
	struct racer *r = arg;
	struct call c = { .what = RELEASE, .order = order1 };

	r->rc = db_tx(r->db, call_tx, &c);
	return NULL;
}

static void
test_release_race(struct db *db, struct db *other)
{
	struct racer r1 = { db, -9 }, r2 = { other, -9 };
	pthread_t t1, t2;
	long long before = reserved(db, p_mug), held = 4;

	ok(before == held, "order1 holds 4 of the mug (%lld)", before);
	pthread_create(&t1, NULL, race_release, &r1);
	pthread_create(&t2, NULL, race_release, &r2);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	ok(r1.rc == DB_OK && r2.rc == DB_OK, "two releases at once both succeed (%d, %d)", r1.rc, r2.rc);
	is_int(reserved(db, p_mug), before - held, "and give the stock back once");
	is_int(scalar(db, "SELECT COUNT(*) FROM product_events WHERE shop_id = ? AND product_id = ?"
	    " AND action = 'released'", shop, p_mug), 4, "one release more in the history");
}

int
main(int argc, char **argv)
{
	struct db *db, *other;
	struct buf err;

	arena_init(&arena, 0);
	test_plan();
	if (argc < 2)
		return done_testing();
	buf_init(&err, 0);
	if (config_load(argv[1], &cfg, &err) != 0) {
		fprintf(stderr, "%s", buf_str(&err));
		return 2;
	}
	buf_free(&err);
	mysql_library_init(0, NULL, NULL);
	db = db_open(cfg);
	other = db_open(cfg);
	if (!ok(db && other, "two connections open"))
		return done_testing();
	TEXT(db, "INSERT INTO shops (code) VALUES ('test-stock-%lld')", (long long)getpid());
	shop = last_id(db);
	p_mug = new_product(db, "MUG", 10, 1);
	p_card = new_product(db, "CARD", 3, 1);
	p_free = new_product(db, "FREE", 0, 0);
	order1 = new_order(db, "AAAAAAAA");
	order2 = new_order(db, "BBBBBBBB");
	ok(shop > 0 && p_mug > 0 && p_card > 0 && p_free > 0 && order1 > 0 && order2 > 0, "a shop of its own");
	ok(add_line(db, order1, 1, p_mug, 2) == DB_OK && add_line(db, order1, 2, p_card, 1) == DB_OK &&
	    add_line(db, order1, 3, p_mug, 3) == DB_OK && add_line(db, order1, 4, p_free, 4) == DB_OK &&
	    add_line(db, order2, 1, p_mug, 1) == DB_OK && add_line(db, order2, 2, p_card, 4) == DB_OK,
	    "two orders' lines");

	test_reserve_release(db);
	test_lines(db);
	test_adjust(db, other);
	test_release_race(db, other);

	TEXT(db, "DELETE FROM product_events WHERE shop_id = %lld", shop);
	TEXT(db, "DELETE FROM orders WHERE shop_id = %lld", shop);
	TEXT(db, "DELETE FROM products WHERE shop_id = %lld", shop);
	TEXT(db, "DELETE FROM shops WHERE id = %lld", shop);
	db_close(other);
	db_close(db);
	return done_testing();
}
