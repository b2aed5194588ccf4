#include "payments/online.h"

#include <string.h>
#include <strings.h>

#include "conf/conf.h"
#include "conf/wf_def.h"
#include "db/db.h"
#include "db/sqltext.h"
#include "orders/order.h"
#include "orders/order_view.h"
#include "orders/workflow.h"
#include "payments/payments.h"
#include "plugins/host.h"
#include "plugins/shop_plugins.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/i18n.h"
#include "util/log.h"

void
payment_plugin_order(const struct order *o, struct cpt_order *out)
{
	*out = (struct cpt_order){ .code = o->code, .number = o->number, .status = o->status,
	    .payment_state = o->payment_state, .payment_method = o->payment_method,
	    .currency = o->currency ? o->currency : "EUR", .total_cents = o->totals.total_cents,
	    .paid_cents = o->paid_cents, .customer_email = o->customer.email };
}

int
payment_plugin_enabled(struct db *db, struct arena *a, const struct config *cfg, const struct shop *shop,
    const struct plugin *p, struct shop_plugin_row *row)
{
	if (!p || !p->desc || p->desc->kind != CPT_KIND_PAYMENT)
		return 0;
	if (shop_plugin_load(db, a, cfg, shop->id, p->name, row) != 0)
		return -1;
	if (row->enabled)
		return 1;
	shop_plugin_row_free(row);
	return 0;
}

int
payment_start_plugins(struct db *db, struct arena *a, const struct config *cfg,
    const struct shop *shop, const struct plugin ***out, size_t *n)
{
	size_t i, total = plugins_count();

	*n = 0;
	*out = arena_alloc(a, (total ? total : 1) * sizeof(**out));
	for (i = 0; i < total; i++) {
		const struct plugin *p = plugins_at(i);
		struct shop_plugin_row row;
		int rc;

		if (!p->desc || p->desc->kind != CPT_KIND_PAYMENT || !p->desc->payment->start)
			continue;
		if ((rc = payment_plugin_enabled(db, a, cfg, shop, p, &row)) < 0)
			return -1;
		if (rc == 0)
			continue;
		shop_plugin_row_free(&row);
		(*out)[(*n)++] = p;
	}
	return 0;
}

int
payment_start(struct db *db, struct arena *a, const struct config *cfg, const struct shop *shop,
    const char *locale, const char *code, const char *plugin, const char *return_url,
    struct payment_started *out)
{
	const struct plugin *p = plugin_find(plugin);
	const struct wf_workflow *wf;
	const struct wf_status *st;
	struct shop_plugin_row row;
	struct cpt_order co;
	struct cpt_ctx ctx;
	struct order o;
	const char *url = NULL;
	long long due;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!p || p->desc->kind != CPT_KIND_PAYMENT || !p->desc->payment->start)
		return PAY_UNAVAILABLE;
	if ((rc = order_load(db, a, shop->id, code, &o)) != 0)
		return rc > 0 ? PAY_NOT_FOUND : PAY_ERROR;
	if (wf_get(db, a, shop->id, &wf) != WF_OK)
		return PAY_ERROR;
	st = wf_status_find(wf, o.status);
	if (strcmp(o.kind, "order") != 0 || !st || !(st->flags & WF_CUSTOMER_MAY_PAY))
		return PAY_NOT_PAYABLE;
	due = o.totals.total_cents - o.paid_cents;
	if (due <= 0)
		return PAY_NOTHING_DUE;
	if ((rc = payment_plugin_enabled(db, a, cfg, shop, p, &row)) <= 0)
		return rc < 0 ? PAY_ERROR : PAY_UNAVAILABLE;
	if (!locale)
		locale = o.customer.locale && *o.customer.locale ? o.customer.locale : shop->locale;
	payment_plugin_order(&o, &co);
	plugin_ctx_init(&ctx, a, db, cfg, shop, locale, p, &row);
	rc = p->desc->payment->start(p->state, &ctx, &co, due, return_url, &url);
	if (rc == 0 && url && *url)
		url = arena_strdup(a, url);   /* the ctx's memory is the arena; kept beyond the call */
	plugin_ctx_done(&ctx);
	shop_plugin_row_free(&row);
	if (rc < 0)
		return PAY_ERROR;
	if (rc > 0)
		return PAY_PROVIDER_REFUSED;
	if (!url || !*url) {
		log_error("order %s: plugin %s started a payment without a URL", code, p->name);
		return PAY_ERROR;
	}
	log_info("order %s: payment of %lld started with %s", code, due, p->name);
	*out = (struct payment_started){ .redirect_url = url, .amount_cents = due, .currency = co.currency };
	return PAY_OK;
}

/* ---- events --------------------------------------------------------------- */

static const char sql_order_currency[] =
	"SELECT currency FROM orders WHERE shop_id = ? AND code = ? AND kind = 'order'";

int
payment_event_record(struct db *db, struct arena *a, const struct shop *shop,
    const struct plugin *p, const struct cpt_payment_event *ev, const char **why, bool *recorded)
{
	struct order_actor who = { ACTOR_SYSTEM, 0, p->name };
	struct db_result res;
	struct payment_in in;
	int rc;

	*recorded = false;
	*why = NULL;
	if (!ev->order_code || !ev->event_id || !*ev->event_id || strlen(ev->event_id) > PAYMENT_EVENT_ID_MAX) {
		log_warn("shop %s plugin %s: an event without an order code or an event id: ignored",
		    shop->code, p->name);
		return PAY_REFUSED;
	}
	if (strlen(ev->order_code) > 32)
		return PAY_NOT_FOUND;
	if (db_exec(db, a, &res, sql_order_currency, DB_PARAMS(DB_I64(shop->id), DB_STR(ev->order_code))) != DB_OK)
		return PAY_ERROR;
	if (res.nrows == 0)
		return PAY_NOT_FOUND;
	if (ev->currency && *ev->currency && strcasecmp(ev->currency, db_str(&res, 0, 0)) != 0) {
		log_warn("order %s: %s event %s in %s, the order is in %s: not recorded", ev->order_code,
		    p->name, ev->event_id, ev->currency, db_str(&res, 0, 0));
		return PAY_REFUSED;
	}
	switch (ev->outcome) {
	case CPT_PAYMENT_PAID:
	case CPT_PAYMENT_REFUNDED:
		break;
	case CPT_PAYMENT_PENDING:
	case CPT_PAYMENT_FAILED:
	default:   /* an outcome of a later ABI minor: no money either */
		log_info("order %s: %s event %s: payment %s, nothing recorded", ev->order_code, p->name,
		    ev->event_id, ev->outcome == CPT_PAYMENT_PENDING ? "pending" : "failed");
		return PAY_OK;
	}
	in = (struct payment_in){ .shop_id = shop->id, .shop_name = shop->name, .code = ev->order_code,
	    .version = -1, .action = ev->outcome == CPT_PAYMENT_PAID ? PAY_RECEIVED : PAY_REFUND,
	    .amount_cents = ev->amount_cents, .method = p->name, .provider = p->name,
	    .reference = ev->reference && strlen(ev->reference) <= PAYMENT_REFERENCE_MAX ? ev->reference : NULL,
	    .event_id = ev->event_id, .lang = "en" };
	rc = payment_record(db, a, &in, &who, why, NULL);
	*recorded = rc == PAY_OK;
	if (rc == PAY_REFUSED || rc == PAY_CHANGED)
		log_warn("order %s: %s event %s not recorded: %s", ev->order_code, p->name, ev->event_id,
		    *why ? *why : "refused");
	return rc == PAY_CHANGED ? PAY_REFUSED : rc;
}

/* ---- refunds -------------------------------------------------------------- */

/* The last payment a provider brought, with its reference (k_payments_order:
 * the shop's other payments are not read). */
enum last_col { LO_PROVIDER, LO_REFERENCE, LO_NCOLS };
#define SQL_LAST_ONLINE \
	"SELECT provider, provider_reference FROM payments FORCE INDEX (k_payments_order)" \
	" WHERE kind = 'payment' AND provider NOT IN ('', 'statement') AND provider_reference <> ''"
static const char sql_last_online[] = SQL_LAST_ONLINE " AND shop_id = ? AND order_id = ? ORDER BY id DESC LIMIT 1";
static const char sql_last_online_view[] = ";" SQL_LAST_ONLINE " AND order_id = " ORDER_VIEW_ID " AND shop_id = ";
static const char sql_last_online_end[] = " ORDER BY id DESC LIMIT 1";
static const char sql_order_version[] =
	"SELECT version FROM orders WHERE shop_id = ? AND id = ?";

/* The refunding plugin of the order whose last online payment `last`
 * (sql_last_online's result) is, and the reference to refund. */
static int
refund_source_of(struct db *db, struct arena *a, const struct config *cfg, const struct shop *shop,
    const struct db_result *last, const struct plugin **pp, const char **reference)
{
	struct shop_plugin_row row;
	const struct plugin *p;
	int rc;

	*pp = NULL;
	*reference = NULL;
	if (last->nrows == 0)
		return 0;
	if (last->ncols != LO_NCOLS) {
		log_error("payments: the last online payment's query returns %zu columns, its enum names %d",
		    last->ncols, LO_NCOLS);
		return -1;
	}
	p = plugin_find(db_str(last, 0, LO_PROVIDER));
	if (!p || p->desc->kind != CPT_KIND_PAYMENT || !p->desc->payment->refund)
		return 0;
	if ((rc = payment_plugin_enabled(db, a, cfg, shop, p, &row)) <= 0)
		return rc;
	shop_plugin_row_free(&row);
	*pp = p;
	*reference = db_str(last, 0, LO_REFERENCE);
	return 0;
}

static int
refund_source(struct db *db, struct arena *a, const struct config *cfg, const struct shop *shop,
    long long order_id, const struct plugin **pp, const char **reference)
{
	struct db_result res;

	*pp = NULL;
	*reference = NULL;
	if (db_exec(db, a, &res, sql_last_online, DB_PARAMS(DB_I64(shop->id), DB_I64(order_id))) != DB_OK)
		return -1;
	return refund_source_of(db, a, cfg, shop, &res, pp, reference);
}

void
payment_refund_view_sql(struct buf *b, long long shop_id)
{
	buf_puts(b, sql_last_online_view);
	sql_int(b, shop_id);
	buf_puts(b, sql_last_online_end);
}

int
payment_refund_plugin(struct db *db, struct arena *a, const struct config *cfg,
    const struct shop *shop, const struct db_result *last, const struct plugin **p)
{
	const char *reference;

	return refund_source_of(db, a, cfg, shop, last, p, &reference);
}

int
payment_refund_online(struct db *db, struct arena *a, const struct config *cfg,
    const struct shop *shop, const char *locale, const char *code, long long version,
    long long amount_cents, const struct order_actor *who, const char **why)
{
	const struct plugin *p;
	const char *reference, *refund_id = NULL;
	struct shop_plugin_row row;
	struct db_result res;
	struct payment_in in;
	struct cpt_order co;
	struct cpt_ctx ctx;
	struct order o;
	int rc;

	*why = NULL;
	if ((rc = order_load(db, a, shop->id, code, &o)) != 0)
		return rc > 0 ? PAY_NOT_FOUND : PAY_ERROR;
	if (refund_source(db, a, cfg, shop, o.id, &p, &reference) != 0)
		return PAY_ERROR;
	if (!p)
		return PAY_UNAVAILABLE;
	if (db_exec(db, a, &res, sql_order_version, DB_PARAMS(DB_I64(shop->id), DB_I64(o.id))) != DB_OK ||
	    res.nrows != 1)
		return PAY_ERROR;
	/* What payment_record would refuse is refused before the money moves. */
	if (db_ll(&res, 0, 0) != version) {
		*why = _("The order changed meanwhile: look at it again, then try again.");
		return PAY_CHANGED;
	}
	if (amount_cents <= 0) {
		*why = _("The amount must be more than zero.");
		return PAY_REFUSED;
	}
	if (amount_cents > o.paid_cents) {
		*why = o.paid_cents > 0 ? _("The refund is more than what was paid.") :
		    _("Nothing was paid for this order: there is nothing to refund.");
		return PAY_REFUSED;
	}
	if (payment_plugin_enabled(db, a, cfg, shop, p, &row) != 1)
		return PAY_ERROR;
	payment_plugin_order(&o, &co);
	plugin_ctx_init(&ctx, a, db, cfg, shop, locale, p, &row);
	if (plugin_state_set(db, a, shop->id, p->name, code, "refund_id", NULL) != 0)
		rc = -1;
	else
		rc = p->desc->payment->refund(p->state, &ctx, &co, reference, amount_cents);
	if (rc == 0 && plugin_state_get(db, a, shop->id, p->name, code, "refund_id", &refund_id) != 0)
		refund_id = NULL;
	plugin_ctx_done(&ctx);
	shop_plugin_row_free(&row);
	if (rc < 0)
		return PAY_ERROR;
	if (rc > 0) {
		*why = _("The payment provider refused the refund: refund by hand.");
		return PAY_PROVIDER_REFUSED;
	}
	/* The money has gone back: recorded whatever changed on the order since. */
	in = (struct payment_in){ .shop_id = shop->id, .shop_name = shop->name, .code = code,
	    .version = -1, .action = PAY_REFUND, .amount_cents = amount_cents, .method = p->name,
	    .provider = p->name, .reference = reference,
	    .event_id = refund_id && *refund_id && strlen(refund_id) <= PAYMENT_EVENT_ID_MAX ? refund_id : NULL,
	    .lang = locale };
	rc = payment_record(db, a, &in, who, why, NULL);
	if (rc == PAY_ALREADY)   /* the provider's refund event came first */
		return PAY_OK;
	if (rc != PAY_OK)
		log_error("order %s: refunded %lld through %s, but the refund could not be recorded (%d): %s",
		    code, amount_cents, p->name, rc, *why ? *why : "");
	return rc;
}
