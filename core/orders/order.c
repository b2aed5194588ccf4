#include "orders/order.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/sqltext.h"
#include "util/buf.h"
#include "util/log.h"

void
vat_breakdown_json(const struct order_totals *t, struct buf *out)
{
	size_t i;

	buf_putc(out, '[');
	for (i = 0; i < t->nvat; i++)
		buf_printf(out, "%s{\"rate\":%u,\"base\":%lld,\"vat\":%lld}", i ? "," : "",
		    t->vat[i].rate, t->vat[i].base_cents, t->vat[i].vat_cents);
	buf_putc(out, ']');
}

int
vat_breakdown_parse(const char *text, struct order_totals *t)
{
	json_t *root = json_loads(text, 0, NULL), *item;
	size_t i;

	t->nvat = 0;
	if (!json_is_array(root)) {
		json_decref(root);
		return -1;
	}
	json_array_foreach(root, i, item) {
		if (t->nvat == ORDER_MAX_RATES)
			break;
		t->vat[t->nvat].rate = (unsigned)json_integer_value(json_object_get(item, "rate"));
		t->vat[t->nvat].base_cents = json_integer_value(json_object_get(item, "base"));
		t->vat[t->nvat].vat_cents = json_integer_value(json_object_get(item, "vat"));
		t->nvat++;
	}
	json_decref(root);
	return 0;
}

/*
 * Each query's columns are named by one enum, in the order of its SELECT
 * list: adding a column means adding it in both places, never shifting
 * numbers by hand.
 */
enum order_col {
	OC_ID, OC_NUMBER, OC_CODE, OC_KIND, OC_TITLE, OC_STATUS, OC_PAYMENT_STATE,
	OC_SHIPPING_STATE, OC_ON_HOLD, OC_CHANNEL, OC_IS_TEST, OC_CURRENCY,
	OC_PRICES_INCLUDE_VAT, OC_LINES_CENTS, OC_SHIPPING_CENTS, OC_SHIPPING_VAT_RATE,
	OC_TOTAL_EX_VAT_CENTS, OC_TOTAL_VAT_CENTS, OC_TOTAL_CENTS, OC_VAT_BREAKDOWN,
	OC_PAID_CENTS, OC_PAYMENT_METHOD, OC_CARRIER, OC_TOTAL_WEIGHT_G, OC_CUSTOMER_ID,
	OC_CUSTOMER_CODE, OC_CUSTOMER_TITLE, OC_CUSTOMER_FIRST_NAME, OC_CUSTOMER_LAST_NAME,
	OC_CUSTOMER_EMAIL, OC_CUSTOMER_PHONE, OC_CUSTOMER_LOCALE, OC_REMARKS, OC_REFERENCE,
	OC_EXTERNAL_REFERENCE, OC_PLACED_AT, OC_DISCOUNT_CENTS,
	OC_NCOLS
};
static const char sql_order[] =
	"SELECT " ORDER_COLUMNS " FROM orders WHERE shop_id = ? AND code = ?";
_Static_assert(OC_NCOLS == ORDER_NCOLS, "ORDER_NCOLS counts the columns of ORDER_COLUMNS");

enum address_col {
	AC_KIND, AC_NAME, AC_COMPANY, AC_LINE1, AC_LINE2, AC_POSTCODE, AC_CITY, AC_REGION,
	AC_COUNTRY, AC_PHONE,
	AC_NCOLS
};
static const char sql_addresses[] =
	"SELECT " ORDER_ADDRESS_COLUMNS " FROM order_addresses WHERE shop_id = ? AND order_id = ?";

enum line_col {
	LC_LINE_NO, LC_PRODUCT_ID, LC_SKU, LC_EAN, LC_NAME, LC_OPTIONS, LC_QUANTITY,
	LC_UNIT_PRICE_CENTS, LC_VAT_RATE, LC_DISCOUNT_CENTS, LC_TOTAL_CENTS, LC_WEIGHT_G,
	LC_RESERVED_STOCK, LC_CUSTOMISABLE, LC_QTY_SHIPPED, LC_QTY_RETURNED,
	LC_NCOLS
};
static const char sql_lines[] =
	"SELECT " ORDER_LINE_COLUMNS("") " FROM order_lines WHERE shop_id = ? AND order_id = ? ORDER BY line_no";
_Static_assert(LC_NCOLS == ORDER_LINE_NCOLS, "ORDER_LINE_NCOLS counts the columns of ORDER_LINE_COLUMNS");

/* A result whose column count is not its enum's: the SELECT and the enum
 * were changed apart. Refused rather than read shifted. */
static int
check_cols(const struct db_result *res, size_t want, const char *what)
{
	if (res->ncols == want)
		return 0;
	log_error("order: %s query returns %zu columns, its enum names %zu", what, res->ncols, want);
	return -1;
}

int
order_addresses_read(const struct db_result *res, struct order_address *billing,
    struct order_address *shipping)
{
	size_t i;

	if (check_cols(res, AC_NCOLS, "address") != 0)
		return -1;
	for (i = 0; i < res->nrows; i++) {
		struct order_address *ad = strcmp(db_str(res, i, AC_KIND), "billing") == 0 ? billing : shipping;

		ad->name = db_str(res, i, AC_NAME);
		ad->company = db_str(res, i, AC_COMPANY);
		ad->line1 = db_str(res, i, AC_LINE1);
		ad->line2 = db_str(res, i, AC_LINE2);
		ad->postcode = db_str(res, i, AC_POSTCODE);
		ad->city = db_str(res, i, AC_CITY);
		ad->region = db_str(res, i, AC_REGION);
		ad->country = db_str(res, i, AC_COUNTRY);
		ad->phone = db_str(res, i, AC_PHONE);
	}
	return 0;
}

int
order_row_read(const struct db_result *res, size_t extra, struct order *o)
{
	memset(o, 0, sizeof(*o));
	if (check_cols(res, OC_NCOLS + extra, "order") != 0 || res->nrows != 1 ||
	    strlen(db_str(res, 0, OC_CODE)) != 8)
		return -1;
	o->id = db_ll(res, 0, OC_ID);
	o->number = db_ll(res, 0, OC_NUMBER);
	memcpy(o->code, db_str(res, 0, OC_CODE), 8);
	o->kind = db_str(res, 0, OC_KIND);
	o->title = db_str(res, 0, OC_TITLE);
	o->status = db_str(res, 0, OC_STATUS);
	o->payment_state = db_str(res, 0, OC_PAYMENT_STATE);
	o->shipping_state = db_str(res, 0, OC_SHIPPING_STATE);
	o->on_hold = db_ll(res, 0, OC_ON_HOLD) != 0;
	o->channel = db_str(res, 0, OC_CHANNEL);
	o->is_test = db_ll(res, 0, OC_IS_TEST) != 0;
	o->currency = db_str(res, 0, OC_CURRENCY);
	o->prices_include_vat = db_ll(res, 0, OC_PRICES_INCLUDE_VAT) != 0;
	o->totals.lines_cents = db_ll(res, 0, OC_LINES_CENTS);
	o->totals.shipping_cents = db_ll(res, 0, OC_SHIPPING_CENTS);
	o->totals.shipping_vat_rate = (unsigned)db_ll(res, 0, OC_SHIPPING_VAT_RATE);
	o->totals.total_ex_vat_cents = db_ll(res, 0, OC_TOTAL_EX_VAT_CENTS);
	o->totals.total_vat_cents = db_ll(res, 0, OC_TOTAL_VAT_CENTS);
	o->totals.total_cents = db_ll(res, 0, OC_TOTAL_CENTS);
	if (vat_breakdown_parse(db_str(res, 0, OC_VAT_BREAKDOWN), &o->totals) != 0)
		log_warn("order %s: unreadable VAT breakdown", o->code);
	o->paid_cents = db_ll(res, 0, OC_PAID_CENTS);
	o->payment_method = db_str(res, 0, OC_PAYMENT_METHOD);
	o->carrier = db_str(res, 0, OC_CARRIER);
	o->total_weight_g = db_ll(res, 0, OC_TOTAL_WEIGHT_G);
	o->customer.id = db_ll(res, 0, OC_CUSTOMER_ID);
	o->customer.code = db_str(res, 0, OC_CUSTOMER_CODE);
	o->customer.title = db_str(res, 0, OC_CUSTOMER_TITLE);
	o->customer.first_name = db_str(res, 0, OC_CUSTOMER_FIRST_NAME);
	o->customer.last_name = db_str(res, 0, OC_CUSTOMER_LAST_NAME);
	o->customer.email = db_str(res, 0, OC_CUSTOMER_EMAIL);
	o->customer.phone = db_str(res, 0, OC_CUSTOMER_PHONE);
	o->customer.locale = db_str(res, 0, OC_CUSTOMER_LOCALE);
	o->remarks = db_str(res, 0, OC_REMARKS);
	o->reference = db_str(res, 0, OC_REFERENCE);
	o->external_reference = db_str(res, 0, OC_EXTERNAL_REFERENCE);
	o->placed_at = db_str(res, 0, OC_PLACED_AT);
	o->discount_cents = db_ll(res, 0, OC_DISCOUNT_CENTS);
	return 0;
}

int
order_lines_read(const struct db_result *res, struct arena *a, size_t extra, struct order *o)
{
	size_t i;

	if (check_cols(res, LC_NCOLS + extra, "line") != 0)
		return -1;
	o->nlines = res->nrows;
	o->lines = arena_alloc(a, (res->nrows ? res->nrows : 1) * sizeof(*o->lines));
	for (i = 0; i < res->nrows; i++) {
		struct order_line *l = &o->lines[i];

		l->line_no = (int)db_ll(res, i, LC_LINE_NO);
		l->product_id = db_ll(res, i, LC_PRODUCT_ID);
		l->sku = db_str(res, i, LC_SKU);
		l->ean = db_str(res, i, LC_EAN);
		l->name = db_str(res, i, LC_NAME);
		l->options = db_str(res, i, LC_OPTIONS);
		l->quantity = db_ll(res, i, LC_QUANTITY);
		l->unit_price_cents = db_ll(res, i, LC_UNIT_PRICE_CENTS);
		l->vat_rate = (unsigned)db_ll(res, i, LC_VAT_RATE);
		l->discount_cents = db_ll(res, i, LC_DISCOUNT_CENTS);
		l->total_cents = db_ll(res, i, LC_TOTAL_CENTS);
		l->weight_g = db_ll(res, i, LC_WEIGHT_G);
		l->reserved_stock = db_ll(res, i, LC_RESERVED_STOCK) != 0;
		l->customisable = db_ll(res, i, LC_CUSTOMISABLE) != 0;
		l->qty_shipped = db_ll(res, i, LC_QTY_SHIPPED);
		l->qty_returned = db_ll(res, i, LC_QTY_RETURNED);
	}
	return 0;
}

int
order_load(struct db *db, struct arena *a, long long shop_id, const char *code, struct order *o)
{
	struct db_result res;

	memset(o, 0, sizeof(*o));
	if (!code || strlen(code) != 8)
		return 1;
	if (db_exec(db, a, &res, sql_order, DB_PARAMS(DB_I64(shop_id), DB_STR(code))) != DB_OK)
		return -1;
	if (res.nrows == 0)
		return 1;
	if (order_row_read(&res, 0, o) != 0)
		return -1;
	if (db_exec(db, a, &res, sql_addresses, DB_PARAMS(DB_I64(shop_id), DB_I64(o->id))) != DB_OK ||
	    order_addresses_read(&res, &o->billing, &o->shipping) != 0)
		return -1;
	if (db_exec(db, a, &res, sql_lines, DB_PARAMS(DB_I64(shop_id), DB_I64(o->id))) != DB_OK ||
	    order_lines_read(&res, a, 0, o) != 0)
		return -1;
	return 0;
}

static json_t *
jstr(const char *s)
{
	return json_string(s ? s : "");
}

static json_t *
address_json(const struct order_address *ad)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
	    "name", jstr(ad->name), "company", jstr(ad->company), "line1", jstr(ad->line1),
	    "line2", jstr(ad->line2), "postcode", jstr(ad->postcode), "city", jstr(ad->city),
	    "region", jstr(ad->region), "country", jstr(ad->country), "phone", jstr(ad->phone));
}

void
order_json(const struct order *o, struct buf *out)
{
	json_t *root, *lines = json_array(), *vat = json_array(), *totals, *customer;
	char *text, self[32];
	bool failed = false;   /* an element jansson could not build */
	size_t i;

	snprintf(self, sizeof(self), "/api/v1/orders/%s", o->code);
	for (i = 0; i < o->totals.nvat; i++)
		failed |= json_array_append_new(vat, json_pack("{s:I,s:I,s:I}", "rate", (json_int_t)o->totals.vat[i].rate,
		    "base", (json_int_t)o->totals.vat[i].base_cents, "vat", (json_int_t)o->totals.vat[i].vat_cents)) != 0;
	totals = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:b,s:o}",
	    "lines", (json_int_t)o->totals.lines_cents, "shipping", (json_int_t)o->totals.shipping_cents,
	    "shipping_vat_rate", (json_int_t)o->totals.shipping_vat_rate,
	    "total_ex_vat", (json_int_t)o->totals.total_ex_vat_cents,
	    "vat", (json_int_t)o->totals.total_vat_cents, "total", (json_int_t)o->totals.total_cents,
	    "prices_include_vat", o->prices_include_vat, "vat_breakdown", vat);
	for (i = 0; i < o->nlines; i++) {
		const struct order_line *l = &o->lines[i];
		json_t *options = json_loads(l->options && *l->options ? l->options : "{}", 0, NULL);

		failed |= json_array_append_new(lines, json_pack("{s:i,s:o,s:o,s:o,s:o,s:I,s:I,s:I,s:I,s:I,s:I,s:b,s:I,s:I}",
		    "line", l->line_no, "sku", jstr(l->sku), "ean", l->ean ? json_string(l->ean) : json_null(),
		    "name", jstr(l->name), "options", options ? options : json_object(),
		    "quantity", (json_int_t)l->quantity, "unit_price", (json_int_t)l->unit_price_cents,
		    "vat_rate", (json_int_t)l->vat_rate, "discount", (json_int_t)l->discount_cents,
		    "total", (json_int_t)l->total_cents, "weight", (json_int_t)l->weight_g,
		    "customisable", l->customisable, "quantity_shipped", (json_int_t)l->qty_shipped,
		    "quantity_returned", (json_int_t)l->qty_returned)) != 0;
	}
	customer = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "code", jstr(o->customer.code),
	    "title", jstr(o->customer.title), "first_name", jstr(o->customer.first_name),
	    "last_name", jstr(o->customer.last_name), "email", jstr(o->customer.email),
	    "phone", jstr(o->customer.phone));
	root = json_pack("{s:s,s:I,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:b,s:o,s:o,s:I,s:o,s:o,s:I,"
	    "s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
	    "code", o->code, "number", (json_int_t)o->number, "kind", jstr(o->kind),
	    "status", jstr(o->status), "payment_state", jstr(o->payment_state),
	    "shipping_state", jstr(o->shipping_state), "title", jstr(o->title),
	    "on_hold", o->on_hold, "channel", jstr(o->channel), "test", o->is_test,
	    "currency", jstr(o->currency), "totals", totals, "paid", (json_int_t)o->paid_cents,
	    "payment_method", jstr(o->payment_method), "carrier", jstr(o->carrier),
	    "total_weight", (json_int_t)o->total_weight_g, "customer", customer,
	    "billing_address", address_json(&o->billing), "shipping_address", address_json(&o->shipping),
	    "lines", lines, "remarks", jstr(o->remarks), "reference", jstr(o->reference),
	    "external_reference", jstr(o->external_reference), "placed_at", jstr(o->placed_at),
	    "links", json_pack("{s:s}", "self", self));
	text = root && !failed ? json_dumps(root, JSON_COMPACT) : NULL;
	if (text) {
		buf_puts(out, text);
		free(text);
	} else {
		log_error("order %s: cannot write JSON", o->code);
		out->failed = true;
	}
	json_decref(root);
}

void
order_address_sql(struct db *db, struct buf *b, const struct order_address *ad)
{
	sql_next_str(db, b, ad->name);
	sql_next_str(db, b, ad->company);
	sql_next_str(db, b, ad->line1);
	sql_next_str(db, b, ad->line2);
	sql_next_str(db, b, ad->postcode);
	sql_next_str(db, b, ad->city);
	sql_next_str(db, b, ad->region);
	sql_next_str(db, b, ad->country);
	sql_next_str(db, b, ad->phone);
}
