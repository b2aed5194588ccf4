/* The first screen after login: the shop, the account, the team. */
#include "auth/session.h"
#include "conf/conf.h"
#include "pages/page.h"
#include "util/i18n.h"

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

	page_render(r, "dashboard", v, _("Dashboard"));
}
