/* Unit tests of fold (core/util/fold.h), named after its rules: the one
 * function the search index and the search box share. */
#include <string.h>

#include "util/buf.h"
#include "util/fold.h"
#include "tap.h"

/* The folded words of s (tails too with FOLD_TAILS), "|"-separated, tails
 * marked with a "~" in front. */
static int
collect(void *ctx, const char *word, size_t len, bool whole)
{
	struct buf *b = ctx;

	if (b->len)
		buf_putc(b, '|');
	if (!whole)
		buf_putc(b, '~');
	buf_append(b, word, len);
	return 0;
}

static const char *
words(const char *s, unsigned flags)
{
	static char out[1024];
	struct buf b;

	buf_init(&b, sizeof(out) - 1);
	fold_words(s, strlen(s), flags, collect, &b);
	memcpy(out, buf_str(&b), b.len + 1);
	buf_free(&b);
	return out;
}

static const char *
folded(const char *s)
{
	static char out[1024];
	struct buf b;

	buf_init(&b, sizeof(out) - 1);
	fold_text(&b, s, strlen(s));
	memcpy(out, buf_str(&b), b.len + 1);
	buf_free(&b);
	return out;
}

static void
test_rule1_ascii_lowercase(void)
{
	is_str(folded("DUPRE Jean 42"), "dupre jean 42", "ASCII letters are lowercased, digits stay");
	is_str(folded("  a \t b\r\n"), "a b", "blanks of any kind separate words once");
	is_str(folded(""), "", "nothing gives nothing");
}

static void
test_rule2_diacritics_and_ligatures(void)
{
	is_str(folded("Hélène Dupré"), "helene dupre", "accents are dropped: Hélène Dupré");
	is_str(folded("HÉLÈNE DUPRÉ"), "helene dupre", "capital accented letters are lowered too");
	is_str(folded("Ça Façade Noël Cœur ŒUVRE"), "ca facade noel coeur oeuvre", "ç, ë, œ and Œ");
	is_str(folded("Straße Æsir Þór Ĳssel"), "strasse aesir thor ijssel", "ß, Æ, Þ and Ĳ are spelt out");
	is_str(folded("Łódź Dvořák Ångström Søren"), "lodz dvorak angstrom soren",
	    "Latin Extended-A letters: ł, ó, ź, ř, å, ø");
	is_str(folded("e\xcc\x81te\xcc\x81"), "ete", "combining marks (decomposed é) are dropped");
	is_str(folded("\xe1\xba\x9e"), "ss", "capital sharp s");
	is_str(folded("Москва"), "Москва", "other scripts are kept as they are");
}

static void
test_rule3_apostrophes_and_dashes(void)
{
	is_str(folded("L’Atelier d‘Yves"), "l'atelier d'yves", "typographic apostrophes are the ASCII one");
	is_str(folded("L'Atelier"), folded("L\xe2\x80\x99" "atelier"), "typed either way, the same word");
	is_str(folded("Jean‐Pierre – Marie—Claire"), "jean-pierre marie-claire",
	    "dashes inside words are '-', a dash between blanks separates");
}

static void
test_rule4_words(void)
{
	is_str(words("helene.dupre@example.fr", 0), "helene.dupre@example.fr",
	    "an e-mail address is one word");
	is_str(words("helene.dupre@example.fr", FOLD_TAILS),
	    "helene.dupre@example.fr|~dupre@example.fr|~example.fr|~fr",
	    "with FOLD_TAILS, what follows each mark comes after the word");
	is_str(words("CV-350-MAT", FOLD_TAILS), "cv-350-mat|~350-mat|~mat", "a SKU and its tails");
	is_str(words("Dupré", FOLD_TAILS), "dupre", "a simple word has no tails");
	is_str(words("-a- 'b' ..c.. d--e", 0), "a|b|c|d|e", "marks at the ends of words, or doubled, separate");
	is_str(words("50% a_b \\x \"q\" <t>;", 0), "50|a_b|x|q|t", "%%, backslash, quotes and brackets separate");
	is_str(words("a\xff" "b \xc3", 0), "a|b", "ill-formed bytes separate words, like a space");
	is_str(words("«Dupré»", 0), "dupre", "guillemets and no-break spaces separate");
}

static void
test_rule5_length(void)
{
	char lng[200], want[FOLD_WORD_MAX + 1];
	const char *w;

	memset(lng, 'a', sizeof(lng) - 1);
	lng[sizeof(lng) - 1] = 0;
	memset(want, 'a', FOLD_WORD_MAX);
	want[FOLD_WORD_MAX] = 0;
	is_str(words(lng, 0), want, "a long word is cut at FOLD_WORD_MAX bytes");
	/* 63 'a' then 'Ж' (2 bytes): the Ж does not fit and is left out whole. */
	memset(lng, 'a', 63);
	memcpy(lng + 63, "Ж b", 5);
	w = words(lng, 0);
	ok(strlen(w) == 63 + 2 && w[63] == '|' && w[64] == 'b', "a cut never splits a character");
	memset(lng, 'a', 63);
	memcpy(lng + 63, "é", 3);
	is_int((long long)strlen(words(lng, 0)), 64, "a folded é still fits as 'e'");
}

int
main(void)
{
	test_rule1_ascii_lowercase();
	test_rule2_diacritics_and_ligatures();
	test_rule3_apostrophes_and_dashes();
	test_rule4_words();
	test_rule5_length();
	return done_testing();
}
