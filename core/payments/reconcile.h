/*
 * reconcile: bank statements against the shop's unpaid orders (P3). The
 * credit lines of an upload are kept (statement_lines) until a payment is
 * recorded for them; each is matched to the one payable order of THIS
 * shop its words name (code, number, structured communication, RF
 * reference) whose amount due is the line's amount. Confirming records
 * each match through payment_record(), the line's key as the event id: a
 * line is paid once, however many times its statement is uploaded.
 */
#ifndef CPT_RECONCILE_H
#define CPT_RECONCILE_H

#include <stddef.h>

#include "orders/events.h"
#include "payments/statement.h"

struct arena;
struct db;

#define RECONCILE_MAX_PENDING 500   /* lines listed and confirmed at once */

enum reconcile_match {
	MATCH_ONE,        /* one payable order, for exactly this amount */
	MATCH_NONE,       /* no payable order named */
	MATCH_AMOUNT,     /* orders named, none due this amount */
	MATCH_MANY,       /* more than one order fits: left to a person */
};

struct reconcile_line {
	long long id;
	const char *key, *booked_on, *currency, *reference, *label, *bank_ref;
	long long amount_cents;
	enum reconcile_match match;
	const char *order_code;    /* MATCH_ONE, and the first order named for MATCH_AMOUNT */
	long long order_number;
	long long due_cents;
};

/* Keeps the credit lines of `st` (the debits are counted in *debits);
 * a line already kept is not added again (*added counts the new ones).
 * Lines without a currency take `currency`. 0, or -1 (logged). */
int reconcile_store(struct db *db, struct arena *a, long long shop_id, const char *currency,
    const struct statement *st, const char *who, size_t *added, size_t *debits);

/* The kept lines without a payment, oldest first, each with its match. */
int reconcile_pending(struct db *db, struct arena *a, long long shop_id, struct reconcile_line **out,
    size_t *n);

/* Records the payment of each line of `ids` that still has MATCH_ONE.
 * *recorded counts the payments made, *skipped the rest. 0, or -1. */
int reconcile_confirm(struct db *db, struct arena *a, long long shop_id, const char *shop_name,
    const long long *ids, size_t nids, const struct order_actor *who, size_t *recorded, size_t *skipped);

#endif
