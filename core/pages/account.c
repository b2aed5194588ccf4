/* The staff member's own settings: the language of the back office. */
#include "auth/session.h"
#include "conf/conf.h"
#include "pages/page.h"
#include "util/i18n.h"

void
account_get(struct request *r)
{
	struct tpl_vars *v = page_vars(r);

	tpl_set_bool(v, "lang_fr", r->locale[0] == 'f');
	tpl_set_bool(v, "lang_en", r->locale[0] == 'e');
	if (req_param(r, "saved"))
		tpl_set_bool(v, "saved", true);
	page_render(r, "account", v, _("My account"));
}

void
account_post(struct request *r)
{
	const char *lang = req_form(r, "lang");

	switch (staff_set_locale(r->db, r->arena, r->shop->id, r->session->user.id, lang)) {
	case STAFF_OK:
		res_redirect(r, "/account?saved=1");
		return;
	case STAFF_INVALID:
		page_error(r, 400);
		return;
	default:
		page_error(r, 503);
		return;
	}
}
