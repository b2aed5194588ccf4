/*
 * The order page's payment instructions: what the plugin of the order's
 * payment method shows (bank details, the EPC QR code, where to send a
 * cheque), when that plugin is loaded and enabled for the shop.
 */
#include <string.h>

#include "conf/conf.h"
#include "orders/order.h"
#include "pages/page.h"
#include "payments/online.h"
#include "plugins/host.h"
#include "plugins/shop_plugins.h"
#include "util/log.h"

void
payment_instructions_fill(struct request *r, const struct order *o, struct tpl_vars *v)
{
	const struct plugin *p = plugin_find(o->payment_method);
	struct shop_plugin_row row;
	struct cpt_order co;
	struct cpt_ctx ctx;
	struct tpl_vars *block;
	size_t i;
	int rc;

	if (!p || p->desc->kind != CPT_KIND_PAYMENT || !p->desc->payment->instructions)
		return;
	if (shop_plugin_load(r->db, r->arena, r->cfg, r->shop->id, p->name, &row) != 0)
		return;   /* logged; the page matters more */
	if (!row.enabled) {
		shop_plugin_row_free(&row);
		return;
	}
	payment_plugin_order(o, &co);
	plugin_ctx_init(&ctx, r->arena, r->db, r->cfg, r->shop, r->locale, p, &row);
	rc = p->desc->payment->instructions(p->state, &ctx, &co);
	if (rc == 0 && ctx.nshown) {
		block = tpl_set_map(v, "payment_instructions");
		tpl_set_str(block, "label", strcmp(r->locale, "en") == 0 ? p->desc->label_en : p->desc->label_fr);
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
		log_warn("order %s: plugin %s gave no instructions", o->code, p->name);
	}
	plugin_ctx_done(&ctx);
	shop_plugin_row_free(&row);
}
