/*
 * POST /webhooks/payments/{plugin}: a payment provider's call, on the
 * shop's host name. The plugin verifies it (a forged or stale call is
 * refused and changes nothing) and says what happened; the answer's status
 * is the plugin's. What a verified call says is recorded through
 * payment_event_record() (core/payments/online.h): a replayed event
 * records nothing and is answered as the first; an order code of no order
 * of this shop answers 404 like a missing order.
 */
#include <string.h>

#include "conf/conf.h"
#include "payments/online.h"
#include "payments/payments.h"
#include "pages/page.h"
#include "plugins/host.h"
#include "plugins/shop_plugins.h"
#include "util/log.h"

static const char *
header_of(const struct cpt_http_in *in, const char *name)
{
	return name ? req_header(in->host_data, name) : NULL;
}

static void
plain(struct request *r, int status, const char *text)
{
	r->status = status;
	r->out_type = "text/plain; charset=utf-8";
	buf_reset(&r->out);
	buf_puts(&r->out, text);
}

void
payment_webhook_post(struct request *r)
{
	const struct plugin *p = plugin_find(r->route_arg);
	struct cpt_payment_event event = { 0 };
	struct shop_plugin_row row;
	struct cpt_http_in in;
	struct cpt_ctx ctx;
	int rc, status = 0;

	if (!p || p->desc->kind != CPT_KIND_PAYMENT || !p->desc->payment->webhook) {
		plain(r, 404, "not found\n");
		return;
	}
	if (shop_plugin_load(r->db, r->arena, r->cfg, r->shop->id, p->name, &row) != 0) {
		plain(r, 503, "try again later\n");
		return;
	}
	if (!row.enabled) {   /* as for a plugin this shop does not use */
		shop_plugin_row_free(&row);
		plain(r, 404, "not found\n");
		return;
	}
	in = (struct cpt_http_in){ .body = r->body ? r->body : "", .body_len = r->body_len,
	    .content_type = r->content_type, .header = header_of, .host_data = r };
	plugin_ctx_init(&ctx, r->arena, r->db, r->cfg, r->shop, r->shop->locale, p, &row);
	rc = p->desc->payment->webhook(p->state, &ctx, &in, &event, &status);
	if (rc > 0)
		log_warn("payment webhook shop=%s plugin=%s refused", r->shop->code, p->name);
	if (rc == 0 && event.order_code) {
		const char *why;
		bool recorded;
		int pay = payment_event_record(r->db, r->arena, r->shop, p, &event, &why, &recorded);

		log_info("payment webhook shop=%s plugin=%s event=%s order=%s outcome=%d amount=%lld: %s",
		    r->shop->code, p->name, event.event_id ? event.event_id : "-", event.order_code,
		    (int)event.outcome, event.amount_cents, recorded ? "recorded" :
		    pay == PAY_ALREADY ? "already recorded" : pay == PAY_NOT_FOUND ? "no such order" :
		    pay == PAY_REFUSED ? "refused" : pay == PAY_OK ? "nothing to record" : "failed");
		/* Recorded, known already, or harmless (out of order): the
		 * provider need not retry; a failure: it tries again later. */
		if (pay == PAY_NOT_FOUND)
			status = 404;
		else if (pay < 0)
			rc = -1;
	}
	/* The event's strings may be the ctx's JSON: released only now. */
	plugin_ctx_done(&ctx);
	shop_plugin_row_free(&row);
	if (rc < 0)
		plain(r, 503, "try again later\n");
	else if (status >= 200 && status <= 599)
		plain(r, status, status == 404 ? "not found\n" : rc == 0 ? "ok\n" : "refused\n");
	else
		plain(r, rc == 0 ? 200 : 400, rc == 0 ? "ok\n" : "refused\n");
}
