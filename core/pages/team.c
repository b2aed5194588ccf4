/* The shop's staff accounts, for the owner. */
#include "auth/session.h"
#include "conf/conf.h"
#include "pages/page.h"
#include "util/i18n.h"

const char *
staff_role_label(enum staff_role role)
{
	switch (role) {
	case ROLE_OWNER: return _("Owner");
	case ROLE_PICKER: return _("Picker");
	default: return _("Staff");
	}
}

void
team_get(struct request *r)
{
	struct tpl_vars *v = page_vars(r);
	struct staff_user *users;
	size_t n, i;

	if (staff_list(r->db, r->arena, r->shop->id, &users, &n) != STAFF_OK) {
		page_error(r, 503);
		return;
	}
	for (i = 0; i < n; i++) {
		struct tpl_vars *u = tpl_list_add(v, "team");

		tpl_set_str(u, "email", users[i].email);
		tpl_set_str(u, "name", users[i].display_name);
		tpl_set_str(u, "role", staff_role_label(users[i].role));
		tpl_set_bool(u, "disabled", users[i].disabled);
	}
	page_render(r, "team", v, _("Team"));
}
