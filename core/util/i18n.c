#include "util/i18n.h"

#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

static locale_t loc_fr, loc_en;
static _Thread_local bool thread_en;

/* Only LC_MESSAGES changes: numbers and dates are formatted by our own
 * code, never by the C library's locale. */
static locale_t
open_locale(const char *const names[])
{
	locale_t l;
	size_t i;

	for (i = 0; names[i]; i++) {
		l = newlocale(LC_MESSAGES_MASK, names[i], (locale_t)0);
		if (l)
			return l;
	}
	log_warn("i18n: locale %s is not installed; messages stay in English", names[0]);
	return newlocale(LC_MESSAGES_MASK, "C", (locale_t)0);
}

void
i18n_init(const char *localedir)
{
	static const char *const fr[] = { "fr_FR.UTF-8", "fr_BE.UTF-8", "C.UTF-8", NULL };
	static const char *const en[] = { "en_GB.UTF-8", "en_US.UTF-8", "C.UTF-8", NULL };

	/* LANGUAGE would override the per-thread locale for every request. */
	unsetenv("LANGUAGE");
	bindtextdomain("comptoir", localedir);
	/* gettext converts to the LC_CTYPE charset, which is ASCII in the C
	 * locale: ask for UTF-8 whatever the thread's locale is. */
	bind_textdomain_codeset("comptoir", "UTF-8");
	loc_fr = open_locale(fr);
	loc_en = open_locale(en);
}

void
i18n_use(const char *lang)
{
	locale_t l = (lang && strcmp(lang, "en") == 0) ? loc_en : loc_fr;

	thread_en = lang && strcmp(lang, "en") == 0;
	if (l)
		uselocale(l);
}

const char *
i18n_lang(void)
{
	return thread_en ? "en" : "fr";
}

void
i18n_done(void)
{
	uselocale(LC_GLOBAL_LOCALE);
	if (loc_fr)
		freelocale(loc_fr);
	if (loc_en)
		freelocale(loc_en);
	loc_fr = loc_en = (locale_t)0;
}
