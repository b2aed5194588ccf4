/*
 * hello: a plugin as a third party writes it, built out of tree against
 * the installed comptoir/plugin.h (see Makefile beside it, and
 * tests/integration/0600-plugins.sh). A payment method whose instructions
 * show the HMAC-SHA256 of the order code under its secret setting: the
 * test checks the secret, the services and the page end to end.
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

static const struct cpt_payment_ops payment = { .instructions = hello_instructions };

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
