#include "stock/stock_view.h"

#include <string.h>

#include "db/db.h"
#include "db/sqltext.h"
#include "orders/workflow.h"
#include "util/arena.h"
#include "util/buf.h"

enum list_col { PC_ID, PC_SKU, PC_NAME, PC_TRACK, PC_ACTIVE, PC_ON_HAND, PC_RESERVED, PC_THRESHOLD };
#define LIST_COLUMNS "id, sku, name, track_stock, active, stock_on_hand, stock_reserved, low_stock_threshold"
/* Through uk_products_sku (shop_id, sku): a page reads its rows and the
 * one after, whatever the shop's size (a search reads on until it has them). */
/* The SKU column is ASCII: the search is made ASCII for it (a letter it
 * cannot hold becomes '?', which no SKU has). */
#define LIST_MATCH " AND (? = '' OR sku LIKE CONCAT(CONVERT(? USING ascii), '%')" \
	" OR name LIKE CONCAT('%', ?, '%'))"
static const char sql_after[] =
	"SELECT " LIST_COLUMNS " FROM products WHERE shop_id = ? AND sku > ?" LIST_MATCH
	" ORDER BY sku LIMIT ?";
static const char sql_before[] =
	"SELECT " LIST_COLUMNS " FROM products WHERE shop_id = ? AND sku < ?" LIST_MATCH
	" ORDER BY sku DESC LIMIT ?";

static void
row_of(const struct db_result *r, size_t i, struct stock_row *p)
{
	p->id = db_ll(r, i, PC_ID);
	p->sku = db_str(r, i, PC_SKU);
	p->name = db_str(r, i, PC_NAME);
	p->track_stock = db_ll(r, i, PC_TRACK) != 0;
	p->active = db_ll(r, i, PC_ACTIVE) != 0;
	p->on_hand = db_ll(r, i, PC_ON_HAND);
	p->reserved = db_ll(r, i, PC_RESERVED);
	p->threshold = db_ll(r, i, PC_THRESHOLD);
	p->available = p->on_hand - p->reserved > 0 ? p->on_hand - p->reserved : 0;
	p->low = p->track_stock && p->available <= p->threshold;
}

/*
 * The open orders holding stock of `ids`: per product, its first `max`
 * orders (oldest first) and their count. An order is open until its
 * status is final (WF_FINAL in the shop's workflow); the statuses come from
 * the workflow, so the text is built here (sqltext, db_batch).
 */
enum wait_col { WC_PRODUCT, WC_CODE, WC_NUMBER, WC_STATUS, WC_QUANTITY, WC_TOTAL };
static int
waiting_query(struct db *db, struct arena *a, long long shop_id, const long long *ids, size_t nids,
    size_t max, struct db_result *res)
{
	const struct wf_workflow *wf;
	const struct wf_status *st;
	struct buf b;
	size_t i;
	int rc;

	if (wf_get(db, a, shop_id, &wf) != WF_OK)
		return DB_ERROR;
	buf_init(&b, 1 << 16);
	buf_puts(&b, "SELECT product_id, code, number, status, quantity, total FROM (SELECT l.product_id,"
	    " o.code, o.number, o.status, SUM(l.quantity) AS quantity,"
	    " ROW_NUMBER() OVER (PARTITION BY l.product_id ORDER BY o.id) AS rn,"
	    " COUNT(*) OVER (PARTITION BY l.product_id) AS total"
	    " FROM order_lines l JOIN orders o ON o.shop_id = l.shop_id AND o.id = l.order_id"
	    " WHERE l.shop_id = ");
	sql_int(&b, shop_id);
	buf_puts(&b, " AND l.product_id IN (");
	for (i = 0; i < nids; i++) {
		if (i)
			buf_putc(&b, ',');
		sql_int(&b, ids[i]);
	}
	buf_puts(&b, ") AND l.reserved_stock = 1 AND o.status NOT IN (''");
	for (i = 0; (st = wf_status_at(wf, i)); i++) {
		if (!(st->flags & WF_FINAL))
			continue;
		buf_putc(&b, ',');
		sql_str(db, &b, st->code);
	}
	buf_puts(&b, ") GROUP BY l.product_id, o.id, o.code, o.number, o.status) w WHERE rn <= ");
	sql_int(&b, (long long)max);
	buf_puts(&b, " ORDER BY product_id, rn");
	rc = buf_failed(&b) ? DB_ERROR : db_batch(db, a, &b, 0, res, 1, NULL);
	buf_free(&b);
	return rc;
}

static void
waiting_of(const struct db_result *r, size_t i, struct stock_waiting *w)
{
	w->code = db_str(r, i, WC_CODE);
	w->number = db_str(r, i, WC_NUMBER) ? db_ll(r, i, WC_NUMBER) : 0;
	w->status = db_str(r, i, WC_STATUS);
	w->quantity = db_ll(r, i, WC_QUANTITY);
}

int
stock_list_load(struct db *db, struct arena *a, long long shop_id, const char *q, const char *after,
    const char *before, struct stock_list *out)
{
	struct db_result r, w;
	const char *pat = sql_like_literal(a, q ? q : "");
	long long *ids;
	size_t i, j, n;
	bool back = before && *before, more;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = db_exec(db, a, &r, back ? sql_before : sql_after, DB_PARAMS(DB_I64(shop_id),
	    DB_STR(back ? before : after ? after : ""), DB_STR(pat), DB_STR(pat), DB_STR(pat),
	    DB_I64(STOCK_LIST_PAGE + 1)));
	if (rc != DB_OK)
		return rc;
	more = r.nrows > STOCK_LIST_PAGE;
	n = more ? STOCK_LIST_PAGE : r.nrows;
	out->rows = arena_alloc(a, (n ? n : 1) * sizeof(*out->rows));
	ids = arena_alloc(a, (n ? n : 1) * sizeof(*ids));
	for (i = 0; i < n; i++) {
		row_of(&r, back ? n - 1 - i : i, &out->rows[i]);
		ids[i] = out->rows[i].id;
	}
	out->n = n;
	if (n) {
		/* Going back, the row past the page is before it; going on, after it. */
		if (back ? more : after && *after)
			out->prev_sku = out->rows[0].sku;
		if (back || more)
			out->next_sku = out->rows[n - 1].sku;
	}
	if (n == 0)
		return DB_OK;
	if ((rc = waiting_query(db, a, shop_id, ids, n, STOCK_LIST_WAITING, &w)) != DB_OK)
		return rc;
	for (i = 0; i < n; i++) {
		struct stock_row *p = &out->rows[i];

		p->waiting = arena_alloc(a, STOCK_LIST_WAITING * sizeof(*p->waiting));
		for (j = 0; j < w.nrows; j++) {
			if (db_ll(&w, j, WC_PRODUCT) != p->id || p->nwaiting == STOCK_LIST_WAITING)
				continue;
			waiting_of(&w, j, &p->waiting[p->nwaiting++]);
			p->waiting_total = db_ll(&w, j, WC_TOTAL);
		}
	}
	return DB_OK;
}

int
stock_waiting_load(struct db *db, struct arena *a, long long shop_id, long long product_id, size_t max,
    struct stock_waiting **out, size_t *n, long long *total)
{
	struct db_result w;
	size_t i;
	int rc;

	*n = 0;
	*total = 0;
	if ((rc = waiting_query(db, a, shop_id, &product_id, 1, max, &w)) != DB_OK)
		return rc;
	*out = arena_alloc(a, (w.nrows ? w.nrows : 1) * sizeof(**out));
	for (i = 0; i < w.nrows; i++)
		waiting_of(&w, i, &(*out)[i]);
	*n = w.nrows;
	*total = w.nrows ? db_ll(&w, 0, WC_TOTAL) : 0;
	return DB_OK;
}

int
stock_history_load(struct db *db, struct arena *a, long long shop_id, long long product_id,
    struct stock_event **out, size_t *n)
{
	enum { HC_AT, HC_ACTOR, HC_ACTION, HC_CAUSE, HC_CODE, HC_NUMBER, HC_REASON, HC_OH_B, HC_OH_A,
		HC_RES_B, HC_RES_A };
	static const char sql[] =
		"SELECT DATE_FORMAT(e.at, '%Y-%m-%dT%H:%i:%s.%fZ'), e.actor_label, e.action, e.cause, o.code,"
		" o.number, e.reason, e.on_hand_before, e.on_hand_after, e.reserved_before, e.reserved_after"
		" FROM product_events e LEFT JOIN orders o ON o.shop_id = e.shop_id AND o.id = e.order_id"
		" WHERE e.shop_id = ? AND e.product_id = ? ORDER BY e.id DESC LIMIT ?";
	struct db_result r;
	size_t i;
	int rc;

	rc = db_exec(db, a, &r, sql, DB_PARAMS(DB_I64(shop_id), DB_I64(product_id), DB_I64(STOCK_HISTORY_MAX)));
	if (rc != DB_OK)
		return rc;
	*out = arena_alloc(a, (r.nrows ? r.nrows : 1) * sizeof(**out));
	for (i = 0; i < r.nrows; i++) {
		struct stock_event *e = &(*out)[i];

		e->at = db_str(&r, i, HC_AT);
		e->actor_label = db_str(&r, i, HC_ACTOR);
		e->action = db_str(&r, i, HC_ACTION);
		e->cause = db_str(&r, i, HC_CAUSE);
		e->order_code = db_str(&r, i, HC_CODE);
		e->order_number = db_str(&r, i, HC_NUMBER) ? db_ll(&r, i, HC_NUMBER) : 0;
		e->reason = db_str(&r, i, HC_REASON);
		e->on_hand_before = db_ll(&r, i, HC_OH_B);
		e->on_hand_after = db_ll(&r, i, HC_OH_A);
		e->reserved_before = db_ll(&r, i, HC_RES_B);
		e->reserved_after = db_ll(&r, i, HC_RES_A);
	}
	*n = r.nrows;
	return DB_OK;
}
