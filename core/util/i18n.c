#include "util/i18n.h"

#include <locale.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

#define DOMAIN "comptoir"

enum { LANG_UNSET = -1, LANG_FR, LANG_EN, LANG_N };
_Static_assert(LANG_N == I18N_LANGS, "i18n.h numbers the languages as this file does");

static locale_t loc_fr, loc_en;
/* LANG_UNSET until i18n_use() has switched this thread's locale: until
 * then gettext answers in the process's locale, which the cache does not
 * know. */
static _Thread_local int thread_lang = LANG_UNSET;
static _Thread_local bool thread_en;

/*
 * The translations looked up, per language: an open-addressing table of
 * entries that are only ever added (compare-and-swap into an empty slot)
 * and freed together by i18n_done(). The msgid is copied: a template's
 * text may be freed by a reload and its address given to another text.
 * The few hundred msgids fit many times over; a full table (or a failed
 * malloc) leaves gettext to answer.
 */
#define CACHE_SLOTS 4096
#define CACHE_PROBES 64

struct cached {
	uint32_t hash;
	size_t len;
	char *text;          /* gettext's (its catalogue stays mapped), or msgid below */
	char msgid[];
};

static _Atomic(struct cached *) cache[LANG_N][CACHE_SLOTS];

/* FNV-1a of s, and its length. */
static uint32_t
hash_str(const char *s, size_t *len)
{
	uint32_t h = 2166136261u;
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++)
		h = (h ^ *p) * 16777619u;
	*len = (size_t)(p - (const unsigned char *)s);
	return h;
}

static bool
same(const struct cached *c, uint32_t hash, const char *msgid, size_t len)
{
	return c->hash == hash && c->len == len && memcmp(c->msgid, msgid, len) == 0;
}

char *
i18n_text(const char *msgid)
{
	struct cached *c, *mine = NULL;
	uint32_t hash;
	size_t len, i, k;
	int lang = thread_lang;
	char *t;

	if (lang == LANG_UNSET)
		return dgettext(DOMAIN, msgid);
	hash = hash_str(msgid, &len);
	for (k = 0, i = hash % CACHE_SLOTS; k < CACHE_PROBES; k++, i = (i + 1) % CACHE_SLOTS) {
		c = atomic_load_explicit(&cache[lang][i], memory_order_acquire);
		if (!c) {
			if (!mine) {
				if (!(mine = malloc(sizeof(*mine) + len + 1)))
					break;
				mine->hash = hash;
				mine->len = len;
				memcpy(mine->msgid, msgid, len + 1);
				t = dgettext(DOMAIN, msgid);
				/* Untranslated, gettext gives msgid back: ours is the
				 * copy that stays. */
				mine->text = t == msgid ? mine->msgid : t;
			}
			if (atomic_compare_exchange_strong_explicit(&cache[lang][i], &c, mine,
			    memory_order_acq_rel, memory_order_acquire))
				return mine->text;
			/* Another thread filled the slot first: c is its entry. */
		}
		if (same(c, hash, msgid, len)) {
			free(mine);
			return c->text;
		}
	}
	if (mine) {   /* no room: what gettext said, as it said it */
		t = mine->text == mine->msgid ? (char *)msgid : mine->text;
		free(mine);
		return t;
	}
	return dgettext(DOMAIN, msgid);
}

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
	bindtextdomain(DOMAIN, localedir);
	/* gettext converts to the LC_CTYPE charset, which is ASCII in the C
	 * locale: ask for UTF-8 whatever the thread's locale is. */
	bind_textdomain_codeset(DOMAIN, "UTF-8");
	loc_fr = open_locale(fr);
	loc_en = open_locale(en);
}

void
i18n_use(const char *lang)
{
	bool en = lang && strcmp(lang, "en") == 0;
	locale_t l = en ? loc_en : loc_fr;

	thread_en = en;
	if (l) {
		uselocale(l);
		thread_lang = en ? LANG_EN : LANG_FR;
	} else {
		thread_lang = LANG_UNSET;
	}
}

int
i18n_slot(void)
{
	return thread_lang;
}

char *
i18n_text_in(int slot, const char *msgid)
{
	locale_t l = slot == LANG_EN ? loc_en : slot == LANG_FR ? loc_fr : (locale_t)0;
	locale_t was = uselocale((locale_t)0);
	int lang = thread_lang;
	char *t;

	if (!l)
		return NULL;
	uselocale(l);
	thread_lang = slot;
	t = i18n_text(msgid);
	thread_lang = lang;
	uselocale(was);
	return t;
}

const char *
i18n_lang(void)
{
	return thread_en ? "en" : "fr";
}

void
i18n_done(void)
{
	size_t l, i;

	uselocale(LC_GLOBAL_LOCALE);
	thread_lang = LANG_UNSET;
	for (l = 0; l < LANG_N; l++)
		for (i = 0; i < CACHE_SLOTS; i++)
			free(atomic_exchange(&cache[l][i], NULL));
	if (loc_fr)
		freelocale(loc_fr);
	if (loc_en)
		freelocale(loc_en);
	loc_fr = loc_en = (locale_t)0;
}
