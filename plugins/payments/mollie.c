/*
 * mollie: online payment through Mollie's payments API v2 (iDEAL,
 * Bancontact, or the customer's choice on Mollie's page).
 *
 * start creates the payment (POST /v2/payments) for the amount due, with
 * the shop's webhook URL (host->webhook_url: the shop's host name, not the
 * return URL's, which may be the storefront's), keeps its id (tr_…) on the
 * order and sends the customer to its checkout page.
 * Mollie's webhook carries only id=tr_… and no signature, so it is never
 * believed: the payment is fetched with the shop's API key (GET
 * /v2/payments/{id}) and only what the API says is reported. An id the API
 * does not know is answered 200 and changes nothing, as Mollie advises
 * (an error would tell a prober which ids exist); a call the API cannot
 * answer now is answered 503, so Mollie calls again later.
 *
 * Event ids for deduplication: the payment id and what was seen
 * ("tr_…:paid", "tr_…:open", "tr_…:refunded:800" for 8,00 € refunded in
 * all), so a status is recorded once however often Mollie calls. A refund
 * shows in a later fetch as amountRefunded; the order's "refunded_cents"
 * state is what was already accounted (refunds made from Comptoir count
 * there as soon as Mollie accepts them), and only the rest is reported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <comptoir/plugin.h>

#include "mollie_proto.h"

#define MOLLIE_BASE_URL "https://api.mollie.com"

static const struct cpt_host *host;

static const char *const method_choices[] = { "any", "ideal", "bancontact", NULL };

static const struct cpt_setting settings[] = {
	{ .key = "api_key", .type = CPT_SETTING_TEXT, .flags = CPT_SETTING_SECRET | CPT_SETTING_REQUIRED,
	  .max_len = 100, .label_fr = "Clé d'API", .label_en = "API key",
	  .help_fr = "Dans le tableau de bord Mollie : Développeurs › Clés d'API (test_… ou live_…).",
	  .help_en = "In Mollie's dashboard: Developers › API keys (test_… or live_…)." },
	{ .key = "method", .type = CPT_SETTING_CHOICE, .choices = method_choices,
	  .label_fr = "Moyen de paiement", .label_en = "Payment method",
	  .help_fr = "ideal : iDEAL ; bancontact : Bancontact ; any : le client choisit sur la page de Mollie.",
	  .help_en = "ideal: iDEAL; bancontact: Bancontact; any: the customer chooses on Mollie's page." },
	{ .key = "base_url", .type = CPT_SETTING_URL, .max_len = 200,
	  .label_fr = "Adresse de l'API", .label_en = "API address",
	  .help_fr = "Vide : " MOLLIE_BASE_URL ".", .help_en = "Empty: " MOLLIE_BASE_URL "." },
	{ .key = NULL }
};

static bool
fr(struct cpt_ctx *ctx)
{
	return strcmp(host->locale(ctx), "en") != 0;
}

static int
mollie_init(const struct cpt_host *h, void **state)
{
	host = h;
	*state = NULL;
	return 0;
}

/* https anywhere; plain http only to this machine (a test server). */
static bool
base_url_valid(const char *url)
{
	return strncmp(url, "https://", 8) == 0 || strncmp(url, "http://127.0.0.1:", 17) == 0 ||
	    strncmp(url, "http://localhost:", 17) == 0;
}

static int
mollie_check(void *state, struct cpt_ctx *ctx, const char *key, const char *value)
{
	(void)state;
	if (strcmp(key, "api_key") == 0 && value[0] &&
	    strncmp(value, "test_", 5) != 0 && strncmp(value, "live_", 5) != 0) {
		host->refuse(ctx, fr(ctx) ? "Une clé d'API Mollie commence par test_ ou live_." :
		    "A Mollie API key starts with test_ or live_.");
		return 1;
	}
	if (strcmp(key, "base_url") == 0 && value[0] && !base_url_valid(value)) {
		host->refuse(ctx, fr(ctx) ? "L'adresse de l'API doit commencer par https://." :
		    "The API address must start with https://.");
		return 1;
	}
	return 0;
}

/* The API's URL for `path` ("/v2/payments"), from the shop's base URL. */
static const char *
api_url(struct cpt_ctx *ctx, const char *path)
{
	const char *base = host->setting(ctx, "base_url");
	size_t n;

	if (!base || !base[0])
		base = MOLLIE_BASE_URL;
	n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	return host->format(ctx, "%.*s%s", (int)n, base, path);
}

/* One call to the API with the shop's key: 0 with *res (any status), 1
 * when the plugin is not set up, < 0 when no answer came (logged). */
static int
api_call(struct cpt_ctx *ctx, const char *method, const char *path, const char *body,
    struct cpt_http_response *res)
{
	const char *key = host->setting(ctx, "api_key"), *url = api_url(ctx, path);
	const char *headers[4];
	struct cpt_http_request req = { .method = method, .url = url, .headers = headers };

	if (!key || !key[0]) {
		host->log(ctx, CPT_LOG_WARN, "no API key: set it on the Modules page");
		return 1;
	}
	headers[0] = host->format(ctx, "Authorization: Bearer %s", key);
	headers[1] = "Accept: application/hal+json";
	headers[2] = body ? "Content-Type: application/json" : NULL;
	headers[3] = NULL;
	if (!url || !headers[0])
		return -1;
	if (body) {
		req.body = body;
		req.body_len = strlen(body);
	}
	return host->http(ctx, &req, res);
}

/* Logs an answer of the API that is not the one expected. */
static void
log_answer(struct cpt_ctx *ctx, const char *what, const struct cpt_http_response *res)
{
	struct cpt_json *j = host->json_parse(ctx, res->body, res->body_len);
	const char *detail = host->json_str(host->json_get(j, "detail"));

	host->log(ctx, CPT_LOG_WARN, "%s: Mollie answered %ld%s%.200s", what, res->status,
	    detail ? ": " : "", detail ? detail : "");
}

/* {"currency": …, "value": "12.34"} as member `key` of obj. */
static int
set_amount(struct cpt_json *obj, const char *key, long long cents, const char *currency)
{
	struct cpt_json *a = host->json_set_obj(obj, key);
	char value[32];

	if (!a || mollie_amount_str(cents, value, sizeof(value)) != 0)
		return -1;
	if (host->json_set_str(a, "currency", currency) != 0 || host->json_set_str(a, "value", value) != 0)
		return -1;
	return 0;
}

static int
mollie_start(void *state, struct cpt_ctx *ctx, const struct cpt_order *o, long long amount_cents,
    const char *return_url, const char **redirect_url)
{
	const char *method = host->setting(ctx, "method"), *webhook = host->webhook_url(ctx);
	struct cpt_json *req = host->json_new_object(ctx), *meta, *j;
	struct cpt_http_response res;
	const char *body, *id, *href;
	int rc;

	(void)state;
	*redirect_url = NULL;
	if (amount_cents <= 0 || !return_url)
		return 1;
	if (!webhook) {
		host->log(ctx, CPT_LOG_ERROR, "order %s: the shop has no host name for the webhook", o->code);
		return -1;
	}
	if (!req || set_amount(req, "amount", amount_cents, o->currency) != 0 ||
	    host->json_set_str(req, "description", host->format(ctx, "%s %s", host->shop_name(ctx),
	    o->code)) != 0 ||
	    host->json_set_str(req, "redirectUrl", return_url) != 0 ||
	    host->json_set_str(req, "webhookUrl", webhook) != 0 ||
	    !(meta = host->json_set_obj(req, "metadata")) ||
	    host->json_set_str(meta, "order_code", o->code) != 0 ||
	    (method && strcmp(method, "any") != 0 && host->json_set_str(req, "method", method) != 0) ||
	    !(body = host->json_dump(ctx, req)))
		return -1;
	if ((rc = api_call(ctx, "POST", "/v2/payments", body, &res)) != 0)
		return rc;
	if (res.status != 201) {
		log_answer(ctx, host->format(ctx, "order %s: creating the payment", o->code), &res);
		return res.status >= 400 && res.status < 500 ? 1 : -1;
	}
	j = host->json_parse(ctx, res.body, res.body_len);
	id = host->json_str(host->json_get(j, "id"));
	href = host->json_str(host->json_get(j, "_links.checkout.href"));
	if (!mollie_payment_id_valid(id) || !href) {
		host->log(ctx, CPT_LOG_ERROR, "order %s: a created payment without an id or a checkout link",
		    o->code);
		return -1;
	}
	if ((rc = host->state_set(ctx, o->code, "payment_id", id)) != 0)
		return rc;
	*redirect_url = href;
	return 0;
}

/* An amount member ("amount", "amountRefunded") of the payment j, in cents; -1 if absent or bad. */
static long long
amount_of(struct cpt_json *j, const char *path)
{
	long long cents;

	return mollie_amount_parse(host->json_str(host->json_get(j, path)), &cents) == 0 ? cents : -1;
}

/* What was refunded already accounted on the order (cents). */
static int
refunded_known(struct cpt_ctx *ctx, const char *code, long long *cents)
{
	const char *v;
	char *end;
	int rc;

	*cents = 0;
	if ((rc = host->state_get(ctx, code, "refunded_cents", &v)) != 0)
		return rc;
	if (v) {
		*cents = strtoll(v, &end, 10);
		if (*end || *cents < 0)
			*cents = 0;
	}
	return 0;
}

static int
mollie_webhook(void *state, struct cpt_ctx *ctx, const struct cpt_http_in *in,
    struct cpt_payment_event *ev, int *http_status)
{
	char id[MOLLIE_ID_MAX + 1];
	const char *status, *code, *currency, *got, *started;
	struct cpt_http_response res;
	struct cpt_json *j;
	long long amount, refunded, known;
	int rc;

	(void)state;
	*http_status = 400;
	if (!mollie_form_id(in->body, in->body_len, id, sizeof(id)))
		return 1;   /* no payment id: not Mollie's call */
	*http_status = 503;   /* until the answer is known: Mollie calls again later */
	if ((rc = api_call(ctx, "GET", host->format(ctx, "/v2/payments/%s", id), NULL, &res)) != 0)
		return -1;
	if (res.status == 404) {
		*http_status = 200;   /* Mollie's advice: say nothing of which ids exist */
		host->log(ctx, CPT_LOG_WARN, "webhook for %s, a payment the API does not know", id);
		return 1;
	}
	if (res.status != 200) {
		log_answer(ctx, host->format(ctx, "fetching %s", id), &res);
		return -1;
	}
	j = host->json_parse(ctx, res.body, res.body_len);
	got = host->json_str(host->json_get(j, "id"));
	status = host->json_str(host->json_get(j, "status"));
	code = host->json_str(host->json_get(j, "metadata.order_code"));
	currency = host->json_str(host->json_get(j, "amount.currency"));
	amount = amount_of(j, "amount.value");
	if (!got || strcmp(got, id) != 0 || !status || !code || !currency || amount < 0) {
		*http_status = 200;   /* a payment made elsewhere with this key: not ours */
		host->log(ctx, CPT_LOG_WARN, "payment %s: no order code, or not the payment asked for", id);
		return 1;
	}
	/* Only an order of this shop that started a Mollie payment: not
	 * another shop's order named in a payment made with the same key. */
	if ((rc = host->state_get(ctx, code, "payment_id", &started)) < 0)
		return -1;
	*http_status = 200;
	if (rc > 0 || !started) {
		host->log(ctx, CPT_LOG_WARN, "payment %s: for no order of this shop paid with Mollie", id);
		return 1;
	}
	*ev = (struct cpt_payment_event){ .order_code = code, .currency = currency,
	    .reference = host->format(ctx, "%s", id), .outcome = mollie_status_outcome(status) };
	switch (ev->outcome) {
	case CPT_PAYMENT_PAID:
		refunded = amount_of(j, "amountRefunded.value");
		if (refunded_known(ctx, code, &known) != 0)
			return -1;
		if (refunded > known) {
			/* Counted before the host records it: the event id makes a
			 * second report of the same total harmless. */
			if (host->state_set(ctx, code, "refunded_cents", host->format(ctx, "%lld", refunded)) != 0)
				return -1;
			ev->outcome = CPT_PAYMENT_REFUNDED;
			ev->amount_cents = refunded - known;
			ev->event_id = host->format(ctx, "%s:refunded:%lld", id, refunded);
			return 0;
		}
		ev->amount_cents = amount;
		ev->event_id = host->format(ctx, "%s:paid", id);
		break;
	case CPT_PAYMENT_PENDING:
	case CPT_PAYMENT_FAILED:
		ev->event_id = host->format(ctx, "%s:%s", id, status);
		break;
	case CPT_PAYMENT_REFUNDED:
	default:
		*ev = (struct cpt_payment_event){ 0 };   /* a status of later days: nothing to record */
		host->log(ctx, CPT_LOG_INFO, "payment %s: status %.20s, nothing recorded", id, status);
		break;
	}
	*http_status = 200;
	return 0;
}

static int
mollie_refund(void *state, struct cpt_ctx *ctx, const struct cpt_order *o, const char *reference,
    long long amount_cents)
{
	struct cpt_json *req = host->json_new_object(ctx);
	struct cpt_http_response res;
	const char *body, *refund_id;
	long long known;
	int rc;

	(void)state;
	if (!mollie_payment_id_valid(reference) || amount_cents <= 0)
		return 1;   /* not a Mollie payment: refunded by hand */
	if (!req || set_amount(req, "amount", amount_cents, o->currency) != 0 ||
	    host->json_set_str(req, "description", host->format(ctx, "%s %s", host->shop_name(ctx),
	    o->code)) != 0 || !(body = host->json_dump(ctx, req)))
		return -1;
	if ((rc = api_call(ctx, "POST", host->format(ctx, "/v2/payments/%s/refunds", reference), body,
	    &res)) != 0)
		return rc;
	if (res.status != 201) {
		log_answer(ctx, host->format(ctx, "order %s: refunding %s", o->code, reference), &res);
		return res.status >= 400 && res.status < 500 ? 1 : -1;
	}
	/* The host records this refund (its event id: the refund's re_ id),
	 * so the webhook that follows must not report it again. Mollie has
	 * refunded: a failure here is only logged. */
	refund_id = host->json_str(host->json_get(host->json_parse(ctx, res.body, res.body_len), "id"));
	if (!refund_id || host->state_set(ctx, o->code, "refund_id", refund_id) != 0 ||
	    refunded_known(ctx, o->code, &known) != 0 || host->state_set(ctx, o->code,
	    "refunded_cents", host->format(ctx, "%lld", known + amount_cents)) != 0)
		host->log(ctx, CPT_LOG_ERROR, "order %s: refund of %s not noted; its webhook may report it"
		    " again", o->code, reference);
	return 0;
}

static const struct cpt_payment_ops payment = {
	.start = mollie_start,
	.webhook = mollie_webhook,
	.refund = mollie_refund,
};

CPT_PLUGIN_EXPORT const struct cpt_plugin cpt_plugin = {
	CPT_PLUGIN_HEADER,
	.kind = CPT_KIND_PAYMENT,
	.name = "mollie",
	.version = "1.0.0",
	.label_fr = "Mollie (iDEAL, Bancontact)",
	.label_en = "Mollie (iDEAL, Bancontact)",
	.settings = settings,
	.init = mollie_init,
	.check = mollie_check,
	.payment = &payment,
};
