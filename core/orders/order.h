/*
 * order: an order as the rest of the system reads it: header, customer
 * snapshot, addresses, lines and totals. Loaded by code (what people and
 * storefronts know it by) and written as JSON for the API and webhooks.
 */
#ifndef CPT_ORDER_H
#define CPT_ORDER_H

#include <stdbool.h>
#include <stddef.h>

#include "orders/money.h"

struct db;
struct arena;
struct buf;

struct order_address {
	const char *name, *company, *line1, *line2, *postcode, *city, *region, *country, *phone;
};

struct order_line {
	int line_no;
	long long product_id;        /* 0 when the product is gone */
	const char *sku, *ean, *name;
	const char *options;         /* JSON object text, "{}" when none */
	long long quantity;
	long long unit_price_cents;
	unsigned vat_rate;
	long long discount_cents;
	long long total_cents;
	long long weight_g;
	bool reserved_stock;         /* the line holds stock reserved at order time */
	bool customisable;
	long long qty_shipped, qty_returned;
};

struct order_customer {
	long long id;
	const char *code, *title, *first_name, *last_name, *email, *phone, *locale;
};

struct order {
	long long id;
	long long number;
	char code[9];
	const char *kind;            /* "order" or "quote" */
	const char *title;
	const char *status;
	const char *payment_state;
	const char *shipping_state;
	bool on_hold;
	const char *channel;         /* web, phone, api, back_office */
	bool is_test;
	const char *currency;
	bool prices_include_vat;
	struct order_totals totals;
	long long discount_cents;    /* the order's own discount, price basis */
	long long paid_cents;
	const char *payment_method;
	const char *carrier;
	long long total_weight_g;
	struct order_customer customer;
	const char *remarks;
	const char *reference;
	const char *external_reference;
	const char *placed_at;       /* ISO 8601 UTC, "2026-11-25T14:03:12.345678Z" */
	struct order_address billing, shipping;
	struct order_line *lines;
	size_t nlines;
};

/* Loads the order `code` of the shop: 0, 1 when there is none, -1 on error.
 * Another shop's code is simply not found. */
int order_load(struct db *db, struct arena *a, long long shop_id, const char *code,
    struct order *out);

/* Writes the order as a JSON object into `out`. */
void order_json(const struct order *o, struct buf *out);

/* The VAT breakdown as stored in orders.vat_breakdown, and back. */
void vat_breakdown_json(const struct order_totals *t, struct buf *out);
int vat_breakdown_parse(const char *json, struct order_totals *t);

/* Appends an address's columns as the next values of an order_addresses
 * row (",name,company,line1,line2,postcode,city,region,country,phone"),
 * for the SQL text of the intake's and the seed's multi-row INSERTs. */
void order_address_sql(struct db *db, struct buf *b, const struct order_address *ad);

/*
 * For a batch (db_batch) that reads an order with more beside it (the
 * order page, core/orders/order_view.c): the columns order_row_read() and
 * order_lines_read() take, first in their SELECT lists, and readers of
 * their results (strings stay res's). `extra` columns may follow, the
 * caller's, from index ORDER_NCOLS (ORDER_LINE_NCOLS). 0, or -1 (logged)
 * when res has other columns (or, for the row, not one row).
 */
#define ORDER_COLUMNS \
	"id, number, code, kind, title, status, payment_state, shipping_state, on_hold," \
	" channel, is_test, currency, prices_include_vat, lines_cents, shipping_cents," \
	" shipping_vat_rate, total_ex_vat_cents, total_vat_cents, total_cents, vat_breakdown," \
	" paid_cents, payment_method, carrier, total_weight_g, customer_id, customer_code," \
	" customer_title, customer_first_name, customer_last_name, customer_email," \
	" customer_phone, customer_locale, remarks, reference, external_reference," \
	" DATE_FORMAT(placed_at, '%Y-%m-%dT%H:%i:%s.%fZ'), discount_cents"
#define ORDER_NCOLS 37
/* t: the table's alias and a dot ("l."), or "". */
#define ORDER_LINE_COLUMNS(t) \
	t "line_no, " t "product_id, " t "sku, " t "ean, " t "name, " t "options, " t "quantity, " \
	t "unit_price_cents, " t "vat_rate, " t "discount_cents, " t "total_cents, " t "weight_g, " \
	t "reserved_stock, " t "customisable, " t "qty_shipped, " t "qty_returned"
#define ORDER_LINE_NCOLS 16
struct db_result;
int order_row_read(const struct db_result *res, size_t extra, struct order *o);
int order_lines_read(const struct db_result *res, struct arena *a, size_t extra, struct order *o);

/* The columns of order_addresses that order_addresses_read() takes, in its order. */
#define ORDER_ADDRESS_COLUMNS "kind, name, company, line1, line2, postcode, city, region, country, phone"
/* Fills *billing or *shipping (by kind) from rows of ORDER_ADDRESS_COLUMNS
 * (strings stay res's). 0, or -1 (logged) when res has other columns. */
int order_addresses_read(const struct db_result *res, struct order_address *billing,
    struct order_address *shipping);

#endif
