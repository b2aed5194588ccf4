/*
 * i18n: gettext with a locale per thread. French is the default; English
 * is the second locale. Messages are written in English in the source
 * (msgids) and translated by po/fr.po.
 */
#ifndef CPT_I18N_H
#define CPT_I18N_H

#include <libintl.h>

#define _(s) dgettext("comptoir", s)
#define N_(s) (s)

/* Binds the "comptoir" domain to `localedir`; once, before threads start. */
void i18n_init(const char *localedir);
/* Switches this thread's messages to "fr" or "en" (anything else: "fr"). */
void i18n_use(const char *lang);
/* This thread's language: "fr" or "en". */
const char *i18n_lang(void);
void i18n_done(void);

#endif
