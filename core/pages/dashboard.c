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
	tpl_set_str(v, "role_label", r->session->user.role == ROLE_OWNER ? _("Owner") :
	    r->session->user.role == ROLE_PICKER ? _("Picker") : _("Staff"));

	if (r->session->user.role == ROLE_OWNER) {
		struct staff_user *users;
		size_t n;

		if (staff_list(r->db, r->arena, s->id, &users, &n) != STAFF_OK) {
			page_error(r, 503);
			return;
		}
		for (i = 0; i < n; i++) {
			struct tpl_vars *u = tpl_list_add(v, "team");

			tpl_set_str(u, "email", users[i].email);
			tpl_set_str(u, "name", users[i].display_name);
			tpl_set_str(u, "role", users[i].role == ROLE_OWNER ? _("Owner") :
			    users[i].role == ROLE_PICKER ? _("Picker") : _("Staff"));
		}
	}
	page_render(r, "dashboard", v, _("Dashboard"));
}
