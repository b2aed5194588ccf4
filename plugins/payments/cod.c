/*
 * cod: cash on delivery. The page shows the shop's instructions (the
 * carrier's fee, cash or cheque to the courier); staff mark it paid by
 * hand when the carrier has paid the amount over.
 */
#include <string.h>

#include <comptoir/plugin.h>

static const struct cpt_host *host;

static const struct cpt_setting settings[] = {
	{ .key = "instructions", .type = CPT_SETTING_TEXTAREA, .flags = CPT_SETTING_REQUIRED,
	  .max_len = 1000, .label_fr = "Consignes au client", .label_en = "Instructions to the customer" },
	{ .key = "fee", .type = CPT_SETTING_TEXT, .max_len = 40,
	  .label_fr = "Frais de contre-remboursement", .label_en = "Cash on delivery fee",
	  .help_fr = "Tel qu'affiché, par exemple « 5,00 € ».", .help_en = "As shown, e.g. \"€5.00\"." },
	{ .key = NULL }
};

static int
cod_init(const struct cpt_host *h, void **state)
{
	host = h;
	*state = NULL;
	return 0;
}

static int
cod_instructions(void *state, struct cpt_ctx *ctx, const struct cpt_order *o)
{
	const char *text = host->setting(ctx, "instructions"), *fee = host->setting(ctx, "fee");
	int fr = strcmp(host->locale(ctx), "en") != 0;

	(void)state;
	(void)o;
	if (!text)
		return 1;
	host->show_text(ctx, text);
	if (fee)
		host->show_value(ctx, fr ? "Frais" : "Fee", fee);
	return 0;
}

static const struct cpt_payment_ops payment = {
	.instructions = cod_instructions,
	.paid_by_hand = 1,
};

CPT_PLUGIN_EXPORT const struct cpt_plugin cpt_plugin = {
	CPT_PLUGIN_HEADER,
	.kind = CPT_KIND_PAYMENT,
	.name = "cod",
	.version = "1.0.0",
	.label_fr = "Paiement à la livraison",
	.label_en = "Cash on delivery",
	.settings = settings,
	.init = cod_init,
	.payment = &payment,
};
