/*
 * intake: an order comes in from a storefront (I1). Domain code: plain C
 * values in, an order or the list of problems out; no HTTP, no JSON
 * parsing (the API does that).
 *
 * In one transaction: the customer (created if new), the order with its
 * addresses, lines, VAT breakdown and first event, the stock reserved by
 * one conditional update per product (no oversell, whatever the
 * concurrency), the order number (per shop, no gaps), and the idempotency
 * record. Anything wrong and nothing at all is written.
 *
 * Every request draws a random id stored with its order, key or no key:
 * when the connection is lost at COMMIT, intake looks it up (db_tx_once)
 * and answers 201 if the order was taken, or takes it if not. Only when
 * the database cannot say does it answer INTAKE_UNKNOWN: the storefront
 * sends the request again with its Idempotency-Key.
 */
#ifndef CPT_INTAKE_H
#define CPT_INTAKE_H

#include <stdbool.h>
#include <stddef.h>

#include "orders/order.h"

struct db;
struct arena;
struct shop;
struct problems;
struct order_actor;

#define INTAKE_MAX_LINES 200
/* A line's options, as the compact JSON text stored with it: at most so
 * many bytes, and objects and arrays nested at most so deep (the options
 * object itself is 1). */
#define INTAKE_MAX_OPTIONS_BYTES 8192
#define INTAKE_MAX_OPTIONS_DEPTH 8

struct intake_line {
	const char *sku;
	long long quantity;
	bool has_unit_price, has_vat_rate;
	long long unit_price_cents;    /* only when the shop lets the storefront price */
	long long vat_rate;
	long long discount_cents;
	const char *options;           /* a JSON object's text, or NULL */
};

struct intake {
	struct order_customer customer;        /* title, names, email, phone, locale */
	struct order_address billing;
	struct order_address shipping;
	bool has_shipping;                     /* else shipping = billing */
	struct intake_line *lines;
	size_t nlines;
	const char *carrier;
	long long shipping_cents;
	const char *payment_method;
	const char *remarks;
	const char *external_reference;
	const char *title;
	const char *reference;
	const char *channel;                   /* "web" (default), "phone", "api" */
	bool is_test;
	/* Who sends it, for the history: `actor` (a staff member taking an
	 * order by telephone), else the storefront named `actor_label`. */
	const struct order_actor *actor;
	const char *actor_label;
	/* A quote becoming this order (core/orders/quote.c), else 0: its
	 * lines keep the quote's prices, and the quote is linked to the order
	 * in the order's transaction, if it still is at that version and not
	 * converted yet (else INTAKE_QUOTE_TAKEN, nothing written). */
	long long from_quote_id, from_quote_version;
	const char *from_quote_code;
	/* Idempotency: key (NULL for none) and a hash of the request body. */
	const char *idempotency_key;
	const unsigned char *request_hash;     /* 32 bytes */
};

enum intake_rc {
	INTAKE_CREATED = 0,
	INTAKE_REPLAYED = 1,       /* same key, same body: the first answer */
	INTAKE_INVALID = 2,        /* problems say which fields */
	INTAKE_OUT_OF_STOCK = 3,   /* problems say which SKUs, how many left */
	INTAKE_KEY_REUSED = 4,     /* same key, another body */
	INTAKE_QUOTE_TAKEN = 7,    /* from_quote_id is converted already, or changed */
	INTAKE_ERROR = -1,
	INTAKE_UNKNOWN = -2,       /* the database went away at COMMIT: taken or not, unknown */
};

struct intake_result {
	struct order order;         /* when CREATED */
	const char *body;           /* JSON of the order: created or replayed */
	int status;                 /* HTTP-neutral: 201 for created, or the stored one */
};

#define IDEMPOTENCY_KEY_MAX 255

int intake_order(struct db *db, struct arena *a, const struct shop *shop,
    const struct intake *in, struct problems *problems, struct intake_result *out);

/* Idempotency keys are kept IDEMPOTENCY_KEEP_HOURS (at least 24 h are
 * promised); this deletes older ones. Returns rows or -1. */
#define IDEMPOTENCY_KEEP_HOURS 48
long long intake_purge_idempotency(struct db *db, struct arena *a);

/* A customer's code as staff see it, "C000042", derived from its id. */
const char *customer_code(struct arena *a, long long customer_id);

/* Checks an E.164 phone number: '+', then 8 to 15 digits, no leading 0. */
bool phone_e164_valid(const char *s);

/* The field rules (intake_check.c): adds a problem per faulty field, asks
 * no database. intake_order() runs it first. */
void intake_validate(const struct intake *in, struct problems *problems);

#endif
