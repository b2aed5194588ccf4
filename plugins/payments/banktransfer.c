/*
 * banktransfer: payment by SEPA credit transfer. The shop's IBAN and BIC
 * (checked: mod 97, ISO 9362), a reference per order (the order code, the
 * Belgian structured communication from its number, or an ISO 11649 RF
 * creditor reference), and the EPC QR code ("GiroCode") that a banking
 * app reads to fill the transfer in. Marked paid by hand (or by the bank
 * statement reconciliation).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <comptoir/plugin.h>

#include "sepa.h"

static const struct cpt_host *host;

static const char *const reference_choices[] = { "order", "be", "rf", NULL };

static const struct cpt_setting settings[] = {
	{ .key = "beneficiary", .type = CPT_SETTING_TEXT, .flags = CPT_SETTING_REQUIRED, .max_len = 70,
	  .label_fr = "Bénéficiaire", .label_en = "Beneficiary",
	  .help_fr = "Le titulaire du compte, tel que la banque l'écrit.",
	  .help_en = "The account holder, as the bank writes it." },
	{ .key = "iban", .type = CPT_SETTING_TEXT, .flags = CPT_SETTING_REQUIRED, .max_len = 42,
	  .label_fr = "IBAN", .label_en = "IBAN" },
	{ .key = "bic", .type = CPT_SETTING_TEXT, .max_len = 11, .label_fr = "BIC", .label_en = "BIC",
	  .help_fr = "Facultatif dans l'espace SEPA.", .help_en = "Optional within SEPA." },
	{ .key = "reference", .type = CPT_SETTING_CHOICE, .choices = reference_choices,
	  .label_fr = "Référence du virement", .label_en = "Transfer reference",
	  .help_fr = "order : le code de la commande ; be : communication structurée belge ;"
	      " rf : référence structurée ISO 11649 (RF…).",
	  .help_en = "order: the order code; be: Belgian structured communication;"
	      " rf: ISO 11649 structured reference (RF…)." },
	{ .key = "instructions", .type = CPT_SETTING_TEXTAREA, .max_len = 1000,
	  .label_fr = "Consignes au client", .label_en = "Instructions to the customer" },
	{ .key = NULL }
};

static bool
fr(struct cpt_ctx *ctx)
{
	return strcmp(host->locale(ctx), "en") != 0;
}

static int
bt_init(const struct cpt_host *h, void **state)
{
	host = h;
	*state = NULL;
	return 0;
}

static int
bt_check(void *state, struct cpt_ctx *ctx, const char *key, const char *value)
{
	(void)state;
	if (strcmp(key, "iban") == 0 && !sepa_iban_valid(value)) {
		host->refuse(ctx, fr(ctx) ? "Cet IBAN n'est pas valide (longueur du pays ou clé de contrôle)." :
		    "This IBAN is not valid (its country's length or its check digits).");
		return 1;
	}
	if (strcmp(key, "bic") == 0 && !sepa_bic_valid(value)) {
		host->refuse(ctx, fr(ctx) ? "Ce BIC n'est pas valide (8 ou 11 lettres et chiffres)." :
		    "This BIC is not valid (8 or 11 letters and digits).");
		return 1;
	}
	return 0;
}

static int
bt_instructions(void *state, struct cpt_ctx *ctx, const struct cpt_order *o)
{
	const char *name = host->setting(ctx, "beneficiary"), *iban_in = host->setting(ctx, "iban");
	const char *bic = host->setting(ctx, "bic"), *mode = host->setting(ctx, "reference");
	const char *text = host->setting(ctx, "instructions");
	char iban[40], shown[48], bic_c[16] = "", ref[40];
	struct epc_transfer t;
	long long due = o->total_cents - o->paid_cents;
	char payload[400];
	size_t len, svg_len;
	char *svg;
	bool structured = false;

	(void)state;
	if (!name || !iban_in || !sepa_compact(iban_in, iban, sizeof(iban)) || !sepa_iban_valid(iban))
		return 1;   /* not set up: nothing to show */
	if (bic && !sepa_compact(bic, bic_c, sizeof(bic_c)))
		bic_c[0] = '\0';
	if (mode && strcmp(mode, "be") == 0 && o->number > 0) {
		sepa_be_structured((unsigned long long)o->number, ref);
	} else if (mode && strcmp(mode, "rf") == 0 && sepa_rf_reference(o->code, ref, sizeof(ref))) {
		structured = true;
	} else {
		snprintf(ref, sizeof(ref), "%s", o->code);
	}
	if (text)
		host->show_text(ctx, text);
	else
		host->show_text(ctx, fr(ctx) ? "Réglez par virement en indiquant la référence ci-dessous." :
		    "Pay by bank transfer, giving the reference below.");
	host->show_value(ctx, fr(ctx) ? "Bénéficiaire" : "Beneficiary", name);
	sepa_iban_format(iban, shown, sizeof(shown));
	host->show_value(ctx, "IBAN", shown);
	if (bic_c[0])
		host->show_value(ctx, "BIC", bic_c);
	host->show_value(ctx, fr(ctx) ? "Référence" : "Reference", ref);
	if (due <= 0 || strcmp(o->currency, "EUR") != 0)
		return 0;   /* the EPC QR code is for euros due */
	host->show_value(ctx, fr(ctx) ? "Montant" : "Amount", host->money(ctx, due, o->currency));
	t = (struct epc_transfer){ .bic = bic_c, .name = name, .iban = iban, .amount_cents = due,
	    .structured = structured ? ref : NULL, .text = structured ? NULL : ref };
	if ((len = sepa_epc_payload(&t, payload, sizeof(payload))) == 0) {
		host->log(ctx, CPT_LOG_WARN, "order %s: no EPC QR code (a field is out of bounds)", o->code);
		return 0;
	}
	if (!(svg = sepa_qr_svg(payload, len, &svg_len))) {
		host->log(ctx, CPT_LOG_WARN, "order %s: the QR code could not be drawn", o->code);
		return 0;
	}
	host->show_image(ctx, "image/svg+xml", svg, svg_len, fr(ctx) ?
	    "QR code de virement SEPA (EPC) : à lire avec l'application de votre banque" :
	    "SEPA transfer QR code (EPC): scan it with your banking app");
	free(svg);
	return 0;
}

static const struct cpt_payment_ops payment = {
	.instructions = bt_instructions,
	.paid_by_hand = 1,
};

CPT_PLUGIN_EXPORT const struct cpt_plugin cpt_plugin = {
	CPT_PLUGIN_HEADER,
	.kind = CPT_KIND_PAYMENT,
	.name = "banktransfer",
	.version = "1.0.0",
	.label_fr = "Virement bancaire",
	.label_en = "Bank transfer",
	.settings = settings,
	.init = bt_init,
	.check = bt_check,
	.payment = &payment,
};
