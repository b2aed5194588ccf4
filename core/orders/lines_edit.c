#include "orders/lines_edit.h"

#include <jansson.h>
#include <string.h>

#include "db/db.h"
#include "orders/money.h"
#include "orders/order.h"
#include "orders/order_counts.h"
#include "orders/order_edit.h"
#include "orders/quote.h"
#include "orders/search.h"
#include "orders/workflow.h"
#include "payments/payments.h"
#include "stock/stock.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/i18n.h"
#include "util/log.h"

/* Both kinds answer the same columns, so one enum names them: a quote has
 * no status, stock, payment or invoice, and its created_at stands for
 * placed_at. */
enum head_col { H_ID, H_STATUS, H_VERSION, H_SHIP, H_INVOICE, H_PAY, H_PAID, H_TOTAL, H_HOLD, H_PIV,
	H_SHIPPING, H_PLACED, H_CONVERTED, H_CURRENCY, H_NCOLS };
enum line_col { L_LINE, L_PRODUCT, L_SKU, L_NAME, L_QTY, L_UNIT, L_VAT, L_DISC, L_WEIGHT, L_OPTIONS,
	L_RESERVED, L_NCOLS };
enum product_col { P_ID, P_SKU, P_EAN, P_NAME, P_PRICE, P_VAT, P_WEIGHT, P_CUSTOM, P_ACTIVE, P_NCOLS };

/* The statements of one kind: string literals each (the statement cache
 * is keyed by their address). */
struct lines_sql {
	const char *head, *lines, *insert, *set, *remove;
};
static const struct lines_sql order_sql = {
	"SELECT id, status, version, shipping_state, invoice_number, payment_state, paid_cents, total_cents,"
	" on_hold, prices_include_vat, shipping_cents, placed_at, NULL, currency"
	" FROM orders WHERE shop_id = ? AND code = ? FOR UPDATE",
	"SELECT line_no, product_id, sku, name, quantity, unit_price_cents, vat_rate, discount_cents, weight_g,"
	" options, reserved_stock FROM order_lines WHERE shop_id = ? AND order_id = ? ORDER BY line_no",
	"INSERT INTO order_lines (shop_id, order_id, line_no, product_id, sku, ean, name, options, quantity,"
	" unit_price_cents, vat_rate, discount_cents, total_cents, weight_g, customisable)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, 0, ?, ?, ?)",
	"UPDATE order_lines SET quantity = ?, total_cents = ?, weight_g = ?"
	" WHERE shop_id = ? AND order_id = ? AND line_no = ?",
	"DELETE FROM order_lines WHERE shop_id = ? AND order_id = ? AND line_no = ?",
};
static const struct lines_sql quote_sql = {
	"SELECT id, '', version, 'unshipped', NULL, 'unpaid', 0, total_cents, 0, prices_include_vat,"
	" shipping_cents, created_at, order_id, currency FROM quotes WHERE shop_id = ? AND code = ? FOR UPDATE",
	"SELECT line_no, product_id, sku, name, quantity, unit_price_cents, vat_rate, discount_cents, weight_g,"
	" options, 0 FROM quote_lines WHERE shop_id = ? AND quote_id = ? ORDER BY line_no",
	"INSERT INTO quote_lines (shop_id, quote_id, line_no, product_id, sku, ean, name, options, quantity,"
	" unit_price_cents, vat_rate, discount_cents, total_cents, weight_g, customisable)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, 0, ?, ?, ?)",
	"UPDATE quote_lines SET quantity = ?, total_cents = ?, weight_g = ?"
	" WHERE shop_id = ? AND quote_id = ? AND line_no = ?",
	"DELETE FROM quote_lines WHERE shop_id = ? AND quote_id = ? AND line_no = ?",
};
static const char sql_product[] =
	"SELECT id, sku, ean, name, price_cents, vat_rate, weight_g, customisable, active FROM products"
	" WHERE shop_id = ? AND sku = ?";
static const char sql_order_update[] =
	"UPDATE orders SET first_product = ?, lines_cents = ?, shipping_vat_rate = ?, total_ex_vat_cents = ?,"
	" total_vat_cents = ?, total_cents = ?, vat_breakdown = ?, total_weight_g = ?, payment_state = ?,"
	" version = version + 1 WHERE shop_id = ? AND id = ? AND version = ?";
static const char sql_quote_update[] =
	"UPDATE quotes SET lines_cents = ?, shipping_vat_rate = ?, total_ex_vat_cents = ?, total_vat_cents = ?,"
	" total_cents = ?, vat_breakdown = ?, total_weight_g = ?, version = version + 1"
	" WHERE shop_id = ? AND id = ? AND version = ?";

bool
lines_order_editable(const struct wf_workflow *wf, const char *status, const char *shipping_state,
    bool has_invoice)
{
	return order_edit_allowed(wf, status) && shipping_state && strcmp(shipping_state, "unshipped") == 0 &&
	    !has_invoice;
}

struct lines_tx {
	struct arena *a;
	const struct lines_change *c;
	const struct order_actor *who;
	const char **why;
};

/* The document's lines as they stand, and after the change (`now`). */
struct doc_lines {
	struct order_line *l;
	size_t n;
};

static void
lines_of_rows(struct arena *a, const struct db_result *r, struct doc_lines *d, size_t extra)
{
	size_t i;

	d->l = arena_alloc(a, (r->nrows + extra + 1) * sizeof(*d->l));
	d->n = r->nrows;
	for (i = 0; i < r->nrows; i++) {
		struct order_line *l = &d->l[i];

		memset(l, 0, sizeof(*l));
		l->line_no = (int)db_ll(r, i, L_LINE);
		l->product_id = db_str(r, i, L_PRODUCT) ? db_ll(r, i, L_PRODUCT) : 0;
		l->sku = db_str(r, i, L_SKU);
		l->name = db_str(r, i, L_NAME);
		l->quantity = db_ll(r, i, L_QTY);
		l->unit_price_cents = db_ll(r, i, L_UNIT);
		l->vat_rate = (unsigned)db_ll(r, i, L_VAT);
		l->discount_cents = db_ll(r, i, L_DISC);
		l->weight_g = db_ll(r, i, L_WEIGHT);
		l->options = db_str(r, i, L_OPTIONS);
		l->reserved_stock = db_ll(r, i, L_RESERVED) != 0;
	}
}

/* The search words' view of the lines: line_no i + 1 at index i. */
static size_t
search_lines(struct arena *a, const struct doc_lines *d, struct search_doc_line **out)
{
	size_t i, n = 0;
	struct search_doc_line *s;

	for (i = 0; i < d->n; i++)
		if ((size_t)d->l[i].line_no > n)
			n = (size_t)d->l[i].line_no;
	s = arena_alloc(a, (n ? n : 1) * sizeof(*s));
	memset(s, 0, (n ? n : 1) * sizeof(*s));
	for (i = 0; i < d->n; i++) {
		s[d->l[i].line_no - 1].name = d->l[i].name;
		s[d->l[i].line_no - 1].sku = d->l[i].sku;
	}
	*out = s;
	return n;
}

/* Totals of `d` by the one function; line totals written back. */
static int
totals_of(struct lines_tx *x, struct doc_lines *d, bool include_vat, long long shipping, struct order_totals *t,
    long long *weight)
{
	struct money_line *ml = arena_alloc(x->a, (d->n ? d->n : 1) * sizeof(*ml));
	size_t i, bad = 0;
	int rc;

	*weight = 0;
	for (i = 0; i < d->n; i++) {
		ml[i] = (struct money_line){ d->l[i].unit_price_cents, d->l[i].quantity, d->l[i].discount_cents,
		    d->l[i].vat_rate, 0 };
		*weight += d->l[i].weight_g;
	}
	rc = order_totals(include_vat, ml, d->n, shipping, t, &bad);
	if (rc == MONEY_TOO_MANY_RATES) {
		*x->why = arena_printf(x->a, _("At most %d different VAT rates in one order."), ORDER_MAX_RATES);
		return LINES_INVALID;
	}
	if (rc != MONEY_OK) {
		*x->why = _("The total would be too large.");
		return LINES_INVALID;
	}
	for (i = 0; i < d->n; i++)
		d->l[i].total_cents = ml[i].total_cents;
	return LINES_OK;
}

static const char *
money_text(struct arena *a, long long cents, const char *currency, const char *lang)
{
	char m[64];

	money_format(m, sizeof(m), cents, currency, lang ? lang : "fr");
	return arena_strdup(a, m);
}

/* A refusal of the stock module, in words. */
static int
stock_refusal(struct lines_tx *x, int rc, const struct order_line *l, long long asked, long long left)
{
	if (rc == STOCK_SHORT) {
		*x->why = arena_printf(x->a, _("Not enough stock of %s (%s): %lld asked, %lld available."), l->name,
		    l->sku, asked, left);
		return LINES_SHORT;
	}
	if (rc == STOCK_NOT_FOUND)
		return LINES_NOT_FOUND;
	if (rc > 0) {
		log_error("lines: the stock refused line %d (%d)", l->line_no, rc);
		return LINES_ERROR;
	}
	return rc;
}

/* The product of a SKU for a new line: *p filled, or a refusal. */
static int
product_line(struct db *db, struct lines_tx *x, struct order_line *l)
{
	const struct lines_change *c = x->c;
	struct db_result r;
	int rc;

	if ((rc = db_exec(db, x->a, &r, sql_product, DB_PARAMS(DB_I64(c->shop_id), DB_STR(c->sku)))) != DB_OK)
		return rc;
	if (r.nrows == 0 || r.ncols != P_NCOLS) {
		*x->why = arena_printf(x->a, _("No product of SKU \u201c%s\u201d in the catalogue."), c->sku);
		return LINES_NO_PRODUCT;
	}
	if (db_ll(&r, 0, P_ACTIVE) == 0) {
		*x->why = arena_printf(x->a, _("\u201c%s\u201d is no longer sold."), db_str(&r, 0, P_SKU));
		return LINES_NO_PRODUCT;
	}
	memset(l, 0, sizeof(*l));
	l->product_id = db_ll(&r, 0, P_ID);
	l->sku = db_str(&r, 0, P_SKU);
	l->ean = db_str(&r, 0, P_EAN);
	l->name = db_str(&r, 0, P_NAME);
	l->options = "{}";
	l->unit_price_cents = db_ll(&r, 0, P_PRICE);
	l->vat_rate = (unsigned)db_ll(&r, 0, P_VAT);
	l->weight_g = db_ll(&r, 0, P_WEIGHT);     /* of one: times the quantity below */
	l->customisable = db_ll(&r, 0, P_CUSTOM) != 0;
	return LINES_OK;
}

static int
lines_tx_run(struct db *db, void *p)
{
	struct lines_tx *x = p;
	const struct lines_change *c = x->c;
	const bool is_order = c->kind == LINES_ORDER;
	const struct lines_sql *q = is_order ? &order_sql : &quote_sql;
	const struct wf_workflow *wf = NULL;
	struct db_result h, lr, res;
	struct doc_lines before, now;
	struct order_line added, *l = NULL;
	struct order_totals t;
	const char *currency, *pay_to;
	long long id, from_qty, to_qty, old_total, left = 0, weight;
	size_t i, at;
	int rc, max_line = 0, line_no;
	bool is_new = false;

	if ((rc = db_exec(db, x->a, &h, q->head, DB_PARAMS(DB_I64(c->shop_id), DB_STR(c->code)))) != DB_OK)
		return rc;
	if (h.nrows == 0)
		return LINES_NOT_FOUND;
	if (h.ncols != H_NCOLS) {
		log_error("lines: the head query returns %zu columns, the enum names %d", h.ncols, H_NCOLS);
		return LINES_ERROR;
	}
	id = db_ll(&h, 0, H_ID);
	currency = db_str(&h, 0, H_CURRENCY);
	old_total = db_ll(&h, 0, H_TOTAL);
	if (db_ll(&h, 0, H_VERSION) != c->version) {
		*x->why = is_order ? _("The order changed meanwhile: look at it again, then try again.")
		    : _("The quote changed meanwhile: look at it again, then try again.");
		return LINES_CHANGED;
	}
	if (is_order) {
		if ((rc = wf_get(db, x->a, c->shop_id, &wf)) != WF_OK)
			return rc < 0 ? rc : LINES_ERROR;
		if (!order_edit_allowed(wf, db_str(&h, 0, H_STATUS))) {
			*x->why = _("A completed or cancelled order can no longer be edited.");
			return LINES_REFUSED;
		}
		if (!lines_order_editable(wf, db_str(&h, 0, H_STATUS), db_str(&h, 0, H_SHIP),
		    db_str(&h, 0, H_INVOICE) != NULL)) {
			*x->why = db_str(&h, 0, H_INVOICE) ? _("This order has an invoice: its products can no longer be changed.")
			    : _("This order is shipped, in part or whole: its products can no longer be changed.");
			return LINES_REFUSED;
		}
	} else if (db_str(&h, 0, H_CONVERTED)) {
		*x->why = _("This quote became an order: it can no longer be edited.");
		return LINES_REFUSED;
	}
	if ((rc = db_exec(db, x->a, &lr, q->lines, DB_PARAMS(DB_I64(c->shop_id), DB_I64(id)))) != DB_OK)
		return rc;
	if (lr.ncols != L_NCOLS)
		return LINES_ERROR;
	lines_of_rows(x->a, &lr, &before, 0);
	lines_of_rows(x->a, &lr, &now, 1);
	for (i = 0; i < now.n; i++)
		if (now.l[i].line_no > max_line)
			max_line = now.l[i].line_no;

	if (c->op != LINES_REMOVE && (c->quantity < 1 || c->quantity > LINES_MAX_QUANTITY)) {
		*x->why = _("The quantity must be a whole number from 1 to 100,000.");
		return LINES_INVALID;
	}
	if (c->op == LINES_ADD) {
		if ((rc = product_line(db, x, &added)) != LINES_OK)
			return rc;
		/* A plain line of the product already there takes the quantity. */
		for (i = 0; i < now.n; i++)
			if (now.l[i].product_id == added.product_id && strcmp(now.l[i].options, "{}") == 0 &&
			    now.l[i].discount_cents == 0)
				break;
		if (i < now.n) {
			l = &now.l[i];
		} else {
			if (max_line >= 65535) {
				*x->why = _("This order has too many lines.");
				return LINES_INVALID;
			}
			is_new = true;
			added.line_no = max_line + 1;
			added.quantity = 0;
			now.l[now.n] = added;
			l = &now.l[now.n++];
		}
	} else {
		for (i = 0; i < now.n && now.l[i].line_no != c->line_no; i++)
			;
		if (i == now.n)
			return LINES_NOT_FOUND;
		l = &now.l[i];
	}
	at = (size_t)(l - now.l);
	line_no = l->line_no;
	from_qty = l->quantity;
	to_qty = c->op == LINES_ADD ? from_qty + c->quantity : c->op == LINES_SET ? c->quantity : 0;
	if (to_qty > LINES_MAX_QUANTITY) {
		*x->why = _("The quantity must be a whole number from 1 to 100,000.");
		return LINES_INVALID;
	}
	if (to_qty == from_qty)
		return LINES_OK;          /* the same form again: nothing to record */
	if (to_qty == 0 && now.n == 1) {
		*x->why = is_order ? _("An order keeps at least one product: cancel it instead.")
		    : _("A quote keeps at least one product.");
		return LINES_REFUSED;
	}

	/* The line's weight is per unit for a new line, else the line's own. */
	weight = is_new ? l->weight_g * to_qty : from_qty ? l->weight_g / from_qty * to_qty : 0;
	if (is_new) {
		l->quantity = to_qty;
		l->weight_g = weight;
		if ((rc = db_exec(db, x->a, NULL, q->insert, DB_PARAMS(DB_I64(c->shop_id), DB_I64(id),
		    DB_I64(l->line_no), DB_I64(l->product_id), DB_STR(l->sku), DB_STR(l->ean), DB_STR(l->name),
		    DB_I64(to_qty), DB_I64(l->unit_price_cents), DB_I64(l->vat_rate),
		    DB_I64(l->unit_price_cents * to_qty), DB_I64(weight), DB_I64(l->customisable)))) != DB_OK)
			return rc;
	}
	/* The stock before the line moves (core/stock's contract). */
	if (is_order && to_qty > from_qty) {
		/* A line holding nothing yet (new, or of a product that did not
		 * track stock) reserves its whole quantity. */
		long long want = l->reserved_stock ? to_qty - from_qty : to_qty;

		rc = stock_reserve_line(db, x->a, c->shop_id, id, l->line_no, want, STOCK_CAUSE_EDIT, x->who, &left);
		if (rc != DB_OK)
			return stock_refusal(x, rc, l, want, left);
	} else if (is_order && to_qty < from_qty) {
		rc = stock_release_line(db, x->a, c->shop_id, id, l->line_no, from_qty - to_qty, STOCK_CAUSE_EDIT,
		    x->who);
		if (rc != DB_OK)
			return stock_refusal(x, rc, l, 0, 0);
	}
	if (to_qty == 0) {
		if ((rc = db_exec(db, x->a, NULL, q->remove, DB_PARAMS(DB_I64(c->shop_id), DB_I64(id),
		    DB_I64(l->line_no)))) != DB_OK)
			return rc;
		memmove(l, l + 1, (now.n - at - 1) * sizeof(*l));
		now.n--;
		l = NULL;
	} else {
		l->quantity = to_qty;
		l->weight_g = weight;
	}
	if ((rc = totals_of(x, &now, db_ll(&h, 0, H_PIV) != 0, db_ll(&h, 0, H_SHIPPING), &t, &weight)) != LINES_OK)
		return rc;
	if (l && (rc = db_exec(db, x->a, NULL, q->set, DB_PARAMS(DB_I64(to_qty), DB_I64(l->total_cents),
	    DB_I64(l->weight_g), DB_I64(c->shop_id), DB_I64(id), DB_I64(l->line_no)))) != DB_OK)
		return rc;
	{
		struct buf vat;

		buf_init(&vat, 4096);
		vat_breakdown_json(&t, &vat);
		if (buf_failed(&vat)) {
			buf_free(&vat);
			return LINES_ERROR;
		}
		if (is_order) {
			const char *pay_from = db_str(&h, 0, H_PAY);

			pay_to = pay_from;
			if (db_ll(&h, 0, H_PAID) != 0 && (rc = payment_state_recount(db, x->a, c->shop_id, id,
			    db_ll(&h, 0, H_PAID), t.total_cents, &pay_to)) != DB_OK) {
				buf_free(&vat);
				return rc;
			}
			rc = db_exec(db, x->a, &res, sql_order_update, DB_PARAMS(DB_STR(now.l[0].name),
			    DB_I64(t.lines_cents), DB_I64(t.shipping_vat_rate), DB_I64(t.total_ex_vat_cents),
			    DB_I64(t.total_vat_cents), DB_I64(t.total_cents), DB_STR(buf_str(&vat)), DB_I64(weight),
			    DB_STR(pay_to), DB_I64(c->shop_id), DB_I64(id), DB_I64(c->version)));
		} else {
			pay_to = "unpaid";
			rc = db_exec(db, x->a, &res, sql_quote_update, DB_PARAMS(DB_I64(t.lines_cents),
			    DB_I64(t.shipping_vat_rate), DB_I64(t.total_ex_vat_cents), DB_I64(t.total_vat_cents),
			    DB_I64(t.total_cents), DB_STR(buf_str(&vat)), DB_I64(weight), DB_I64(c->shop_id), DB_I64(id),
			    DB_I64(c->version)));
		}
		buf_free(&vat);
		if (rc != DB_OK)
			return rc;
		if (res.affected != 1) {
			log_error("%s %s: the locked row was not updated", is_order ? "order" : "quote", c->code);
			return LINES_ERROR;
		}
	}
	if (is_order) {
		const struct wf_status *st = wf_status_find(wf, db_str(&h, 0, H_STATUS));
		struct order_tally from = { .status = db_str(&h, 0, H_STATUS), .payment_state = db_str(&h, 0, H_PAY),
		    .shipping_state = db_str(&h, 0, H_SHIP), .on_hold = db_ll(&h, 0, H_HOLD) != 0,
		    .sale = st && (st->flags & WF_SALE), .placed_at = db_str(&h, 0, H_PLACED),
		    .total_cents = old_total }, to = from;
		struct search_doc_line *sb, *sn;
		size_t nb = search_lines(x->a, &before, &sb), nn = search_lines(x->a, &now, &sn);

		to.payment_state = pay_to;
		to.total_cents = t.total_cents;
		if ((rc = order_counts_move(db, x->a, c->shop_id, &from, &to)) != DB_OK ||
		    (rc = search_replace_lines(db, x->a, c->shop_id, id, sb, nb, sn, nn)) != DB_OK)
			return rc;
	}
	{
		const struct order_line *shown;
		json_t *d;

		for (i = 0; i < before.n && before.l[i].line_no != line_no; i++)
			;
		shown = i < before.n ? &before.l[i] : &added;
		d = json_pack("{sssisssssIsIsIsIss}", "op", c->op == LINES_ADD ? "add" : c->op == LINES_SET ? "set" :
		    "remove", "line", line_no, "sku", shown->sku,
		    "name", shown->name, "from", (json_int_t)from_qty, "to", (json_int_t)to_qty,
		    "total_from", (json_int_t)old_total, "total_to", (json_int_t)t.total_cents, "currency", currency);
		if (is_order) {
			if (strcmp(pay_to, db_str(&h, 0, H_PAY)) != 0)
				json_object_set_new(d, "payment_to", json_string(pay_to));
			return order_event_add(db, x->a, c->shop_id, id, x->who, "order.lines_changed", d, NULL);
		}
		return quote_event_add(db, x->a, c->shop_id, id, x->who, "quote.lines_changed", d);
	}
}

int
lines_edit(struct db *db, struct arena *a, const struct lines_change *c, const struct order_actor *who,
    const char **why)
{
	struct lines_tx x = { a, c, who, why };
	int rc;

	*why = NULL;
	if (c->op == LINES_ADD && (!c->sku || !*c->sku)) {
		*why = _("Type the SKU of the product to add.");
		return LINES_NO_PRODUCT;
	}
	rc = db_tx(db, lines_tx_run, &x);
	if (rc >= LINES_OK && rc <= LINES_INVALID)
		return rc;
	log_error("%s %s: the lines could not be changed (%d)", c->kind == LINES_ORDER ? "order" : "quote", c->code,
	    rc);
	return LINES_ERROR;
}

const char *
lines_change_text(struct arena *a, const char *details, const char *currency, const char *lang)
{
	json_t *d = json_loads(details ? details : "{}", 0, NULL);
	const char *op = json_string_value(json_object_get(d, "op")), *sku = json_string_value(json_object_get(d, "sku")),
	    *name = json_string_value(json_object_get(d, "name")), *what, *text;
	long long from = (long long)json_integer_value(json_object_get(d, "from")),
	    to = (long long)json_integer_value(json_object_get(d, "to"));

	what = arena_printf(a, "%s (%s)", name ? name : "", sku ? sku : "");
	if (op && strcmp(op, "remove") == 0)
		text = arena_printf(a, _("Product removed: %s, %lld"), what, from);
	else if (from == 0)
		text = arena_printf(a, _("Product added: %s, %lld"), what, to);
	else
		text = arena_printf(a, _("Quantity of %s changed from %lld to %lld"), what, from, to);
	text = arena_printf(a, "%s; %s", text, arena_printf(a, _("total %s \u2192 %s"),
	    money_text(a, (long long)json_integer_value(json_object_get(d, "total_from")), currency, lang),
	    money_text(a, (long long)json_integer_value(json_object_get(d, "total_to")), currency, lang)));
	json_decref(d);
	return text;
}
