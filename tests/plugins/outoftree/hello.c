/*
 * hello: a plugin as a third party writes it, built out of tree against
 * the installed comptoir/plugin.h (see Makefile beside it, and
 * tests/integration/0600-plugins.sh). A payment method whose instructions
 * show the HMAC-SHA256 of the order code under its secret setting: the
 * test checks the secret, the services and the page end to end. Its
 * webhook takes {"id": …, "order": CODE, "amount": CENTS} signed with
 * X-Hello-Signature: hex HMAC-SHA256 of the body under the same secret,
 * and keeps the last event id on the order (a replay is answered 200 and
 * reported as no event).
 */
#include <string.h>

#include <comptoir/plugin.h>

static const struct cpt_host *host;

static const struct cpt_setting settings[] = {
	{ .key = "greeting", .type = CPT_SETTING_TEXT, .label_fr = "Salutation", .label_en = "Greeting" },
	{ .key = "api_key", .type = CPT_SETTING_TEXT, .flags = CPT_SETTING_SECRET | CPT_SETTING_REQUIRED,
	  .label_fr = "Clé d'API", .label_en = "API key" },
	{ .key = NULL }
};

static int
hello_init(const struct cpt_host *h, void **state)
{
	host = h;
	*state = NULL;
	host->log(NULL, CPT_LOG_INFO, "hello from outside the tree (host ABI %u.%u)", h->abi_major,
	    h->abi_minor);
	return 0;
}

static int
hello_instructions(void *state, struct cpt_ctx *ctx, const struct cpt_order *o)
{
	const char *key = host->setting(ctx, "api_key"), *greeting = host->setting(ctx, "greeting");
	unsigned char mac[32];

	(void)state;
	if (!key)
		return 1;
	host->hmac_sha256(key, strlen(key), o->code, strlen(o->code), mac);
	host->show_text(ctx, greeting ? greeting : "hello");
	host->show_value(ctx, "HMAC", host->hex(ctx, mac, sizeof(mac)));
	return 0;
}

static int
hello_webhook(void *state, struct cpt_ctx *ctx, const struct cpt_http_in *in,
    struct cpt_payment_event *event, int *http_status)
{
	const char *key = host->setting(ctx, "api_key"), *sig = in->header(in, "X-Hello-Signature");
	const char *want, *id, *order, *last;
	struct cpt_json *j;
	unsigned char mac[32];

	(void)state;
	*http_status = 401;
	if (!key || !sig || strlen(sig) != 64)
		return 1;
	host->hmac_sha256(key, strlen(key), in->body, in->body_len, mac);
	want = host->hex(ctx, mac, sizeof(mac));
	if (!host->equal(want, sig, 64))
		return 1;
	*http_status = 400;
	j = host->json_parse(ctx, in->body, in->body_len);
	id = host->json_str(host->json_get(j, "id"));
	order = host->json_str(host->json_get(j, "order"));
	if (!id || !order)
		return 1;
	if (host->state_get(ctx, order, "last_event", &last) != 0)
		return -1;
	*http_status = 200;
	if (last && strcmp(last, id) == 0)
		return 0;   /* a replay: nothing new */
	if (host->state_set(ctx, order, "last_event", id) != 0) {
		*http_status = 404;
		return 1;
	}
	event->event_id = id;
	event->order_code = order;
	event->outcome = CPT_PAYMENT_PAID;
	event->amount_cents = host->json_num(host->json_get(j, "amount"));
	event->currency = "EUR";
	return 0;
}

static const struct cpt_payment_ops payment = { .instructions = hello_instructions,
	.webhook = hello_webhook };

CPT_PLUGIN_EXPORT const struct cpt_plugin cpt_plugin = {
	CPT_PLUGIN_HEADER,
	.kind = CPT_KIND_PAYMENT,
	.name = "hello",
	.version = "0.1.0",
	.label_fr = "Bonjour",
	.label_en = "Hello",
	.settings = settings,
	.init = hello_init,
	.payment = &payment,
};
