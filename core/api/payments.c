/*
 * POST /api/v1/orders/{code}/payment-sessions: the storefront, having
 * placed an order, asks for an online payment of what remains due with
 * one of the shop's enabled payment plugins, and sends the customer to
 * the redirect_url it gets back. Body: {"plugin": "stripe",
 * "return_url": "https://…"}. Thin: the work is payment_start().
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "conf/conf.h"
#include "orders/code.h"
#include "payments/online.h"
#include "payments/payments.h"

static const char *const known[] = { "plugin", "return_url", NULL };

void
api_payment_session_post(struct request *r)
{
	char code[ORDER_CODE_LEN + 1];
	struct payment_started st;
	struct problems pb;
	const char *plugin, *ret;
	json_t *root, *out;
	char *text;
	int rc;

	if (!order_code_normalise(r->route_arg, code)) {
		api_problem(r, 404, "not-found", "No such order", NULL);
		return;
	}
	if (!(root = api_parse_body(r)))
		return;
	problems_init(&pb, r->arena);
	api_no_unknown(root, "", known, &pb);
	plugin = api_str(root, "", "plugin", &pb);
	ret = api_str(root, "", "return_url", &pb);
	if (!plugin || !payment_code_valid(plugin))
		problems_add(&pb, "/plugin", "the name of one of the shop's payment modules");
	if (!ret || strlen(ret) > 1000 || (strncmp(ret, "https://", 8) != 0 && strncmp(ret, "http://", 7) != 0))
		problems_add(&pb, "/return_url", "an http(s) URL of at most 1000 bytes");
	if (pb.n) {
		json_decref(root);
		api_problem(r, 422, "invalid-fields", "Invalid fields", &pb);
		return;
	}
	plugin = arena_strdup(r->arena, plugin);
	ret = arena_strdup(r->arena, ret);
	json_decref(root);
	rc = payment_start(r->db, r->arena, r->cfg, r->shop, NULL, code, plugin, ret, &st);
	switch (rc) {
	case PAY_OK:
		break;
	case PAY_NOT_FOUND:
		api_problem(r, 404, "not-found", "No such order", NULL);
		return;
	case PAY_UNAVAILABLE:
		problems_add(&pb, "/plugin", "not a payment module enabled for this shop that takes payments online");
		api_problem(r, 422, "invalid-fields", "Invalid fields", &pb);
		return;
	case PAY_NOTHING_DUE:
		api_problem(r, 409, "nothing-due", "Nothing remains due on this order", NULL);
		return;
	case PAY_NOT_PAYABLE:
		api_problem(r, 409, "not-payable", "The order's status does not take payments", NULL);
		return;
	case PAY_PROVIDER_REFUSED:
		api_problem(r, 502, "provider-refused", "The payment provider refused the payment", NULL);
		return;
	default:
		api_problem(r, 503, "unavailable", "Service unavailable, try again", NULL);
		return;
	}
	out = json_pack("{sssssIss}", "plugin", plugin, "redirect_url", st.redirect_url,
	    "amount", (json_int_t)st.amount_cents, "currency", st.currency);
	text = out ? json_dumps(out, JSON_COMPACT) : NULL;
	json_decref(out);
	if (!text) {
		api_problem(r, 500, "internal", "Internal error", NULL);
		return;
	}
	api_json(r, 201, text);
	free(text);
}
