/* The lines of an order edited (/orders/{code}/lines, W9) and the quotes
 * (/quotes, W7): one editor, templates/pages/lines/editor.html, for both. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/conf.h"
#include "orders/code.h"
#include "orders/lines_edit.h"
#include "orders/order_view.h"
#include "orders/quote.h"
#include "orders/workflow.h"
#include "pages/page.h"
#include "stock/stock_view.h"
#include "util/datetime.h"
#include "util/i18n.h"
#include "util/log.h"

static void
set_money(struct request *r, struct tpl_vars *v, const char *key, long long cents, const char *currency)
{
	char m[64];

	money_format(m, sizeof(m), cents, currency, r->locale);
	tpl_set_str(v, key, m);
}

/* What the editor shows of a document's lines and totals, in map `doc`. */
struct doc_in {
	const char *action;          /* where its forms post */
	long long version;
	bool editable;
	const struct order_line *lines;
	size_t nlines;
	const struct order_totals *totals;
	bool include_vat;
	const char *currency;
	const struct order_line_stock *stock;   /* an order's, or NULL */
};

static void
doc_fill(struct request *r, struct tpl_vars *v, const struct doc_in *d)
{
	struct tpl_vars *doc = tpl_set_map(v, "doc"), *t;
	char s[32];
	size_t i;

	tpl_set_str(doc, "action", d->action);
	tpl_set_int(doc, "version", d->version);
	tpl_set_bool(doc, "editable", d->editable);
	for (i = 0; i < d->nlines; i++) {
		const struct order_line *l = &d->lines[i];
		struct tpl_vars *x = tpl_list_add(doc, "lines");

		tpl_set_int(x, "line_no", l->line_no);
		tpl_set_str(x, "sku", l->sku);
		tpl_set_str(x, "name", l->name);
		tpl_set_int(x, "quantity", l->quantity);
		set_money(r, x, "unit_price", l->unit_price_cents, d->currency);
		vat_rate_format(s, sizeof(s), l->vat_rate, r->locale);
		tpl_set_str(x, "vat_rate", s);
		set_money(r, x, "total", l->total_cents, d->currency);
		if (d->stock && d->stock[i].known && d->stock[i].tracked)
			tpl_set_str(x, "stock", arena_printf(r->arena, "%lld", d->stock[i].available));
	}
	tpl_set_bool(doc, "has_stock", d->stock != NULL);
	t = tpl_set_map(doc, "totals");
	tpl_set_bool(t, "include_vat", d->include_vat);
	set_money(r, t, "lines", d->totals->lines_cents, d->currency);
	set_money(r, t, "shipping", d->totals->shipping_cents, d->currency);
	set_money(r, t, "ex_vat", d->totals->total_ex_vat_cents, d->currency);
	set_money(r, t, "vat", d->totals->total_vat_cents, d->currency);
	set_money(r, t, "total", d->totals->total_cents, d->currency);
}

/* A refused change: the message, what was typed, and the products a name
 * search found (to pick one). */
struct doc_echo {
	const char *message;
	const char *find;
	const struct stock_list *choices;
};

static void
echo_fill(struct tpl_vars *v, const struct doc_echo *e)
{
	struct tpl_vars *doc = tpl_set_map(v, "doc");
	size_t i;

	if (!e)
		return;
	tpl_set_str(doc, "message", e->message);
	tpl_set_str(doc, "find", e->find);
	for (i = 0; e->choices && i < e->choices->n; i++) {
		struct tpl_vars *c = tpl_list_add(doc, "choices");

		tpl_set_str(c, "sku", e->choices->rows[i].sku);
		tpl_set_str(c, "name", e->choices->rows[i].name);
	}
}

/* A count from the form, 0 to LINES_MAX_QUANTITY; -1 when it is not one. */
static long long
form_count(struct request *r, const char *key)
{
	const char *s = req_form(r, key);
	char *end;
	long long v;

	if (!s || !*s)
		return -1;
	v = strtoll(s, &end, 10);
	return *end == '\0' && v >= 0 && v <= LINES_MAX_QUANTITY ? v : -1;
}

/* ---- an order's lines ------------------------------------------------------- */

static void
render_order_lines(struct request *r, const char *code, int status, const struct doc_echo *e)
{
	struct tpl_vars *v = page_vars(r);
	struct order_view ov;
	int rc = order_view_load(r->db, r->arena, r->shop->id, code, &ov);

	if (rc != 0) {
		page_error(r, rc < 0 ? 503 : 404);
		return;
	}
	order_view_fill(&ov, r->arena, r->locale, r->shop->timezone, v);
	doc_fill(r, v, &(struct doc_in){ arena_printf(r->arena, "/orders/%s/lines", code), ov.version,
	    lines_order_editable(ov.wf, ov.o.status, ov.o.shipping_state, ov.invoice_number != NULL), ov.o.lines,
	    ov.o.nlines, &ov.o.totals, ov.o.prices_include_vat, ov.o.currency, ov.stock });
	echo_fill(v, e);
	page_render(r, "order_lines", v, arena_printf(r->arena, "%s — %s", _("Products"),
	    ov.o.number ? arena_printf(r->arena, _("Order %lld"), ov.o.number) : arena_printf(r->arena,
	    _("Order %s"), ov.o.code)));
	if (r->status == 200)
		r->status = status;
}

void
order_lines_get(struct request *r)
{
	char code[ORDER_CODE_LEN + 1];

	if (!order_page_code(r, code)) {
		page_error(r, 404);
		return;
	}
	render_order_lines(r, code, 200, NULL);
}

/* ---- a quote ----------------------------------------------------------------- */

static const char *
quote_event_text(struct request *r, const struct quote_event *e, const char *currency)
{
	json_t *d;
	const char *s, *text;

	if (strcmp(e->action, "quote.lines_changed") == 0)
		return lines_change_text(r->arena, e->details, currency, r->locale);
	d = json_loads(e->details ? e->details : "{}", 0, NULL);
	s = json_string_value(json_object_get(d, strcmp(e->action, "quote.created") == 0 ? "from_order" : "order"));
	s = arena_strdup(r->arena, s ? s : "");
	json_decref(d);
	if (strcmp(e->action, "quote.created") == 0)
		text = arena_printf(r->arena, _("Quote made from order %s"), s);
	else if (strcmp(e->action, "quote.converted") == 0)
		text = arena_printf(r->arena, _("Became order %s"), s);
	else
		text = e->action;
	return text;
}

static void
set_date(struct request *r, struct tpl_vars *v, const char *key, const char *iso)
{
	char s[64];

	datetime_format(s, sizeof(s), iso, r->shop->timezone, r->locale);
	tpl_set_str(v, key, s);
	tpl_set_str(v, arena_printf(r->arena, "%s_iso", key), iso);
}

static void
render_quote(struct request *r, const char *code, int status, const struct doc_echo *e, const char *convert_error)
{
	struct tpl_vars *v = page_vars(r), *qv, *c, *ad;
	struct quote q;
	size_t i;
	int rc = quote_load(r->db, r->arena, r->shop->id, code, &q);

	if (rc != 0) {
		page_error(r, rc < 0 ? 503 : 404);
		return;
	}
	qv = tpl_set_map(v, "quote");
	tpl_set_str(qv, "code", q.code);
	tpl_set_int(qv, "version", q.version);
	set_date(r, qv, "created_at", q.created_at);
	if (q.from_order)
		tpl_set_str(qv, "from_order", q.from_order);
	if (q.order)
		tpl_set_str(qv, "order", q.order);
	tpl_set_bool(qv, "open", !q.order);
	if (convert_error)
		tpl_set_str(qv, "convert_error", convert_error);
	set_money(r, qv, "total", q.totals.total_cents, q.currency);
	if (*q.payment_method)
		tpl_set_str(qv, "payment_method_label", order_payment_method_label(q.payment_method));
	if (*q.carrier)
		tpl_set_str(qv, "carrier_label", order_carrier_label(q.carrier));
	c = tpl_set_map(qv, "customer");
	tpl_set_str(c, "name", arena_printf(r->arena, "%s%s%s%s%s", q.customer.title, *q.customer.title ? " " : "",
	    q.customer.first_name, *q.customer.first_name ? " " : "", q.customer.last_name));
	tpl_set_str(c, "email", q.customer.email);
	tpl_set_str(c, "phone", q.customer.phone);
	if (q.shipping.name) {
		ad = tpl_set_map(qv, "shipping");
		tpl_set_str(ad, "text", arena_printf(r->arena, "%s, %s, %s %s, %s", q.shipping.name, q.shipping.line1,
		    q.shipping.postcode, q.shipping.city, q.shipping.country));
	}
	for (i = 0; i < q.nevents; i++) {
		struct tpl_vars *x = tpl_list_add(qv, "events");

		set_date(r, x, "at", q.events[i].at);
		tpl_set_str(x, "who", *q.events[i].actor_label ? q.events[i].actor_label : _("A staff member"));
		tpl_set_str(x, "what", quote_event_text(r, &q.events[i], q.currency));
	}
	doc_fill(r, v, &(struct doc_in){ arena_printf(r->arena, "/quotes/%s/lines", q.code), q.version, !q.order,
	    q.lines, q.nlines, &q.totals, q.prices_include_vat, q.currency, NULL });
	echo_fill(v, e);
	page_render(r, "quote", v, arena_printf(r->arena, _("Quote %s"), q.code));
	if (r->status == 200)
		r->status = status;
}

void
quote_get(struct request *r)
{
	char code[ORDER_CODE_LEN + 1];

	if (!order_page_code(r, code)) {
		page_error(r, 404);
		return;
	}
	render_quote(r, code, 200, NULL, NULL);
}

void
quotes_get(struct request *r)
{
	struct tpl_vars *v = page_vars(r);
	struct quote_row *rows;
	const char *before = req_param(r, "before");
	char *end = NULL;
	long long from = 0;
	size_t i, n;
	bool more;

	if (before && *before) {
		from = strtoll(before, &end, 10);
		if (*end || from <= 0) {
			page_error(r, 400);
			return;
		}
	}
	if (quote_list(r->db, r->arena, r->shop->id, from, &rows, &n, &more) != 0) {
		page_error(r, 503);
		return;
	}
	tpl_set_bool(v, "empty", n == 0);
	for (i = 0; i < n; i++) {
		struct tpl_vars *x = tpl_list_add(v, "quotes");

		tpl_set_str(x, "code", rows[i].code);
		set_date(r, x, "created_at", rows[i].created_at);
		tpl_set_str(x, "customer", rows[i].customer ? rows[i].customer : "");
		tpl_set_str(x, "first_product", rows[i].first_product ? rows[i].first_product : "");
		set_money(r, x, "total", rows[i].total_cents, rows[i].currency);
		if (rows[i].order)
			tpl_set_str(x, "order", rows[i].order);
	}
	if (more)
		tpl_set_str(v, "next_href", arena_printf(r->arena, "/quotes?before=%lld", rows[n - 1].id));
	page_render(r, "quotes", v, _("Quotes"));
}

/* ---- the changes (POST) --------------------------------------------------------- */

static void
lines_render(struct request *r, enum lines_kind kind, const char *code, int status, const struct doc_echo *e)
{
	if (kind == LINES_ORDER)
		render_order_lines(r, code, status, e);
	else
		render_quote(r, code, status, e, NULL);
}

/*
 * op=add with `find` (a SKU, or words of a name as /products searches
 * them: one product found is added, several are offered to pick from)
 * and `quantity`; op=set with `line` and `quantity`; op=remove with
 * `line`. Each with the document's `version`.
 */
static void
lines_post(struct request *r, enum lines_kind kind)
{
	char code[ORDER_CODE_LEN + 1];
	const char *op = req_form(r, "op"), *find = req_form(r, "find"), *why = NULL;
	struct lines_change c = { .kind = kind, .shop_id = r->shop->id, .code = code, .lang = r->locale };
	struct order_actor who;
	struct stock_list found = { 0 };
	struct doc_echo echo = { 0 };
	long long line;
	size_t i;
	int rc;

	if (!order_page_code(r, code)) {
		page_error(r, 404);
		return;
	}
	line = form_count(r, "line");
	c.quantity = form_count(r, "quantity");
	if (!order_page_version(r, &c.version) || !op) {
		page_error(r, 400);
		return;
	}
	if (strcmp(op, "add") == 0) {
		c.op = LINES_ADD;
		find = find ? find : "";
		if (!req_form(r, "quantity") || !*req_form(r, "quantity"))
			c.quantity = 1;
		c.sku = find;             /* a quantity that is not one: lines_edit says why */
		if (*find && strlen(find) <= STOCK_QUERY_MAX) {
			if (stock_list_load(r->db, r->arena, r->shop->id, find, NULL, NULL, &found) != 0) {
				page_error(r, 503);
				return;
			}
			for (i = 0; i < found.n && strcasecmp(found.rows[i].sku, find) != 0; i++)
				;
			if (i < found.n || found.n == 1) {
				c.sku = found.rows[i < found.n ? i : 0].sku;
			} else if (found.n > 1) {
				echo = (struct doc_echo){ _("Several products match: pick one."), find, &found };
				lines_render(r, kind, code, 422, &echo);
				return;
			}
		}
	} else if (strcmp(op, "set") == 0 || strcmp(op, "remove") == 0) {
		c.op = *op == 's' ? LINES_SET : LINES_REMOVE;
		if (line <= 0) {
			page_error(r, 400);
			return;
		}
		c.line_no = (int)line;
		if (c.op == LINES_SET && c.quantity == 0)
			c.op = LINES_REMOVE;        /* 0 typed: the line goes */
	} else {
		page_error(r, 400);
		return;
	}
	who = order_page_actor(r);
	rc = lines_edit(r->db, r->arena, &c, &who, &why);
	echo = (struct doc_echo){ why, c.op == LINES_ADD ? find : NULL, NULL };
	switch (rc) {
	case LINES_OK:
		res_redirect(r, kind == LINES_ORDER ? arena_printf(r->arena, "/orders/%s/lines#lines", code)
		    : arena_printf(r->arena, "/quotes/%s#lines", code));
		return;
	case LINES_NOT_FOUND:
		page_error(r, 404);
		return;
	case LINES_CHANGED:
	case LINES_SHORT:
		lines_render(r, kind, code, 409, &echo);
		return;
	case LINES_REFUSED:
	case LINES_NO_PRODUCT:
	case LINES_INVALID:
		lines_render(r, kind, code, 422, &echo);
		return;
	default:
		page_error(r, 503);
		return;
	}
}

void
order_lines_post(struct request *r)
{
	lines_post(r, LINES_ORDER);
}

void
quote_lines_post(struct request *r)
{
	lines_post(r, LINES_QUOTE);
}

void
order_quote_post(struct request *r)
{
	char code[ORDER_CODE_LEN + 1], quote[ORDER_CODE_LEN + 1];
	struct order_actor who;

	if (!order_page_code(r, code)) {
		page_error(r, 404);
		return;
	}
	who = order_page_actor(r);
	switch (quote_from_order(r->db, r->arena, r->shop->id, code, &who, quote)) {
	case QUOTE_OK:
		res_redirect(r, arena_printf(r->arena, "/quotes/%s", quote));
		return;
	case QUOTE_NOT_FOUND:
		page_error(r, 404);
		return;
	default:
		page_error(r, 503);
		return;
	}
}

void
quote_convert_post(struct request *r)
{
	char code[ORDER_CODE_LEN + 1], order[ORDER_CODE_LEN + 1];
	struct order_actor who;
	const char *why = NULL;
	long long version;
	int rc;

	if (!order_page_code(r, code)) {
		page_error(r, 404);
		return;
	}
	if (!order_page_version(r, &version)) {
		page_error(r, 400);
		return;
	}
	who = order_page_actor(r);
	rc = quote_convert(r->db, r->arena, r->shop, code, version, &who, order, &why);
	switch (rc) {
	case QUOTE_OK:
		res_redirect(r, arena_printf(r->arena, "/orders/%s", order));
		return;
	case QUOTE_NOT_FOUND:
		page_error(r, 404);
		return;
	case QUOTE_REFUSED:
		render_quote(r, code, 422, NULL, why);
		return;
	case QUOTE_CHANGED:
	case QUOTE_SHORT:
		render_quote(r, code, 409, NULL, why);
		return;
	default:
		page_error(r, 503);
		return;
	}
}
