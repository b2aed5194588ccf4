#include "orders/order_counts.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/sqltext.h"
#include "orders/workflow.h"
#include "util/datetime.h"
#include "util/buf.h"
#include "util/log.h"

/* The hour's row key: "YYYY-MM-DD HH:00:00". */
static void
hour_of(const char *placed_at, char out[20])
{
	size_t n = placed_at ? strlen(placed_at) : 0;

	if (n < 13) {
		memcpy(out, "1970-01-01 00:00:00", 20);
		return;
	}
	memcpy(out, placed_at, 13);
	out[10] = ' ';   /* an ISO "T" too */
	memcpy(out + 13, ":00:00", 7);
}

/* Compares two tallies as the primary key of order_counts orders them,
 * closely enough for one lock order: status, hold, payment, shipping. */
static int
key_cmp(const struct order_tally *x, const struct order_tally *y)
{
	int c;

	if ((c = strcmp(x->status, y->status)) != 0)
		return c;
	if (x->on_hold != y->on_hold)
		return x->on_hold ? 1 : -1;
	if ((c = strcmp(x->payment_state, y->payment_state)) != 0)
		return c;
	return strcmp(x->shipping_state, y->shipping_state);
}

static void
count_row(struct db *db, struct buf *b, long long shop_id, const struct order_tally *t, int delta)
{
	buf_putc(b, '(');
	sql_int(b, shop_id);
	sql_next_str(db, b, t->status);
	sql_next_int(b, t->on_hold);
	sql_next_str(db, b, t->payment_state);
	sql_next_str(db, b, t->shipping_state);
	sql_next_int(b, delta);
	buf_putc(b, ')');
}

static void
next_statement(struct buf *b)
{
	if (b->len)
		buf_putc(b, ';');
}

int
order_counts_sql(struct db *db, struct buf *b, long long shop_id, const struct order_tally *from,
    const struct order_tally *to)
{
	int n = 0, c;
	long long sales, cents;
	char hour[20];

	db_desk_changed(db, shop_id);
	if (!to) {   /* a test order deleted: out of its tally and its hour */
		next_statement(b);
		buf_puts(b, "INSERT INTO order_counts (shop_id, status, on_hold, payment_state, shipping_state, n)"
		    " VALUES ");
		count_row(db, b, shop_id, from, -1);
		buf_puts(b, " ON DUPLICATE KEY UPDATE n = n + VALUES(n)");
		hour_of(from->placed_at, hour);
		next_statement(b);
		buf_puts(b, "INSERT INTO order_hours (shop_id, hour, n, sales, sales_cents) VALUES (");
		sql_int(b, shop_id);
		sql_next_str(db, b, hour);
		sql_next_int(b, -1);
		sql_next_int(b, -(long long)from->sale);
		sql_next_int(b, from->sale ? -from->total_cents : 0);
		buf_puts(b, ") ON DUPLICATE KEY UPDATE n = n + VALUES(n), sales = sales + VALUES(sales),"
		    " sales_cents = sales_cents + VALUES(sales_cents)");
		return 2;
	}
	c = from ? key_cmp(from, to) : 1;
	sales = to->sale - (from ? from->sale : 0);
	/* A sale whose lines were edited moves its hour's sales by the change
	 * of its total. */
	cents = (to->sale ? to->total_cents : 0) - (from && from->sale ? from->total_cents : 0);

	if (c != 0) {
		next_statement(b);
		buf_puts(b, "INSERT INTO order_counts (shop_id, status, on_hold, payment_state, shipping_state, n)"
		    " VALUES ");
		if (!from) {
			count_row(db, b, shop_id, to, 1);
		} else if (c < 0) {
			count_row(db, b, shop_id, from, -1);
			buf_putc(b, ',');
			count_row(db, b, shop_id, to, 1);
		} else {
			count_row(db, b, shop_id, to, 1);
			buf_putc(b, ',');
			count_row(db, b, shop_id, from, -1);
		}
		buf_puts(b, " ON DUPLICATE KEY UPDATE n = n + VALUES(n)");
		n++;
	}
	if (!from || sales != 0 || cents != 0) {
		hour_of(to->placed_at, hour);
		next_statement(b);
		buf_puts(b, "INSERT INTO order_hours (shop_id, hour, n, sales, sales_cents) VALUES (");
		sql_int(b, shop_id);
		sql_next_str(db, b, hour);
		sql_next_int(b, from ? 0 : 1);
		sql_next_int(b, sales);
		sql_next_int(b, cents);
		buf_puts(b, ") ON DUPLICATE KEY UPDATE n = n + VALUES(n), sales = sales + VALUES(sales),"
		    " sales_cents = sales_cents + VALUES(sales_cents)");
		n++;
	}
	return n;
}

int
order_counts_move(struct db *db, struct arena *a, long long shop_id, const struct order_tally *from,
    const struct order_tally *to)
{
	struct buf b;
	int rc = DB_OK;

	buf_init(&b, 4096);
	if (order_counts_sql(db, &b, shop_id, from, to) > 0)
		rc = buf_failed(&b) ? DB_ERROR : db_batch(db, a, &b, 0, NULL, 0, NULL);
	buf_free(&b);
	return rc;
}

struct rebuild_tx {
	struct arena *a;
	long long shop_id;
};

static int
rebuild_tx_run(struct db *db, void *p)
{
	struct rebuild_tx *x = p;
	struct buf b, sale;
	int rc;

	db_desk_changed(db, x->shop_id);
	buf_init(&sale, 4096);
	/* The shop's statuses that count as a sale (WF_SALE). */
	buf_puts(&sale, "status IN (SELECT code FROM shop_statuses WHERE shop_id = ");
	sql_int(&sale, x->shop_id);
	buf_puts(&sale, " AND FIND_IN_SET('sale', flags))");
	buf_init(&b, 16 * 1024);
	buf_puts(&b, "DELETE FROM order_counts WHERE shop_id = ");
	sql_int(&b, x->shop_id);
	buf_puts(&b, ";DELETE FROM order_hours WHERE shop_id = ");
	sql_int(&b, x->shop_id);
	buf_puts(&b, ";INSERT INTO order_counts (shop_id, status, on_hold, payment_state, shipping_state, n)"
	    " SELECT shop_id, status, on_hold, payment_state, shipping_state, COUNT(*) FROM orders"
	    " WHERE shop_id = ");
	sql_int(&b, x->shop_id);
	buf_puts(&b, " GROUP BY status, on_hold, payment_state, shipping_state"
	    ";INSERT INTO order_hours (shop_id, hour, n, sales, sales_cents)"
	    " SELECT shop_id, DATE_FORMAT(placed_at, '%Y-%m-%d %H:00:00') h, COUNT(*), SUM(");
	buf_append(&b, sale.data, sale.len);
	buf_puts(&b, "), SUM(IF(");
	buf_append(&b, sale.data, sale.len);
	buf_puts(&b, ", total_cents, 0)) FROM orders WHERE shop_id = ");
	sql_int(&b, x->shop_id);
	buf_puts(&b, " GROUP BY h");
	rc = buf_failed(&b) || buf_failed(&sale) ? DB_ERROR : db_batch(db, x->a, &b, 0, NULL, 0, NULL);
	buf_free(&b);
	buf_free(&sale);
	return rc;
}

int
order_counts_rebuild(struct db *db, struct arena *a, long long shop_id)
{
	struct rebuild_tx x = { a, shop_id };
	int rc = db_tx(db, rebuild_tx_run, &x);

	if (rc != DB_OK)
		log_error("shop %lld: the dashboard's counts could not be rebuilt (%d)", shop_id, rc);
	return rc == DB_OK ? DB_OK : DB_ERROR;
}

/* ---- the dashboard ---------------------------------------------------------- */

/*
 * Four statements, one round trip; each reads a few rows through the index
 * named beside it (plans checked on the bench's 1,000,000 orders):
 *   counts   order_counts' primary key (shop_id, …): the shop's few tallies
 *   hours    order_hours' primary key (shop_id, hour): the month's hours,
 *            today's summed apart (today is inside the month)
 *   last     k_orders_placed (shop_id, placed_at, id) backwards, forced:
 *            the optimizer otherwise weighs the orders' sixteen indexes on
 *            every call, longer than reading the 8 rows (ANALYZE FORMAT=JSON:
 *            0.3-0.5 ms planning, 0.1-0.2 ms forced; 0.06-0.09 ms reading)
 *   low      k_products_low_stock (shop_id, low_stock, name): at most 101
 *            rows, counted beside the 10 listed (COUNT(*) OVER ()), instead
 *            of a second statement counting them again
 */
enum { DQ_COUNTS, DQ_HOURS, DQ_LAST, DQ_LOW, DQ_N };
enum count_col { CC_STATUS, CC_HOLD, CC_PAY, CC_SHIP, CC_N, CC_NCOLS };
enum hour_col { HO_TODAY_N, HO_TODAY_SALES, HO_TODAY_CENTS, HO_MONTH_N, HO_MONTH_SALES, HO_MONTH_CENTS, HO_NCOLS };
enum last_col { LA_CODE, LA_NUMBER, LA_PLACED, LA_CUSTOMER, LA_TOTAL, LA_CURRENCY, LA_STATUS, LA_NCOLS };
enum low_col { LO_SKU, LO_NAME, LO_AVAILABLE, LO_THRESHOLD, LO_COUNT, LO_NCOLS };

/* COALESCE(SUM(IF(hour in [from, to), col, 0)), 0) */
static void
sql_sum_between(struct db *db, struct buf *b, const char *col, const char *from, const char *to)
{
	buf_puts(b, "COALESCE(SUM(IF(hour >= ");
	sql_str(db, b, from);
	buf_puts(b, " AND hour < ");
	sql_str(db, b, to);
	buf_printf(b, ", %s, 0)), 0)", col);
}

static long long
col_ll(const struct db_row *r, size_t c)
{
	return r->col[c] ? strtoll(r->col[c], NULL, 10) : 0;
}

int
dashboard_load(struct db *db, struct arena *a, long long shop_id, const char *today, const char *tz,
    struct dashboard *d)
{
	struct db_result res[DQ_N];
	const struct wf_workflow *wf;
	const struct wf_status *s;
	char t0[32], t1[32], m0[32], m1[32], month[8];
	struct buf b;
	size_t i, k;
	int rc;

	memset(d, 0, sizeof(*d));
	if (wf_get(db, a, shop_id, &wf) != WF_OK)
		return DB_ERROR;
	d->wf = wf;
	datetime_local_midnight_utc(today, 0, 0, tz, t0);
	datetime_local_midnight_utc(today, 0, 1, tz, t1);
	memcpy(month, today, 7);   /* "YYYY-MM": its first day */
	month[7] = '\0';
	datetime_local_midnight_utc(month, 0, 0, tz, m0);
	datetime_local_midnight_utc(month, 1, 0, tz, m1);
	buf_init(&b, 16 * 1024);
	buf_puts(&b, "SELECT status, on_hold, payment_state, shipping_state, n FROM order_counts WHERE shop_id = ");
	sql_int(&b, shop_id);
	buf_puts(&b, " AND n <> 0;SELECT ");
	sql_sum_between(db, &b, "n", t0, t1);
	buf_putc(&b, ',');
	sql_sum_between(db, &b, "sales", t0, t1);
	buf_putc(&b, ',');
	sql_sum_between(db, &b, "sales_cents", t0, t1);
	buf_puts(&b, ", COALESCE(SUM(n), 0), COALESCE(SUM(sales), 0), COALESCE(SUM(sales_cents), 0)"
	    " FROM order_hours WHERE shop_id = ");
	sql_int(&b, shop_id);
	buf_puts(&b, " AND hour >= ");
	sql_str(db, &b, m0);
	buf_puts(&b, " AND hour < ");
	sql_str(db, &b, m1);
	buf_puts(&b, ";SELECT code, number, DATE_FORMAT(placed_at, '%Y-%m-%dT%H:%i:%s.%fZ'),"
	    " CONCAT_WS(' ', NULLIF(customer_first_name, ''), NULLIF(customer_last_name, '')), total_cents,"
	    " currency, status FROM orders FORCE INDEX (k_orders_placed) WHERE shop_id = ");
	sql_int(&b, shop_id);
	buf_printf(&b, " ORDER BY placed_at DESC, id DESC LIMIT %d", DASHBOARD_LAST);
	buf_puts(&b, ";SELECT sku, name, available, threshold, COUNT(*) OVER () FROM"
	    " (SELECT sku, name, id, stock_on_hand - stock_reserved available, low_stock_threshold threshold"
	    " FROM products WHERE shop_id = ");
	sql_int(&b, shop_id);
	buf_puts(&b, " AND low_stock = 1 ORDER BY name, id LIMIT 101) low");
	buf_printf(&b, " ORDER BY name, id LIMIT %d", DASHBOARD_LOW_STOCK);
	rc = buf_failed(&b) ? DB_ERROR : db_batch(db, a, &b, 0, res, DQ_N, NULL);
	buf_free(&b);
	if (rc != DB_OK)
		return DB_ERROR;
	if (res[DQ_COUNTS].ncols != CC_NCOLS || res[DQ_HOURS].ncols != HO_NCOLS || res[DQ_HOURS].nrows != 1 ||
	    res[DQ_LAST].ncols != LA_NCOLS || res[DQ_LOW].ncols != LO_NCOLS) {
		log_error("dashboard: the queries return columns their enums do not name");
		return DB_ERROR;
	}

	for (i = 0; (s = wf_status_at(wf, i)) && d->nstatuses < DASHBOARD_STATUSES; i++)
		if (!(s->flags & WF_FINAL))
			d->statuses[d->nstatuses++].code = s->code;
	for (i = 0; i < res[DQ_COUNTS].nrows; i++) {
		const struct db_row *r = &res[DQ_COUNTS].rows[i];
		const char *code = r->col[CC_STATUS];
		long long n = col_ll(r, CC_N);

		s = wf_status_find(wf, code);
		if (s && (s->flags & WF_FINAL))
			continue;   /* the list's open orders: closed = 0 */
		for (k = 0; k < d->nstatuses; k++)
			if (strcmp(d->statuses[k].code, code) == 0)
				d->statuses[k].n += n;
		if (strcmp(r->col[CC_PAY], "unpaid") == 0)
			d->unpaid += n;
		if (strcmp(r->col[CC_PAY], "paid") == 0 && strcmp(r->col[CC_SHIP], "unshipped") == 0)
			d->paid_unshipped += n;
		if (col_ll(r, CC_HOLD))
			d->on_hold += n;
	}
	d->today_n = db_ll(&res[DQ_HOURS], 0, HO_TODAY_N);
	d->today_sales = db_ll(&res[DQ_HOURS], 0, HO_TODAY_SALES);
	d->today_cents = db_ll(&res[DQ_HOURS], 0, HO_TODAY_CENTS);
	d->month_n = db_ll(&res[DQ_HOURS], 0, HO_MONTH_N);
	d->month_sales = db_ll(&res[DQ_HOURS], 0, HO_MONTH_SALES);
	d->month_cents = db_ll(&res[DQ_HOURS], 0, HO_MONTH_CENTS);
	for (i = 0; i < res[DQ_LAST].nrows && i < DASHBOARD_LAST; i++) {
		const struct db_row *r = &res[DQ_LAST].rows[i];

		d->last[i] = (struct dashboard_order){ .code = r->col[LA_CODE], .number = col_ll(r, LA_NUMBER),
		    .placed_at = r->col[LA_PLACED], .customer = r->col[LA_CUSTOMER] ? r->col[LA_CUSTOMER] : "",
		    .total_cents = col_ll(r, LA_TOTAL), .currency = r->col[LA_CURRENCY], .status = r->col[LA_STATUS] };
	}
	d->nlast = i;
	for (i = 0; i < res[DQ_LOW].nrows && i < DASHBOARD_LOW_STOCK; i++) {
		const struct db_row *r = &res[DQ_LOW].rows[i];

		d->low[i] = (struct dashboard_product){ .sku = r->col[LO_SKU], .name = r->col[LO_NAME],
		    .available = col_ll(r, LO_AVAILABLE), .threshold = col_ll(r, LO_THRESHOLD) };
	}
	d->nlow = i;
	/* Every row carries the count of the (at most 101) rows: none, none. */
	d->low_count = res[DQ_LOW].nrows ? col_ll(&res[DQ_LOW].rows[0], LO_COUNT) : 0;
	return DB_OK;
}
