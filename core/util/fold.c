#include "util/fold.h"

#include <string.h>

#include "util/buf.h"
#include "util/utf8.h"

enum cls { SEP, MARK, LETTER, IGNORE };

/*
 * U+00C0..U+017F as ASCII, one byte per code point; digits stand for the
 * letters spelt with two: 1 ae, 2 oe, 3 th, 4 ss, 5 ij; a space is a
 * separator (× ÷).
 */
static const char latin[] =
	/* U+00C0 */ "aaaaaa1ceeeeiiiidnooooo ouuuuy34"
	/* U+00E0 */ "aaaaaa1ceeeeiiiidnooooo ouuuuy3y"
	/* U+0100 */ "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii55jjkkk"
	/* U+0139 */ "llllllllllnnnnnnnnnoooooo22rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

static const char *const spelt[] = { "ae", "oe", "th", "ss", "ij" };

/* The marks that join a word's parts ("jean-luc", "a.dupre@x.fr"). A
 * switch, not strchr: it is asked for every character of every field. */
static bool
is_mark(char c)
{
	switch (c) {
	case '-': case '_': case '.': case '@': case '+': case '\'': case '/':
		return true;
	default:
		return false;
	}
}

/* The class of ASCII character ch; a letter or mark in one[0]. Inline:
 * fold_words asks it of every byte of every field the search shows. */
static inline enum cls
ascii_class(unsigned ch, char one[2])
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
		one[0] = (char)ch;
		return LETTER;
	}
	if (ch >= 'A' && ch <= 'Z') {
		one[0] = (char)(ch - 'A' + 'a');
		return LETTER;
	}
	if (is_mark((char)ch)) {
		one[0] = (char)ch;
		return MARK;
	}
	return SEP;
}

/* The class of code point cp; for a letter folded to ASCII, *out is set. */
static enum cls
classify(unsigned cp, const char **out, char one[2])
{
	*out = NULL;
	if (cp < 0x80) {
		enum cls c = ascii_class(cp, one);

		if (c != SEP)
			*out = one;
		return c;
	}
	if (cp < 0xC0)
		return SEP;                                  /* controls, no-break space, « » ° … */
	if (cp < 0x180) {
		char c = latin[cp - 0xC0];

		if (c == ' ')
			return SEP;
		if (c >= '1' && c <= '5') {
			*out = spelt[c - '1'];
			return LETTER;
		}
		one[0] = c;
		*out = one;
		return LETTER;
	}
	if (cp == 0x1E9E) {                                  /* ẞ */
		*out = "ss";
		return LETTER;
	}
	if (cp >= 0x300 && cp <= 0x36F)
		return IGNORE;                               /* combining marks */
	if (cp == 0x02BC || cp == 0x2018 || cp == 0x2019 || cp == 0x201B || cp == 0x2032) {
		*out = "'";
		return MARK;
	}
	if (cp >= 0x2010 && cp <= 0x2015) {
		*out = "-";
		return MARK;
	}
	if ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF)
		return IGNORE;                               /* zero-width characters */
	if ((cp >= 0x2000 && cp <= 0x206F) || cp == 0x3000 || cp == 0xFFFD)
		return SEP;                                  /* spaces, quotes, bullets, … */
	return LETTER;                                       /* another script: as it is */
}

static unsigned
decode(const unsigned char *s, size_t n)
{
	switch (n) {
	case 1: return s[0];
	case 2: return (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	case 3: return (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	default: return (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3F) << 12 |
	    (unsigned)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
	}
}

/* The word, then (with FOLD_TAILS) what follows each of its marks. */
static int
emit(const char *w, size_t len, unsigned flags, fold_word_fn fn, void *ctx)
{
	size_t i;
	int rc;

	if (len == 0)
		return 0;
	if ((rc = fn(ctx, w, len, true)) != 0)
		return rc;
	if (!(flags & FOLD_TAILS))
		return 0;
	for (i = 0; i + 1 < len; i++)
		if (is_mark(w[i]) && (rc = fn(ctx, w + i + 1, len - i - 1, false)) != 0)
			return rc;
	return 0;
}

int
fold_words(const char *s, size_t len, unsigned flags, fold_word_fn fn, void *ctx)
{
	char w[FOLD_WORD_MAX], one[2] = { 0, 0 }, mark = 0;
	size_t at = 0, wl = 0;
	bool full = false;
	int rc;

	while (at < len) {
		unsigned char ch = (unsigned char)s[at];
		const char *out = one;
		enum cls c;
		size_t n = 1, ol;

		/* ASCII, most of every field, without decoding. */
		if (ch < 0x80) {
			c = ascii_class(ch, one);
		} else if ((n = utf8_char_len(s + at, len - at)) == 0) {
			c = SEP;
			n = 1;
			out = NULL;
		} else {
			c = classify(decode((const unsigned char *)s + at, n), &out, one);
		}
		at += n;
		if (c == IGNORE)
			continue;
		if (c == SEP || (c == MARK && (mark || wl == 0))) {
			/* A word ends; marks at its end are dropped. */
			if ((rc = emit(w, wl, flags, fn, ctx)) != 0)
				return rc;
			wl = 0;
			mark = 0;
			full = false;
			continue;
		}
		if (c == MARK) {
			mark = out[0];
			continue;
		}
		/* A letter: its raw bytes when it has no ASCII form. */
		if (!out) {
			out = s + at - n;
			ol = n;
		} else {
			ol = out == one ? 1 : strlen(out);
		}
		if (full || wl + (mark != 0) + ol > sizeof(w)) {
			full = true;
			mark = 0;
			continue;
		}
		if (mark)
			w[wl++] = mark;
		mark = 0;
		if (ol == 1)
			w[wl++] = out[0];
		else
			for (; ol; ol--)
				w[wl++] = *out++;
	}
	return emit(w, wl, flags, fn, ctx);
}

struct spaced {
	struct buf *out;
	bool first;
};

static int
append_word(void *ctx, const char *word, size_t len, bool whole)
{
	struct spaced *sp = ctx;

	(void)whole;
	if (!sp->first)
		buf_putc(sp->out, ' ');
	sp->first = false;
	buf_append(sp->out, word, len);
	return 0;
}

void
fold_text(struct buf *out, const char *s, size_t len)
{
	struct spaced sp = { out, true };

	(void)fold_words(s, len, 0, append_word, &sp);
}
