/*
 * workflow: the statuses an order goes through and the one table of the
 * moves allowed between them (W1, W11); changing an order's status, with
 * its event and, when asked, the customer's e-mail in the outbox (W2), in
 * one transaction.
 *
 * The status is the merchant's word for where the order is; the payment
 * state and the shipping state are other columns with their own rules, and
 * a status change never writes them.
 */
#ifndef CPT_WORKFLOW_H
#define CPT_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "orders/events.h"

struct arena;
struct db;

enum wf_flag {
	WF_SALE = 1,              /* counts as a sale in the figures */
	WF_FINAL = 2,             /* nothing follows it */
	WF_CUSTOMER_MAY_PAY = 4,  /* the storefront may take a payment (W6) */
	WF_CANCELS = 8,           /* reaching it cancels the order (stock back …) */
};

struct wf_status {
	const char *code;         /* stored in orders.status */
	const char *label_fr, *label_en;
	const char *colour;       /* CSS colour of its badge */
	unsigned flags;           /* enum wf_flag */
	const char *email;        /* template of the customer's e-mail, NULL for none */
};

/* The statuses in their order; NULL/0 past the end. */
const struct wf_status *wf_status_at(size_t i);
const struct wf_status *wf_status_find(const char *code);
const char *wf_status_label(const struct wf_status *s, const char *lang);

/* 0 when an order may go from `from` to `to`; else > 0 and *why the
 * reason, translated into the current language. */
int wf_transition_check(const char *from, const char *to, const char **why);

enum wf_rc {
	WF_OK = 0,
	WF_ERROR = -1,            /* logged */
	WF_NOT_FOUND = 1,         /* no such order in this shop */
	WF_REFUSED = 2,           /* *why says why */
	WF_CHANGED = 3,           /* the order changed since `version` */
};

/* What db_tx answered an order action, as these codes: any other code is
 * logged ("order CODE: WHAT (rc)") and becomes WF_ERROR. */
int wf_tx_result(int rc, const char *code, const char *what);

struct wf_change {
	long long shop_id;
	const char *shop_name;    /* signs the e-mail */
	const char *code;         /* the order */
	long long version;        /* the order's version the request was made on */
	const char *to;
	bool notify;              /* e-mail the customer when the status has a template */
};

/* Changes the status; a refusal changes nothing. *why (WF_REFUSED,
 * WF_CHANGED) is the reason, translated. */
int order_status_change(struct db *db, struct arena *a, const struct wf_change *c,
    const struct order_actor *who, const char **why);

/* The status with WF_CANCELS (there is one), NULL if the workflow has none. */
const struct wf_status *wf_cancel_status(void);
/* 0 when an order in `status` may be cancelled; else WF_REFUSED and *why,
 * translated ("already cancelled", or the move the table refuses). */
int wf_cancel_check(const char *status, const char **why);

struct wf_cancel {
	long long shop_id;
	const char *shop_name;    /* signs the e-mail */
	const char *code;         /* the order */
	long long version;        /* the order's version the request was made on */
	bool notify;              /* e-mail the customer (the cancelling status has a template) */
	bool automatic;           /* W5: the shop's delay for unpaid orders ran out */
};

/*
 * Cancels order `code` (W4), in one transaction and through the same
 * lock, version check and status writer as order_status_change: the
 * status with WF_CANCELS, every reserved line given back
 * (stock_release_order), credit_note_due set when the order has an
 * invoice (orders.invoice_number, set by the documents), the event
 * "order.cancelled" (from, to, customer_told, credit_note_due, automatic)
 * and, when `notify`, the customer's e-mail in the outbox. Cannot be
 * undone: a cancelled order is refused (WF_REFUSED, *why). Returns as
 * order_status_change.
 */
int order_cancel(struct db *db, struct arena *a, const struct wf_cancel *c,
    const struct order_actor *who, const char **why);
/* The same inside the caller's db_tx (the worker's claimed rows): WF_*
 * codes, or a db_exec code (DB_RETRY …) to hand back to db_tx. */
int order_cancel_in_tx(struct db *db, struct arena *a, const struct wf_cancel *c,
    const struct order_actor *who, const char **why);

#define ORDER_HOLD_REASON_MAX 255   /* characters, as the column */

/* Puts order `code` on hold with `reason` (W3), or resumes it (`hold`
 * false; the reason is not needed): the on_hold flag later issues check
 * before an invoice or a packing slip. A completed or cancelled order
 * cannot be held. Returns as order_status_change. */
int order_hold_set(struct db *db, struct arena *a, long long shop_id, const char *code, long long version,
    bool hold, const char *reason, const struct order_actor *who, const char **why);

#endif
