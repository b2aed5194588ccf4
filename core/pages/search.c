/* The global search, "Que cherchez-vous ?", reached from every page. */
#include <string.h>

#include "pages/page.h"
#include "util/i18n.h"

void
search_get(struct request *r)
{
	struct tpl_vars *v = page_vars(r);
	const char *q = req_param(r, "q");

	if (q && strlen(q) > 200)
		q = arena_strndup(r->arena, q, 200);
	if (q && *q)
		tpl_set_str(v, "q", q);
	page_render(r, "search", v, _("Search"));
}
