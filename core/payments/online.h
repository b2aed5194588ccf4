/*
 * online: what every online payment plugin (Stripe, Mollie …) needs of
 * the host, in one place, so each plugin only speaks its provider's
 * protocol. No HTTP here: the webhook page, the order page and the
 * customer's payment page call it.
 *
 *  - payment_start(): starts an online payment of what remains due on an
 *    order (orders.total_cents, as order_totals() computed it, less the
 *    payments received) with one of the shop's enabled payment plugins
 *    that has ops->start, and gives the provider's URL to send the
 *    customer to. payment_start_plugins() lists those plugins.
 *  - payment_event_record(): what a verified webhook said (struct
 *    cpt_payment_event) goes through payment_record(), the one entry
 *    point for money, deduplicated by the provider's event id.
 *  - payment_refund_online(): a refund through the plugin that took the
 *    order's last online payment (ops->refund with the payment's
 *    provider reference), then recorded through payment_record().
 *
 * Return codes are enum payment_rc (payments/payments.h): 0 ok, < 0 a
 * failure already logged, > 0 an expected refusal.
 */
#ifndef CPT_PAYMENTS_ONLINE_H
#define CPT_PAYMENTS_ONLINE_H

#include <stdbool.h>
#include <stddef.h>

#include <comptoir/plugin.h>

#include "orders/events.h"

struct arena;
struct config;
struct db;
struct order;
struct plugin;
struct shop;

/* More refusals than payments.h's, for the online paths. */
enum {
	PAY_NOTHING_DUE = 10,     /* the order owes nothing */
	PAY_NOT_PAYABLE = 11,     /* its status does not let the customer pay (W6), or a quote */
	PAY_UNAVAILABLE = 12,     /* the plugin is not loaded, not enabled, or cannot do that */
	PAY_PROVIDER_REFUSED = 13,/* the provider said no (the plugin's > 0) */
};

/* What the host tells a plugin about `o` (strings stay o's). */
void payment_plugin_order(const struct order *o, struct cpt_order *out);

struct shop_plugin_row;

/* Whether payment plugin `p` (loaded; NULL answers 0) is enabled for the
 * shop: 1 with *row, its settings (shop_plugin_row_free it), 0 when it is
 * not, -1 on error (logged). */
int payment_plugin_enabled(struct db *db, struct arena *a, const struct config *cfg,
    const struct shop *shop, const struct plugin *p, struct shop_plugin_row *row);

/* The shop's enabled payment plugins that start online payments, in
 * plugins.load order: *out (arena) holds *n of them. 0 or -1. */
int payment_start_plugins(struct db *db, struct arena *a, const struct config *cfg,
    const struct shop *shop, const struct plugin ***out, size_t *n);

struct payment_started {
	const char *redirect_url;     /* where the customer goes: the provider's page */
	long long amount_cents;       /* what was asked for */
	const char *currency;
};

/*
 * Starts paying what remains due on order `code` of `shop` with plugin
 * `plugin` (a name of payment_start_plugins()); `return_url` is where the
 * provider sends the customer back; `locale` the customer's ("fr", "en";
 * NULL: the order's customer's, else the shop's).
 * PAY_OK with *out; PAY_NOT_FOUND (no such order in this shop),
 * PAY_NOT_PAYABLE, PAY_NOTHING_DUE, PAY_UNAVAILABLE, PAY_PROVIDER_REFUSED;
 * PAY_ERROR (logged) when the provider could not be reached.
 */
int payment_start(struct db *db, struct arena *a, const struct config *cfg, const struct shop *shop,
    const char *locale, const char *code, const char *plugin, const char *return_url,
    struct payment_started *out);

/*
 * Records what plugin `p`'s webhook verified for `shop`. PAID records a
 * payment of ev->amount_cents, REFUNDED a refund; PENDING and FAILED
 * record no money (logged only). The same event id again records nothing
 * (PAY_ALREADY); an order code of no order of this shop, PAY_NOT_FOUND;
 * an event that payment_record refuses (more than due, a refund before
 * any payment: an event out of order), PAY_REFUSED with *why. *recorded
 * says whether a payment row was written.
 */
int payment_event_record(struct db *db, struct arena *a, const struct shop *shop,
    const struct plugin *p, const struct cpt_payment_event *ev, const char **why, bool *recorded);

/*
 * Refunds `amount_cents` of order `code` through the plugin that took its
 * last online payment, when that plugin is loaded, enabled and has
 * ops->refund; then records the refund (provider, reference and, as event
 * id, the provider's refund id when the plugin left it in its order state
 * under "refund_id", so the provider's own refund event later counts
 * nothing twice). `version` is the order's version the form was made on.
 * PAY_UNAVAILABLE: refund by hand instead. PAY_REFUSED/PAY_CHANGED with
 * *why before the provider is asked; PAY_PROVIDER_REFUSED when it says no.
 */
int payment_refund_online(struct db *db, struct arena *a, const struct config *cfg,
    const struct shop *shop, const char *locale, const char *code, long long version,
    long long amount_cents, const struct order_actor *who, const char **why);

/* For the order page's block, in order_view_load_more's batch: appends
 * the statement that reads the order's last online payment; from its
 * result `last`, the plugin that can refund the order online (that
 * payment's provider, loaded, enabled, with ops->refund): 0 with *p, or
 * 0 with *p NULL when none; -1 on error. */
struct buf;
struct db_result;
void payment_refund_view_sql(struct buf *b, long long shop_id);
int payment_refund_plugin(struct db *db, struct arena *a, const struct config *cfg,
    const struct shop *shop, const struct db_result *last, const struct plugin **p);

#endif
