/*
 * payments: the one entry point that records money received for an order
 * or given back (P4, P5, P9), whoever brings it: staff on the order page,
 * a bank statement (P3), a provider's webhook (the payment plugins).
 *
 * payment_record() writes the payment row and, in the same transaction,
 * recomputes orders.paid_cents and orders.payment_state from the amounts
 * (payment_state_of), writes the history event and, when the order
 * becomes paid, the customer's receipt (P8) into the outbox and, when its
 * status lets the customer pay, the move to the shop's paid status
 * (order_paid_move_in_tx, orders/workflow.h). A refusal changes nothing. The amount due is orders.total_cents, as order_totals()
 * computed it (core/orders/money.h).
 *
 * A payment brought by a provider carries the provider's event id: the
 * same event again (a replayed webhook, a statement uploaded twice)
 * records nothing and answers PAY_ALREADY. Staff forms carry the order's
 * version instead, checked like order_status_change's.
 */
#ifndef CPT_PAYMENTS_H
#define CPT_PAYMENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "orders/events.h"

struct arena;
struct db;
struct tpl_vars;

enum payment_action {
	PAY_RECEIVED,     /* amount received (partial or whole) */
	PAY_REFUND,       /* amount given back, at most what was paid */
	PAY_MARK_PAID,    /* what remains due, received at once */
	PAY_MARK_UNPAID,  /* what was received was not after all (a bounced cheque) */
};

#define PAYMENT_COMMENT_MAX 255      /* characters, as the column */
#define PAYMENT_REFERENCE_MAX 140
#define PAYMENT_EVENT_ID_MAX 128     /* bytes, printable ASCII */
#define PAYMENT_CODE_MAX 32          /* method and provider: [a-z0-9_] */

struct payment_in {
	long long shop_id;
	const char *shop_name;      /* signs the receipt */
	const char *code;           /* the order */
	long long version;          /* the order's version the form was made on; < 0: not checked */
	enum payment_action action;
	long long amount_cents;     /* > 0, for PAY_RECEIVED and PAY_REFUND */
	const char *method;         /* "cheque" …; NULL or "": the order's payment method */
	const char *provider;       /* "" by hand, "statement", "stripe" … */
	const char *reference;      /* the provider's or the bank's reference; may be NULL */
	const char *event_id;       /* the provider's event id; NULL for none */
	const char *comment;        /* may be NULL */
	const char *received_on;    /* "YYYY-MM-DD", or NULL */
	const char *lang;           /* of the reasons' amounts: "fr" (NULL) or "en" */
};

enum payment_rc {
	PAY_OK = 0,
	PAY_ERROR = -1,             /* logged */
	PAY_NOT_FOUND = 1,          /* no such order in this shop */
	PAY_REFUSED = 2,            /* *why says why, translated */
	PAY_CHANGED = 3,            /* the order changed since `version` */
	PAY_ALREADY = 4,            /* this event was recorded before: nothing done */
};

struct payment_out {
	long long payment_id;
	long long paid_cents;        /* the order's, after */
	const char *state;           /* the order's payment_state, after */
	bool receipt;                /* a receipt went into the outbox */
	bool status_moved;           /* made paid, the order went to the shop's paid status */
};

/* Records `in` by `who`. Returns enum payment_rc; *why (PAY_REFUSED,
 * PAY_CHANGED) is the reason; *out (may be NULL) is set on PAY_OK. */
int payment_record(struct db *db, struct arena *a, const struct payment_in *in,
    const struct order_actor *who, const char **why, struct payment_out *out);

/* The payment state for an order of `total` cents that received
 * `received` (payments less reversals) and gave back `refunded`:
 * "unpaid", "partially_paid", "paid", "partially_refunded", "refunded". */
const char *payment_state_of(long long total, long long received, long long refunded);

/* The payment state of order_id once its total is `total` (its lines
 * edited): payment_state_of its payments, paid_cents without rows (the
 * seed's) counted as received. Inside the caller's transaction. */
int payment_state_recount(struct db *db, struct arena *a, long long shop_id, long long order_id,
    long long paid_cents, long long total, const char **state);

/* True when `s` is a method or provider code: 1 to PAYMENT_CODE_MAX of [a-z0-9_]. */
bool payment_code_valid(const char *s);

/* The order's payments for its page: payments_view_sql appends their
 * statement to order_view_load_more's batch; from its result, fills vars
 * "payments" (date, amount, kind, method, reference, comment, who),
 * "payments_due" (what remains due), "can_pay", "can_mark_paid",
 * "can_mark_unpaid", "can_refund" and "payment_methods" into the map
 * `order`. 0, or -1 on error (logged). */
struct buf;
struct db_result;
void payments_view_sql(struct buf *b, long long shop_id);
int payments_view_fill(const struct db_result *payments, long long order_id, long long total_cents,
    long long paid_cents, const char *currency, const char *method, const char *lang, const char *tz,
    struct tpl_vars *order);

/* "Payment", "Refund" …, in the thread's language. */
const char *payment_kind_label(const char *kind);

#endif
