/*
 * What a payment plugin shows the customer (bank details, the EPC QR code,
 * where to send a cheque): on the order page, for the order's payment
 * method when that plugin is loaded and enabled for the shop; on the
 * customer's payment page (pages/pay.c), for each enabled plugin.
 */
#include <string.h>

#include "conf/conf.h"
#include "orders/order.h"
#include "pages/page.h"
#include "payments/online.h"
#include "plugins/host.h"
#include "plugins/shop_plugins.h"
#include "util/log.h"

bool
payment_plugin_show(struct request *r, const struct plugin *p, struct shop_plugin_row *row,
    const struct cpt_order *co, const char *lang, struct tpl_vars *(*block_add)(struct tpl_vars *, const char *),
    struct tpl_vars *v, const char *key)
{
	struct cpt_ctx ctx;
	struct tpl_vars *block;
	size_t i;
	int rc;

	if (p->desc->kind != CPT_KIND_PAYMENT || !p->desc->payment->instructions)
		return false;
	plugin_ctx_init(&ctx, r->arena, r->db, r->cfg, r->shop, lang, p, row);
	rc = p->desc->payment->instructions(p->state, &ctx, co);
	if (rc == 0 && ctx.nshown) {
		block = block_add(v, key);
		tpl_set_str(block, "name", p->name);
		tpl_set_str(block, "label", strcmp(lang, "en") == 0 ? p->desc->label_en : p->desc->label_fr);
		for (i = 0; i < ctx.nshown; i++) {
			const struct plugin_shown *s = &ctx.shown[i];
			struct tpl_vars *it = tpl_list_add(block, "items");

			switch (s->kind) {
			case SHOWN_TEXT:
				tpl_set_str(it, "text", s->text);
				break;
			case SHOWN_VALUE:
				tpl_set_str(it, "label", s->label);
				tpl_set_str(it, "value", s->text);
				break;
			case SHOWN_IMAGE:
				tpl_set_str(it, "image", s->data_uri);
				tpl_set_str(it, "alt", s->alt);
				break;
			}
		}
	} else if (rc < 0) {
		log_warn("order %s: plugin %s gave no instructions", co->code, p->name);
	}
	plugin_ctx_done(&ctx);
	return rc == 0 && ctx.nshown;
}

void
payment_instructions_fill(struct request *r, const struct order *o, struct tpl_vars *v)
{
	const struct plugin *p = plugin_find(o->payment_method);
	struct shop_plugin_row row;
	struct cpt_order co;

	if (!p || p->desc->kind != CPT_KIND_PAYMENT || !p->desc->payment->instructions)
		return;
	if (shop_plugin_load(r->db, r->arena, r->cfg, r->shop->id, p->name, &row) != 0)
		return;   /* logged; the page matters more */
	if (row.enabled) {
		payment_plugin_order(o, &co);
		payment_plugin_show(r, p, &row, &co, r->locale, tpl_set_map, v, "payment_instructions");
	}
	shop_plugin_row_free(&row);
}
