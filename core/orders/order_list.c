#include "orders/order_list.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/sqltext.h"
#include "orders/code.h"
#include "orders/money.h"
#include "orders/order_view.h"
#include "orders/workflow.h"
#include "tpl/tpl.h"
#include "util/buf.h"
#include "util/datetime.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/utf8.h"

/* The columns of a list row, by one enum. placed_at comes as MariaDB
 * writes a DATETIME(6) ("2026-11-03 14:05:00.000000", UTC): the cursor's
 * key as it is, the page's ISO time with two bytes changed, rather than
 * two DATE_FORMAT per row. */
enum list_col {
	LC_ID, LC_CODE, LC_NUMBER, LC_PLACED, LC_FIRST, LC_LAST, LC_CCODE, LC_TITLE, LC_PRODUCT,
	LC_TOTAL, LC_CURRENCY, LC_PAY, LC_SHIP, LC_STATUS, LC_METHOD, LC_CARRIER, LC_VERSION, LC_NCOLS
};
static const char sql_cols[] =
	"SELECT id, code, number, placed_at, customer_first_name, customer_last_name, customer_code, title,"
	" first_product, total_cents, currency, payment_state, shipping_state, status, payment_method,"
	" carrier, version FROM orders";

/* The sorts: the name in the query string, the column and its index
 * k_orders_list_* (shop_id, closed, column, id), the column that is the
 * cursor's value, and what the value is. */
enum key_kind { KEY_TIME, KEY_INT, KEY_TEXT };

static const struct sort_def {
	const char *name, *column, *index;
	enum list_col key;
	enum key_kind kind;
} sorts[SORT_N] = {
	[SORT_PLACED]   = { "date",     "placed_at",     "k_orders_list_placed",   LC_PLACED,  KEY_TIME },
	[SORT_NUMBER]   = { "number",   "number",        "k_orders_list_number",   LC_NUMBER,  KEY_INT },
	[SORT_TITLE]    = { "title",    "title",         "k_orders_list_title",    LC_TITLE,   KEY_TEXT },
	[SORT_CUSTOMER] = { "customer", "customer_code", "k_orders_list_customer", LC_CCODE,   KEY_TEXT },
	[SORT_PRODUCT]  = { "product",  "first_product", "k_orders_list_product",  LC_PRODUCT, KEY_TEXT },
	[SORT_TOTAL]    = { "total",    "total_cents",   "k_orders_list_total",    LC_TOTAL,   KEY_INT },
};

/* What the drop-downs offer; the status filter offers the shop's own
 * statuses (and takes any code: another shop's finds nothing), the others
 * only these. */
static const char *const payment_states[] = {
	"unpaid", "partially_paid", "paid", "partially_refunded", "refunded",
};
static const char *const shipping_states[] = {
	"unshipped", "partially_shipped", "shipped", "delivered",
};
static const char *const payment_methods[] = { "card", "paypal", "banktransfer", "cheque" };
static const char *const carriers[] = { "colissimo", "mondial_relay", "chronopost", "bpost", "pickup" };

#define NELEM(t) (sizeof(t) / sizeof(t[0]))

static bool
in_list(const char *const *t, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i], s) == 0)
			return true;
	return false;
}

/* A code as statuses, methods and carriers are: [a-z0-9_], 1 to 32. */
static bool
is_code(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!(islower((unsigned char)s[n]) || isdigit((unsigned char)s[n]) || s[n] == '_'))
			return false;
	return n >= 1 && n <= 32;
}

static bool
digits_at(const char *s, size_t from, size_t n)
{
	size_t i;

	for (i = from; i < from + n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* The n digits at s (checked by digits_at) as a number. */
static int
num(const char *s, size_t n)
{
	int v = 0;

	while (n--)
		v = v * 10 + (*s++ - '0');
	return v;
}

/* "YYYY-MM-DD" (len 10) or "YYYY-MM" (len 7), as a date input sends. */
static bool
is_day(const char *s, size_t len)
{
	if (strlen(s) != len || !digits_at(s, 0, 4) || s[4] != '-' || !digits_at(s, 5, 2))
		return false;
	if (len == 10 && (s[7] != '-' || !digits_at(s, 8, 2)))
		return false;
	int m = num(s + 5, 2), d = len == 10 ? num(s + 8, 2) : 1;
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static bool
is_int(const char *s, long long *out)
{
	char *end;
	size_t n = strlen(s);

	if (n == 0 || n > 19 || !(isdigit((unsigned char)*s) || *s == '-'))
		return false;
	*out = strtoll(s, &end, 10);
	return *end == '\0';
}

/* A cursor value as the list writes it for this sort. */
static bool
key_ok(enum key_kind kind, const char *s)
{
	long long v, t;

	switch (kind) {
	case KEY_INT:
		return is_int(s, &v);
	case KEY_TIME:
		return strlen(s) == 26 && s[10] == ' ' && s[19] == '.' && digits_at(s, 20, 6) &&
		    datetime_parse_utc(s, &t) == 0;
	case KEY_TEXT:
		return strlen(s) <= 1020 && utf8_valid(s, strlen(s));
	}
	return false;
}

/* An empty value is "any": what a form's first option sends. */
static const char *
opt(const char *(*get)(void *, const char *), void *ctx, const char *name)
{
	const char *v = get(ctx, name);

	return v && *v ? v : NULL;
}

int
order_list_parse(const char *(*get)(void *ctx, const char *name), void *ctx,
    struct order_list_query *q)
{
	const char *s, *id;
	size_t i;

	memset(q, 0, sizeof(*q));
	q->status = opt(get, ctx, "status");
	q->payment_method = opt(get, ctx, "payment");
	q->payment_state = opt(get, ctx, "paid");
	q->shipping_state = opt(get, ctx, "shipped");
	q->carrier = opt(get, ctx, "carrier");
	q->month = opt(get, ctx, "month");
	q->from = opt(get, ctx, "from");
	q->to = opt(get, ctx, "to");
	q->completed = opt(get, ctx, "completed") != NULL;
	q->cancelled = opt(get, ctx, "cancelled") != NULL;
	q->on_hold = opt(get, ctx, "hold") != NULL;
	q->sale = opt(get, ctx, "sale") != NULL;
	if ((q->status && !is_code(q->status)) ||
	    (q->payment_method && !is_code(q->payment_method)) ||
	    (q->carrier && !is_code(q->carrier)) ||
	    (q->payment_state && !in_list(payment_states, NELEM(payment_states), q->payment_state)) ||
	    (q->shipping_state && !in_list(shipping_states, NELEM(shipping_states), q->shipping_state)) ||
	    (q->month && !is_day(q->month, 7)) ||
	    (q->from && !is_day(q->from, 10)) || (q->to && !is_day(q->to, 10)))
		return LIST_BAD;

	q->sort = SORT_PLACED;
	if ((s = opt(get, ctx, "sort"))) {
		for (i = 0; i < SORT_N && strcmp(sorts[i].name, s) != 0; i++)
			;
		if (i == SORT_N)
			return LIST_BAD;
		q->sort = (enum order_sort)i;
	}
	if ((s = opt(get, ctx, "dir"))) {
		if (strcmp(s, "asc") != 0 && strcmp(s, "desc") != 0)
			return LIST_BAD;
		q->asc = strcmp(s, "asc") == 0;
	}

	if ((s = get(ctx, "after")))
		q->cursor = 1;
	else if ((s = get(ctx, "before")))
		q->cursor = -1;
	if (q->cursor) {
		id = get(ctx, "id");
		if (!id || !is_int(id, &q->key_id) || q->key_id <= 0 || !key_ok(sorts[q->sort].kind, s))
			return LIST_BAD;
		q->key = s;
	}
	return LIST_OK;
}

static void
qs_add(struct buf *out, const char *name, const char *value)
{
	if (!value)
		return;
	if (out->len)
		buf_putc(out, '&');
	buf_puts(out, name);
	buf_putc(out, '=');
	buf_urlencode(out, value, strlen(value));
}

void
order_list_query_string(const struct order_list_query *q, enum order_sort sort, bool asc,
    struct buf *out)
{
	if (sort >= SORT_N) {
		sort = q->sort;
		asc = q->asc;
	}
	qs_add(out, "status", q->status);
	qs_add(out, "payment", q->payment_method);
	qs_add(out, "paid", q->payment_state);
	qs_add(out, "shipped", q->shipping_state);
	qs_add(out, "carrier", q->carrier);
	qs_add(out, "month", q->month);
	qs_add(out, "from", q->from);
	qs_add(out, "to", q->to);
	qs_add(out, "completed", q->completed ? "1" : NULL);
	qs_add(out, "cancelled", q->cancelled ? "1" : NULL);
	qs_add(out, "hold", q->on_hold ? "1" : NULL);
	qs_add(out, "sale", q->sale ? "1" : NULL);
	if (sort != SORT_PLACED || asc) {
		qs_add(out, "sort", sorts[sort].name);
		qs_add(out, "dir", asc ? "asc" : "desc");
	}
}

/* Can the shop's counters (order_counts: status, hold, payment and
 * shipping state) count what q selects? */
static bool
counted(const struct order_list_query *q)
{
	return !q->payment_method && !q->carrier && !q->month && !q->from && !q->to;
}

/* " AND status IN ('a', …)" (NOT IN when `not`): the shop's statuses
 * that have every flag of `flags` and whose orders' closed (wf_closed)
 * is a bit of `closed`. None: nothing to exclude, or nothing to find.
 * From the statuses the page has already (wf_get's cache) rather than a
 * subquery with FIND_IN_SET per statement: a status's flags never change
 * once the shop has it (workflow.h). */
static void
sql_statuses(struct db *db, struct buf *b, const struct wf_workflow *wf, bool not, unsigned flags,
    unsigned closed)
{
	const struct wf_status *s;
	size_t i, n = 0;

	for (i = 0; (s = wf_status_at(wf, i)); i++) {
		if ((s->flags & flags) != flags || !(closed & 1u << wf_closed(s)))
			continue;
		buf_puts(b, n++ ? ", " : not ? " AND status NOT IN (" : " AND status IN (");
		sql_str(db, b, s->code);
	}
	if (n)
		buf_putc(b, ')');
	else if (!not)
		buf_puts(b, " AND FALSE");
}

#define CLOSED_BIT(c) (1u << (c))
#define CLOSED_ANY (CLOSED_BIT(ORDER_OPEN) | CLOSED_BIT(ORDER_CLOSED_DONE) | CLOSED_BIT(ORDER_CLOSED_CANCELLED))

/* " WHERE shop_id = … AND …": the filters of q, over orders, or over
 * order_counts when `counts` (counted(q): closed is what its status's
 * flags say, as wf_closed() writes it); wf the shop's statuses. */
static void
sql_where(struct db *db, struct buf *b, long long shop_id, const char *tz, const struct wf_workflow *wf,
    const struct order_list_query *q, bool counts)
{
	const struct wf_status *st = q->status ? wf_status_find(wf, q->status) : NULL;
	char t[32];

	buf_puts(b, " WHERE shop_id = ");
	sql_int(b, shop_id);
	/* An explicit status wins over the tick boxes: "Completed" in the
	 * drop-down shows the completed orders. */
	if (q->status) {
		buf_puts(b, " AND status = ");
		sql_str(db, b, q->status);
		/* What the status's orders have in closed, said too: the
		 * k_orders_list_* index of any sort then reads them in order. */
		if (st && !counts) {
			buf_puts(b, " AND closed = ");
			sql_int(b, wf_closed(st));
		}
	}
	if (q->sale)
		/* The dashboard's sales: whatever the tick boxes, like a status;
		 * the shop's own statuses that count as one (WF_SALE). */
		sql_statuses(db, b, wf, false, WF_SALE, CLOSED_ANY);
	if (q->status || q->sale)
		;   /* the tick boxes do not apply */
	else if (!counts) {
		if (!q->completed && !q->cancelled)
			buf_puts(b, " AND closed = 0");
		else if (!q->completed)
			buf_puts(b, " AND closed <> 1");
		else if (!q->cancelled)
			buf_puts(b, " AND closed <> 2");
	} else if (!q->completed || !q->cancelled)
		/* The counters have no closed: the statuses that make it. */
		sql_statuses(db, b, wf, true, 0, (q->completed ? 0 : CLOSED_BIT(ORDER_CLOSED_DONE)) |
		    (q->cancelled ? 0 : CLOSED_BIT(ORDER_CLOSED_CANCELLED)));
	if (q->on_hold)
		buf_puts(b, " AND on_hold = 1");
	if (q->payment_method) {
		buf_puts(b, " AND payment_method = ");
		sql_str(db, b, q->payment_method);
	}
	if (q->payment_state) {
		buf_puts(b, " AND payment_state = ");
		sql_str(db, b, q->payment_state);
	}
	if (q->shipping_state) {
		buf_puts(b, " AND shipping_state = ");
		sql_str(db, b, q->shipping_state);
	}
	if (q->carrier) {
		buf_puts(b, " AND carrier = ");
		sql_str(db, b, q->carrier);
	}
	if (q->month) {
		datetime_local_midnight_utc(q->month, 0, 0, tz, t);
		buf_puts(b, " AND placed_at >= ");
		sql_str(db, b, t);
		datetime_local_midnight_utc(q->month, 1, 0, tz, t);
		buf_puts(b, " AND placed_at < ");
		sql_str(db, b, t);
	}
	if (q->from) {
		datetime_local_midnight_utc(q->from, 0, 0, tz, t);
		buf_puts(b, " AND placed_at >= ");
		sql_str(db, b, t);
	}
	if (q->to) {
		datetime_local_midnight_utc(q->to, 0, 1, tz, t);
		buf_puts(b, " AND placed_at < ");
		sql_str(db, b, t);
	}
}

static void
sql_key(struct db *db, struct buf *b, const struct order_list_query *q)
{
	long long v;

	if (sorts[q->sort].kind == KEY_INT && is_int(q->key, &v))
		sql_int(b, v);
	else
		sql_str(db, b, q->key);
}

/*
 * The index that serves q when one clearly does, for FORCE INDEX: the
 * optimizer's range analysis over the 17 indexes of orders (they all
 * start with shop_id) costs about a third of the list's query, and what
 * it finds is this. NULL when the filters leave a real choice (a rare
 * payment state, a month with another sort …): the optimizer's.
 */
static const char *
list_index(const struct order_list_query *q, enum order_sort sort)
{
	bool days = q->month || q->from || q->to;

	if (q->payment_method || q->payment_state || q->shipping_state || q->carrier || q->on_hold || q->sale)
		return NULL;
	if (q->status)   /* (shop_id, status, placed_at, id) */
		return sort == SORT_PLACED ? "k_orders_status" : NULL;
	if (!q->completed && !q->cancelled)   /* closed = 0: (shop_id, 0, column, id) */
		return !days || sort == SORT_PLACED ? sorts[sort].index : NULL;
	if (q->completed && q->cancelled && sort == SORT_PLACED)
		return "k_orders_placed";         /* (shop_id, placed_at, id) */
	return NULL;
}

static void
sql_force_index(struct buf *b, const char *index)
{
	if (index) {
		buf_puts(b, " FORCE INDEX (");
		buf_puts(b, index);
		buf_putc(b, ')');
	}
}

/*
 * The rows of q: the filters, then the keyset condition written
 * `k < ? OR (k = ? AND id < ?)` (MariaDB 10.11 does not range-scan an
 * index for a row constructor), in the sort's order (reversed to read
 * the page before a cursor), `limit` rows (0: all).
 */
static void
sql_select(struct db *db, struct buf *b, long long shop_id, const char *tz, const struct wf_workflow *wf,
    const struct order_list_query *q, size_t limit)
{
	const struct sort_def *s = &sorts[q->sort];
	bool down = q->cursor < 0 ? q->asc : !q->asc;   /* reading towards smaller keys */
	const char *cmp = down ? " < " : " > ", *dir = down ? " DESC" : " ASC";

	buf_puts(b, sql_cols);
	sql_force_index(b, list_index(q, q->sort));
	sql_where(db, b, shop_id, tz, wf, q, false);
	if (q->cursor) {
		buf_printf(b, " AND (%s%s", s->column, cmp);
		sql_key(db, b, q);
		buf_printf(b, " OR (%s = ", s->column);
		sql_key(db, b, q);
		buf_printf(b, " AND id%s", cmp);
		sql_int(b, q->key_id);
		buf_puts(b, "))");
	}
	buf_printf(b, " ORDER BY %s%s, id%s", s->column, dir, dir);
	if (limit) {
		buf_puts(b, " LIMIT ");
		sql_int(b, (long long)limit);
	}
}

static void
row_read(const struct db_row *r, enum order_sort sort, struct order_list_row *o)
{
	o->id = db_text_ll(r->col[LC_ID]);
	o->code = r->col[LC_CODE];
	o->number = db_text_ll(r->col[LC_NUMBER]);
	o->placed_at = r->col[LC_PLACED];
	o->first_name = r->col[LC_FIRST];
	o->last_name = r->col[LC_LAST];
	o->customer_code = r->col[LC_CCODE];
	o->title = r->col[LC_TITLE];
	o->first_product = r->col[LC_PRODUCT];
	o->total_cents = db_text_ll(r->col[LC_TOTAL]);
	o->currency = r->col[LC_CURRENCY];
	o->payment_state = r->col[LC_PAY];
	o->shipping_state = r->col[LC_SHIP];
	o->status = r->col[LC_STATUS];
	o->payment_method = r->col[LC_METHOD];
	o->carrier = r->col[LC_CARRIER];
	o->version = db_text_ll(r->col[LC_VERSION]);
	o->key = r->col[sorts[sort].key] ? r->col[sorts[sort].key] : "";
}

void
order_list_sql(struct db *db, struct buf *b, long long shop_id, const char *tz, const struct wf_workflow *wf,
    const struct order_list_query *q)
{
	sql_select(db, b, shop_id, tz, wf, q, ORDER_LIST_PAGE + 1);
	/* From the shop's counters (a few hundred rows at most) when they
	 * count these filters; else counted up to one past the bound, never
	 * the whole shop. */
	if (counted(q)) {
		buf_printf(b, ";SELECT LEAST(COALESCE(SUM(n), 0), %d) FROM order_counts", ORDER_LIST_COUNT_MAX + 1);
		sql_where(db, b, shop_id, tz, wf, q, true);
	} else {
		buf_puts(b, ";SELECT COUNT(*) FROM (SELECT 1 FROM orders");
		sql_force_index(b, list_index(q, SORT_PLACED));
		sql_where(db, b, shop_id, tz, wf, q, false);
		buf_printf(b, " LIMIT %d) c", ORDER_LIST_COUNT_MAX + 1);
	}
}

int
order_list_read(struct arena *a, const struct order_list_query *q, const struct db_result *res,
    struct order_list_page *p)
{
	size_t i, n;

	memset(p, 0, sizeof(*p));
	if (res[0].ncols != LC_NCOLS || res[1].nrows != 1) {
		log_error("order list: the query returns %zu columns, its enum names %d", res[0].ncols, LC_NCOLS);
		return LIST_ERROR;
	}
	p->count = db_ll(&res[1], 0, 0);
	n = res[0].nrows > ORDER_LIST_PAGE ? ORDER_LIST_PAGE : res[0].nrows;
	p->rows = arena_alloc(a, (n ? n : 1) * sizeof(*p->rows));
	p->nrows = n;
	for (i = 0; i < n; i++)
		/* Read backwards before a cursor: put back in the list's order. */
		row_read(&res[0].rows[i], q->sort, &p->rows[q->cursor < 0 ? n - 1 - i : i]);
	if (q->cursor < 0) {
		p->has_prev = res[0].nrows > ORDER_LIST_PAGE;
		p->has_next = true;
	} else {
		p->has_next = res[0].nrows > ORDER_LIST_PAGE;
		p->has_prev = q->cursor > 0;
	}
	return LIST_OK;
}

int
order_list_select(struct db *db, struct arena *a, long long shop_id, const char *tz,
    const struct order_list_query *q, size_t max, struct order_list_row **rows, size_t *n)
{
	struct order_list_query all = *q;
	const struct wf_workflow *wf;
	struct db_result res;
	struct buf b;
	size_t i;
	int rc;

	*rows = NULL;
	*n = 0;
	all.cursor = 0;
	if (wf_get(db, a, shop_id, &wf) != WF_OK)
		return LIST_ERROR;
	buf_init(&b, 64 * 1024);
	sql_select(db, &b, shop_id, tz, wf, &all, max + 1);   /* one past: "more than max" */
	rc = db_batch(db, a, &b, 0, &res, 1, NULL);
	buf_free(&b);
	if (rc != DB_OK)
		return LIST_ERROR;
	if (res.ncols != LC_NCOLS) {
		log_error("order list: the query returns %zu columns, its enum names %d", res.ncols, LC_NCOLS);
		return LIST_ERROR;
	}
	if (res.nrows > max)
		return LIST_TOO_LONG;
	*rows = arena_alloc(a, (res.nrows ? res.nrows : 1) * sizeof(**rows));
	for (i = 0; i < res.nrows; i++)
		row_read(&res.rows[i], all.sort, &(*rows)[i]);
	*n = res.nrows;
	return LIST_OK;
}

static const char sql_find_code[] = "SELECT code FROM orders WHERE shop_id = ? AND code = ?";
static const char sql_find_number[] = "SELECT code FROM orders WHERE shop_id = ? AND number = ?";

int
order_list_find(struct db *db, struct arena *a, long long shop_id, const char *typed, const char **code)
{
	struct db_result res;
	char norm[ORDER_CODE_LEN + 1];
	const char *s = typed;
	long long number;
	int rc;

	*code = NULL;
	while (*s == ' ' || *s == '#')
		s++;
	if (is_int(s, &number) && number > 0) {
		rc = db_exec(db, a, &res, sql_find_number, DB_PARAMS(DB_I64(shop_id), DB_I64(number)));
		if (rc != DB_OK)
			return LIST_ERROR;
		if (res.nrows == 1) {
			*code = db_str(&res, 0, 0);
			return LIST_OK;
		}
	}
	if (!order_code_normalise(typed, norm))
		return LIST_NOT_FOUND;
	if (db_exec(db, a, &res, sql_find_code, DB_PARAMS(DB_I64(shop_id), DB_STR(norm))) != DB_OK)
		return LIST_ERROR;
	if (res.nrows != 1)
		return LIST_NOT_FOUND;
	*code = db_str(&res, 0, 0);
	return LIST_OK;
}

/* The page's values. */

static const char *
customer_name(struct arena *a, const struct order_list_row *o)
{
	const char *f = o->first_name ? o->first_name : "", *l = o->last_name ? o->last_name : "";
	size_t nf = strlen(f), nl = strlen(l), sp = nf && nl;
	char *s = arena_alloc(a, nf + sp + nl + 1);

	memcpy(s, f, nf);
	s[nf] = ' ';
	memcpy(s + nf + sp, l, nl + 1);
	return s;
}

/* "2026-11-03T14:05:00.000000Z", the <time> element's, from placed_at as
 * MariaDB writes it ("2026-11-03 14:05:00.000000"). */
static void
iso_time(char out[32], const char *placed_at)
{
	size_t n = placed_at ? strlen(placed_at) : 0;

	if (n > 29)
		n = 29;
	memcpy(out, placed_at ? placed_at : "", n);
	if (n > 10 && out[10] == ' ')
		out[10] = 'T';
	out[n] = 'Z';
	out[n + 1] = '\0';
}

/* A state's label, looked up (gettext) once per page and value rather
 * than once per row. */
struct label_memo {
	const char *const *codes;
	size_t n;
	const char *(*label)(const char *);
	const char *text[8];
};

_Static_assert(NELEM(payment_states) <= 8 && NELEM(shipping_states) <= 8, "label_memo holds 8 labels");

static const char *
memo_label(struct label_memo *m, const char *code)
{
	size_t i;

	for (i = 0; code && i < m->n; i++)
		if (strcmp(m->codes[i], code) == 0)
			return m->text[i] ? m->text[i] : (m->text[i] = m->label(code));
	return m->label(code);
}

/* "10 000" in French (no-break space), "10,000" in English. */
static const char *
count_text(struct arena *a, long long n, const char *lang)
{
	bool en = lang && strcmp(lang, "en") == 0;

	if (n < 1000)
		return arena_printf(a, "%lld", n);
	return arena_printf(a, "%lld%s%03lld", n / 1000, en ? "," : "\u202f", n % 1000);
}

static void
options(struct tpl_vars *v, const char *key, const char *const *codes, size_t n, const char *chosen,
    const char *(*label)(const char *))
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct tpl_vars *o = tpl_list_add(v, key);

		tpl_set_str(o, "value", codes[i]);
		tpl_set_str(o, "label", label(codes[i]));
		tpl_set_bool(o, "selected", chosen && strcmp(chosen, codes[i]) == 0);
	}
}

/* The shop's statuses in their order; a retired one says so (old orders
 * keep it, and can be found by it). */
static void
status_options(struct tpl_vars *v, struct arena *a, const struct wf_workflow *wf, const char *chosen)
{
	const struct wf_status *s;
	size_t i;

	for (i = 0; (s = wf_status_at(wf, i)); i++) {
		struct tpl_vars *o = tpl_list_add(v, "statuses");
		const char *label = wf_status_label(s, i18n_lang());

		tpl_set_str(o, "value", s->code);
		tpl_set_str(o, "label", s->retired ? arena_printf(a, _("%s (retired)"), label) : label);
		tpl_set_bool(o, "selected", chosen && strcmp(chosen, s->code) == 0);
	}
}

static const char *
href(struct arena *a, struct buf *qs)
{
	const char *h = qs->len ? arena_printf(a, "/orders?%s", buf_str(qs)) : "/orders";

	buf_reset(qs);
	return h;
}

static const char *
cursor_href(struct arena *a, const struct order_list_query *q, const char *which,
    const struct order_list_row *o)
{
	struct buf qs;
	const char *h;

	buf_init(&qs, 8192);
	order_list_query_string(q, SORT_N, false, &qs);
	qs_add(&qs, which, o->key);
	buf_printf(&qs, "&id=%lld", o->id);
	h = href(a, &qs);
	buf_free(&qs);
	return h;
}

void
order_list_fill(const struct order_list_query *q, const struct order_list_page *p, const struct wf_workflow *wf,
    struct arena *a, const char *lang, const char *tz, struct tpl_vars *v)
{
	static const char *const sort_labels[SORT_N] = {
		[SORT_PLACED] = N_("Date"), [SORT_NUMBER] = N_("Order"), [SORT_TITLE] = N_("Title"),
		[SORT_CUSTOMER] = N_("Customer"), [SORT_PRODUCT] = N_("Product"), [SORT_TOTAL] = N_("Total"),
	};
	struct tpl_vars *f = tpl_set_map(v, "filter"), *h = tpl_set_map(v, "sort"), *t = tpl_set_map(v, "t");
	struct label_memo paid = { payment_states, NELEM(payment_states), order_payment_state_label, { 0 } };
	struct label_memo shipped = { shipping_states, NELEM(shipping_states), order_shipping_state_label, { 0 } };
	struct buf qs;
	char s[64];
	size_t i;

	/* The words each row repeats (data-label for the phone's layout),
	 * translated once for the page rather than once per row. */
	tpl_set_str(t, "tick", _("Tick"));
	tpl_set_str(t, "order", _("Order"));
	tpl_set_str(t, "date", _("Date"));
	tpl_set_str(t, "customer", _("Customer"));
	tpl_set_str(t, "title", _("Title"));
	tpl_set_str(t, "total", _("Total"));
	tpl_set_str(t, "payment", _("Payment"));
	tpl_set_str(t, "shipping", _("Shipping"));
	tpl_set_str(t, "status", _("Status"));

	buf_init(&qs, 8192);
	status_options(f, a, wf, q->status);
	options(f, "methods", payment_methods, NELEM(payment_methods), q->payment_method, order_payment_method_label);
	options(f, "payment_states", payment_states, NELEM(payment_states), q->payment_state, order_payment_state_label);
	options(f, "shipping_states", shipping_states, NELEM(shipping_states), q->shipping_state, order_shipping_state_label);
	options(f, "carriers", carriers, NELEM(carriers), q->carrier, order_carrier_label);
	tpl_set_str(f, "month", q->month);
	tpl_set_str(f, "from", q->from);
	tpl_set_str(f, "to", q->to);
	tpl_set_bool(f, "completed", q->completed);
	tpl_set_bool(f, "cancelled", q->cancelled);
	tpl_set_bool(f, "on_hold", q->on_hold);
	tpl_set_bool(f, "sale", q->sale);
	tpl_set_bool(f, "asc", q->asc);

	/* Column heads: a link to this sort, the other way when it is the
	 * current one (text sorts start ascending, the others newest or
	 * largest first). */
	for (i = 0; i < SORT_N; i++) {
		struct tpl_vars *c = tpl_set_map(h, sorts[i].name);
		bool cur = q->sort == (enum order_sort)i;
		bool asc = cur ? !q->asc : sorts[i].kind == KEY_TEXT;

		struct tpl_vars *o = tpl_list_add(f, "sorts");

		tpl_set_str(o, "value", sorts[i].name);
		tpl_set_str(o, "label", _(sort_labels[i]));
		tpl_set_bool(o, "selected", cur);
		order_list_query_string(q, (enum order_sort)i, asc, &qs);
		tpl_set_str(c, "href", href(a, &qs));
		tpl_set_str(c, "label", _(sort_labels[i]));
		tpl_set_str(c, "aria", cur ? (q->asc ? "ascending" : "descending") : "none");
		tpl_set_str(c, "arrow", cur ? (q->asc ? "▲" : "▼") : "");
	}

	order_list_query_string(q, SORT_N, false, &qs);
	tpl_set_str(v, "query", buf_str(&qs));
	tpl_set_str(v, "csv_href", qs.len ? arena_printf(a, "/orders.csv?%s", buf_str(&qs)) : "/orders.csv");
	buf_reset(&qs);

	for (i = 0; i < p->nrows; i++) {
		const struct order_list_row *o = &p->rows[i];
		struct tpl_vars *r = tpl_list_add(v, "orders");

		tpl_set_str(r, "code", o->code);
		tpl_set_int(r, "version", o->version);
		if (o->number)
			tpl_set_int(r, "number", o->number);
		datetime_format(s, sizeof(s), o->placed_at, tz, lang);
		tpl_set_str(r, "placed_at", s);
		iso_time(s, o->placed_at);
		tpl_set_str(r, "placed_at_iso", s);
		tpl_set_str(r, "customer", customer_name(a, o));
		tpl_set_str(r, "customer_code", o->customer_code);
		tpl_set_str(r, "title", o->title && *o->title ? o->title : o->first_product);
		money_format(s, sizeof(s), o->total_cents, o->currency, lang);
		tpl_set_str(r, "total", s);
		tpl_set_str(r, "payment_state", o->payment_state);
		tpl_set_str(r, "payment_state_label", memo_label(&paid, o->payment_state));
		tpl_set_str(r, "shipping_state", o->shipping_state);
		tpl_set_str(r, "shipping_state_label", memo_label(&shipped, o->shipping_state));
		tpl_set_str(r, "status", o->status);
		tpl_set_str(r, "status_label", order_status_label(wf, o->status));
	}
	if (p->nrows && p->has_next)
		tpl_set_str(v, "next_href", cursor_href(a, q, "after", &p->rows[p->nrows - 1]));
	if (p->nrows && p->has_prev)
		tpl_set_str(v, "prev_href", cursor_href(a, q, "before", &p->rows[0]));
	if (p->count > ORDER_LIST_COUNT_MAX)
		tpl_set_str(v, "count", arena_printf(a, _("more than %s orders"),
		    count_text(a, ORDER_LIST_COUNT_MAX, lang)));
	else if (p->count == 1)
		tpl_set_str(v, "count", _("1 order"));
	else
		tpl_set_str(v, "count", arena_printf(a, _("%s orders"), count_text(a, p->count, lang)));
	tpl_set_bool(v, "empty", p->nrows == 0);
	buf_free(&qs);
}

/* CSV. */

void
csv_cell(struct buf *out, const char *s, size_t len, char sep)
{
	bool formula = len && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
	    s[0] == '\t' || s[0] == '\r');
	bool quote = formula;
	size_t i;

	for (i = 0; i < len && !quote; i++)
		if (s[i] == sep || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = true;
	if (!quote) {
		buf_append(out, s, len);
		return;
	}
	buf_putc(out, '"');
	if (formula)
		buf_putc(out, '\'');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			buf_putc(out, '"');
		buf_putc(out, s[i]);
	}
	buf_putc(out, '"');
}

struct csv_ctx {
	struct buf *out;
	int (*flush)(void *ctx);
	void *ctx;
	const char *tz, *lang;
	const struct wf_workflow *wf;
	enum order_sort sort;
	char sep;
	bool en;
	bool stopped;
};

static void
cell(struct csv_ctx *c, const char *s, bool last)
{
	csv_cell(c->out, s ? s : "", s ? strlen(s) : 0, c->sep);
	if (last)
		buf_puts(c->out, "\r\n");
	else
		buf_putc(c->out, c->sep);
}

static int
csv_row(void *p, const struct db_row *r, size_t ncols)
{
	struct csv_ctx *c = p;
	struct order_list_row o;
	char s[64];
	long long t;

	if (ncols != LC_NCOLS) {
		log_error("order export: the query returns %zu columns, its enum names %d", ncols, LC_NCOLS);
		return LIST_ERROR;
	}
	row_read(r, c->sort, &o);
	snprintf(s, sizeof(s), "%lld", o.number);
	cell(c, o.number ? s : "", false);
	cell(c, o.code, false);
	datetime_format(s, sizeof(s), o.placed_at, c->tz, c->lang);
	cell(c, s, false);
	cell(c, o.first_name, false);
	cell(c, o.last_name, false);
	cell(c, o.customer_code, false);
	cell(c, o.title, false);
	cell(c, o.first_product, false);
	/* A number a spreadsheet reads: no thousands separator, no symbol. */
	t = o.total_cents < 0 ? -o.total_cents : o.total_cents;
	snprintf(s, sizeof(s), "%s%lld%c%02lld", o.total_cents < 0 ? "-" : "", t / 100, c->en ? '.' : ',', t % 100);
	buf_append(c->out, s, strlen(s));   /* never a formula: a minus sign here is a number */
	buf_putc(c->out, c->sep);
	cell(c, o.currency, false);
	cell(c, o.payment_method, false);
	cell(c, order_payment_state_label(o.payment_state), false);
	cell(c, order_shipping_state_label(o.shipping_state), false);
	cell(c, o.carrier, false);
	cell(c, order_status_label(c->wf, o.status), true);
	if (c->out->len > 16 * 1024 && c->flush(c->ctx) != 0) {
		c->stopped = true;
		return LIST_STOPPED;
	}
	return 0;
}

int
order_list_csv(struct db *db, long long shop_id, const char *tz, const char *lang,
    const struct order_list_query *q, struct buf *out, int (*flush)(void *ctx), void *ctx)
{
	struct csv_ctx c = { out, flush, ctx, tz, lang, NULL, q->sort, ',', false, false };
	const char *heads[] = {
		N_("Number"), N_("Code"), N_("Date"), N_("First name"), N_("Last name"), N_("Customer code"),
		N_("Title"), N_("First product"), N_("Total"), N_("Currency"), N_("Payment method"),
		N_("Payment"), N_("Shipping"), N_("Carrier"), N_("Status"),
	};
	struct order_list_query all = *q;
	struct arena a;
	struct buf sql;
	size_t i;
	int rc;

	arena_init(&a, 0);
	if (wf_get(db, &a, shop_id, &c.wf) != WF_OK) {
		arena_free(&a);
		return LIST_ERROR;
	}
	c.en = lang && strcmp(lang, "en") == 0;
	c.sep = c.en ? ',' : ';';
	buf_puts(out, "\xEF\xBB\xBF");
	for (i = 0; i < NELEM(heads); i++)
		cell(&c, _(heads[i]), i + 1 == NELEM(heads));
	all.cursor = 0;   /* every page */
	buf_init(&sql, 64 * 1024);
	sql_select(db, &sql, shop_id, tz, c.wf, &all, 0);
	rc = db_stream(db, &sql, csv_row, &c);
	buf_free(&sql);
	arena_free(&a);
	if (c.stopped)
		return LIST_STOPPED;
	if (rc != DB_OK)
		return LIST_ERROR;
	return flush(ctx) == 0 ? LIST_OK : LIST_STOPPED;
}

/* Saved views. */

enum view_col { VC_ID, VC_NAME, VC_QUERY, VC_SHARED, VC_MINE, VC_NCOLS };

/* The shop's views are a few dozen rows made by hand: read them all by
 * the primary key (FORCE INDEX spares the optimizer weighing a merge of
 * the other two indexes on every list page). */
void
saved_view_sql(struct buf *b, long long shop_id, long long staff_id)
{
	buf_puts(b, b->len ? ";SELECT" : "SELECT");
	buf_puts(b, " id, name, query, shared, staff_id = ");
	sql_int(b, staff_id);
	buf_puts(b, " FROM saved_views FORCE INDEX (PRIMARY) WHERE shop_id = ");
	sql_int(b, shop_id);
	buf_puts(b, " AND (staff_id = ");
	sql_int(b, staff_id);
	buf_puts(b, " OR shared = 1) ORDER BY name, id LIMIT 100");
}

int
saved_view_read(struct arena *a, const struct db_result *res, struct saved_view **out, size_t *n)
{
	size_t i;

	*out = NULL;
	*n = 0;
	if (res->ncols != VC_NCOLS) {
		log_error("saved views: the query returns %zu columns, its enum names %d", res->ncols, VC_NCOLS);
		return LIST_ERROR;
	}
	*out = arena_alloc(a, (res->nrows ? res->nrows : 1) * sizeof(**out));
	for (i = 0; i < res->nrows; i++) {
		struct saved_view *w = &(*out)[i];

		w->id = db_ll(res, i, VC_ID);
		w->name = db_str(res, i, VC_NAME);
		w->query = db_str(res, i, VC_QUERY);
		w->shared = db_ll(res, i, VC_SHARED) != 0;
		w->mine = db_ll(res, i, VC_MINE) != 0;
	}
	*n = res->nrows;
	return LIST_OK;
}

static const char sql_view_add[] =
	"INSERT INTO saved_views (shop_id, staff_id, name, query, shared) VALUES (?, ?, ?, ?, ?)";
static const char sql_view_delete[] =
	"DELETE FROM saved_views WHERE shop_id = ? AND id = ? AND staff_id = ?";

/* A view added (id 0) or deleted, and the desk's mark in the same
 * transaction: the list shows the views from the desk's cache. */
struct view_tx {
	struct arena *a;
	long long shop_id, staff_id, id;
	const char *name, *query;
	bool shared;
	unsigned long long affected;
};

static int
view_tx_run(struct db *db, void *p)
{
	struct view_tx *c = p;
	struct db_result res;
	int rc;

	if (c->id)
		rc = db_exec(db, c->a, &res, sql_view_delete, DB_PARAMS(DB_I64(c->shop_id), DB_I64(c->id),
		    DB_I64(c->staff_id)));
	else
		rc = db_exec(db, c->a, &res, sql_view_add, DB_PARAMS(DB_I64(c->shop_id), DB_I64(c->staff_id),
		    DB_STR(c->name), DB_STR(c->query), DB_I64(c->shared)));
	if (rc != DB_OK)
		return rc;
	if ((c->affected = res.affected))
		db_desk_changed(db, c->shop_id);
	return DB_OK;
}

int
saved_view_add(struct db *db, struct arena *a, long long shop_id, long long staff_id,
    const char *name, const char *query, bool shared)
{
	struct view_tx c = { .a = a, .shop_id = shop_id, .staff_id = staff_id };
	size_t i, len;

	while (name && *name == ' ')
		name++;
	len = name ? strlen(name) : 0;
	while (len && name[len - 1] == ' ')
		len--;
	if (len == 0)
		return LIST_EMPTY;
	name = arena_strndup(a, name, len);
	if (!utf8_valid(name, len))
		return LIST_BAD;
	for (i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20)
			return LIST_BAD;
	if (utf8_chars(name) > ORDER_VIEW_NAME_MAX || strlen(query) > 1000)
		return LIST_TOO_LONG;
	c.name = name;
	c.query = query;
	c.shared = shared;
	return db_tx(db, view_tx_run, &c) == DB_OK ? LIST_OK : LIST_ERROR;
}

int
saved_view_delete(struct db *db, struct arena *a, long long shop_id, long long staff_id, long long id)
{
	struct view_tx c = { .a = a, .shop_id = shop_id, .staff_id = staff_id, .id = id };

	if (db_tx(db, view_tx_run, &c) != DB_OK)
		return LIST_ERROR;
	return c.affected ? LIST_OK : LIST_NOT_FOUND;
}
