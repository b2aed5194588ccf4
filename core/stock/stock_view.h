/*
 * stock_view: what the products pages show (St2–St4), read from the
 * database; no HTTP. A page of the shop's products by SKU (keyset: never
 * OFFSET), a product's waiting orders (open orders with a line holding
 * its stock) and its history.
 */
#ifndef CPT_STOCK_VIEW_H
#define CPT_STOCK_VIEW_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct db;

#define STOCK_LIST_PAGE 50
#define STOCK_LIST_WAITING 5       /* waiting orders named per product in the list */
#define STOCK_PRODUCT_WAITING 200  /* … and on the product's page */
#define STOCK_HISTORY_MAX 100      /* newest rows of history on the product's page */
#define STOCK_QUERY_MAX 64         /* bytes of a search */

struct stock_waiting {
	const char *code;
	long long number;          /* 0 when none yet */
	const char *status;
	long long quantity;        /* of this product, in the order */
};

struct stock_row {
	long long id;
	const char *sku, *name;
	bool track_stock, active;
	long long on_hand, reserved, available, threshold;
	bool low;                  /* tracked, and available at or under the threshold */
	struct stock_waiting *waiting;
	size_t nwaiting;           /* named */
	long long waiting_total;   /* in all */
};

struct stock_list {
	struct stock_row *rows;
	size_t n;
	const char *prev_sku;      /* a page before: its rows come before this SKU; NULL none */
	const char *next_sku;      /* a page after: its rows come after this SKU; NULL none */
};

/*
 * A page of products by SKU: after `after` or before `before` (at most
 * one; neither: the first page); `q` (NULL or "" for all) keeps those
 * whose SKU starts with it or whose name holds it, without regard to
 * case. Each row names its first STOCK_LIST_WAITING waiting orders.
 */
int stock_list_load(struct db *db, struct arena *a, long long shop_id, const char *q, const char *after,
    const char *before, struct stock_list *out);

/* The orders waiting for product_id, oldest first, at most `max`, and
 * how many in all. */
int stock_waiting_load(struct db *db, struct arena *a, long long shop_id, long long product_id, size_t max,
    struct stock_waiting **out, size_t *n, long long *total);

struct stock_event {
	const char *at;            /* ISO UTC */
	const char *actor_label;
	const char *action;        /* reserved, released, adjusted, set */
	const char *cause;         /* intake, cancel, edit, quote, delete, adjust, storefront */
	const char *order_code;    /* NULL when none (or the order is gone) */
	long long order_number;
	const char *reason;
	long long on_hand_before, on_hand_after, reserved_before, reserved_after;
};

/* The product's newest STOCK_HISTORY_MAX events, newest first. */
int stock_history_load(struct db *db, struct arena *a, long long shop_id, long long product_id,
    struct stock_event **out, size_t *n);

#endif
