#include "stock/stock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/sqltext.h"
#include "orders/order.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/utf8.h"

static const char *const cause_names[] = {
	[STOCK_CAUSE_INTAKE] = "intake", [STOCK_CAUSE_CANCEL] = "cancel", [STOCK_CAUSE_EDIT] = "edit",
	[STOCK_CAUSE_QUOTE] = "quote", [STOCK_CAUSE_DELETE] = "delete", [STOCK_CAUSE_ADJUST] = "adjust",
	[STOCK_CAUSE_STOREFRONT] = "storefront",
};

const char *
stock_cause_name(enum stock_cause cause)
{
	return (size_t)cause < sizeof(cause_names) / sizeof(cause_names[0]) ? cause_names[cause] : "";
}

/* ---- the plan ------------------------------------------------------------ */

static int
by_product(const void *x, const void *y)
{
	const struct stock_need *a = x, *b = y;

	return (a->product_id > b->product_id) - (a->product_id < b->product_id);
}

size_t
stock_plan(struct arena *a, const struct order_line *lines, size_t nlines, struct stock_need **needs)
{
	struct stock_need *nd = arena_alloc(a, (nlines ? nlines : 1) * sizeof(*nd));
	size_t i, j, n = 0;

	for (i = 0; i < nlines; i++) {
		if (!lines[i].reserved_stock || lines[i].product_id <= 0)
			continue;
		for (j = 0; j < n && nd[j].product_id != lines[i].product_id; j++)
			;
		if (j == n) {
			nd[n].product_id = lines[i].product_id;
			nd[n].first_line = i;
			nd[n++].quantity = 0;
		}
		nd[j].quantity += lines[i].quantity;
	}
	/* Rows are locked in a fixed order, so two orders never deadlock on them. */
	qsort(nd, n, sizeof(*nd), by_product);
	*needs = nd;
	return n;
}

/* ---- SQL text shared by the batches ---------------------------------------- */

/* The actor's three columns, after a comma. */
static void
sql_next_actor(struct db *db, struct buf *b, const struct order_actor *who)
{
	buf_putc(b, ',');
	sql_str(db, b, actor_type_name(who->type));
	buf_putc(b, ',');
	if (who->id > 0)
		sql_int(b, who->id);
	else
		buf_puts(b, "NULL");
	sql_next_str(db, b, who->label ? who->label : "");
}

/* The lines' numbers that want (or hold) stock: "1,2,4". */
static void
sql_line_list(struct buf *b, const struct order_line *lines, size_t nlines)
{
	size_t i;
	bool first = true;

	for (i = 0; i < nlines; i++) {
		if (!lines[i].reserved_stock)
			continue;
		if (!first)
			buf_putc(b, ',');
		sql_int(b, lines[i].line_no);
		first = false;
	}
}

/* A line's flag is written by its whole primary key (line_no IN …): a
 * range over the order's lines would lock the gap after them, where the
 * next order's lines go, and deadlock with its intake. */
static void
sql_lines_flag(struct buf *b, long long shop_id, const char *order_sql, int flag,
    const struct order_line *lines, size_t nlines)
{
	buf_puts(b, flag ? "UPDATE order_lines SET reserved_stock = 1" : "UPDATE order_lines SET reserved_stock = 0");
	buf_puts(b, " WHERE shop_id = ");
	sql_int(b, shop_id);
	buf_puts(b, " AND order_id = ");
	buf_puts(b, order_sql);
	buf_puts(b, " AND line_no IN (");
	sql_line_list(b, lines, nlines);
	buf_puts(b, ")");
}

enum move { MOVE_RESERVE, MOVE_RELEASE };

/*
 * The history of a reservation or a release of `needs`, read back from
 * the rows the batch has just updated (and holds locked): after is the
 * row, before is after less the move. One SELECT per product, each by its
 * whole key, joined by UNION ALL: an IN list may be read as a range, and
 * the locking read of INSERT … SELECT would then lock other orders'
 * products, out of id order, and deadlock with them.
 */
static void
sql_history(struct db *db, struct buf *b, long long shop_id, enum move move, enum stock_cause cause,
    const char *order_sql, const struct stock_need *needs, size_t n, const struct order_actor *who)
{
	size_t i;

	buf_puts(b, "INSERT INTO product_events (shop_id, product_id, actor_type, actor_id, actor_label,"
	    " action, cause, order_id, on_hand_before, on_hand_after, reserved_before, reserved_after)");
	for (i = 0; i < n; i++) {
		buf_puts(b, i ? " UNION ALL SELECT shop_id, id" : " SELECT shop_id, id");
		sql_next_actor(db, b, who);
		buf_puts(b, move == MOVE_RESERVE ? ",'reserved'," : ",'released',");
		sql_str(db, b, stock_cause_name(cause));
		buf_putc(b, ',');
		buf_puts(b, order_sql);
		buf_puts(b, ",stock_on_hand,stock_on_hand,stock_reserved");
		buf_puts(b, move == MOVE_RESERVE ? " - " : " + ");
		sql_int(b, needs[i].quantity);
		buf_puts(b, ",stock_reserved FROM products WHERE shop_id = ");
		sql_int(b, shop_id);
		buf_puts(b, " AND id = ");
		sql_int(b, needs[i].product_id);
	}
}

/* One conditional update per product: it reserves only what is available,
 * so no interleaving of buyers can sell more than the shelf holds. By
 * primary key: through another index InnoDB would lock more than the row. */
static void
sql_reserve_one(struct buf *b, long long shop_id, const struct stock_need *nd)
{
	buf_puts(b, "UPDATE products FORCE INDEX (PRIMARY) SET stock_reserved = stock_reserved + ");
	sql_int(b, nd->quantity);
	buf_puts(b, " WHERE shop_id = ");
	sql_int(b, shop_id);
	buf_puts(b, " AND id = ");
	sql_int(b, nd->product_id);
	buf_puts(b, " AND stock_on_hand - stock_reserved >= ");
	sql_int(b, nd->quantity);
}

static void
sql_release_one(struct buf *b, long long shop_id, const struct stock_need *nd)
{
	buf_puts(b, "UPDATE products FORCE INDEX (PRIMARY) SET stock_reserved = stock_reserved - ");
	sql_int(b, nd->quantity);
	buf_puts(b, " WHERE shop_id = ");
	sql_int(b, shop_id);
	buf_puts(b, " AND id = ");
	sql_int(b, nd->product_id);
}

/* ---- reserving an order's lines -------------------------------------- */

/* The order's stock moves with the order's other changes or not at all:
 * never in autocommit statements of their own. False (logged) outside. */
static bool
in_caller_tx(struct db *db, const char *what, long long order_id)
{
	if (db_in_tx(db))
		return true;
	log_error("stock: %s for order %lld outside a transaction", what, order_id);
	return false;
}

size_t
stock_reserve_sql(struct db *db, struct buf *b, long long shop_id, const char *order_var,
    const struct order_line *lines, size_t nlines, const struct stock_need *needs, size_t n,
    enum stock_cause cause, const struct order_actor *who)
{
	size_t i;

	db_desk_changed(db, shop_id);
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		buf_putc(b, ';');
		sql_reserve_one(b, shop_id, &needs[i]);
	}
	buf_putc(b, ';');
	sql_lines_flag(b, shop_id, order_var, 1, lines, nlines);
	buf_putc(b, ';');
	sql_history(db, b, shop_id, MOVE_RESERVE, cause, order_var, needs, n, who);
	return n + 2;
}

size_t
stock_batch_short(const struct db_result *updates, size_t n)
{
	size_t i;

	for (i = 0; i < n && updates[i].affected == 1; i++)
		;
	return i;
}

int
stock_available(struct db *db, struct arena *a, long long shop_id, long long product_id,
    long long *available)
{
	static const char sql_left[] =
		"SELECT GREATEST(stock_on_hand - stock_reserved, 0) FROM products WHERE shop_id = ? AND id = ?"
		" LOCK IN SHARE MODE";     /* the stock now, not as this transaction's snapshot saw it */
	struct db_result r;
	int rc;

	rc = db_exec(db, a, &r, sql_left, DB_PARAMS(DB_I64(shop_id), DB_I64(product_id)));
	if (rc != DB_OK)
		return rc;
	*available = r.nrows ? db_ll(&r, 0, 0) : 0;
	return DB_OK;
}

/*
 * The lines of an order that hold a reservation (held = true) or want one
 * (held = false: reserved_stock 0, product tracking stock), locked, as
 * order_lines with reserved_stock set for stock_plan. Found by a plain
 * read, then locked by their whole primary key and read again as they are
 * now (a locking read sees the latest commit, whatever the snapshot): a
 * second release waits for the first and finds nothing held, and no gap
 * is locked (see sql_lines_flag). Product rows are not locked here: later,
 * in id order.
 */
static int
order_lines_locked(struct db *db, struct arena *a, long long shop_id, long long order_id, bool held,
    struct order_line **out, size_t *nout)
{
	enum { F_LINE, F_TRACKED };
	enum { L_LINE, L_PRODUCT, L_QUANTITY, L_RESERVED };
	static const char sql_find[] =
		"SELECT l.line_no, COALESCE(p.track_stock, 0) FROM order_lines l"
		" LEFT JOIN products p ON p.shop_id = l.shop_id AND p.id = l.product_id"
		" WHERE l.shop_id = ? AND l.order_id = ? AND l.reserved_stock = ?";
	struct db_result f, r;
	struct order_line *l;
	struct buf b;
	size_t i, k, n = 0;
	int rc;

	*nout = 0;
	rc = db_exec(db, a, &f, sql_find, DB_PARAMS(DB_I64(shop_id), DB_I64(order_id), DB_I64(held)));
	if (rc != DB_OK || f.nrows == 0)
		return rc;
	l = arena_alloc(a, f.nrows * sizeof(*l));
	for (i = 0; i < f.nrows; i++) {
		l[i].line_no = (int)db_ll(&f, i, F_LINE);
		l[i].reserved_stock = true;      /* listed by sql_line_list */
	}
	buf_init(&b, 1 << 16);
	buf_puts(&b, "SELECT line_no, product_id, quantity, reserved_stock FROM order_lines WHERE shop_id = ");
	sql_int(&b, shop_id);
	buf_puts(&b, " AND order_id = ");
	sql_int(&b, order_id);
	buf_puts(&b, " AND line_no IN (");
	sql_line_list(&b, l, f.nrows);
	buf_puts(&b, ") FOR UPDATE");
	rc = buf_failed(&b) ? DB_ERROR : db_batch(db, a, &b, 0, &r, 1, NULL);
	buf_free(&b);
	if (rc != DB_OK)
		return rc;
	for (i = 0; i < r.nrows; i++) {
		if ((db_ll(&r, i, L_RESERVED) != 0) != held)
			continue;     /* changed meanwhile: released by another */
		for (k = 0; k < f.nrows && db_ll(&f, k, F_LINE) != db_ll(&r, i, L_LINE); k++)
			;
		l[n].line_no = (int)db_ll(&r, i, L_LINE);
		l[n].product_id = db_str(&r, i, L_PRODUCT) ? db_ll(&r, i, L_PRODUCT) : 0;
		l[n].quantity = db_ll(&r, i, L_QUANTITY);
		/* Held: given back (a gone product's line only loses its flag).
		 * Wanted: only by a product that tracks stock. */
		l[n].reserved_stock = held || (k < f.nrows && db_ll(&f, k, F_TRACKED) != 0 && l[n].product_id > 0);
		if (l[n].reserved_stock)
			n++;
	}
	*out = l;
	*nout = n;
	return DB_OK;
}

int
stock_reserve_order(struct db *db, struct arena *a, long long shop_id, long long order_id,
    enum stock_cause cause, const struct order_actor *who, long long *short_product,
    long long *available)
{
	struct order_line *lines;
	struct stock_need *needs;
	struct db_result *r;
	struct buf b;
	size_t nlines, n, i, k;
	char order_sql[24];
	int rc;

	if (!in_caller_tx(db, "reserve", order_id))
		return DB_ERROR;
	db_desk_changed(db, shop_id);
	if ((rc = order_lines_locked(db, a, shop_id, order_id, false, &lines, &nlines)) != DB_OK)
		return rc;
	if ((n = stock_plan(a, lines, nlines, &needs)) == 0)
		return DB_OK;
	buf_init(&b, 1 << 20);
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, ';');
		sql_reserve_one(&b, shop_id, &needs[i]);
	}
	(void)snprintf(order_sql, sizeof(order_sql), "%lld", order_id);
	buf_putc(&b, ';');
	sql_lines_flag(&b, shop_id, order_sql, 1, lines, nlines);
	buf_putc(&b, ';');
	sql_history(db, &b, shop_id, MOVE_RESERVE, cause, order_sql, needs, n, who);
	r = arena_alloc(a, (n + 2) * sizeof(*r));
	rc = buf_failed(&b) ? DB_ERROR : db_batch(db, a, &b, 0, r, n + 2, NULL);
	buf_free(&b);
	if (rc != DB_OK)
		return rc;
	if ((k = stock_batch_short(r, n)) == n)
		return DB_OK;
	if (short_product)
		*short_product = needs[k].product_id;
	if (available && (rc = stock_available(db, a, shop_id, needs[k].product_id, available)) != DB_OK)
		return rc;
	return STOCK_SHORT;
}

/* ---- giving back -------------------------------------------------------- */

int
stock_release_order_for(struct db *db, struct arena *a, long long shop_id, long long order_id,
    enum stock_cause cause, const struct order_actor *who)
{
	struct order_line *lines;
	struct stock_need *needs;
	struct db_result *r;
	struct buf b;
	size_t nlines, n, i;
	char order_sql[24];
	int rc;

	if (!in_caller_tx(db, "release", order_id))
		return DB_ERROR;
	db_desk_changed(db, shop_id);
	/* The lines first, locked: a second release waits there for the first
	 * to commit, then finds nothing held. */
	if ((rc = order_lines_locked(db, a, shop_id, order_id, true, &lines, &nlines)) != DB_OK)
		return rc;
	if (nlines == 0)
		return DB_OK;
	n = stock_plan(a, lines, nlines, &needs);
	buf_init(&b, 1 << 20);
	for (i = 0; i < n; i++) {
		sql_release_one(&b, shop_id, &needs[i]);
		buf_putc(&b, ';');
	}
	(void)snprintf(order_sql, sizeof(order_sql), "%lld", order_id);
	sql_lines_flag(&b, shop_id, order_sql, 0, lines, nlines);
	if (n) {
		buf_putc(&b, ';');
		sql_history(db, &b, shop_id, MOVE_RELEASE, cause, order_sql, needs, n, who);
	}
	r = arena_alloc(a, (n + 2) * sizeof(*r));
	rc = buf_failed(&b) ? DB_ERROR : db_batch(db, a, &b, 0, r, n ? n + 2 : 1, NULL);
	buf_free(&b);
	return rc;
}

int
stock_lock_for_orders(struct db *db, struct arena *a, long long shop_id,
    const long long *order_ids, size_t n)
{
	struct db_result res;
	struct buf b;
	size_t i;
	int rc;

	if (n == 0)
		return DB_OK;
	if (!in_caller_tx(db, "lock", order_ids[0]))
		return DB_ERROR;
	buf_init(&b, 4096);
	buf_puts(&b, "SELECT p.id FROM products p FORCE INDEX (PRIMARY) JOIN (SELECT DISTINCT product_id"
	    " FROM order_lines WHERE shop_id = ");
	sql_int(&b, shop_id);
	buf_puts(&b, " AND product_id IS NOT NULL AND order_id IN (");
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, ',');
		sql_int(&b, order_ids[i]);
	}
	buf_puts(&b, ")) l ON l.product_id = p.id WHERE p.shop_id = ");
	sql_int(&b, shop_id);
	buf_puts(&b, " ORDER BY p.id FOR UPDATE");
	rc = buf_failed(&b) ? DB_ERROR : db_batch(db, a, &b, 0, &res, 1, NULL);
	buf_free(&b);
	return rc;
}

int
stock_release_order(struct db *db, struct arena *a, long long shop_id, long long order_id,
    const struct order_actor *who)
{
	return stock_release_order_for(db, a, shop_id, order_id, STOCK_CAUSE_CANCEL, who);
}

/* ---- one product at a time (lines, adjustments, the storefront) ------------ */

static const char sql_history_one[] =
	"INSERT INTO product_events (shop_id, product_id, actor_type, actor_id, actor_label, action, cause,"
	" order_id, reason, on_hand_before, on_hand_after, reserved_before, reserved_after)"
	" SELECT shop_id, id, ?, ?, ?, ?, ?, ?, ?, stock_on_hand - ?, stock_on_hand, stock_reserved - ?,"
	" stock_reserved FROM products WHERE shop_id = ? AND id = ?";

/* The history of one product's change, just made: on hand moved by
 * d_on_hand and reserved by d_reserved. */
static int
history_one(struct db *db, struct arena *a, long long shop_id, long long product_id, const char *action,
    enum stock_cause cause, long long order_id, const char *reason, long long d_on_hand,
    long long d_reserved, const struct order_actor *who)
{
	return db_exec(db, a, NULL, sql_history_one, DB_PARAMS(DB_STR(actor_type_name(who->type)),
	    who->id > 0 ? DB_I64(who->id) : DB_NULL, DB_STR(who->label ? who->label : ""), DB_STR(action),
	    DB_STR(stock_cause_name(cause)), order_id > 0 ? DB_I64(order_id) : DB_NULL,
	    DB_STR(reason ? reason : ""), DB_I64(d_on_hand), DB_I64(d_reserved), DB_I64(shop_id),
	    DB_I64(product_id)));
}

enum line_col { LN_PRODUCT, LN_QUANTITY, LN_RESERVED };
/* The line alone, by its key; its product is read, not locked (later, by
 * the conditional update). */
static const char sql_line_lock[] =
	"SELECT product_id, quantity, reserved_stock FROM order_lines"
	" WHERE shop_id = ? AND order_id = ? AND line_no = ? FOR UPDATE";
static const char sql_tracked[] = "SELECT track_stock FROM products WHERE shop_id = ? AND id = ?";

/* Whether the line's product exists (*exists) and tracks stock. */
static int
line_product(struct db *db, struct arena *a, long long shop_id, const struct db_result *l, bool *exists,
    bool *tracked)
{
	struct db_result t;
	int rc;

	*exists = *tracked = false;
	if (!db_str(l, 0, LN_PRODUCT))
		return DB_OK;
	rc = db_exec(db, a, &t, sql_tracked, DB_PARAMS(DB_I64(shop_id), DB_I64(db_ll(l, 0, LN_PRODUCT))));
	if (rc != DB_OK)
		return rc;
	*exists = t.nrows == 1;
	*tracked = t.nrows == 1 && db_ll(&t, 0, 0) != 0;
	return DB_OK;
}
static const char sql_line_flag[] =
	"UPDATE order_lines SET reserved_stock = ? WHERE shop_id = ? AND order_id = ? AND line_no = ?";

int
stock_reserve_line(struct db *db, struct arena *a, long long shop_id, long long order_id,
    int line_no, long long quantity, enum stock_cause cause, const struct order_actor *who,
    long long *available)
{
	static const char sql_reserve[] =
		"UPDATE products FORCE INDEX (PRIMARY) SET stock_reserved = stock_reserved + ?"
		" WHERE shop_id = ? AND id = ? AND stock_on_hand - stock_reserved >= ?";
	struct db_result l, r;
	long long product;
	bool exists, tracked;
	int rc;

	if (!in_caller_tx(db, "reserve", order_id))
		return DB_ERROR;
	db_desk_changed(db, shop_id);
	if (quantity <= 0 || quantity > STOCK_ON_HAND_MAX)
		return STOCK_INVALID;
	rc = db_exec(db, a, &l, sql_line_lock, DB_PARAMS(DB_I64(shop_id), DB_I64(order_id), DB_I64(line_no)));
	if (rc != DB_OK)
		return rc;
	if (l.nrows == 0)
		return STOCK_NOT_FOUND;
	if ((rc = line_product(db, a, shop_id, &l, &exists, &tracked)) != DB_OK || !tracked)
		return rc;
	product = db_ll(&l, 0, LN_PRODUCT);
	rc = db_exec(db, a, &r, sql_reserve, DB_PARAMS(DB_I64(quantity), DB_I64(shop_id), DB_I64(product),
	    DB_I64(quantity)));
	if (rc != DB_OK)
		return rc;
	if (r.affected != 1) {
		if (available && (rc = stock_available(db, a, shop_id, product, available)) != DB_OK)
			return rc;
		return STOCK_SHORT;
	}
	if (db_ll(&l, 0, LN_RESERVED) == 0) {
		rc = db_exec(db, a, NULL, sql_line_flag, DB_PARAMS(DB_I64(1), DB_I64(shop_id), DB_I64(order_id),
		    DB_I64(line_no)));
		if (rc != DB_OK)
			return rc;
	}
	return history_one(db, a, shop_id, product, "reserved", cause, order_id, NULL, 0, quantity, who);
}

int
stock_release_line(struct db *db, struct arena *a, long long shop_id, long long order_id,
    int line_no, long long quantity, enum stock_cause cause, const struct order_actor *who)
{
	static const char sql_release[] =
		"UPDATE products FORCE INDEX (PRIMARY) SET stock_reserved = stock_reserved - ?"
		" WHERE shop_id = ? AND id = ?";
	struct db_result l;
	long long product;
	bool exists, tracked;
	int rc;

	if (!in_caller_tx(db, "release", order_id))
		return DB_ERROR;
	db_desk_changed(db, shop_id);
	rc = db_exec(db, a, &l, sql_line_lock, DB_PARAMS(DB_I64(shop_id), DB_I64(order_id), DB_I64(line_no)));
	if (rc != DB_OK)
		return rc;
	if (l.nrows == 0)
		return STOCK_NOT_FOUND;
	if (db_ll(&l, 0, LN_RESERVED) == 0)
		return DB_OK;
	if (quantity <= 0 || quantity > db_ll(&l, 0, LN_QUANTITY))
		return STOCK_INVALID;
	if (quantity == db_ll(&l, 0, LN_QUANTITY)) {
		rc = db_exec(db, a, NULL, sql_line_flag, DB_PARAMS(DB_I64(0), DB_I64(shop_id), DB_I64(order_id),
		    DB_I64(line_no)));
		if (rc != DB_OK)
			return rc;
	}
	if ((rc = line_product(db, a, shop_id, &l, &exists, &tracked)) != DB_OK || !exists)
		return rc;          /* the product is gone: nothing to give back to */
	product = db_ll(&l, 0, LN_PRODUCT);
	rc = db_exec(db, a, NULL, sql_release, DB_PARAMS(DB_I64(quantity), DB_I64(shop_id), DB_I64(product)));
	if (rc != DB_OK)
		return rc;
	return history_one(db, a, shop_id, product, "released", cause, order_id, NULL, 0, -quantity, who);
}

/* ---- on hand --------------------------------------------------------------- */

struct on_hand_tx {
	struct arena *a;
	long long shop_id, product_id, value;   /* a delta, or the new on hand */
	const char *reason;
	const struct order_actor *who;
	long long *out;                          /* on hand after, or reserved */
};

static const char sql_product_lock[] =
	"SELECT stock_on_hand, stock_reserved FROM products WHERE shop_id = ? AND id = ? FOR UPDATE";

static int
adjust_tx(struct db *db, void *arg)
{
	/* One conditional update: it can never leave less than is reserved,
	 * whatever intake does at the same time. */
	static const char sql_adjust[] =
		"UPDATE products FORCE INDEX (PRIMARY) SET stock_on_hand = stock_on_hand + ?"
		" WHERE shop_id = ? AND id = ? AND stock_on_hand + ? >= stock_reserved AND stock_on_hand + ? <= ?";
	struct on_hand_tx *x = arg;
	struct db_result r;
	int rc;

	db_desk_changed(db, x->shop_id);
	rc = db_exec(db, x->a, &r, sql_adjust, DB_PARAMS(DB_I64(x->value), DB_I64(x->shop_id),
	    DB_I64(x->product_id), DB_I64(x->value), DB_I64(x->value), DB_I64(STOCK_ON_HAND_MAX)));
	if (rc != DB_OK)
		return rc;
	if (r.affected != 1) {
		rc = db_exec(db, x->a, &r, sql_product_lock, DB_PARAMS(DB_I64(x->shop_id), DB_I64(x->product_id)));
		if (rc != DB_OK)
			return rc;
		if (r.nrows == 0)
			return STOCK_NOT_FOUND;
		return db_ll(&r, 0, 0) + x->value < db_ll(&r, 0, 1) ? STOCK_BELOW_RESERVED : STOCK_INVALID;
	}
	rc = history_one(db, x->a, x->shop_id, x->product_id, "adjusted", STOCK_CAUSE_ADJUST, 0, x->reason,
	    x->value, 0, x->who);
	if (rc != DB_OK || !x->out)
		return rc;
	rc = db_exec(db, x->a, &r, sql_product_lock, DB_PARAMS(DB_I64(x->shop_id), DB_I64(x->product_id)));
	if (rc != DB_OK)
		return rc;
	*x->out = r.nrows ? db_ll(&r, 0, 0) : 0;
	return DB_OK;
}

/* In the caller's transaction, or in one of its own. */
static int
in_tx(struct db *db, int (*fn)(struct db *, void *), void *arg)
{
	return db_in_tx(db) ? fn(db, arg) : db_tx(db, fn, arg);
}

int
stock_adjust(struct db *db, struct arena *a, long long shop_id, long long product_id,
    long long delta, const char *reason, const struct order_actor *who, long long *on_hand_after)
{
	struct on_hand_tx x = { a, shop_id, product_id, delta, reason, who, on_hand_after };
	size_t len;

	if (delta == 0 || delta > STOCK_ON_HAND_MAX || delta < -STOCK_ON_HAND_MAX || !reason)
		return STOCK_INVALID;
	len = strlen(reason);
	if (len == 0 || !utf8_valid(reason, len) || utf8_chars(reason) > STOCK_REASON_MAX)
		return STOCK_INVALID;
	return in_tx(db, adjust_tx, &x);
}

static int
set_tx(struct db *db, void *arg)
{
	static const char sql_set[] =
		"UPDATE products FORCE INDEX (PRIMARY) SET stock_on_hand = ? WHERE shop_id = ? AND id = ?";
	struct on_hand_tx *x = arg;
	struct db_result r;
	long long before;
	int rc;

	db_desk_changed(db, x->shop_id);
	rc = db_exec(db, x->a, &r, sql_product_lock, DB_PARAMS(DB_I64(x->shop_id), DB_I64(x->product_id)));
	if (rc != DB_OK)
		return rc;
	if (r.nrows == 0)
		return STOCK_NOT_FOUND;
	before = db_ll(&r, 0, 0);
	if (x->out)
		*x->out = db_ll(&r, 0, 1);
	if (x->value < db_ll(&r, 0, 1))
		return STOCK_BELOW_RESERVED;
	if (x->value == before)
		return DB_OK;
	rc = db_exec(db, x->a, NULL, sql_set, DB_PARAMS(DB_I64(x->value), DB_I64(x->shop_id),
	    DB_I64(x->product_id)));
	if (rc != DB_OK)
		return rc;
	return history_one(db, x->a, x->shop_id, x->product_id, "set", STOCK_CAUSE_STOREFRONT, 0, NULL,
	    x->value - before, 0, x->who);
}

int
stock_set_on_hand(struct db *db, struct arena *a, long long shop_id, long long product_id,
    long long on_hand, const struct order_actor *who, long long *reserved)
{
	struct on_hand_tx x = { a, shop_id, product_id, on_hand, NULL, who, reserved };

	if (on_hand < 0 || on_hand > STOCK_ON_HAND_MAX)
		return STOCK_INVALID;
	return in_tx(db, set_tx, &x);
}
