/*
 * i18n: gettext with a locale per thread. French is the default; English
 * is the second locale. Messages are written in English in the source
 * (msgids) and translated by po/fr.po.
 */
#ifndef CPT_I18N_H
#define CPT_I18N_H

#include <libintl.h>

#define _(s) i18n_text(s)
#define N_(s) (s)

/* Binds the "comptoir" domain to `localedir`; once, before threads start. */
void i18n_init(const char *localedir);
/* Switches this thread's messages to "fr" or "en" (anything else: "fr"). */
void i18n_use(const char *lang);
/* This thread's language: "fr" or "en". */
const char *i18n_lang(void);
/* Frees the translations looked up; after the threads that used them. */
void i18n_done(void);

/*
 * dgettext("comptoir", msgid) in this thread's language, looked up once
 * per (language, msgid) for the whole process and then read without a
 * lock (gettext takes a lock and searches a tree on every call). The text
 * lives until i18n_done(), whatever becomes of `msgid`. A thread that has
 * not called i18n_use() gets dgettext() itself.
 */
char *i18n_text(const char *msgid) __attribute__((format_arg(1)));

/* The languages, numbered as i18n_slot() says them: French, English. */
#define I18N_LANGS 2

/* This thread's language as a number below I18N_LANGS, or -1 before
 * i18n_use() (then gettext answers in the process's locale). */
int i18n_slot(void);

/* i18n_text(msgid) as a thread of language `slot` would get it, from any
 * thread (the caller's language is left as it was), for what is worked
 * out once ahead (the templates' texts); NULL when that language has no
 * locale (i18n_init() not called). */
char *i18n_text_in(int slot, const char *msgid) __attribute__((format_arg(2)));

#endif
