/*
 * The payment link (P6, C3): the order page's "Lien de paiement" block
 * (/orders/{code}/payment-link makes a new one, revoking the old), and
 * the customer's page behind it, /pay/{token}, public, on the shop's host:
 * what is due and, while the order's status lets the customer pay, each
 * enabled payment plugin's instructions or a button that starts the
 * online payment (/pay/{token}/start/{plugin}, payment_start). Thin: the
 * work is core/payments/paylink.c, core/payments/online.c and the plugins.
 */
#include <string.h>

#include "conf/conf.h"
#include "orders/code.h"
#include "orders/money.h"
#include "orders/order.h"
#include "orders/order_view.h"
#include "orders/workflow.h"
#include "pages/page.h"
#include "payments/online.h"
#include "payments/paylink.h"
#include "payments/payments.h"
#include "plugins/host.h"
#include "plugins/shop_plugins.h"
#include "util/i18n.h"
#include "util/log.h"

#define PAY_CSRF_COOKIE "cpt_pay_csrf"
#define BLOCK "paylink"   /* the order page's block: its anchor */

/* ---- the order page's block ----------------------------------------------- */

void
paylink_fill(struct request *r, const struct order *o, const struct db_result *live, struct tpl_vars *v)
{
	const char *token;

	if (strcmp(o->kind, "order") != 0)
		return;
	tpl_set_bool(v, "paylink_block", true);
	if (paylink_view_token(live, &token) != PAYLINK_OK || !token)
		return;   /* an error is logged; the block offers to make one */
	tpl_set_str(v, "paylink_url", paylink_url(r->arena, r->shop->nhosts ? r->shop->hosts[0] : "", token));
}

void
order_paylink_post(struct request *r)
{
	char code[ORDER_CODE_LEN + 1];
	struct order_actor who = order_page_actor(r);
	const char *token;

	if (!order_page_code(r, code)) {
		page_error(r, 404);
		return;
	}
	switch (paylink_renew(r->db, r->arena, r->shop->id, code, &who, &token)) {
	case PAYLINK_OK:
		order_page_back(r, code, BLOCK);
		return;
	case PAYLINK_NOT_FOUND:
		page_error(r, 404);
		return;
	default:
		page_error(r, 503);
		return;
	}
}

/* ---- the customer's page ------------------------------------------------ */

struct pay_order {
	const char *token;
	struct order o;
	enum paylink_state state;
	const char *lang;          /* the customer's: "fr" unless they chose "en" */
};

/* The order of the route's token, in this shop; false when it answered
 * (404 for a token unknown, revoked or of another shop's host alike). */
static bool
pay_load(struct request *r, struct pay_order *p)
{
	const struct wf_workflow *wf;
	char code[ORDER_CODE_LEN + 1];
	int rc;

	p->token = r->route_arg;
	rc = paylink_find(r->db, r->arena, r->shop->id, p->token, code);
	if (rc == PAYLINK_OK)
		rc = order_load(r->db, r->arena, r->shop->id, code, &p->o);
	if (rc == 0 && wf_get(r->db, r->arena, r->shop->id, &wf) != WF_OK)
		rc = -1;
	if (rc != 0) {
		page_error(r, rc > 0 ? 404 : 503);
		return false;
	}
	p->state = paylink_state(wf, p->o.status, p->o.totals.total_cents, p->o.paid_cents);
	p->lang = p->o.customer.locale && strcmp(p->o.customer.locale, "en") == 0 ? "en" : r->shop->locale;
	/* A customer's page speaks the customer's language, whoever else is
	 * logged in on this browser. */
	r->locale = p->lang;
	i18n_use(p->lang);
	return true;
}

static const char *
money_text(struct request *r, long long cents, const struct pay_order *p)
{
	char s[64];

	money_format(s, sizeof(s), cents, p->o.currency ? p->o.currency : "EUR", p->lang);
	return arena_strdup(r->arena, s);
}

void
pay_get(struct request *r)
{
	struct tpl_vars *v, *shop;
	struct pay_order p;
	struct cpt_order co;
	const struct plugin *pl, **online;
	struct shop_plugin_row row;
	const char *number, *csrf;
	size_t i, nonline;

	if (!pay_load(r, &p))
		return;
	/* No staff menu here, even for staff: page_vars is not for customers. */
	v = tpl_vars_new(r->arena);
	tpl_set_str(v, "lang", p.lang);
	shop = tpl_set_map(v, "shop");
	tpl_set_str(shop, "name", r->shop->name);
	tpl_set_str(v, "home", arena_printf(r->arena, "/pay/%s", p.token));
	number = p.o.number ? arena_printf(r->arena, "%lld", p.o.number) : p.o.code;
	tpl_set_str(v, "number", number);
	tpl_set_str(v, "code", p.o.code);
	tpl_set_str(v, "token", p.token);
	tpl_set_str(v, "total", money_text(r, p.o.totals.total_cents, &p));
	tpl_set_str(v, "paid", money_text(r, p.o.paid_cents, &p));
	tpl_set_bool(v, "some_paid", p.o.paid_cents > 0);
	tpl_set_str(v, "due", money_text(r, p.o.totals.total_cents > p.o.paid_cents ?
	    p.o.totals.total_cents - p.o.paid_cents : 0, &p));
	tpl_set_bool(v, "payable", p.state == PAYLINK_PAYABLE);
	tpl_set_bool(v, "is_paid", p.state == PAYLINK_PAID);
	tpl_set_bool(v, "closed", p.state == PAYLINK_CLOSED);
	if (p.state == PAYLINK_PAYABLE) {
		if (payment_start_plugins(r->db, r->arena, r->cfg, r->shop, &online, &nonline) != 0) {
			page_error(r, 503);
			return;
		}
		csrf = page_public_token(r, PAY_CSRF_COOKIE);
		for (i = 0; i < nonline; i++) {
			struct tpl_vars *b = tpl_list_add(v, "online");

			tpl_set_str(b, "name", online[i]->name);
			tpl_set_str(b, "label", strcmp(p.lang, "en") == 0 ? online[i]->desc->label_en :
			    online[i]->desc->label_fr);
			tpl_set_str(b, "csrf", csrf);
			r->form_to_providers = true;
		}
		/* The others: what the customer does by hand (a transfer, a cheque). */
		payment_plugin_order(&p.o, &co);
		for (i = 0; (pl = plugins_at(i)); i++) {
			if (payment_plugin_enabled(r->db, r->arena, r->cfg, r->shop, pl, &row) != 1)
				continue;
			if (!pl->desc->payment->start)
				payment_plugin_show(r, pl, &row, &co, p.lang, tpl_list_add, v, "instructions");
			shop_plugin_row_free(&row);
		}
	}
	page_render(r, "pay", v, arena_printf(r->arena, _("Payment of order %s"), number));
}

void
pay_start_post(struct request *r)
{
	struct payment_started started;
	struct pay_order p;
	const char *plugin = r->nroute_args > 1 ? r->route_args[1] : "";

	if (!page_public_token_ok(r, PAY_CSRF_COOKIE)) {
		page_error(r, 403);
		return;
	}
	if (!pay_load(r, &p))
		return;
	switch (payment_start(r->db, r->arena, r->cfg, r->shop, p.lang, p.o.code, plugin,
	    paylink_url(r->arena, r->shop->nhosts ? r->shop->hosts[0] : "", p.token), &started)) {
	case PAY_OK:
		log_info("pay %s: %s started for %lld cents", p.o.code, plugin, started.amount_cents);
		res_redirect(r, started.redirect_url);
		return;
	case PAY_NOT_FOUND:
	case PAY_UNAVAILABLE:   /* not loaded, not enabled for this shop, or paid by hand */
		log_warn("pay %s: plugin %s is not an online payment of shop %s", p.o.code, plugin, r->shop->code);
		page_error(r, 404);
		return;
	case PAY_NOT_PAYABLE:
	case PAY_NOTHING_DUE:   /* paid or closed meanwhile: the page says which */
		res_redirect(r, arena_printf(r->arena, "/pay/%s", p.token));
		return;
	case PAY_PROVIDER_REFUSED:
		page_error(r, 502);
		return;
	default:
		page_error(r, 503);
		return;
	}
}
