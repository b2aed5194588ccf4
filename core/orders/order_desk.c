#include "orders/order_desk.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/sqltext.h"
#include "orders/search.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/utf8.h"

/*
 * Trims blanks at both ends into a copy in `a`, and checks the text:
 * UTF-8, no control characters but line ends and tabs where `multiline`,
 * at most `max` characters.
 */
int
desk_clean_text(struct arena *a, const char *in, size_t max, bool multiline, const char **out)
{
	const char *s = in ? in : "", *e;
	const unsigned char *p;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	if (!utf8_valid(s, (size_t)(e - s)))
		return DESK_INVALID;
	for (p = (const unsigned char *)s; p < (const unsigned char *)e; p++)
		if ((*p < 0x20 && !(multiline && (*p == '\n' || *p == '\r' || *p == '\t'))) || *p == 0x7f)
			return DESK_INVALID;
	*out = arena_strndup(a, s, (size_t)(e - s));
	return utf8_chars(*out) > max ? DESK_TOO_LONG : DESK_OK;
}

static const char sql_order_lock[] =
	"SELECT id, reference FROM orders WHERE shop_id = ? AND code = ? FOR UPDATE";
static const char sql_note_insert[] =
	"INSERT INTO order_notes (shop_id, order_id, staff_id, author_label, body) VALUES (?, ?, ?, ?, ?)";
static const char sql_reference_update[] =
	"UPDATE orders SET reference = ?, version = version + 1 WHERE shop_id = ? AND id = ?";

struct desk_tx {
	struct arena *a;
	long long shop_id;
	const char *code;
	const struct order_actor *who;
	const char *text;       /* the note, or the new reference */
	bool is_note;
};

static int
desk_tx_run(struct db *db, void *p)
{
	struct desk_tx *c = p;
	struct db_result res;
	json_t *details;
	const char *action;
	long long order_id;
	int rc;

	/* The order row locked: two changes of one order's reference are
	 * recorded in the order they happened. */
	if ((rc = db_exec(db, c->a, &res, sql_order_lock, DB_PARAMS(DB_I64(c->shop_id), DB_STR(c->code)))) != DB_OK)
		return rc;
	if (res.nrows == 0)
		return DESK_NOT_FOUND;
	order_id = db_ll(&res, 0, 0);
	if (c->is_note) {
		action = "order.note_added";
		details = json_pack("{ss}", "note", c->text);
		if ((rc = db_exec(db, c->a, NULL, sql_note_insert, DB_PARAMS(DB_I64(c->shop_id), DB_I64(order_id),
		    DB_I64(c->who->id), DB_STR(c->who->label), DB_STR(c->text)))) != DB_OK) {
			json_decref(details);
			return rc;
		}
	} else {
		const char *old = db_str(&res, 0, 1);

		if (strcmp(old ? old : "", c->text) == 0)
			return DB_OK;
		action = "order.reference_changed";
		details = json_pack("{ssss}", "from", old ? old : "", "to", c->text);
		if ((rc = db_exec(db, c->a, NULL, sql_reference_update, DB_PARAMS(DB_STR(c->text),
		    DB_I64(c->shop_id), DB_I64(order_id)))) != DB_OK) {
			json_decref(details);
			return rc;
		}
		if ((rc = search_replace_kind(db, c->a, c->shop_id, order_id, SEARCH_REFERENCE, old ? old : "",
		    c->text)) != DB_OK) {
			json_decref(details);
			return rc;
		}
	}
	return order_event_add(db, c->a, c->shop_id, order_id, c->who, action, details, NULL);
}

static int
desk_change(struct db *db, struct desk_tx *c)
{
	int rc = db_tx(db, desk_tx_run, c);

	if (rc == DB_OK || rc == DESK_NOT_FOUND)
		return rc;
	if (rc != DESK_ERROR)
		log_error("order %s: the change could not be saved (%d)", c->code, rc);
	return DESK_ERROR;
}

int
order_note_add(struct db *db, struct arena *a, long long shop_id, const char *code,
    const struct order_actor *who, const char *text)
{
	struct desk_tx c = { .a = a, .shop_id = shop_id, .code = code, .who = who, .is_note = true };
	int rc = desk_clean_text(a, text, ORDER_NOTE_MAX, true, &c.text);

	if (rc != DESK_OK)
		return rc;
	if (!*c.text)
		return DESK_EMPTY;
	return desk_change(db, &c);
}

int
order_reference_set(struct db *db, struct arena *a, long long shop_id, const char *code,
    const struct order_actor *who, const char *reference)
{
	struct desk_tx c = { .a = a, .shop_id = shop_id, .code = code, .who = who };
	int rc = desk_clean_text(a, reference, ORDER_REFERENCE_MAX, false, &c.text);

	if (rc != DESK_OK)
		return rc;
	return desk_change(db, &c);
}

/* Recently viewed: one row per staff member and order, the oldest beyond
 * ORDER_RECENT_KEEP deleted in the same transaction (k_staff_recent_viewed). */
static const char sql_recent_upsert[] =
	"INSERT INTO staff_recent_orders (shop_id, staff_id, order_id, viewed_at) VALUES (?, ?, ?, NOW(6))"
	" ON DUPLICATE KEY UPDATE viewed_at = NOW(6)";
static const char sql_recent_trim[] =
	"DELETE FROM staff_recent_orders WHERE shop_id = ? AND staff_id = ? AND viewed_at <"
	" (SELECT viewed_at FROM (SELECT viewed_at FROM staff_recent_orders WHERE shop_id = ? AND staff_id = ?"
	" ORDER BY viewed_at DESC LIMIT 1 OFFSET 9) keep)";

struct recent_tx {
	struct arena *a;
	long long shop_id, staff_id, order_id;
};

static int
recent_tx_run(struct db *db, void *p)
{
	struct recent_tx *c = p;
	int rc;

	if ((rc = db_exec(db, c->a, NULL, sql_recent_upsert, DB_PARAMS(DB_I64(c->shop_id),
	    DB_I64(c->staff_id), DB_I64(c->order_id)))) != DB_OK ||
	    (rc = db_exec(db, c->a, NULL, sql_recent_trim, DB_PARAMS(DB_I64(c->shop_id), DB_I64(c->staff_id),
	    DB_I64(c->shop_id), DB_I64(c->staff_id)))) != DB_OK)
		return rc;
	/* The list and the dashboard show these rows from the desk's cache. */
	db_desk_changed(db, c->shop_id);
	return DB_OK;
}

static const char sql_recent_newest[] =
	"SELECT order_id FROM staff_recent_orders WHERE shop_id = ? AND staff_id = ?"
	" ORDER BY viewed_at DESC LIMIT 1";

int
order_recent_record(struct db *db, struct arena *a, long long shop_id, long long staff_id,
    long long order_id)
{
	struct recent_tx c = { a, shop_id, staff_id, order_id };
	struct db_result res;

	/* Opened again while it is the newest (a reload, back from a form):
	 * the list would not change, so no write, which every GET paid. */
	if (db_exec(db, a, &res, sql_recent_newest, DB_PARAMS(DB_I64(shop_id), DB_I64(staff_id))) != DB_OK)
		return DESK_ERROR;
	if (res.nrows == 1 && db_ll(&res, 0, 0) == order_id)
		return DESK_OK;

	return db_tx(db, recent_tx_run, &c) == DB_OK ? DESK_OK : DESK_ERROR;
}

/*
 * The orders opened last. FORCE INDEX (PRIMARY): shop_id = const passes
 * from r to o, so without it the optimizer weighs every index of orders
 * (all start with shop_id) over the shop's rows for what is a point read
 * per row, several times the cost of the query itself.
 */
enum recent_col { RC_CODE, RC_NUMBER, RC_STATUS, RC_TOTAL, RC_CURRENCY, RC_CUSTOMER, RC_VIEWED, RC_NCOLS };

void
order_recent_sql(struct buf *b, long long shop_id, long long staff_id)
{
	buf_puts(b, b->len ? ";SELECT" : "SELECT");
	buf_puts(b, " o.code, o.number, o.status, o.total_cents, o.currency,"
	    " CONCAT_WS(' ', NULLIF(o.customer_first_name, ''), NULLIF(o.customer_last_name, '')),"
	    " DATE_FORMAT(r.viewed_at, '%Y-%m-%dT%H:%i:%s.%fZ')"
	    " FROM staff_recent_orders r JOIN orders o FORCE INDEX (PRIMARY)"
	    " ON o.shop_id = r.shop_id AND o.id = r.order_id WHERE r.shop_id = ");
	sql_int(b, shop_id);
	buf_puts(b, " AND r.staff_id = ");
	sql_int(b, staff_id);
	buf_puts(b, " ORDER BY r.viewed_at DESC LIMIT 10");
}

int
order_recent_read(struct arena *a, const struct db_result *res, struct order_recent **out, size_t *n)
{
	size_t i;

	*out = NULL;
	*n = 0;
	if (res->ncols != RC_NCOLS) {
		log_error("recent orders: the query returns %zu columns, its enum names %d", res->ncols, RC_NCOLS);
		return DESK_ERROR;
	}
	*out = arena_alloc(a, (res->nrows ? res->nrows : 1) * sizeof(**out));
	for (i = 0; i < res->nrows; i++) {
		struct order_recent *r = &(*out)[i];

		r->code = db_str(res, i, RC_CODE);
		r->number = db_ll(res, i, RC_NUMBER);
		r->status = db_str(res, i, RC_STATUS);
		r->total_cents = db_ll(res, i, RC_TOTAL);
		r->currency = db_str(res, i, RC_CURRENCY);
		r->customer = db_str(res, i, RC_CUSTOMER);
		r->viewed_at = db_str(res, i, RC_VIEWED);
	}
	*n = res->nrows;
	return DESK_OK;
}

int
order_recent_list(struct db *db, struct arena *a, long long shop_id, long long staff_id,
    struct order_recent **out, size_t *n)
{
	struct db_result res;
	struct buf b;
	int rc;

	*out = NULL;
	*n = 0;
	buf_init(&b, 1024);
	order_recent_sql(&b, shop_id, staff_id);
	rc = db_batch(db, a, &b, 0, &res, 1, NULL);
	buf_free(&b);
	if (rc != DB_OK)
		return DESK_ERROR;
	return order_recent_read(a, &res, out, n);
}
