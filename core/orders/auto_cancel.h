/*
 * auto_cancel: the automatic cancel of unpaid orders (W5), run by
 * `comptoir work` for each shop whose `auto_cancel_unpaid_after` is set.
 */
#ifndef CPT_AUTO_CANCEL_H
#define CPT_AUTO_CANCEL_H

struct arena;
struct db;

#define AUTO_CANCEL_BATCH 50   /* orders claimed, and cancelled, per transaction */

/*
 * Cancels the shop's orders placed more than `hours` ago, still unpaid
 * (payment_state 'unpaid'), not on hold, in a status where the customer
 * may still pay (WF_CUSTOMER_MAY_PAY) and from which a cancel is allowed:
 * each through order_cancel_in_tx, by ACTOR_SYSTEM, the customer told.
 *
 * Several workers at once: each transaction claims its batch with
 * SELECT … FOR UPDATE SKIP LOCKED, so two workers take different orders
 * and do not wait for each other's; then a last pass claims without
 * SKIP LOCKED, waiting for rows still locked, so that none is left for
 * the next run. An order one worker cancelled is no longer unpaid-and-
 * waiting when the other reads it (a locking read sees the last commit).
 * Each order is cancelled, and its stock given back, once. Returns how many this call cancelled,
 * or -1 (logged).
 */
long long order_auto_cancel(struct db *db, struct arena *a, long long shop_id, const char *shop_name,
    int hours);

#endif
