/*
 * quote: a quote (W7) made from an order ("Dupliquer en devis"): the same
 * customer, addresses, products, quantities and prices, payment and
 * shipping method, and no stock held. Quotes live in tables of their own
 * (migration 018 says why): no list, count, dashboard figure or search of
 * orders ever sees one. Its lines are edited by lines_edit, as an order's.
 *
 * quote_convert makes it an order through intake (core/orders/intake.c),
 * the storefront's path: the stock checked and reserved in the order's
 * transaction (short: refused with what is short, nothing written), and
 * the quote linked to its order in that same transaction, once: a second
 * conversion, or one made on a quote edited meanwhile, is refused.
 */
#ifndef CPT_QUOTE_H
#define CPT_QUOTE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "orders/events.h"
#include "orders/order.h"

struct arena;
struct db;
struct shop;

enum quote_rc {
	QUOTE_OK = 0,
	QUOTE_ERROR = -1,          /* logged */
	QUOTE_NOT_FOUND = 1,       /* no such order or quote in this shop */
	QUOTE_REFUSED = 2,         /* *why */
	QUOTE_CHANGED = 3,         /* the quote changed since the form's version; *why */
	QUOTE_SHORT = 4,           /* not enough stock: *why says of what */
};

struct quote_event {
	const char *at, *actor_type, *actor_label, *action, *details;
};

struct quote {
	long long id, version;
	char code[9];
	const char *from_order;      /* the order's code it was made from, or NULL */
	const char *order;           /* the order it became, or NULL */
	const char *created_at;      /* "YYYY-MM-DD HH:MM:SS" UTC */
	const char *currency, *payment_method, *carrier;
	bool prices_include_vat;
	struct order_totals totals;
	long long total_weight_g;
	struct order_customer customer;
	struct order_address billing, shipping;
	struct order_line *lines;
	size_t nlines;
	struct quote_event *events;  /* oldest first */
	size_t nevents;
};

/* Writes event `action` of the quote, in the caller's transaction; takes
 * the reference to `details`. DB_OK or a db code. */
int quote_event_add(struct db *db, struct arena *a, long long shop_id, long long quote_id,
    const struct order_actor *who, const char *action, json_t *details);

/* A quote of order `order_code`: its code in code_out. */
int quote_from_order(struct db *db, struct arena *a, long long shop_id, const char *order_code,
    const struct order_actor *who, char code_out[9]);

/* Loads quote `code` whole: 0, 1 when none, -1. */
int quote_load(struct db *db, struct arena *a, long long shop_id, const char *code, struct quote *q);

/* The shop's quotes, newest first, QUOTE_PAGE a page, those older than
 * id `before` (0: from the newest); *more when there are others. */
#define QUOTE_PAGE 50
struct quote_row {
	long long id, total_cents;
	const char *code, *created_at, *customer, *currency, *order, *first_product;
};
int quote_list(struct db *db, struct arena *a, long long shop_id, long long before, struct quote_row **rows,
    size_t *n, bool *more);

/* Converts quote `code` (as it was at `version`) into an order, by `who`:
 * the order's code in order_out. *why for every refusal (translated). */
int quote_convert(struct db *db, struct arena *a, const struct shop *shop, const char *code, long long version,
    const struct order_actor *who, char order_out[9], const char **why);

#endif
