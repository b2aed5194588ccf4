/*
 * order_view: an order as people read it. order_view_load() reads the
 * order and everything shown beside it (stock of its products, history,
 * internal notes, the customer's other orders) in one batch of
 * statements; order_view_fill() turns it into template values: money,
 * dates, words for codes. The order page
 * uses it, and so will the e-mails and documents: nothing here knows HTTP.
 * Words are translated in the calling thread's language (i18n_use), and
 * money and dates follow `lang` as well: set both to the reader's.
 */
#ifndef CPT_ORDER_VIEW_H
#define CPT_ORDER_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "orders/order.h"

struct tpl_vars;

#define ORDER_VIEW_OTHERS 10     /* the customer's other orders shown */
#define ORDER_VIEW_EVENTS 200    /* the newest history events shown */
#define ORDER_VIEW_NOTES 200

struct order_line_stock {
	bool known;              /* the product still exists */
	bool tracked;            /* its stock is counted */
	long long available;     /* on hand − reserved */
	long long threshold;     /* low-stock threshold */
};

struct order_event_row {
	const char *at;          /* ISO 8601 UTC */
	const char *actor_type;  /* staff, api, customer, system */
	const char *actor_label;
	const char *action;      /* "order.created" … */
	const char *details;     /* JSON object text */
};

struct order_note_row {
	const char *at, *author, *body;
};

struct order_other_row {
	const char *code, *status, *currency, *placed_at;
	long long number, total_cents;
};

struct order_view {
	struct order o;
	struct order_line_stock *stock;      /* one per o.lines[] */
	struct order_event_row *events;      /* oldest first */
	size_t nevents;
	struct order_note_row *notes;        /* oldest first */
	size_t nnotes;
	struct order_other_row *others;      /* newest first */
	size_t nothers;
	bool more_others;                    /* the customer has more than shown */
	long long version;                   /* orders.version, for the actions' forms */
	const struct wf_workflow *wf;        /* the shop's statuses */
	const char *hold_reason;
	const char *invoice_number;          /* NULL while the order has no invoice */
};

/* Loads order `code` of the shop, in one round trip: 0, 1 when there is
 * none (another shop's code included), -1 on error (logged). */
int order_view_load(struct db *db, struct arena *a, long long shop_id, const char *code,
    struct order_view *out);

/*
 * order_view_load, with other modules' reads in the same round trip: the
 * statements of `more`, each after a ';' (SELECTs written with sqltext,
 * scoped by the shop), in which ORDER_VIEW_ID is the order's id; their
 * results go to more_res[0..nmore) when the order is found (0).
 */
#define ORDER_VIEW_ID "@cpt_view_order"
struct buf;
struct db_result;
int order_view_load_more(struct db *db, struct arena *a, long long shop_id, const char *code,
    const struct buf *more, struct db_result *more_res, size_t nmore, struct order_view *out);

/* Fills `vars` with the order's values for `lang` ("fr", "en") in zone
 * `tz`; see templates/pages/order.html for the names. */
void order_view_fill(const struct order_view *v, struct arena *a, const char *lang,
    const char *tz, struct tpl_vars *vars);

/* Words for codes, in the thread's language; an unknown code as it is.
 * A status's words are the shop's: wf from wf_get() (orders/workflow.h). */
struct wf_workflow;
const char *order_status_label(const struct wf_workflow *wf, const char *status);
const char *order_payment_method_label(const char *method);
const char *order_carrier_label(const char *carrier);
/* The carriers known, by index from 0; NULL past the last. */
const char *order_carrier_at(size_t i);

/* The "totals" values of templates/pages/order.html (lines, shipping,
 * ex_vat, vat, total, vat_rates, include_vat) from order_totals()'s result. */
void order_totals_fill(const struct order_totals *t, bool include_vat, const char *currency, const char *lang,
    struct tpl_vars *out);
const char *order_payment_state_label(const char *state);
const char *order_shipping_state_label(const char *state);

/* "20 %" / "5,5 %" (French), "20%" / "5.5%" (English). */
void vat_rate_format(char *out, size_t size, unsigned rate, const char *lang);
/* "850 g", "1,25 kg" (French), "1.25 kg" (English). */
void weight_format(char *out, size_t size, long long grams, const char *lang);

#endif
