#include "orders/quote.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "orders/code.h"
#include "orders/intake.h"
#include "conf/conf.h"
#include "util/arena.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/problems.h"

static const char sql_event_insert[] =
	"INSERT INTO quote_events (shop_id, quote_id, actor_type, actor_id, actor_label, action, details)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";

int
quote_event_add(struct db *db, struct arena *a, long long shop_id, long long quote_id,
    const struct order_actor *who, const char *action, json_t *details)
{
	char *text = details ? json_dumps(details, JSON_COMPACT) : NULL;
	int rc;

	json_decref(details);
	if (!text) {
		log_error("quote %lld: cannot write the details of %s", quote_id, action);
		return DB_ERROR;
	}
	rc = db_exec(db, a, NULL, sql_event_insert, DB_PARAMS(DB_I64(shop_id), DB_I64(quote_id),
	    DB_STR(actor_type_name(who->type)), who->id > 0 ? DB_I64(who->id) : DB_NULL,
	    DB_STR(who->label ? who->label : ""), DB_STR(action), DB_STR(text)));
	free(text);
	return rc;
}

/* ---- from an order ----------------------------------------------------------- */

/* The order's rows copied as they are: its totals were computed by
 * order_totals() for exactly these lines. */
static const char sql_quote_copy[] =
	"INSERT INTO quotes (shop_id, code, from_order_id, currency, prices_include_vat, lines_cents,"
	" shipping_cents, shipping_vat_rate, total_ex_vat_cents, total_vat_cents, total_cents, vat_breakdown,"
	" payment_method, carrier, total_weight_g, customer_id, customer_title, customer_first_name,"
	" customer_last_name, customer_email, customer_phone, customer_locale)"
	" SELECT shop_id, ?, id, currency, prices_include_vat, lines_cents, shipping_cents, shipping_vat_rate,"
	" total_ex_vat_cents, total_vat_cents, total_cents, vat_breakdown, payment_method, carrier, total_weight_g,"
	" customer_id, customer_title, customer_first_name, customer_last_name, customer_email, customer_phone,"
	" customer_locale FROM orders WHERE shop_id = ? AND code = ?";
static const char sql_order_id[] = "SELECT id FROM orders WHERE shop_id = ? AND code = ?";
static const char sql_addresses_copy[] =
	"INSERT INTO quote_addresses (shop_id, quote_id, kind, name, company, line1, line2, postcode, city,"
	" region, country, phone) SELECT shop_id, ?, kind, name, company, line1, line2, postcode, city, region,"
	" country, phone FROM order_addresses WHERE shop_id = ? AND order_id = ?";
static const char sql_lines_copy[] =
	"INSERT INTO quote_lines (shop_id, quote_id, line_no, product_id, sku, ean, name, options, quantity,"
	" unit_price_cents, vat_rate, discount_cents, total_cents, weight_g, customisable)"
	" SELECT shop_id, ?, line_no, product_id, sku, ean, name, options, quantity, unit_price_cents, vat_rate,"
	" discount_cents, total_cents, weight_g, customisable FROM order_lines WHERE shop_id = ? AND order_id = ?";

struct copy_tx {
	struct arena *a;
	long long shop_id;
	const char *order_code;
	const struct order_actor *who;
	char *code;
};

static int
copy_tx_run(struct db *db, void *p)
{
	struct copy_tx *x = p;
	struct db_result o, q;
	long long order_id, quote_id;
	int rc;

	if ((rc = db_exec(db, x->a, &o, sql_order_id, DB_PARAMS(DB_I64(x->shop_id), DB_STR(x->order_code)))) != DB_OK)
		return rc;
	if (o.nrows == 0)
		return QUOTE_NOT_FOUND;
	order_id = db_ll(&o, 0, 0);
	order_code_new(x->code);    /* 31^8 codes: a second draw is for another day */
	if ((rc = db_exec(db, x->a, &q, sql_quote_copy, DB_PARAMS(DB_STR(x->code), DB_I64(x->shop_id),
	    DB_STR(x->order_code)))) != DB_OK)
		return rc;
	if (q.affected != 1)
		return QUOTE_NOT_FOUND;
	quote_id = (long long)q.insert_id;
	if ((rc = db_exec(db, x->a, NULL, sql_addresses_copy, DB_PARAMS(DB_I64(quote_id), DB_I64(x->shop_id),
	    DB_I64(order_id)))) != DB_OK ||
	    (rc = db_exec(db, x->a, NULL, sql_lines_copy, DB_PARAMS(DB_I64(quote_id), DB_I64(x->shop_id),
	    DB_I64(order_id)))) != DB_OK ||
	    (rc = quote_event_add(db, x->a, x->shop_id, quote_id, x->who, "quote.created",
	    json_pack("{ss}", "from_order", x->order_code))) != DB_OK)
		return rc;
	return order_event_add(db, x->a, x->shop_id, order_id, x->who, "order.quoted",
	    json_pack("{ss}", "quote", x->code), NULL);
}

int
quote_from_order(struct db *db, struct arena *a, long long shop_id, const char *order_code,
    const struct order_actor *who, char code_out[9])
{
	struct copy_tx x = { a, shop_id, order_code, who, code_out };
	int rc = db_tx(db, copy_tx_run, &x);

	if (rc == QUOTE_OK || rc == QUOTE_NOT_FOUND)
		return rc;
	log_error("order %s: no quote made of it (%d)", order_code, rc);
	return QUOTE_ERROR;
}

/* ---- reading ------------------------------------------------------------------- */

enum head_col { Q_ID, Q_VERSION, Q_CODE, Q_FROM, Q_ORDER, Q_CREATED, Q_CURRENCY, Q_PIV, Q_LINES, Q_SHIPPING,
	Q_SHIP_VAT, Q_EX_VAT, Q_VAT, Q_TOTAL, Q_BREAKDOWN, Q_METHOD, Q_CARRIER, Q_WEIGHT, Q_CUST_ID, Q_TITLE,
	Q_FIRST, Q_LAST, Q_EMAIL, Q_PHONE, Q_LOCALE, Q_NCOLS };
static const char sql_head[] =
	"SELECT q.id, q.version, q.code, f.code, o.code, DATE_FORMAT(q.created_at, '%Y-%m-%dT%H:%i:%s.%fZ'),"
	" q.currency, q.prices_include_vat, q.lines_cents, q.shipping_cents, q.shipping_vat_rate,"
	" q.total_ex_vat_cents, q.total_vat_cents, q.total_cents, q.vat_breakdown, q.payment_method, q.carrier,"
	" q.total_weight_g, q.customer_id, q.customer_title, q.customer_first_name, q.customer_last_name,"
	" q.customer_email, q.customer_phone, q.customer_locale FROM quotes q"
	" LEFT JOIN orders f ON f.shop_id = q.shop_id AND f.id = q.from_order_id"
	" LEFT JOIN orders o ON o.shop_id = q.shop_id AND o.id = q.order_id"
	" WHERE q.shop_id = ? AND q.code = ?";
enum addr_col { A_KIND, A_NAME, A_COMPANY, A_LINE1, A_LINE2, A_POSTCODE, A_CITY, A_REGION, A_COUNTRY, A_PHONE,
	A_NCOLS };
static const char sql_addresses[] =
	"SELECT kind, name, company, line1, line2, postcode, city, region, country, phone"
	" FROM quote_addresses WHERE shop_id = ? AND quote_id = ?";
enum qline_col { QL_LINE, QL_PRODUCT, QL_SKU, QL_EAN, QL_NAME, QL_OPTIONS, QL_QTY, QL_UNIT, QL_VAT, QL_DISC,
	QL_TOTAL, QL_WEIGHT, QL_CUSTOM, QL_NCOLS };
static const char sql_lines[] =
	"SELECT line_no, product_id, sku, ean, name, options, quantity, unit_price_cents, vat_rate,"
	" discount_cents, total_cents, weight_g, customisable FROM quote_lines"
	" WHERE shop_id = ? AND quote_id = ? ORDER BY line_no";
enum event_col { E_AT, E_TYPE, E_LABEL, E_ACTION, E_DETAILS, E_NCOLS };
static const char sql_events[] =
	"SELECT DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%s.%fZ'), actor_type, actor_label, action, details"
	" FROM quote_events WHERE shop_id = ? AND quote_id = ? ORDER BY id LIMIT 500";

int
quote_load(struct db *db, struct arena *a, long long shop_id, const char *code, struct quote *q)
{
	struct db_result h, ad, l, e;
	size_t i;

	memset(q, 0, sizeof(*q));
	if (db_exec(db, a, &h, sql_head, DB_PARAMS(DB_I64(shop_id), DB_STR(code))) != DB_OK)
		return -1;
	if (h.nrows == 0)
		return 1;
	if (h.ncols != Q_NCOLS) {
		log_error("quote: the query returns %zu columns, its enum names %d", h.ncols, Q_NCOLS);
		return -1;
	}
	q->id = db_ll(&h, 0, Q_ID);
	q->version = db_ll(&h, 0, Q_VERSION);
	memcpy(q->code, db_str(&h, 0, Q_CODE), 8);
	q->from_order = db_str(&h, 0, Q_FROM);
	q->order = db_str(&h, 0, Q_ORDER);
	q->created_at = db_str(&h, 0, Q_CREATED);
	q->currency = db_str(&h, 0, Q_CURRENCY);
	q->prices_include_vat = db_ll(&h, 0, Q_PIV) != 0;
	q->totals.lines_cents = db_ll(&h, 0, Q_LINES);
	q->totals.shipping_cents = db_ll(&h, 0, Q_SHIPPING);
	q->totals.shipping_vat_rate = (unsigned)db_ll(&h, 0, Q_SHIP_VAT);
	q->totals.total_ex_vat_cents = db_ll(&h, 0, Q_EX_VAT);
	q->totals.total_vat_cents = db_ll(&h, 0, Q_VAT);
	q->totals.total_cents = db_ll(&h, 0, Q_TOTAL);
	if (vat_breakdown_parse(db_str(&h, 0, Q_BREAKDOWN), &q->totals) != 0)
		log_warn("quote %s: unreadable VAT breakdown", code);
	q->payment_method = db_str(&h, 0, Q_METHOD);
	q->carrier = db_str(&h, 0, Q_CARRIER);
	q->total_weight_g = db_ll(&h, 0, Q_WEIGHT);
	q->customer = (struct order_customer){ .id = db_str(&h, 0, Q_CUST_ID) ? db_ll(&h, 0, Q_CUST_ID) : 0,
	    .title = db_str(&h, 0, Q_TITLE), .first_name = db_str(&h, 0, Q_FIRST), .last_name = db_str(&h, 0, Q_LAST),
	    .email = db_str(&h, 0, Q_EMAIL), .phone = db_str(&h, 0, Q_PHONE), .locale = db_str(&h, 0, Q_LOCALE) };
	if (db_exec(db, a, &ad, sql_addresses, DB_PARAMS(DB_I64(shop_id), DB_I64(q->id))) != DB_OK ||
	    db_exec(db, a, &l, sql_lines, DB_PARAMS(DB_I64(shop_id), DB_I64(q->id))) != DB_OK ||
	    db_exec(db, a, &e, sql_events, DB_PARAMS(DB_I64(shop_id), DB_I64(q->id))) != DB_OK)
		return -1;
	if (ad.ncols != A_NCOLS || l.ncols != QL_NCOLS || e.ncols != E_NCOLS) {
		log_error("quote: a query returns columns its enum does not name");
		return -1;
	}
	for (i = 0; i < ad.nrows; i++) {
		struct order_address *x = strcmp(db_str(&ad, i, A_KIND), "billing") == 0 ? &q->billing : &q->shipping;

		*x = (struct order_address){ db_str(&ad, i, A_NAME), db_str(&ad, i, A_COMPANY), db_str(&ad, i, A_LINE1),
		    db_str(&ad, i, A_LINE2), db_str(&ad, i, A_POSTCODE), db_str(&ad, i, A_CITY),
		    db_str(&ad, i, A_REGION), db_str(&ad, i, A_COUNTRY), db_str(&ad, i, A_PHONE) };
	}
	q->lines = arena_alloc(a, (l.nrows ? l.nrows : 1) * sizeof(*q->lines));
	q->nlines = l.nrows;
	for (i = 0; i < l.nrows; i++) {
		q->lines[i] = (struct order_line){ .line_no = (int)db_ll(&l, i, QL_LINE),
		    .product_id = db_str(&l, i, QL_PRODUCT) ? db_ll(&l, i, QL_PRODUCT) : 0, .sku = db_str(&l, i, QL_SKU),
		    .ean = db_str(&l, i, QL_EAN), .name = db_str(&l, i, QL_NAME), .options = db_str(&l, i, QL_OPTIONS),
		    .quantity = db_ll(&l, i, QL_QTY), .unit_price_cents = db_ll(&l, i, QL_UNIT),
		    .vat_rate = (unsigned)db_ll(&l, i, QL_VAT), .discount_cents = db_ll(&l, i, QL_DISC),
		    .total_cents = db_ll(&l, i, QL_TOTAL), .weight_g = db_ll(&l, i, QL_WEIGHT),
		    .customisable = db_ll(&l, i, QL_CUSTOM) != 0 };
	}
	q->events = arena_alloc(a, (e.nrows ? e.nrows : 1) * sizeof(*q->events));
	q->nevents = e.nrows;
	for (i = 0; i < e.nrows; i++)
		q->events[i] = (struct quote_event){ db_str(&e, i, E_AT), db_str(&e, i, E_TYPE), db_str(&e, i, E_LABEL),
		    db_str(&e, i, E_ACTION), db_str(&e, i, E_DETAILS) };
	return 0;
}

enum list_col { QR_ID, QR_CODE, QR_CREATED, QR_CUSTOMER, QR_TOTAL, QR_CURRENCY, QR_ORDER, QR_FIRST, QR_NCOLS };
/* By the primary key, newest first, from the cursor: never OFFSET. */
static const char sql_list[] =
	"SELECT q.id, q.code, DATE_FORMAT(q.created_at, '%Y-%m-%dT%H:%i:%s.%fZ'),"
	" CONCAT_WS(' ', NULLIF(q.customer_first_name, ''), NULLIF(q.customer_last_name, '')), q.total_cents,"
	" q.currency, o.code, (SELECT l.name FROM quote_lines l WHERE l.shop_id = q.shop_id AND l.quote_id = q.id"
	" ORDER BY l.line_no LIMIT 1) FROM quotes q"
	" LEFT JOIN orders o ON o.shop_id = q.shop_id AND o.id = q.order_id"
	" WHERE q.shop_id = ? AND q.id < ? ORDER BY q.id DESC LIMIT 51";

int
quote_list(struct db *db, struct arena *a, long long shop_id, long long before, struct quote_row **rows,
    size_t *n, bool *more)
{
	struct db_result r;
	size_t i;

	if (db_exec(db, a, &r, sql_list, DB_PARAMS(DB_I64(shop_id), DB_I64(before > 0 ? before : (1LL << 62)))) !=
	    DB_OK)
		return -1;
	if (r.ncols != QR_NCOLS)
		return -1;
	*more = r.nrows > QUOTE_PAGE;
	*n = *more ? QUOTE_PAGE : r.nrows;
	*rows = arena_alloc(a, (*n ? *n : 1) * sizeof(**rows));
	for (i = 0; i < *n; i++)
		(*rows)[i] = (struct quote_row){ .id = db_ll(&r, i, QR_ID), .code = db_str(&r, i, QR_CODE),
		    .created_at = db_str(&r, i, QR_CREATED), .customer = db_str(&r, i, QR_CUSTOMER),
		    .total_cents = db_ll(&r, i, QR_TOTAL), .currency = db_str(&r, i, QR_CURRENCY),
		    .order = db_str(&r, i, QR_ORDER), .first_product = db_str(&r, i, QR_FIRST) };
	return 0;
}

/* ---- into an order ------------------------------------------------------------ */

/* The intake of quote q: its customer, addresses, lines at its prices,
 * shipping and payment method. */
static void
intake_of_quote(struct arena *a, const struct quote *q, const struct order_actor *who, struct intake *in,
    unsigned char hash[32])
{
	size_t i;

	memset(in, 0, sizeof(*in));
	in->customer = q->customer;
	in->customer.id = 0;
	in->billing = q->billing;
	in->shipping = q->shipping;
	in->has_shipping = q->shipping.name != NULL;
	in->lines = arena_alloc(a, (q->nlines ? q->nlines : 1) * sizeof(*in->lines));
	in->nlines = q->nlines;
	for (i = 0; i < q->nlines; i++) {
		const struct order_line *l = &q->lines[i];

		in->lines[i] = (struct intake_line){ .sku = l->sku, .quantity = l->quantity, .has_unit_price = true,
		    .has_vat_rate = true, .unit_price_cents = l->unit_price_cents, .vat_rate = l->vat_rate,
		    .discount_cents = l->discount_cents,
		    .options = l->options && strcmp(l->options, "{}") != 0 ? l->options : NULL };
	}
	in->carrier = q->carrier;
	in->shipping_cents = q->totals.shipping_cents;
	in->payment_method = q->payment_method;
	in->channel = "back_office";
	in->actor = who;      /* the staff member converting it, in the history and the stock */
	in->actor_label = who->label;
	in->from_quote_id = q->id;
	in->from_quote_version = q->version;
	in->from_quote_code = arena_strdup(a, q->code);
	memset(hash, 0, 32);
	in->request_hash = hash;
}

int
quote_convert(struct db *db, struct arena *a, const struct shop *shop, const char *code, long long version,
    const struct order_actor *who, char order_out[9], const char **why)
{
	struct problems pb;
	struct intake_result res;
	struct intake in;
	struct quote q;
	unsigned char hash[32];
	size_t i;
	int rc;

	*why = NULL;
	if ((rc = quote_load(db, a, shop->id, code, &q)) != 0)
		return rc < 0 ? QUOTE_ERROR : QUOTE_NOT_FOUND;
	if (q.order) {
		*why = arena_printf(a, _("This quote already became order %s."), q.order);
		return QUOTE_REFUSED;
	}
	if (q.version != version) {
		*why = _("The quote changed meanwhile: look at it again, then try again.");
		return QUOTE_CHANGED;
	}
	intake_of_quote(a, &q, who, &in, hash);
	problems_init(&pb, a);
	rc = intake_order(db, a, shop, &in, &pb, &res);
	switch (rc) {
	case INTAKE_CREATED:
		memcpy(order_out, res.order.code, 9);
		order_out[8] = '\0';
		return QUOTE_OK;
	case INTAKE_QUOTE_TAKEN:
		*why = _("The quote changed meanwhile, or became an order: look at it again.");
		return QUOTE_CHANGED;
	case INTAKE_OUT_OF_STOCK:
		*why = "";
		for (i = 0; i < pb.n; i++)
			*why = arena_printf(a, "%s%s%s", *why, i ? "; " : "", pb.items[i].sku ? arena_printf(a,
			    _("not enough stock of %s: %lld asked, %lld available"), pb.items[i].sku, pb.items[i].requested,
			    pb.items[i].available) : pb.items[i].detail);
		*why = arena_printf(a, _("The quote cannot become an order: %s."), *why);
		return QUOTE_SHORT;
	case INTAKE_INVALID:
		*why = "";
		for (i = 0; i < pb.n; i++)
			*why = arena_printf(a, "%s%s%s %s", *why, i ? "; " : "", pb.items[i].pointer, pb.items[i].detail);
		*why = arena_printf(a, _("The quote cannot become an order: %s."), *why);
		return QUOTE_REFUSED;
	default:
		log_error("quote %s: intake answered %d", code, rc);
		return QUOTE_ERROR;
	}
}
