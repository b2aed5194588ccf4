/*
 * cheque: payment by cheque. The page shows to whom it is payable and
 * where to send it, from the shop's settings; staff mark it paid by hand
 * when it arrives.
 */
#include <string.h>

#include <comptoir/plugin.h>

static const struct cpt_host *host;

static const struct cpt_setting settings[] = {
	{ .key = "payable_to", .type = CPT_SETTING_TEXT, .flags = CPT_SETTING_REQUIRED, .max_len = 120,
	  .label_fr = "À l'ordre de", .label_en = "Payable to" },
	{ .key = "address", .type = CPT_SETTING_TEXTAREA, .flags = CPT_SETTING_REQUIRED, .max_len = 500,
	  .label_fr = "Adresse d'envoi", .label_en = "Send it to" },
	{ .key = "instructions", .type = CPT_SETTING_TEXTAREA, .max_len = 1000,
	  .label_fr = "Consignes au client", .label_en = "Instructions to the customer" },
	{ .key = NULL }
};

static int
cheque_init(const struct cpt_host *h, void **state)
{
	host = h;
	*state = NULL;
	return 0;
}

static int
cheque_instructions(void *state, struct cpt_ctx *ctx, const struct cpt_order *o)
{
	const char *to = host->setting(ctx, "payable_to"), *address = host->setting(ctx, "address");
	const char *text = host->setting(ctx, "instructions");
	int fr = strcmp(host->locale(ctx), "en") != 0;

	(void)state;
	if (!to || !address)
		return 1;
	host->show_text(ctx, text ? text : fr ?
	    "Envoyez votre chèque en indiquant le code de la commande au dos ; la commande part à réception." :
	    "Send your cheque with the order code written on its back; the order leaves once it arrives.");
	host->show_value(ctx, fr ? "À l'ordre de" : "Payable to", to);
	host->show_value(ctx, fr ? "Adresse d'envoi" : "Send it to", address);
	host->show_value(ctx, fr ? "Au dos du chèque" : "On the back", o->code);
	return 0;
}

static const struct cpt_payment_ops payment = {
	.instructions = cheque_instructions,
	.paid_by_hand = 1,
};

CPT_PLUGIN_EXPORT const struct cpt_plugin cpt_plugin = {
	CPT_PLUGIN_HEADER,
	.kind = CPT_KIND_PAYMENT,
	.name = "cheque",
	.version = "1.0.0",
	.label_fr = "Chèque",
	.label_en = "Cheque",
	.settings = settings,
	.init = cheque_init,
	.payment = &payment,
};
