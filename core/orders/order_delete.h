/*
 * order_delete: deleting a test order (W10). Only an order marked as a
 * test (orders.is_test, set by the storefront's "test": true) may be
 * deleted; a real order is cancelled, never deleted. The order goes with
 * everything that hangs on it, after its reserved stock is given back;
 * since its history goes too, one row of shop_log keeps who deleted what.
 */
#ifndef CPT_ORDER_DELETE_H
#define CPT_ORDER_DELETE_H

#include "orders/events.h"

struct arena;
struct db;

/*
 * Deletes test order `code` of the shop, made on `version`, in one
 * transaction: stock_release_order, then the order with its lines,
 * addresses, history, notes, search terms, outbox messages and
 * idempotency keys, and a "order.test_deleted" row in shop_log (code,
 * number, customer, total, lines). Returns WF_OK, WF_NOT_FOUND,
 * WF_REFUSED (a real order: *why, translated; nothing changes),
 * WF_CHANGED (the version is stale), WF_ERROR (logged).
 */
int order_test_delete(struct db *db, struct arena *a, long long shop_id, const char *code,
    long long version, const struct order_actor *who, const char **why);

#endif
