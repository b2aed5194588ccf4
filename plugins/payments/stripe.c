/*
 * stripe: card payments through the Stripe API (or any server that speaks
 * it: the base URL is a setting, so tests point it at a local one).
 *
 *  - start: a Checkout Session (POST /v1/checkout/sessions, form-encoded,
 *    mode=payment) for the amount due, in the order's currency, carrying
 *    the order code in client_reference_id and metadata[order_code] (and
 *    in the PaymentIntent's metadata, so its own events name the order);
 *    its id is kept on the order (state "checkout_session"); the customer
 *    goes to its url. An Idempotency-Key made of the order and what it
 *    owes makes a second click the same session.
 *  - webhook: the Stripe-Signature header checked as Stripe documents it
 *    (stripe_sig.h), then the event mapped to what happened:
 *      checkout.session.completed (payment_status "paid"),
 *      checkout.session.async_payment_succeeded, payment_intent.succeeded
 *                                         → paid, event id evt_…
 *      checkout.session.completed (not paid yet)     → pending
 *      checkout.session.async_payment_failed, .expired,
 *      payment_intent.payment_failed                 → failed
 *      refund.created / refund.updated / charge.refund.updated (succeeded),
 *      charge.refunded                               → refunded
 *    The reference is the PaymentIntent (pi_…). A refund's event id is the
 *    refund's own id (re_…), not the event's: the refund this plugin made
 *    for the back office is recorded under that id, so Stripe's events
 *    about it (refund.created and charge.refunded both come) count nothing
 *    twice. Other events are answered 200 and ignored.
 *  - refund: POST /v1/refunds with payment_intent and amount; the refund's
 *    id is left in the order's state "refund_id" for the host.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <comptoir/plugin.h>

#include "stripe_sig.h"

static const struct cpt_host *host;

#define DEFAULT_BASE_URL "https://api.stripe.com"

static const struct cpt_setting settings[] = {
	{ .key = "secret_key", .type = CPT_SETTING_TEXT, .flags = CPT_SETTING_REQUIRED | CPT_SETTING_SECRET,
	  .max_len = 255, .label_fr = "Clé secrète", .label_en = "Secret key",
	  .help_fr = "sk_live_… ou sk_test_… (Développeurs → Clés API), ou une clé restreinte rk_….",
	  .help_en = "sk_live_… or sk_test_… (Developers → API keys), or a restricted key rk_…." },
	{ .key = "webhook_secret", .type = CPT_SETTING_TEXT, .flags = CPT_SETTING_REQUIRED | CPT_SETTING_SECRET,
	  .max_len = 255, .label_fr = "Secret de signature du webhook", .label_en = "Webhook signing secret",
	  .help_fr = "whsec_… du point de terminaison https://<votre hôte>/webhooks/payments/stripe.",
	  .help_en = "whsec_… of the endpoint https://<your host>/webhooks/payments/stripe." },
	{ .key = "base_url", .type = CPT_SETTING_URL, .max_len = 200,
	  .label_fr = "Adresse de l'API", .label_en = "API address",
	  .help_fr = "Vide : " DEFAULT_BASE_URL ".", .help_en = "Empty: " DEFAULT_BASE_URL "." },
	{ .key = NULL }
};

static int
fr(struct cpt_ctx *ctx)
{
	return strcmp(host->locale(ctx), "en") != 0;
}

static int
stripe_init(const struct cpt_host *h, void **state)
{
	host = h;
	*state = NULL;
	return 0;
}

static int
stripe_check(void *state, struct cpt_ctx *ctx, const char *key, const char *value)
{
	(void)state;
	if (strcmp(key, "secret_key") == 0 && strncmp(value, "sk_", 3) != 0 && strncmp(value, "rk_", 3) != 0) {
		host->refuse(ctx, fr(ctx) ? "Une clé secrète commence par sk_ (ou rk_ pour une clé restreinte)." :
		    "A secret key starts with sk_ (or rk_ for a restricted key).");
		return 1;
	}
	if (strcmp(key, "webhook_secret") == 0 && strncmp(value, "whsec_", 6) != 0) {
		host->refuse(ctx, fr(ctx) ? "Un secret de signature commence par whsec_." :
		    "A signing secret starts with whsec_.");
		return 1;
	}
	return 0;
}

/* ---- the API ------------------------------------------------------------ */

/* A form body, application/x-www-form-urlencoded, in memory of the call. */
struct form {
	struct cpt_ctx *ctx;
	char *data;
	size_t len, cap;
	int failed;
};

static void
form_bytes(struct form *f, const char *s, size_t n)
{
	if (f->failed)
		return;
	if (f->len + n + 1 > f->cap) {
		size_t cap = (f->cap ? f->cap * 2 : 512) + n;
		char *p = host->alloc(f->ctx, cap);

		if (!p || cap > (64u << 10)) {
			f->failed = 1;
			return;
		}
		if (f->len)
			memcpy(p, f->data, f->len);
		f->data = p;
		f->cap = cap;
	}
	memcpy(f->data + f->len, s, n);
	f->len += n;
	f->data[f->len] = '\0';
}

static void
form_escaped(struct form *f, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char e[3] = { '%', hex[c >> 4], hex[c & 15] };

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~')
			form_bytes(f, s, 1);
		else
			form_bytes(f, e, 3);
	}
}

/* key=value, the key's brackets escaped as a browser would. */
static void
form_add(struct form *f, const char *key, const char *value)
{
	if (f->len)
		form_bytes(f, "&", 1);
	form_escaped(f, key);
	form_bytes(f, "=", 1);
	form_escaped(f, value ? value : "");
}

static const char *
base_url(struct cpt_ctx *ctx)
{
	const char *b = host->setting(ctx, "base_url");
	size_t n;

	if (!b)
		return DEFAULT_BASE_URL;
	n = strlen(b);
	return n && b[n - 1] == '/' ? host->format(ctx, "%.*s", (int)(n - 1), b) : b;
}

/*
 * POST `path` with the form; *j the answer's JSON. 0 on a 2xx, 1 when
 * Stripe refused (4xx: logged with its message), -1 when no usable
 * answer came (logged).
 */
static int
api_post(struct cpt_ctx *ctx, const char *path, struct form *f, const char *idempotency_key,
    struct cpt_json **j)
{
	const char *key = host->setting(ctx, "secret_key");
	const char *headers[4];
	struct cpt_http_request req = { .method = "POST", .headers = headers, .timeout_ms = 20000 };
	struct cpt_http_response res;
	const char *msg;

	*j = NULL;
	if (!key) {
		host->log(ctx, CPT_LOG_ERROR, "no secret key set");
		return -1;
	}
	if (f->failed)
		return -1;
	headers[0] = host->format(ctx, "Authorization: Bearer %s", key);
	headers[1] = "Content-Type: application/x-www-form-urlencoded";
	headers[2] = idempotency_key ? host->format(ctx, "Idempotency-Key: %s", idempotency_key) : NULL;
	headers[3] = NULL;
	req.url = host->format(ctx, "%s%s", base_url(ctx), path);
	req.body = f->data ? f->data : "";
	req.body_len = f->len;
	if (!headers[0] || !req.url || host->http(ctx, &req, &res) != 0)
		return -1;
	*j = host->json_parse(ctx, res.body, res.body_len);
	if (res.status >= 200 && res.status < 300 && *j)
		return 0;
	msg = host->json_str(host->json_get(*j, "error.message"));
	host->log(ctx, res.status >= 400 && res.status < 500 ? CPT_LOG_WARN : CPT_LOG_ERROR,
	    "POST %s: HTTP %ld: %s", path, res.status, msg ? msg : "no error message");
	return res.status >= 400 && res.status < 500 ? 1 : -1;
}

/* "eur" for "EUR": Stripe writes currencies in lower case. */
static const char *
lower(struct cpt_ctx *ctx, const char *s)
{
	char *out = host->format(ctx, "%s", s ? s : "");
	char *p;

	for (p = out; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return out;
}

static int
stripe_start(void *state, struct cpt_ctx *ctx, const struct cpt_order *o, long long amount_cents,
    const char *return_url, const char **redirect_url)
{
	struct form f = { .ctx = ctx };
	struct cpt_json *j;
	const char *id, *url, *idem;
	int rc;

	(void)state;
	*redirect_url = NULL;
	if (amount_cents <= 0 || !return_url)
		return 1;
	form_add(&f, "mode", "payment");
	form_add(&f, "line_items[0][quantity]", "1");
	form_add(&f, "line_items[0][price_data][currency]", lower(ctx, o->currency));
	form_add(&f, "line_items[0][price_data][unit_amount]", host->format(ctx, "%lld", amount_cents));
	form_add(&f, "line_items[0][price_data][product_data][name]",
	    o->number ? host->format(ctx, fr(ctx) ? "Commande %lld – %s" : "Order %lld – %s", o->number,
	    host->shop_name(ctx)) : host->format(ctx, fr(ctx) ? "Commande %s – %s" : "Order %s – %s", o->code,
	    host->shop_name(ctx)));
	form_add(&f, "client_reference_id", o->code);
	form_add(&f, "metadata[order_code]", o->code);
	form_add(&f, "metadata[shop]", host->shop_code(ctx));
	form_add(&f, "payment_intent_data[metadata][order_code]", o->code);
	form_add(&f, "payment_intent_data[metadata][shop]", host->shop_code(ctx));
	form_add(&f, "success_url", return_url);
	form_add(&f, "cancel_url", return_url);
	form_add(&f, "locale", fr(ctx) ? "fr" : "en");
	if (o->customer_email && *o->customer_email)
		form_add(&f, "customer_email", o->customer_email);
	/* The same order owing the same: the same session, however many clicks. */
	idem = host->format(ctx, "comptoir-%s-%s-checkout-%lld-%lld", host->shop_code(ctx), o->code,
	    o->paid_cents, amount_cents);
	if ((rc = api_post(ctx, "/v1/checkout/sessions", &f, idem, &j)) != 0)
		return rc;
	id = host->json_str(host->json_get(j, "id"));
	url = host->json_str(host->json_get(j, "url"));
	if (!id || !url) {
		host->log(ctx, CPT_LOG_ERROR, "order %s: a Checkout Session without an id or a url", o->code);
		return -1;
	}
	if (host->state_set(ctx, o->code, "checkout_session", id) != 0)
		return -1;
	*redirect_url = host->format(ctx, "%s", url);
	return *redirect_url ? 0 : -1;
}

static int
stripe_refund(void *state, struct cpt_ctx *ctx, const struct cpt_order *o, const char *reference,
    long long amount_cents)
{
	struct form f = { .ctx = ctx };
	struct cpt_json *j;
	const char *id, *status, *idem;
	int rc;

	(void)state;
	if (!reference || strncmp(reference, "pi_", 3) != 0 || amount_cents <= 0)
		return 1;   /* not a payment this plugin took: by hand */
	form_add(&f, "payment_intent", reference);
	form_add(&f, "amount", host->format(ctx, "%lld", amount_cents));
	form_add(&f, "metadata[order_code]", o->code);
	form_add(&f, "metadata[shop]", host->shop_code(ctx));
	/* A form sent twice is one refund; a second refund is made on what the first left. */
	idem = host->format(ctx, "comptoir-%s-%s-refund-%lld-%lld", host->shop_code(ctx), o->code,
	    o->paid_cents, amount_cents);
	if ((rc = api_post(ctx, "/v1/refunds", &f, idem, &j)) != 0)
		return rc;
	id = host->json_str(host->json_get(j, "id"));
	status = host->json_str(host->json_get(j, "status"));
	if (!id) {
		host->log(ctx, CPT_LOG_ERROR, "order %s: a refund without an id", o->code);
		return -1;
	}
	if (status && strcmp(status, "succeeded") != 0 && strcmp(status, "pending") != 0) {
		host->log(ctx, CPT_LOG_WARN, "order %s: refund %s is %s", o->code, id, status);
		return 1;
	}
	return host->state_set(ctx, o->code, "refund_id", id) == 0 ? 0 : -1;
}

/* ---- webhooks ----------------------------------------------------------- */

static const char *
str_at(struct cpt_json *j, const char *path)
{
	return host->json_str(host->json_get(j, path));
}

/* Stripe writes "eur"; the host compares ISO codes. */
static const char *
upper(struct cpt_ctx *ctx, const char *s)
{
	char *out, *p;

	if (!s)
		return NULL;
	out = host->format(ctx, "%s", s);
	for (p = out; p && *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return out;
}

/* The order a refund is about: its metadata, else the order whose
 * PaymentIntent it is (kept when the payment came). */
static const char *
order_of_intent(struct cpt_ctx *ctx, struct cpt_json *obj, const char *intent)
{
	const char *code = str_at(obj, "metadata.order_code");

	if (!code && intent && host->state_find(ctx, "payment_intent", intent, &code) != 0)
		code = NULL;
	return code;
}

static void
refunded(struct cpt_ctx *ctx, struct cpt_json *refund, const char *intent, const char *currency,
    struct cpt_json *charge, struct cpt_payment_event *ev)
{
	const char *status = str_at(refund, "status");

	if (status && strcmp(status, "succeeded") != 0)
		return;   /* pending: its later update says; failed: nothing was given back */
	ev->outcome = CPT_PAYMENT_REFUNDED;
	ev->event_id = str_at(refund, "id");
	ev->amount_cents = host->json_num(host->json_get(refund, "amount"));
	ev->currency = upper(ctx, str_at(refund, "currency") ? str_at(refund, "currency") : currency);
	ev->reference = intent;
	ev->order_code = order_of_intent(ctx, refund, intent);
	if (!ev->order_code && charge)
		ev->order_code = order_of_intent(ctx, charge, intent);
}

/* Fills *ev from the event `j`; leaves ev->order_code NULL for an event
 * that records nothing. */
static void
map_event(struct cpt_ctx *ctx, struct cpt_json *j, struct cpt_payment_event *ev)
{
	const char *type = str_at(j, "type"), *evt = str_at(j, "id");
	struct cpt_json *obj = host->json_get(j, "data.object");

	if (!type || !evt || !obj)
		return;
	if (strcmp(type, "checkout.session.completed") == 0 ||
	    strcmp(type, "checkout.session.async_payment_succeeded") == 0 ||
	    strcmp(type, "checkout.session.async_payment_failed") == 0 ||
	    strcmp(type, "checkout.session.expired") == 0) {
		const char *paid = str_at(obj, "payment_status");

		ev->order_code = str_at(obj, "client_reference_id");
		if (!ev->order_code)
			ev->order_code = str_at(obj, "metadata.order_code");
		ev->reference = str_at(obj, "payment_intent");
		ev->amount_cents = host->json_num(host->json_get(obj, "amount_total"));
		ev->currency = upper(ctx, str_at(obj, "currency"));
		if (strstr(type, "failed") || strstr(type, "expired"))
			ev->outcome = CPT_PAYMENT_FAILED;
		else
			ev->outcome = paid && strcmp(paid, "paid") == 0 ? CPT_PAYMENT_PAID : CPT_PAYMENT_PENDING;
	} else if (strcmp(type, "payment_intent.succeeded") == 0 ||
	    strcmp(type, "payment_intent.payment_failed") == 0) {
		ev->order_code = str_at(obj, "metadata.order_code");
		ev->reference = str_at(obj, "id");
		ev->amount_cents = host->json_num(host->json_get(obj, "amount_received"));
		ev->currency = upper(ctx, str_at(obj, "currency"));
		ev->outcome = strcmp(type, "payment_intent.succeeded") == 0 ? CPT_PAYMENT_PAID : CPT_PAYMENT_FAILED;
	} else if (strcmp(type, "refund.created") == 0 || strcmp(type, "refund.updated") == 0 ||
	    strcmp(type, "charge.refund.updated") == 0) {
		refunded(ctx, obj, str_at(obj, "payment_intent"), NULL, NULL, ev);
		return;
	} else if (strcmp(type, "charge.refunded") == 0) {
		/* The newest refund comes first in the charge's list (when the
		 * API version still expands it; refund.created says it too). */
		struct cpt_json *list = host->json_get(obj, "refunds.data");

		if (host->json_size(list) > 0)
			refunded(ctx, host->json_at(list, 0), str_at(obj, "payment_intent"),
			    str_at(obj, "currency"), obj, ev);
		return;
	} else {
		return;   /* not about a payment */
	}
	ev->event_id = evt;
	if (ev->outcome == CPT_PAYMENT_PAID && ev->order_code && ev->reference &&
	    host->state_set(ctx, ev->order_code, "payment_intent", ev->reference) < 0)
		host->log(ctx, CPT_LOG_WARN, "order %s: its PaymentIntent could not be kept", ev->order_code);
}

static int
stripe_webhook(void *state, struct cpt_ctx *ctx, const struct cpt_http_in *in,
    struct cpt_payment_event *ev, int *http_status)
{
	const char *secret = host->setting(ctx, "webhook_secret");
	const char *header = in->header(in, "Stripe-Signature");
	unsigned char mac[32];
	struct stripe_sig sig;
	struct cpt_json *j;
	char prefix[24];
	size_t n;
	char *signed_payload;
	int rc;

	(void)state;
	*http_status = 400;   /* what Stripe's own libraries answer a bad signature */
	if (!secret) {
		host->log(ctx, CPT_LOG_ERROR, "no webhook secret set: the call cannot be verified");
		return 1;
	}
	if (!header) {
		host->log(ctx, CPT_LOG_WARN, "webhook refused: no Stripe-Signature header");
		return 1;
	}
	if ((rc = stripe_sig_parse(header, strlen(header), &sig)) != STRIPE_SIG_OK) {
		host->log(ctx, CPT_LOG_WARN, "webhook refused: %s", stripe_sig_why(rc));
		return 1;
	}
	n = stripe_sig_prefix(sig.t, prefix);
	if (in->body_len > (4u << 20) || !(signed_payload = host->alloc(ctx, n + in->body_len + 1)))
		return -1;
	memcpy(signed_payload, prefix, n);
	memcpy(signed_payload + n, in->body, in->body_len);
	host->hmac_sha256(secret, strlen(secret), signed_payload, n + in->body_len, mac);
	if ((rc = stripe_sig_check(&sig, mac, host->now(ctx), STRIPE_SIG_TOLERANCE)) != STRIPE_SIG_OK) {
		host->log(ctx, CPT_LOG_WARN, "webhook refused: %s", stripe_sig_why(rc));
		return 1;
	}
	if (!(j = host->json_parse(ctx, in->body, in->body_len))) {
		host->log(ctx, CPT_LOG_WARN, "webhook refused: a signed body that is not JSON");
		return 1;
	}
	*http_status = 200;
	map_event(ctx, j, ev);
	return 0;
}

static const struct cpt_payment_ops payment = {
	.start = stripe_start,
	.webhook = stripe_webhook,
	.refund = stripe_refund,
};

CPT_PLUGIN_EXPORT const struct cpt_plugin cpt_plugin = {
	CPT_PLUGIN_HEADER,
	.kind = CPT_KIND_PAYMENT,
	.name = "stripe",
	.version = "1.0.0",
	.label_fr = "Carte bancaire (Stripe)",
	.label_en = "Card (Stripe)",
	.settings = settings,
	.init = stripe_init,
	.check = stripe_check,
	.payment = &payment,
};
