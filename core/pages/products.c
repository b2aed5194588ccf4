/* The products pages: /products lists the shop's stock (on hand, reserved,
 * available, threshold: St2, St3) with the orders waiting for each
 * product (St4); /products/{sku} shows one product's waiting orders and
 * history, and its form to adjust the stock with a reason. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "auth/session.h"
#include "catalog/product.h"
#include "conf/conf.h"
#include "orders/workflow.h"
#include "pages/page.h"
#include "stock/stock.h"
#include "stock/stock_view.h"
#include "util/datetime.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/utf8.h"

static const char *
order_label(struct request *r, const char *code, long long number)
{
	return number ? arena_printf(r->arena, "%lld", number) : code;
}

static const char *
status_label(struct request *r, const char *code)
{
	const struct wf_workflow *wf;
	const struct wf_status *st;

	if (wf_get(r->db, r->arena, r->shop->id, &wf) != WF_OK || !(st = wf_status_find(wf, code)))
		return code;
	return wf_status_label(st, r->locale);
}

static void
fill_waiting(struct request *r, struct tpl_vars *v, const struct stock_waiting *w, size_t n, long long total)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct tpl_vars *o = tpl_list_add(v, "waiting");

		tpl_set_str(o, "code", w[i].code);
		tpl_set_str(o, "label", order_label(r, w[i].code, w[i].number));
		tpl_set_str(o, "status_label", status_label(r, w[i].status));
		tpl_set_int(o, "quantity", w[i].quantity);
	}
	tpl_set_int(v, "waiting_total", total);
	if (total > (long long)n)
		tpl_set_int(v, "waiting_more", total - (long long)n);
}

static void
fill_stock(struct tpl_vars *v, const struct stock_row *p)
{
	tpl_set_str(v, "sku", p->sku);
	tpl_set_str(v, "name", p->name);
	tpl_set_bool(v, "tracked", p->track_stock);
	tpl_set_bool(v, "inactive", !p->active);
	tpl_set_int(v, "on_hand", p->on_hand);
	tpl_set_int(v, "reserved", p->reserved);
	tpl_set_int(v, "available", p->available);
	tpl_set_int(v, "threshold", p->threshold);
	tpl_set_bool(v, "low", p->low);
}

/* A cursor or a search from the query string: a SKU's characters, or
 * bounded UTF-8 text. False: the request is malformed (400). */
static bool
query_ok(const char *sku_after, const char *sku_before, const char *q)
{
	if (sku_after && *sku_after && !product_sku_valid(sku_after))
		return false;
	if (sku_before && *sku_before && !product_sku_valid(sku_before))
		return false;
	return !q || (strlen(q) <= STOCK_QUERY_MAX && utf8_valid(q, strlen(q)));
}

static const char *
list_href(struct request *r, const char *q, const char *key, const char *sku)
{
	struct buf b;
	const char *s;

	buf_init(&b, 1024);
	buf_puts(&b, "/products?");
	if (q && *q) {
		buf_puts(&b, "q=");
		buf_urlencode(&b, q, strlen(q));
		buf_putc(&b, '&');
	}
	buf_printf(&b, "%s=", key);
	buf_urlencode(&b, sku, strlen(sku));
	s = arena_strdup(r->arena, buf_str(&b));
	buf_free(&b);
	return s;
}

void
products_get(struct request *r)
{
	const char *q = req_param(r, "q"), *after = req_param(r, "after"), *before = req_param(r, "before");
	struct tpl_vars *v = page_vars(r);
	struct stock_list l;
	size_t i;

	if (!query_ok(after, before, q)) {
		page_error(r, 400);
		return;
	}
	if (stock_list_load(r->db, r->arena, r->shop->id, q, after, before, &l) != 0) {
		page_error(r, 503);
		return;
	}
	tpl_set_str(v, "pq", q ? q : "");
	tpl_set_bool(v, "empty", l.n == 0);
	for (i = 0; i < l.n; i++) {
		struct tpl_vars *p = tpl_list_add(v, "products");

		fill_stock(p, &l.rows[i]);
		fill_waiting(r, p, l.rows[i].waiting, l.rows[i].nwaiting, l.rows[i].waiting_total);
	}
	if (l.prev_sku)
		tpl_set_str(v, "prev_href", list_href(r, q, "before", l.prev_sku));
	if (l.next_sku)
		tpl_set_str(v, "next_href", list_href(r, q, "after", l.next_sku));
	page_render(r, "products", v, _("Products"));
}

/* The words of a history row: what moved the stock, and for which order. */
static const char *
event_what(const struct stock_event *e)
{
	if (strcmp(e->action, "reserved") == 0)
		return strcmp(e->cause, "quote") == 0 ? _("Reserved when the quote became order") :
		    strcmp(e->cause, "edit") == 0 ? _("Reserved by an edit of order") : _("Reserved for order");
	if (strcmp(e->action, "released") == 0)
		return strcmp(e->cause, "edit") == 0 ? _("Given back by an edit of order") :
		    strcmp(e->cause, "delete") == 0 ? _("Given back: test order deleted") :
		    _("Given back by the cancel of order");
	if (strcmp(e->action, "adjusted") == 0)
		return _("Adjusted by hand");
	return _("On hand set by the storefront");
}

/* The product's page, with `status`; `message` (may be NULL) says why
 * the adjustment just sent was refused, and delta/reason bring it back. */
static void
render_product(struct request *r, int status, const char *message, const char *delta, const char *reason)
{
	struct tpl_vars *v = page_vars(r), *pv, *f;
	struct stock_waiting *w;
	struct stock_event *ev;
	struct product p;
	struct stock_row row;
	size_t i, nw, ne;
	long long total;
	int rc = product_get(r->db, r->arena, r->shop->id, r->route_arg ? r->route_arg : "", &p);

	if (rc == PRODUCT_NOT_FOUND) {
		page_error(r, 404);
		return;
	}
	if (rc != PRODUCT_OK ||
	    stock_waiting_load(r->db, r->arena, r->shop->id, p.id, STOCK_PRODUCT_WAITING, &w, &nw, &total) != 0 ||
	    stock_history_load(r->db, r->arena, r->shop->id, p.id, &ev, &ne) != 0) {
		page_error(r, 503);
		return;
	}
	memset(&row, 0, sizeof(row));
	row.sku = p.sku;
	row.name = p.name;
	row.track_stock = p.track_stock;
	row.active = p.active;
	row.on_hand = p.stock_on_hand;
	row.reserved = p.stock_reserved;
	row.available = p.stock_on_hand > p.stock_reserved ? p.stock_on_hand - p.stock_reserved : 0;
	row.threshold = p.low_stock_threshold;
	row.low = p.track_stock && row.available <= row.threshold;
	pv = tpl_set_map(v, "product");
	fill_stock(pv, &row);
	fill_waiting(r, pv, w, nw, total);
	for (i = 0; i < ne; i++) {
		struct tpl_vars *e = tpl_list_add(pv, "history");
		char at[64];

		datetime_format(at, sizeof(at), ev[i].at, r->shop->timezone, r->locale);
		tpl_set_str(e, "at", at);
		tpl_set_str(e, "at_iso", ev[i].at);
		tpl_set_str(e, "who", ev[i].actor_label);
		tpl_set_str(e, "what", event_what(&ev[i]));
		if (ev[i].order_code) {
			tpl_set_str(e, "order_code", ev[i].order_code);
			tpl_set_str(e, "order_label", order_label(r, ev[i].order_code, ev[i].order_number));
		}
		if (ev[i].reason && *ev[i].reason)
			tpl_set_str(e, "reason", ev[i].reason);
		tpl_set_int(e, "on_hand_before", ev[i].on_hand_before);
		tpl_set_int(e, "on_hand_after", ev[i].on_hand_after);
		tpl_set_int(e, "reserved_before", ev[i].reserved_before);
		tpl_set_int(e, "reserved_after", ev[i].reserved_after);
	}
	if (message) {
		f = tpl_set_map(v, "form");
		tpl_set_str(f, "error", message);
		tpl_set_str(f, "delta", delta ? delta : "");
		tpl_set_str(f, "reason", reason ? reason : "");
	}
	page_render(r, "product", v, arena_printf(r->arena, _("Product %s"), p.sku));
	if (r->status == 200)
		r->status = status;
}

void
product_page_get(struct request *r)
{
	render_product(r, 200, NULL, NULL, NULL);
}

/* A signed whole number ("+3", "-2", "5"); false when it is not one. */
static bool
form_delta(const char *s, long long *out)
{
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return *end == '\0' && errno == 0;
}

static struct order_actor
actor(const struct request *r)
{
	const struct staff_user *u = &r->session->user;

	return (struct order_actor){ ACTOR_STAFF, u->id, *u->display_name ? u->display_name : u->email };
}

/* POST /products/{sku}/adjust: delta and reason. */
void
product_adjust_post(struct request *r)
{
	const char *ds = req_form(r, "delta"), *reason = req_form(r, "reason");
	struct order_actor who = actor(r);
	struct product p;
	long long delta = 0;
	int rc = product_get(r->db, r->arena, r->shop->id, r->route_arg ? r->route_arg : "", &p);

	if (rc == PRODUCT_NOT_FOUND) {
		page_error(r, 404);
		return;
	}
	if (rc != PRODUCT_OK) {
		page_error(r, 503);
		return;
	}
	if (!form_delta(ds, &delta) || delta == 0) {
		render_product(r, 422, _("Give the change as a whole number other than 0: +5 received, -2 broken."),
		    ds, reason);
		return;
	}
	if (!reason || !*reason) {
		render_product(r, 422, _("Say why the stock changes: the reason is kept in the history."), ds, "");
		return;
	}
	rc = stock_adjust(r->db, r->arena, r->shop->id, p.id, delta, reason, &who, NULL);
	switch (rc) {
	case STOCK_OK:
		res_redirect(r, arena_printf(r->arena, "/products/%s#history", p.sku));
		return;
	case STOCK_BELOW_RESERVED:
		render_product(r, 422, arena_printf(r->arena,
		    _("On hand cannot go below the %lld units reserved by open orders."), p.stock_reserved), ds, reason);
		return;
	case STOCK_INVALID:
		render_product(r, 422, _("This change cannot be saved: on hand stays between 0 and 100,000,000,"
		    " and the reason holds at most 255 characters."), ds, reason);
		return;
	case STOCK_NOT_FOUND:
		page_error(r, 404);
		return;
	default:
		page_error(r, 503);
		return;
	}
}
