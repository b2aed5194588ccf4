/*
 * order_new: an order taken in the back office, by telephone (W9), and the
 * new or repeated order of a customer (W8). What the form shows at each
 * step — the shop's customers found by name, e-mail or telephone, its
 * products found by name or SKU with their stock, the lines at the
 * catalogue's prices and the totals of order_totals() — and the order
 * itself, taken by intake_order(), the one writer of orders (channel
 * "phone", the staff member in its first event, the stock reserved, the
 * counters moved, a double submit answered by its idempotency key).
 * Every query is scoped by the shop: another shop's customer or product
 * is never found. No HTTP here: core/pages/order_new.c is the form.
 */
#ifndef CPT_ORDER_NEW_H
#define CPT_ORDER_NEW_H

#include <stdbool.h>
#include <stddef.h>

#include "orders/intake.h"
#include "orders/money.h"
#include "orders/order.h"

struct arena;
struct db;
struct order_actor;
struct problems;
struct shop;

#define ORDER_NEW_FOUND_MAX 20     /* customers or products shown by a search */
#define ORDER_NEW_QUERY_MAX 64     /* bytes of a search */

struct new_customer {
	long long id;
	const char *code, *title, *first_name, *last_name, *email, *phone, *locale;
};

/* A product of the catalogue as the form shows it. */
struct new_product {
	const char *sku;             /* the catalogue's spelling once found, else as asked */
	bool found, active, track_stock;
	const char *name;
	long long price_cents;
	unsigned vat_rate;
	long long available;         /* on hand − reserved, never below 0 */
};

struct new_line {
	const char *sku;
	long long quantity;
};

/* What the form holds when it is sent to be taken. */
struct order_new {
	long long customer_id;             /* a customer of the shop; 0: `customer` is a new one */
	struct order_customer customer;    /* a new customer (read again from the shop for an id) */
	struct order_address billing, shipping;
	bool has_shipping;                 /* else it ships to the billing address */
	const struct new_line *lines;
	size_t nlines;
	const char *carrier, *payment_method, *remarks;
	long long shipping_cents;
	const char *idempotency_key;       /* the form's, drawn when it was opened */
	const unsigned char *request_hash; /* 32 bytes: what the form sent */
};

/* 0 ok, < 0 failure already logged, > 0 an expected refusal. */
enum { NEW_OK = 0, NEW_ERROR = -1, NEW_NOT_FOUND = 1 };

/* The shop's customers whose last or first name, "first last", e-mail or
 * telephone starts with q (case and accents aside), at most
 * ORDER_NEW_FOUND_MAX, by name. */
int order_new_customers_find(struct db *db, struct arena *a, long long shop_id, const char *q,
    struct new_customer **out, size_t *n);

/* Customer `id` of the shop, and the addresses of their newest order (all
 * fields "" when they have none). NEW_NOT_FOUND for another shop's id. */
int order_new_customer_get(struct db *db, struct arena *a, long long shop_id, long long id,
    struct new_customer *c, struct order_address *billing, struct order_address *shipping);

/* The shop's products whose SKU starts with q or whose name holds it, as
 * /products finds them (stock_list_load), with their prices. */
int order_new_products_find(struct db *db, struct arena *a, long long shop_id, const char *q,
    struct new_product **out, size_t *n);

/* The products of `skus` (n of them) into out[i], found or not. */
int order_new_products_get(struct db *db, struct arena *a, long long shop_id, const char *const *skus,
    size_t n, struct new_product *out);

/* The totals of the lines whose product is found and sold, by
 * order_totals(): line_totals[i] (0 for the others). A money_rc. */
int order_new_totals(bool prices_include_vat, const struct new_product *p, const struct new_line *l,
    size_t n, long long shipping_cents, struct order_totals *t, long long *line_totals);

/* The customer and lines of order `code` of the shop, for a new order
 * (W8). NEW_NOT_FOUND for another shop's code. */
int order_new_from_order(struct db *db, struct arena *a, long long shop_id, const char *code,
    long long *customer_id, struct new_line **lines, size_t *n);

/*
 * Takes the order through intake_order() by `who`: an intake_rc (its
 * problems in pb), or ORDER_NEW_NO_CUSTOMER when f->customer_id is no
 * customer of the shop (nothing written).
 */
#define ORDER_NEW_NO_CUSTOMER 100
int order_new_take(struct db *db, struct arena *a, const struct shop *shop, const struct order_new *f,
    const struct order_actor *who, struct problems *pb, struct intake_result *out);

#endif
