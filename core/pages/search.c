/* The global search, "Que cherchez-vous ?", reached from every page. */
#include <string.h>

#include "pages/page.h"
#include "util/i18n.h"
#include "util/utf8.h"

void
search_get(struct request *r)
{
	struct tpl_vars *v = page_vars(r);
	const char *q = req_param(r, "q");

	/* At most 200 bytes, never half a character; text that is not UTF-8
	 * is no query (a page is UTF-8 throughout). */
	if (q && strlen(q) > 200)
		q = arena_strndup(r->arena, q, utf8_cut(q, 200));
	if (q && !utf8_valid(q, strlen(q)))
		q = NULL;
	if (q && *q)
		tpl_set_str(v, "q", q);
	page_render(r, "search", v, _("Search"));
}
