/*
 * reminder: the payment reminder (P7), written by `comptoir work` into the
 * outbox for each order of a shop whose `payment_reminder_after` is set,
 * placed longer ago than that, still unpaid (or paid in part), not on
 * hold, in a status where the customer may pay (WF_CUSTOMER_MAY_PAY): an
 * e-mail (template payment_reminder) in the customer's language with what
 * is due and the order's payment link (made when it has none), the event
 * "order.payment_reminder_sent" and orders.payment_reminded_at, in one
 * transaction. Once per order: the column keeps it out of later claims,
 * and the outbox's dedup key would refuse a second message anyway.
 *
 * Several workers at once claim as the automatic cancel does
 * (core/orders/auto_cancel.c): FOR UPDATE SKIP LOCKED, then a last pass
 * that waits for the rows still locked, so each order is reminded once.
 */
#ifndef CPT_REMINDER_H
#define CPT_REMINDER_H

struct arena;
struct db;
struct shop;

#define REMINDER_BATCH 50   /* orders claimed, and reminded, per transaction */

/* Reminds the orders of shop `s` unpaid for `hours`. Returns how many this
 * call reminded, or -1 (logged). */
long long payment_remind_unpaid(struct db *db, struct arena *a, const struct shop *s, int hours);

#endif
