#include "orders/intake.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "catalog/product.h"
#include "conf/conf.h"
#include "db/db.h"
#include "db/sqltext.h"
#include "orders/code.h"
#include "orders/events.h"
#include "orders/order_counts.h"
#include "orders/search.h"
#include "orders/workflow.h"
#include "stock/stock.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/problems.h"

/* The product behind each line, read before the transaction. */
struct resolved {
	long long product_id;
	const char *ean, *name;
	long long weight_g;
	bool track_stock, customisable;
};

/* The transaction's own outcomes, besides those of intake_rc. */
enum { INTAKE_IDEMPOTENCY_RACE = 5, INTAKE_ALREADY_TAKEN = 6 };

#define REQUEST_ID_LEN 16

struct intake_ctx {
	const struct shop *shop;
	const struct intake *in;
	struct arena *a;
	struct problems *pb;
	struct order *o;
	struct resolved *res;
	struct stock_need *needs;   /* the stock to reserve, by product id (stock_plan) */
	size_t nneeds;
	struct intake_result *out;
	const char *placed_db;      /* "2026-11-25 14:03:12.345678" */
	struct buf sql;             /* the batch being written */
	struct buf body;            /* the order's JSON, kept for idempotency */
	unsigned char request_id[REQUEST_ID_LEN];   /* this request's, in its order */
	const char *arrival;        /* the shop's status new orders arrive in */
	bool arrival_sale;          /* it counts as a sale (the dashboard's figures) */
	int arrival_closed;         /* orders.closed of it (wf_closed) */
	struct order_actor who;     /* the history's and the stock's "who" */
};

const char *
customer_code(struct arena *a, long long customer_id)
{
	return arena_printf(a, "C%06lld", customer_id);
}

/* The lines' products, in the rows of the products query (any order):
 * fills ctx->res and o->lines, or adds problems. */
static void
resolve_lines(struct intake_ctx *ctx, const struct db_result *r)
{
	const struct intake *in = ctx->in;
	struct order *o = ctx->o;
	size_t i, k;

	ctx->res = arena_alloc(ctx->a, in->nlines * sizeof(*ctx->res));
	o->lines = arena_alloc(ctx->a, in->nlines * sizeof(*o->lines));
	o->nlines = in->nlines;
	o->total_weight_g = 0;
	for (i = 0; i < in->nlines; i++) {
		const struct intake_line *il = &in->lines[i];
		struct order_line *l = &o->lines[i];
		char p[48];

		/* SKUs are ASCII letters, digits and "-_." compared without
		 * case, as the column's collation does. */
		for (k = 0; k < r->nrows && strcasecmp(db_str(r, k, 0), il->sku) != 0; k++)
			;
		if (k == r->nrows || db_ll(r, k, 9) == 0) {
			snprintf(p, sizeof(p), "/lines/%zu/sku", i);
			problems_add(ctx->pb, p, k < r->nrows ? "'%s' is no longer sold" :
			    "no product '%s' in the catalogue", il->sku);
			continue;
		}
		ctx->res[i].product_id = db_ll(r, k, 1);
		ctx->res[i].ean = db_str(r, k, 2);
		ctx->res[i].name = db_str(r, k, 3);
		ctx->res[i].weight_g = db_ll(r, k, 6);
		ctx->res[i].track_stock = db_ll(r, k, 7) != 0;
		ctx->res[i].customisable = db_ll(r, k, 8) != 0;
		if ((il->has_unit_price || il->has_vat_rate || il->discount_cents) &&
		    !ctx->shop->settings.storefront_prices && !in->from_quote_id) {
			snprintf(p, sizeof(p), "/lines/%zu/%s", i, il->has_unit_price ? "unit_price" :
			    il->has_vat_rate ? "vat_rate" : "discount");
			problems_add(ctx->pb, p, "prices come from the catalogue in this shop; leave it out");
			continue;
		}
		l->line_no = (int)i + 1;
		l->product_id = ctx->res[i].product_id;
		l->sku = db_str(r, k, 0);
		l->ean = ctx->res[i].ean;
		l->name = ctx->res[i].name;
		l->options = il->options ? il->options : "{}";
		l->quantity = il->quantity;
		l->unit_price_cents = il->has_unit_price ? il->unit_price_cents : db_ll(r, k, 4);
		l->vat_rate = (unsigned)(il->has_vat_rate ? il->vat_rate : db_ll(r, k, 5));
		l->discount_cents = il->discount_cents;
		l->weight_g = ctx->res[i].weight_g * il->quantity;
		l->reserved_stock = ctx->res[i].track_stock;   /* wants stock: stock_plan */
		l->customisable = ctx->res[i].customisable;
		if (il->has_vat_rate && (il->vat_rate < 0 || il->vat_rate > VAT_RATE_MAX)) {
			snprintf(p, sizeof(p), "/lines/%zu/vat_rate", i);
			problems_add(ctx->pb, p, "must be between 0 and 10000 (hundredths of a percent)");
		}
	}
}

static int
compute_totals(struct intake_ctx *ctx)
{
	struct order *o = ctx->o;
	struct money_line *ml = arena_alloc(ctx->a, o->nlines * sizeof(*ml));
	size_t i, bad = 0;
	char p[48];
	int rc;

	for (i = 0; i < o->nlines; i++) {
		ml[i].unit_cents = o->lines[i].unit_price_cents;
		ml[i].quantity = o->lines[i].quantity;
		ml[i].discount_cents = o->lines[i].discount_cents;
		ml[i].vat_rate = o->lines[i].vat_rate;
		o->total_weight_g += o->lines[i].weight_g;
	}
	rc = order_totals(o->prices_include_vat, ml, o->nlines, ctx->in->shipping_cents, &o->totals, &bad);
	if (rc == MONEY_BAD_LINE) {
		snprintf(p, sizeof(p), "/lines/%zu", bad);
		problems_add(ctx->pb, p, "unit price, quantity or discount out of range"
		    " (a discount may not exceed the line)");
		return -1;
	}
	if (rc == MONEY_TOO_MANY_RATES) {
		problems_add(ctx->pb, "/lines", "at most %d different VAT rates in one order", ORDER_MAX_RATES);
		return -1;
	}
	if (rc == MONEY_TOO_LARGE) {
		problems_add(ctx->pb, "/lines", "the order's total is too large");
		return -1;
	}
	for (i = 0; i < o->nlines; i++)
		o->lines[i].total_cents = ml[i].total_cents;
	return 0;
}

/*
 * The transaction is three round trips, each a batch of statements with
 * the values written in by sqltext (db_batch):
 *   read    the key's stored answer, the lines' products, the customer;
 *   write   the order, its addresses, lines and first event, and the
 *           stock, reserved by one conditional update per product, in
 *           product-id order (core/stock: stock_reserve_sql);
 *   number  the order number, the idempotency record, COMMIT.
 * The shop's counter row is locked only inside the last batch: concurrent
 * orders of one shop wait for each other's commit there and nowhere else.
 */

static void
sql_idempotency_lookup(struct db *db, struct buf *b, long long shop_id, const char *key)
{
	buf_puts(b, "SELECT k.request_hash, k.status_code, k.response, o.code FROM idempotency_keys k"
	    " LEFT JOIN orders o ON o.shop_id = k.shop_id AND o.id = k.order_id WHERE k.shop_id = ");
	sql_int(b, shop_id);
	buf_puts(b, " AND k.idem_key = ");
	sql_str(db, b, key);
}

/* What the key's stored answer says: REPLAYED, KEY_REUSED, or 0 when none. */
static int
idempotency_answer(const struct db_result *r, const struct intake *in, struct intake_result *out)
{
	if (r->nrows == 0)
		return 0;
	if (r->rows[0].len[0] != 32 || memcmp(db_str(r, 0, 0), in->request_hash, 32) != 0)
		return INTAKE_KEY_REUSED;
	out->status = (int)db_ll(r, 0, 1);
	out->body = db_str(r, 0, 2);
	if (db_str(r, 0, 3))
		memcpy(out->order.code, db_str(r, 0, 3), ORDER_CODE_LEN);
	return INTAKE_REPLAYED;
}

/* The key's stored answer, read on its own: outside the transaction,
 * for an invalid request or after losing a race on the key. */
static int
idempotency_lookup(struct db *db, struct intake_ctx *ctx)
{
	struct db_result r;

	buf_reset(&ctx->sql);
	sql_idempotency_lookup(db, &ctx->sql, ctx->shop->id, ctx->in->idempotency_key);
	if (db_batch(db, ctx->a, &ctx->sql, 0, &r, 1, NULL) != DB_OK)
		return INTAKE_ERROR;
	return idempotency_answer(&r, ctx->in, ctx->out);
}

/* The customer's title, names, e-mail, phone and locale, in that order, as
 * both the customers and the orders (its snapshot) list them. */
static void
sql_next_person(struct db *db, struct buf *b, const struct order_customer *c)
{
	sql_next_str(db, b, c->title);
	sql_next_str(db, b, c->first_name);
	sql_next_str(db, b, c->last_name);
	sql_next_str(db, b, c->email);
	sql_next_str(db, b, c->phone);
	sql_next_str(db, b, c->locale);
}

/* The customer, one per e-mail in the shop: created, or brought up to
 * date (the order keeps its own copy either way); then its id and code. */
static void
sql_customer(struct db *db, struct buf *b, long long shop_id, const struct order_customer *c)
{
	buf_puts(b, "INSERT INTO customers (shop_id, title, first_name, last_name, email, phone, locale)"
	    " VALUES (");
	sql_int(b, shop_id);
	sql_next_person(db, b, c);
	buf_puts(b, ") ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id),"
	    " title = VALUE(title), first_name = VALUE(first_name), last_name = VALUE(last_name),"
	    " phone = IF(VALUE(phone) = '', phone, VALUE(phone));"
	    "SELECT id, code FROM customers WHERE shop_id = ");
	sql_int(b, shop_id);
	/* A locking read: the row may be newer than this transaction's snapshot. */
	buf_puts(b, " AND id = LAST_INSERT_ID() FOR UPDATE");
}

static int
read_phase(struct db *db, struct intake_ctx *ctx)
{
	const struct intake *in = ctx->in;
	struct order_customer *c = &ctx->o->customer;
	struct buf *b = &ctx->sql;
	struct db_result r[4];
	size_t i, at = 0;
	int rc;

	buf_reset(b);
	if (in->idempotency_key) {
		sql_idempotency_lookup(db, b, ctx->shop->id, in->idempotency_key);
		buf_putc(b, ';');
		at = 1;
	}
	buf_puts(b, "SELECT sku, id, ean, name, price_cents, vat_rate, weight_g, track_stock,"
	    " customisable, active FROM products WHERE shop_id = ");
	sql_int(b, ctx->shop->id);
	buf_puts(b, " AND sku IN (");
	for (i = 0; i < in->nlines; i++) {
		if (i)
			buf_putc(b, ',');
		sql_str(db, b, in->lines[i].sku);
	}
	buf_puts(b, ");");
	sql_customer(db, b, ctx->shop->id, c);
	if ((rc = db_batch(db, ctx->a, b, 0, r, at + 3, NULL)) != DB_OK)
		return rc;
	if (at && (rc = idempotency_answer(&r[0], in, ctx->out)) != 0)
		return rc;
	resolve_lines(ctx, &r[at]);
	if (r[at + 2].nrows != 1) {
		log_error("intake: customer %s not found after its upsert", c->email);
		return DB_ERROR;
	}
	c->id = db_ll(&r[at + 2], 0, 0);
	/* An imported customer keeps its code; the others' derive from the id. */
	c->code = db_str(&r[at + 2], 0, 1) ? db_str(&r[at + 2], 0, 1) : customer_code(ctx->a, c->id);
	return DB_OK;
}

/* The order; its id goes to @order for the statements after it. */
static void
sql_order(struct db *db, struct buf *b, const struct intake_ctx *ctx)
{
	const struct order *o = ctx->o;
	const struct order_customer *c = &o->customer;
	struct buf vat;

	buf_init(&vat, 4096);
	vat_breakdown_json(&o->totals, &vat);
	buf_puts(b, "INSERT INTO orders (shop_id, code, title, first_product, status, closed, channel, is_test, currency,"
	    " prices_include_vat, lines_cents, shipping_cents, shipping_vat_rate, total_ex_vat_cents,"
	    " total_vat_cents, total_cents, vat_breakdown, payment_method, carrier, total_weight_g,"
	    " customer_id, customer_code, customer_title, customer_first_name, customer_last_name,"
	    " customer_email, customer_phone, customer_locale, remarks, reference, external_reference,"
	    " placed_at, request_id) VALUES (");
	sql_int(b, ctx->shop->id);
	sql_next_str(db, b, o->code);
	sql_next_str(db, b, o->title);
	sql_next_str(db, b, o->nlines ? o->lines[0].name : "");   /* the list sorts on it */
	sql_next_str(db, b, o->status);
	sql_next_int(b, ctx->arrival_closed);
	sql_next_str(db, b, o->channel);
	sql_next_int(b, o->is_test);
	sql_next_str(db, b, o->currency);
	sql_next_int(b, o->prices_include_vat);
	sql_next_int(b, o->totals.lines_cents);
	sql_next_int(b, o->totals.shipping_cents);
	sql_next_int(b, o->totals.shipping_vat_rate);
	sql_next_int(b, o->totals.total_ex_vat_cents);
	sql_next_int(b, o->totals.total_vat_cents);
	sql_next_int(b, o->totals.total_cents);
	sql_next_str(db, b, buf_str(&vat));
	sql_next_str(db, b, o->payment_method);
	sql_next_str(db, b, o->carrier);
	sql_next_int(b, o->total_weight_g);
	sql_next_int(b, c->id);
	sql_next_str(db, b, c->code);
	sql_next_person(db, b, c);
	sql_next_str(db, b, o->remarks);
	sql_next_str(db, b, o->reference);
	sql_next_str(db, b, o->external_reference);
	sql_next_str(db, b, ctx->placed_db);
	buf_putc(b, ',');
	sql_blob(b, ctx->request_id, sizeof(ctx->request_id));
	buf_puts(b, ");SET @order = LAST_INSERT_ID()");
	buf_free(&vat);
}

static void
sql_address(struct db *db, struct buf *b, long long shop_id, const char *kind,
    const struct order_address *ad)
{
	buf_putc(b, '(');
	sql_int(b, shop_id);
	buf_puts(b, ",@order,");
	sql_str(db, b, kind);
	order_address_sql(db, b, ad);
	buf_putc(b, ')');
}

/* The addresses, the lines and the first event of the order in @order. */
static void
sql_details(struct db *db, struct buf *b, const struct intake_ctx *ctx)
{
	const struct order *o = ctx->o;
	long long shop = ctx->shop->id;
	struct buf details;
	size_t i;

	buf_puts(b, "INSERT INTO order_addresses (shop_id, order_id, kind, name, company, line1, line2,"
	    " postcode, city, region, country, phone) VALUES ");
	sql_address(db, b, shop, "billing", &o->billing);
	buf_putc(b, ',');
	sql_address(db, b, shop, "shipping", &o->shipping);
	/* reserved_stock stays 0: core/stock sets it with the reservation. */
	buf_puts(b, ";INSERT INTO order_lines (shop_id, order_id, line_no, product_id, sku, ean, name,"
	    " options, quantity, unit_price_cents, vat_rate, discount_cents, total_cents, weight_g,"
	    " customisable) VALUES ");
	for (i = 0; i < o->nlines; i++) {
		const struct order_line *l = &o->lines[i];

		buf_puts(b, i ? ",(" : "(");
		sql_int(b, shop);
		buf_puts(b, ",@order");
		sql_next_int(b, l->line_no);
		sql_next_int(b, l->product_id);
		sql_next_str(db, b, l->sku);
		buf_putc(b, ',');
		sql_str_or_null(db, b, l->ean);
		sql_next_str(db, b, l->name);
		sql_next_str(db, b, l->options);
		sql_next_int(b, l->quantity);
		sql_next_int(b, l->unit_price_cents);
		sql_next_int(b, l->vat_rate);
		sql_next_int(b, l->discount_cents);
		sql_next_int(b, l->total_cents);
		sql_next_int(b, l->weight_g);
		sql_next_int(b, l->customisable);
		buf_putc(b, ')');
	}
	buf_init(&details, 4096);
	buf_printf(&details, "{\"channel\":\"%s\",\"lines\":%zu,\"total\":%lld,\"currency\":\"%s\"",
	    o->channel, o->nlines, o->totals.total_cents, o->currency);
	if (ctx->in->from_quote_code)   /* a code: [A-Z2-9], nothing to escape */
		buf_printf(&details, ",\"quote\":\"%s\"", ctx->in->from_quote_code);
	buf_putc(&details, '}');
	buf_puts(b, ";INSERT INTO order_events (shop_id, order_id, actor_type, actor_id, actor_label, action,"
	    " details) VALUES (");
	sql_int(b, shop);
	buf_puts(b, ",@order,");
	sql_str(db, b, actor_type_name(ctx->who.type));
	buf_putc(b, ',');
	if (ctx->who.id > 0)
		sql_int(b, ctx->who.id);
	else
		buf_puts(b, "NULL");
	buf_putc(b, ',');
	sql_str(db, b, ctx->who.label);
	buf_puts(b, ",'order.created',");
	sql_str(db, b, buf_str(&details));
	buf_putc(b, ')');
	buf_free(&details);
}

/* Problems for the products the stock updates could not reserve. */
static int
report_shortage(struct db *db, struct intake_ctx *ctx, const struct db_result *updates)
{
	size_t i;

	for (i = 0; i < ctx->nneeds; i++) {
		const struct stock_need *nd = &ctx->needs[i];
		struct problem *p;
		long long left;
		char ptr[48];
		int rc;

		if (stock_batch_short(&updates[i], 1) == 1)
			continue;     /* reserved */
		if ((rc = stock_available(db, ctx->a, ctx->shop->id, nd->product_id, &left)) != DB_OK)
			return rc;
		snprintf(ptr, sizeof(ptr), "/lines/%zu/quantity", nd->first_line);
		p = problems_add(ctx->pb, ptr, "not enough stock of %s", ctx->o->lines[nd->first_line].sku);
		p->sku = ctx->o->lines[nd->first_line].sku;
		p->requested = nd->quantity;
		p->available = left;
	}
	return INTAKE_OUT_OF_STOCK;
}

static int
write_phase(struct db *db, struct intake_ctx *ctx)
{
	enum { ORDER, SET_ORDER, ADDRESSES, LINES, EVENT, SEARCH, RESERVE };
	const struct order_actor who = ctx->who;
	struct db_result *r = arena_alloc(ctx->a, (RESERVE + ctx->nneeds + 4) * sizeof(*r));
	struct buf *b = &ctx->sql;
	struct search_doc words;
	size_t nstock = 0, done;
	int rc = DB_ERROR, attempt;

	/* A fresh code until it is unused in the shop: 31^8 codes, so a second
	 * draw is rare and a third rarer still. */
	for (attempt = 0; attempt < 8; attempt++) {
		order_code_new(ctx->o->code);
		buf_reset(b);
		sql_order(db, b, ctx);
		buf_putc(b, ';');
		sql_details(db, b, ctx);
		buf_putc(b, ';');           /* the search box's words (order_search) */
		if (search_doc_of_order(ctx->a, ctx->o, &words) != 0 ||
		    search_terms_sql(db, b, ctx->shop->id, 0, &words) != 0)
			return DB_ERROR;
		nstock = stock_reserve_sql(db, b, ctx->shop->id, "@order", ctx->o->lines, ctx->o->nlines,
		    ctx->needs, ctx->nneeds, ctx->in->from_quote_id ? STOCK_CAUSE_QUOTE : STOCK_CAUSE_INTAKE, &who);
		if (ctx->in->from_quote_id) {   /* the quote, linked once: its row waits for a second */
			buf_puts(b, ";UPDATE quotes SET order_id = @order, version = version + 1 WHERE shop_id = ");
			sql_int(b, ctx->shop->id);
			buf_puts(b, " AND id = ");
			sql_int(b, ctx->in->from_quote_id);
			buf_puts(b, " AND version = ");
			sql_int(b, ctx->in->from_quote_version);
			buf_puts(b, " AND order_id IS NULL;INSERT INTO quote_events (shop_id, quote_id, actor_type,"
			    " actor_label, action, details) VALUES (");
			sql_int(b, ctx->shop->id);
			sql_next_int(b, ctx->in->from_quote_id);
			buf_puts(b, ",'staff',");
			sql_str(db, b, who.label);
			buf_puts(b, ",'quote.converted',CONCAT('{\"order\":\"',");
			sql_str(db, b, ctx->o->code);
			buf_puts(b, ",'\"}'))");
			nstock += 2;
		}
		rc = db_batch(db, ctx->a, b, 0, r, RESERVE + nstock, &done);
		if (rc == DB_OK || done != ORDER || db_errno(db) != 1062)
			break;
		/* This request's order, committed by an attempt whose COMMIT was
		 * lost (db_tx_once's check normally finds it first). */
		if (strstr(db_error(db), "uk_orders_request"))
			return INTAKE_ALREADY_TAKEN;
	}
	if (rc != DB_OK)
		return rc;
	ctx->o->id = (long long)r[ORDER].insert_id;
	if (ctx->in->from_quote_id && r[RESERVE + nstock - 2].affected != 1)
		return INTAKE_QUOTE_TAKEN;
	if (stock_batch_short(&r[RESERVE], ctx->nneeds) < ctx->nneeds)
		return report_shortage(db, ctx, &r[RESERVE]);
	return DB_OK;
}

/* The answer is written before the number is drawn, with number 0; the
 * database puts the drawn number between the two halves. */
static size_t
number_offset(const struct buf *body)
{
	static const char key[] = "\"number\":0";
	const char *p = strstr(buf_str(body), key);

	return p ? (size_t)(p - body->data) + sizeof(key) - 2 : 0;
}

static int
number_phase(struct db *db, struct intake_ctx *ctx)
{
	enum { COUNTER, SET_NUMBER, REMEMBER };
	struct order *o = ctx->o;
	struct buf *b = &ctx->sql, *body = &ctx->body;
	struct db_result r[REMEMBER + 1];
	char number[24];
	size_t at, done;
	int rc;

	o->number = 0;
	buf_reset(body);
	order_json(o, body);
	if (buf_failed(body))
		return DB_ERROR;
	if ((at = number_offset(body)) == 0) {
		log_error("intake: no \"number\":0 in the order's JSON; order_json changed?");
		return DB_ERROR;
	}
	buf_reset(b);
	buf_puts(b, "INSERT INTO shop_counters (shop_id, name, value) VALUES (");
	sql_int(b, ctx->shop->id);
	buf_puts(b, ",'order_number',LAST_INSERT_ID(1))"
	    " ON DUPLICATE KEY UPDATE value = LAST_INSERT_ID(value + 1);"
	    /* By primary key: through the id index, InnoDB would also lock the
	     * gap after the row and hold up the next order's insert. */
	    "UPDATE orders FORCE INDEX (PRIMARY) SET number = LAST_INSERT_ID() WHERE shop_id = ");
	sql_int(b, ctx->shop->id);
	buf_puts(b, " AND id = ");
	sql_int(b, o->id);
	if (ctx->in->idempotency_key) {
		buf_puts(b, ";INSERT INTO idempotency_keys (shop_id, idem_key, request_hash, status_code,"
		    " response, order_id) VALUES (");
		sql_int(b, ctx->shop->id);
		sql_next_str(db, b, ctx->in->idempotency_key);
		buf_putc(b, ',');
		sql_blob(b, ctx->in->request_hash, 32);
		buf_puts(b, ",201,CONCAT(");
		sql_strn(db, b, body->data, at);
		buf_puts(b, ",LAST_INSERT_ID(),");
		sql_strn(db, b, body->data + at + 1, body->len - at - 1);
		buf_puts(b, ")");
		sql_next_int(b, o->id);
		buf_putc(b, ')');
	}
	/* The dashboard's counts, under the shop's counter lock already held. */
	order_counts_sql(db, b, ctx->shop->id, NULL, &(struct order_tally){ .status = o->status,
	    .payment_state = o->payment_state, .shipping_state = o->shipping_state, .on_hold = o->on_hold,
	    .sale = ctx->arrival_sale, .placed_at = ctx->placed_db, .total_cents = o->totals.total_cents });
	/* The desk's version rides in this round trip, after the counters. */
	db_desk_changed(db, ctx->shop->id);
	rc = db_batch(db, ctx->a, b, DB_BATCH_COMMIT, r, REMEMBER + 1, &done);
	/* The same key committed by a request running alongside this one. */
	if (rc == DB_ERROR && done == REMEMBER && db_errno(db) == 1062)
		return INTAKE_IDEMPOTENCY_RACE;
	if (rc != DB_OK)
		return rc;
	o->number = (long long)r[COUNTER].insert_id;
	snprintf(number, sizeof(number), "%lld", o->number);
	buf_reset(b);
	buf_append(b, body->data, at);
	buf_puts(b, number);
	buf_append(b, body->data + at + 1, body->len - at - 1);
	buf_reset(body);
	buf_append(body, b->data, b->len);
	return buf_failed(body) ? DB_ERROR : DB_OK;
}

/*
 * db_tx_once's check after a lost COMMIT: is this request's order there?
 * If so, its answer goes to ctx as number_phase would have left it: the
 * stored idempotency answer when a key was sent, else the order as read
 * back (GET /api/v1/orders/{code} gives the same bytes).
 */
static int
intake_committed(struct db *db, void *arg)
{
	static const char sql_mine[] =
		"SELECT o.code, k.response FROM orders o LEFT JOIN idempotency_keys k"
		" ON k.shop_id = o.shop_id AND k.order_id = o.id WHERE o.shop_id = ? AND o.request_id = ?"
		" LOCK IN SHARE MODE";     /* waits for a COMMIT the server is still finishing */
	struct intake_ctx *ctx = arg;
	struct db_result r;
	int rc;

	rc = db_exec(db, ctx->a, &r, sql_mine, DB_PARAMS(DB_I64(ctx->shop->id),
	    DB_BLOB(ctx->request_id, sizeof(ctx->request_id))));
	if (rc != DB_OK)
		return rc;
	if (r.nrows == 0)
		return 0;
	buf_reset(&ctx->body);
	if (db_str(&r, 0, 1)) {
		memset(ctx->o, 0, sizeof(*ctx->o));
		memcpy(ctx->o->code, db_str(&r, 0, 0), ORDER_CODE_LEN);
		buf_puts(&ctx->body, db_str(&r, 0, 1));
	} else {
		if ((rc = order_load(db, ctx->a, ctx->shop->id, db_str(&r, 0, 0), ctx->o)) != 0)
			return rc < 0 ? DB_ERROR : DB_RETRY;
		order_json(ctx->o, &ctx->body);
	}
	return buf_failed(&ctx->body) ? DB_ERROR : 1;
}

static int
intake_tx(struct db *db, void *arg)
{
	struct intake_ctx *ctx = arg;
	int rc;

	/* This may be a second attempt (deadlock, lost connection): start clean. */
	problems_clear(ctx->pb);
	if ((rc = read_phase(db, ctx)) != DB_OK)
		return rc;
	if (ctx->pb->n || compute_totals(ctx) != 0)
		return INTAKE_INVALID;
	ctx->nneeds = stock_plan(ctx->a, ctx->o->lines, ctx->o->nlines, &ctx->needs);
	if ((rc = write_phase(db, ctx)) != DB_OK)
		return rc;
	return number_phase(db, ctx);
}

static void
now_utc(struct arena *a, const char **db_time, const char **iso)
{
	struct timespec ts;
	struct tm tm;
	char day[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	*db_time = arena_printf(a, "%s %02d:%02d:%02d.%06ld", day, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    ts.tv_nsec / 1000);
	*iso = arena_printf(a, "%sT%02d:%02d:%02d.%06ldZ", day, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    ts.tv_nsec / 1000);
}

static const char *
or_empty(const char *s)
{
	return s ? s : "";
}

/* Optional address fields are stored as "" rather than NULL. */
static struct order_address
address_filled(const struct order_address *in)
{
	struct order_address ad = *in;

	ad.company = or_empty(ad.company);
	ad.line2 = or_empty(ad.line2);
	ad.region = or_empty(ad.region);
	ad.phone = or_empty(ad.phone);
	return ad;
}

static void
fill_header(struct intake_ctx *ctx)
{
	const struct intake *in = ctx->in;
	struct order *o = ctx->o;

	o->kind = "order";
	o->title = or_empty(in->title);
	o->status = ctx->arrival;
	o->payment_state = "unpaid";
	o->shipping_state = "unshipped";
	o->channel = in->channel ? in->channel : "web";
	o->is_test = in->is_test;
	o->currency = ctx->shop->currency;
	o->prices_include_vat = ctx->shop->settings.prices_include_vat;
	o->payment_method = or_empty(in->payment_method);
	o->carrier = or_empty(in->carrier);
	o->remarks = or_empty(in->remarks);
	o->reference = or_empty(in->reference);
	o->external_reference = or_empty(in->external_reference);
	o->customer = in->customer;
	o->customer.title = or_empty(in->customer.title);
	o->customer.first_name = or_empty(in->customer.first_name);
	o->customer.phone = or_empty(in->customer.phone);
	o->customer.locale = in->customer.locale ? in->customer.locale : ctx->shop->locale;
	o->billing = address_filled(&in->billing);
	o->shipping = address_filled(in->has_shipping ? &in->shipping : &in->billing);
	now_utc(ctx->a, &ctx->placed_db, &o->placed_at);
}

int
intake_order(struct db *db, struct arena *a, const struct shop *shop,
    const struct intake *in, struct problems *pb, struct intake_result *out)
{
	struct intake_ctx ctx;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&ctx, 0, sizeof(ctx));
	ctx.shop = shop;
	ctx.in = in;
	ctx.a = a;
	ctx.pb = pb;
	ctx.o = &out->order;
	ctx.out = out;
	ctx.who = in->actor ? *in->actor : (struct order_actor){ ACTOR_API, 0,
		in->actor_label ? in->actor_label : "storefront" };
	buf_init(&ctx.sql, 64 << 20);
	buf_init(&ctx.body, 8 << 20);
	intake_validate(in, pb);
	if (pb->n) {
		/* A replay is answered as the first time, whatever the body. */
		rc = in->idempotency_key ? idempotency_lookup(db, &ctx) : 0;
		if (rc == 0)
			rc = INTAKE_INVALID;
		goto out;
	}
	{
		const struct wf_workflow *wf;
		const struct wf_status *st;

		if (wf_get(db, a, shop->id, &wf) != WF_OK || !(st = wf_status_role(wf, WF_ARRIVAL))) {
			rc = INTAKE_ERROR;
			goto out;
		}
		ctx.arrival = st->code;
		ctx.arrival_sale = (st->flags & WF_SALE) != 0;
		ctx.arrival_closed = wf_closed(st);
	}
	fill_header(&ctx);
	randombytes_buf(ctx.request_id, sizeof(ctx.request_id));
	rc = db_tx_once(db, intake_tx, intake_committed, &ctx);
	if (rc == INTAKE_ALREADY_TAKEN)
		rc = intake_committed(db, &ctx) == 1 ? DB_OK : DB_UNKNOWN;
	if (rc == DB_OK) {
		out->body = arena_strndup(a, ctx.body.data, ctx.body.len);
		out->status = 201;
		rc = INTAKE_CREATED;
	} else if (rc == INTAKE_IDEMPOTENCY_RACE) {
		memset(out, 0, sizeof(*out));
		rc = idempotency_lookup(db, &ctx);
		if (rc == 0)
			rc = INTAKE_ERROR;
	} else if (rc == DB_UNKNOWN) {
		rc = INTAKE_UNKNOWN;
	} else if (rc != INTAKE_OUT_OF_STOCK && rc != INTAKE_INVALID && rc != INTAKE_REPLAYED &&
	    rc != INTAKE_KEY_REUSED && rc != INTAKE_QUOTE_TAKEN) {
		rc = INTAKE_ERROR;
	}
out:
	buf_free(&ctx.body);
	buf_free(&ctx.sql);
	return rc;
}

long long
intake_purge_idempotency(struct db *db, struct arena *a)
{
	static const char sql[] =
		"DELETE FROM idempotency_keys WHERE created_at < NOW(6) - INTERVAL ? HOUR LIMIT 10000";
	struct db_result r;

	if (db_exec(db, a, &r, sql, DB_PARAMS(DB_I64(IDEMPOTENCY_KEEP_HOURS))) != DB_OK)
		return -1;
	return (long long)r.affected;
}
