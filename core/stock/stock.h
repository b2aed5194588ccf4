/*
 * stock: the one writer of products.stock_on_hand, products.stock_reserved
 * and order_lines.reserved_stock (tools/check-source fails on any other).
 * Intake, cancel, edits, quotes, the storefront's product sync and the
 * merchant's adjustments all come through here, and every change writes
 * its product_events row (who, when, what, before and after) in the same
 * transaction.
 *
 * On hand is on the shelf; reserved is promised to open orders; available
 * is on hand - reserved and never goes below 0. A line with reserved_stock
 * set holds its whole quantity of its product's reserved stock.
 *
 * Locking: product rows are locked late (in the transaction's last writes
 * before its number and commit) and in product-id order, one conditional
 * UPDATE per product, so two orders never deadlock on them and no
 * interleaving sells more than the shelf holds. Every function runs inside
 * the caller's db_tx (stock_adjust and stock_set_on_hand start their own
 * when called outside one) and may run again with it: a refusal > 0 from
 * a reservation leaves rows written, and the caller rolls back (its db_tx
 * function returns the code).
 *
 * Results: DB_OK (0), a db code (< 0, logged: DB_RETRY in a transaction
 * is returned for db_tx to run it again), or a refusal of enum stock_rc.
 */
#ifndef CPT_STOCK_H
#define CPT_STOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "orders/events.h"

struct arena;
struct buf;
struct db;
struct db_result;
struct order_line;

enum stock_rc {
	STOCK_OK = 0,
	STOCK_SHORT = 1,           /* not that much available: nothing reserved */
	STOCK_BELOW_RESERVED = 2,  /* on hand would fall below what is reserved */
	STOCK_NOT_FOUND = 3,       /* no such product or line in this shop */
	STOCK_INVALID = 4,         /* a zero delta, a missing or too long reason, out of range */
};

/* Why stock moved, as product_events.cause records it. */
enum stock_cause {
	STOCK_CAUSE_INTAKE,        /* an order came in */
	STOCK_CAUSE_CANCEL,        /* the order was cancelled */
	STOCK_CAUSE_EDIT,          /* the order's lines were edited */
	STOCK_CAUSE_QUOTE,         /* a quote became an order */
	STOCK_CAUSE_DELETE,        /* a test order was deleted */
	STOCK_CAUSE_ADJUST,        /* a merchant's correction, with a reason */
	STOCK_CAUSE_STOREFRONT,    /* the storefront set on hand (PUT /api/v1/products) */
};
const char *stock_cause_name(enum stock_cause cause);

#define STOCK_REASON_MAX 255        /* characters, as the column */
#define STOCK_ON_HAND_MAX 100000000

/* ---- reserving an order's lines -------------------------------------- */

/* One product's share of an order: its lines add up. */
struct stock_need {
	long long product_id;
	long long quantity;
	size_t first_line;         /* index of the order's first line of it */
};

/*
 * The plan: the lines that want stock (reserved_stock set by the caller
 * because their product tracks stock, product_id > 0), one need per
 * product, sorted by product id — the order the rows are locked in.
 * No database; *needs is allocated in `a`. Returns the count.
 */
size_t stock_plan(struct arena *a, const struct order_line *lines, size_t nlines,
    struct stock_need **needs);

/*
 * For a batch (db_batch) that has just inserted the order's `lines` with
 * reserved_stock 0: appends ";" and the statements that reserve `needs`
 * (stock_plan of the same lines) for the order whose id is in the user
 * variable `order_var` ("@order"), set reserved_stock on the lines that
 * wanted it (by their whole key: no gap locked) and write the history. Returns the count
 * of statements appended; the first n are the conditional updates, one per
 * need, and stock_batch_short() reads their results.
 */
size_t stock_reserve_sql(struct db *db, struct buf *b, long long shop_id, const char *order_var,
    const struct order_line *lines, size_t nlines, const struct stock_need *needs, size_t n,
    enum stock_cause cause, const struct order_actor *who);

/* The index of the first need the batch could not reserve (its update
 * changed no row), or n when all were reserved. */
size_t stock_batch_short(const struct db_result *updates, size_t n);

/* What is available of a product now (a locking read, not the
 * transaction's snapshot), for the refusal's message. */
int stock_available(struct db *db, struct arena *a, long long shop_id, long long product_id,
    long long *available);

/*
 * Reserves every line of an order that wants stock and holds none yet
 * (a quote converted to an order, lines added by an edit): the lines of
 * products that track stock, with reserved_stock 0. STOCK_SHORT names the
 * first product short in *short_product (if not NULL) and what is left in
 * *available; the caller rolls back.
 */
int stock_reserve_order(struct db *db, struct arena *a, long long shop_id, long long order_id,
    enum stock_cause cause, const struct order_actor *who, long long *short_product,
    long long *available);

/* ---- giving back -------------------------------------------------------- */

/*
 * Inside the caller's db_tx: gives back the reserved quantity of every
 * line of the order that holds a reservation and clears those lines'
 * reserved_stock, so a second call gives nothing back twice; the history
 * says "released by the cancel of order X". Returns DB_OK or a db code.
 */
int stock_release_order(struct db *db, struct arena *a, long long shop_id, long long order_id,
    const struct order_actor *who);

/* The same with another cause (STOCK_CAUSE_DELETE, STOCK_CAUSE_EDIT …). */
int stock_release_order_for(struct db *db, struct arena *a, long long shop_id, long long order_id,
    enum stock_cause cause, const struct order_actor *who);

/*
 * Inside the caller's db_tx, before releasing the stock of several orders
 * in one transaction (the auto-cancel's batch): locks the products their
 * lines name, all at once and in product-id order. Two batches releasing
 * orders that share products then wait for each other instead of each
 * holding what the other needs next (a deadlock, the whole batch again).
 * Writes nothing. Returns DB_OK or a db code.
 */
int stock_lock_for_orders(struct db *db, struct arena *a, long long shop_id,
    const long long *order_ids, size_t n);

/* ---- one line of an order (edits) ---------------------------------------- */

/*
 * Reserves `quantity` more of line `line_no`'s product for it: before the
 * caller raises the line's quantity by as much, or for a new line (then
 * `quantity` is its whole quantity). The line then holds a reservation. A
 * line of a product that does not track stock: STOCK_OK, nothing done.
 * STOCK_SHORT (nothing changed) with *available; STOCK_NOT_FOUND.
 */
int stock_reserve_line(struct db *db, struct arena *a, long long shop_id, long long order_id,
    int line_no, long long quantity, enum stock_cause cause, const struct order_actor *who,
    long long *available);

/*
 * Gives back `quantity` (1 to the line's quantity) of what line `line_no`
 * holds: before the caller lowers its quantity by as much, or removes it
 * (then `quantity` is its whole quantity, and the line holds no
 * reservation afterwards). A line holding none: STOCK_OK, nothing done.
 */
int stock_release_line(struct db *db, struct arena *a, long long shop_id, long long order_id,
    int line_no, long long quantity, enum stock_cause cause, const struct order_actor *who);

/* ---- on hand --------------------------------------------------------------- */

/*
 * A merchant's correction of on-hand stock by `delta` (non-zero), with a
 * reason (1 to STOCK_REASON_MAX characters), written to the product's
 * history in the same transaction. Refuses to go below what is reserved
 * (STOCK_BELOW_RESERVED) or past STOCK_ON_HAND_MAX or below 0
 * (STOCK_INVALID), changing nothing. Sets *on_hand_after (if not NULL).
 */
int stock_adjust(struct db *db, struct arena *a, long long shop_id, long long product_id,
    long long delta, const char *reason, const struct order_actor *who, long long *on_hand_after);

/* The storefront's count: on hand set to `on_hand` (0 to
 * STOCK_ON_HAND_MAX), refused below what is reserved with
 * STOCK_BELOW_RESERVED (*reserved says how much). No row when unchanged. */
int stock_set_on_hand(struct db *db, struct arena *a, long long shop_id, long long product_id,
    long long on_hand, const struct order_actor *who, long long *reserved);

#endif
