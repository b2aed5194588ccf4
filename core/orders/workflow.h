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

#include "conf/wf_def.h"

struct arena;
struct config;
struct db;

/*
 * Each shop has its own statuses (rows of shop_statuses, copied from the
 * default workflow or the shop file's preset, then changed by the owner).
 * A caller reads them once per request:
 *
 *	const struct wf_workflow *wf;
 *	if (wf_get(db, arena, shop_id, &wf) != WF_OK) … 503
 *
 * and hands `wf` to every lookup below: the shop's statuses are the
 * lookups' first argument. The copy lives in the arena; a per-thread cache
 * behind wf_get() costs no query for sessions.cache_seconds, and one small
 * one (shops.statuses_version) after that; a change in this process is
 * seen at once, in another within that bound.
 */
struct wf_workflow;

struct wf_status {
	const char *code;         /* stored in orders.status */
	const char *label_fr, *label_en;
	const char *colour;       /* "#rrggbb", the badge behind white text */
	unsigned flags;           /* enum wf_flag (conf/wf_def.h) */
	const char *email;        /* template of the customer's e-mail, NULL for none */
	bool retired;             /* cannot be chosen any more; old orders keep it */
};

int wf_get(struct db *db, struct arena *a, long long shop_id, const struct wf_workflow **out);
/* Frees this thread's cache (a request thread, as it ends). */
void wf_cache_free(void);

/* The statuses in their order, retired ones included; NULL past the end. */
const struct wf_status *wf_status_at(const struct wf_workflow *wf, size_t i);
/* NULL for a code the shop does not have (another shop's included). */
const struct wf_status *wf_status_find(const struct wf_workflow *wf, const char *code);
/* The one status with flag WF_ARRIVAL, WF_COMPLETED or WF_CANCELS. */
const struct wf_status *wf_status_role(const struct wf_workflow *wf, unsigned flag);
const char *wf_status_label(const struct wf_status *s, const char *lang);
/*
 * orders.closed of an order in status s, what the list's tick boxes
 * filter on: ORDER_OPEN, ORDER_CLOSED_DONE (final, "completed" and any
 * other final status of the shop), ORDER_CLOSED_CANCELLED (WF_CANCELS).
 * Every writer of orders.status writes it in the same statement. A
 * status's flags never change once the shop has its statuses (the
 * settings page edits labels, colour, order and retirement; a status it
 * adds is never final), so the orders of a status never need rewriting.
 */
enum { ORDER_OPEN = 0, ORDER_CLOSED_DONE = 1, ORDER_CLOSED_CANCELLED = 2 };
int wf_closed(const struct wf_status *s);
/* Bumped by every change of the shop's statuses. */
unsigned wf_version(const struct wf_workflow *wf);

/* 0 when an order may go from `from` to `to` in the shop; else > 0 and
 * *why the reason, translated into the current language. */
int wf_transition_check(const struct wf_workflow *wf, const char *from, const char *to, const char **why);

/* Gives every shop of the database that has no statuses yet its own: its
 * file's preset (cfg) or the default workflow. Run by shop_sync() and
 * `comptoir migrate`; two processes at once do it once. Also takes the
 * cache's bound (sessions.cache_seconds) from cfg. 0 or -1. */
int wf_shops_sync(struct db *db, struct arena *a, const struct config *cfg);

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

/*
 * Inside the caller's transaction, which holds the order's row (a
 * payment_record that has just made the order paid): when the order's
 * `status` lets the customer pay (WF_CUSTOMER_MAY_PAY) and the shop has a
 * status with WF_PAID that the transitions table allows from it, changes
 * the status there as order_status_change does (c->to is ignored; the
 * same event, counters and, when c->notify, e-mail), c->version being the
 * row's version now. Otherwise the status stays. *moved says which.
 * WF_OK, or a db_exec code to hand back to db_tx.
 */
int order_paid_move_in_tx(struct db *db, struct arena *a, const struct wf_change *c, const char *status,
    const struct order_actor *who, bool *moved);

/* 0 when an order in `status` may be cancelled in workflow wf (its
 * status with WF_CANCELS: wf_status_role); else WF_REFUSED and *why,
 * translated ("already cancelled", or the move the table refuses). */
int wf_cancel_check(const struct wf_workflow *wf, const char *status, const char **why);

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

/* ---- the owner's changes (/settings/statuses) ---------------------------- */

struct wf_status_edit {
	const char *code;
	const char *label_fr, *label_en, *colour;
	unsigned flags;            /* wf_status_add: WF_SALE, WF_CUSTOMER_MAY_PAY */
};

/*
 * Each changes the shop's statuses in one transaction (one change of a
 * shop's statuses at a time) and bumps shops.statuses_version: WF_OK,
 * WF_NOT_FOUND (no such status in the shop), WF_REFUSED (*why, French or
 * English, nothing changed), WF_ERROR.
 * - add: a new status last, with moves from every status that is not final
 *   to it, and from it to every status but the arrival one;
 * - update: its labels and colour (dark enough for white text);
 * - move: one place up (by < 0) or down;
 * - retire: it cannot be chosen any more, old orders keep it (retired
 *   false: in use again); the arrival, completed and cancels ones cannot.
 */
int wf_status_add(struct db *db, struct arena *a, long long shop_id, const struct wf_status_edit *e,
    const char **why);
int wf_status_update(struct db *db, struct arena *a, long long shop_id, const struct wf_status_edit *e,
    const char **why);
int wf_status_move(struct db *db, struct arena *a, long long shop_id, const char *code, int by,
    const char **why);
int wf_status_retire(struct db *db, struct arena *a, long long shop_id, const char *code, bool retired,
    const char **why);

#endif
