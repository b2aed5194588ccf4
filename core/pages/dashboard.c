/* The first screen after login: the shop, the account, the team. */
#include "auth/session.h"
#include "conf/conf.h"
#include "orders/money.h"
#include "orders/order_desk.h"
#include "orders/order_view.h"
#include "orders/workflow.h"
#include "pages/page.h"
#include "util/datetime.h"
#include "util/i18n.h"
#include "util/log.h"

/* The orders this staff member opened last, newest first. */
static void
recent_orders(struct request *r, struct tpl_vars *v)
{
	struct order_recent *rows;
	const struct wf_workflow *wf;
	size_t n, i;

	if (order_recent_list(r->db, r->arena, r->shop->id, r->session->user.id, &rows, &n) != DESK_OK) {
		log_warn("dashboard: the recently viewed orders cannot be read");
		return;
	}
	if (wf_get(r->db, r->arena, r->shop->id, &wf) != WF_OK)
		wf = NULL;   /* the codes, then: the dashboard matters more */
	tpl_set_bool(v, "has_recent", n > 0);
	for (i = 0; i < n; i++) {
		struct tpl_vars *o = tpl_list_add(v, "recent");
		char s[64];

		tpl_set_str(o, "code", rows[i].code);
		tpl_set_int(o, "number", rows[i].number);
		tpl_set_str(o, "customer", rows[i].customer);
		tpl_set_str(o, "status_label", order_status_label(wf, rows[i].status));
		money_format(s, sizeof(s), rows[i].total_cents, rows[i].currency, r->locale);
		tpl_set_str(o, "total", s);
		datetime_format(s, sizeof(s), rows[i].viewed_at, r->shop->timezone, r->locale);
		tpl_set_str(o, "viewed_at", s);
		tpl_set_str(o, "viewed_at_iso", rows[i].viewed_at);
	}
}

void
dashboard_get(struct request *r)
{
	struct tpl_vars *v = page_vars(r), *shop = tpl_set_map(v, "shop");
	const struct shop *s = r->shop;
	size_t i;

	tpl_set_str(shop, "currency", s->currency);
	tpl_set_str(shop, "company", s->legal.company);
	if (s->legal.siret)
		tpl_set_str(shop, "siret", s->legal.siret);
	if (s->legal.vat_number)
		tpl_set_str(shop, "vat_number", s->legal.vat_number);
	for (i = 0; i < s->nhosts; i++)
		tpl_set_str(tpl_list_add(shop, "hosts"), "name", s->hosts[i]);
	tpl_set_str(v, "role_label", staff_role_label(r->session->user.role));
	recent_orders(r, v);

	page_render(r, "dashboard", v, _("Dashboard"));
}
