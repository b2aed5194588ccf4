/*
 * order_counts: the shop's figures the dashboard shows, kept exact by the
 * transactions that change an order (intake, status change, hold): how
 * many orders by status, hold, payment and shipping state (order_counts),
 * and per hour how many were placed and how many of them, for how much,
 * count as a sale (order_hours, WF_SALE). Reading them is a few hundred
 * rows at most, whatever the shop's size.
 *
 * Each change moves an order from one tally to another in the caller's
 * transaction. Rows are locked in one order everywhere (order_counts rows
 * by key, then the hour), so two changes at once never deadlock on them.
 */
#ifndef CPT_ORDER_COUNTS_H
#define CPT_ORDER_COUNTS_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct buf;
struct db;
struct wf_workflow;

/* Where an order stands, as the counts see it. */
struct order_tally {
	const char *status, *payment_state, *shipping_state;
	bool on_hold;
	bool sale;                 /* the status counts as a sale (WF_SALE in the shop's workflow) */
	const char *placed_at;     /* UTC, "YYYY-MM-DD HH…" (the hour is what counts) */
	long long total_cents;
};

/* Appends to b the statements (';' between them, and before the first
 * when b is not empty) that move one order from `from` (NULL: a new
 * order) to `to` (NULL: a test order deleted); returns how many, 0 when
 * nothing changes. */
int order_counts_sql(struct db *db, struct buf *b, long long shop_id, const struct order_tally *from,
    const struct order_tally *to);

/* order_counts_sql run at once, inside the caller's transaction: DB_OK,
 * or what db_batch returned. */
int order_counts_move(struct db *db, struct arena *a, long long shop_id, const struct order_tally *from,
    const struct order_tally *to);

/* What the dashboard shows, read in one round trip. */
#define DASHBOARD_LAST 8          /* the last orders in */
#define DASHBOARD_LOW_STOCK 10    /* products listed; counted up to 100, "more than" past it */
#define DASHBOARD_STATUSES 16

struct dashboard_order {
	const char *code, *placed_at, *customer, *currency, *status;
	long long number, total_cents;
};
struct dashboard_product {
	const char *sku, *name;
	long long available, threshold;
};
struct dashboard {
	const struct wf_workflow *wf;   /* the shop's statuses the figures name */
	/* The open statuses (not WF_FINAL), in the workflow's order. */
	struct { const char *code; long long n; } statuses[DASHBOARD_STATUSES];
	size_t nstatuses;
	/* Open orders: unpaid; paid and not shipped; on hold. */
	long long unpaid, paid_unshipped, on_hold;
	/* Placed today and this month (the shop's local time): every order,
	 * and those whose status counts as a sale, with their total. */
	long long today_n, today_sales, today_cents, month_n, month_sales, month_cents;
	struct dashboard_order last[DASHBOARD_LAST];
	size_t nlast;
	struct dashboard_product low[DASHBOARD_LOW_STOCK];
	size_t nlow;
	long long low_count;      /* up to 101 */
};

/* The figures of the shop whose local day is `today` ("YYYY-MM-DD") in
 * zone tz. */
int dashboard_load(struct db *db, struct arena *a, long long shop_id, const char *today, const char *tz,
    struct dashboard *out);

/* Counts the shop's orders again from the orders table, in a transaction
 * of its own (after a bulk load that wrote the orders directly). */
int order_counts_rebuild(struct db *db, struct arena *a, long long shop_id);

#endif
