/*
 * fold: text as the search index and the search box both see it. One
 * function for both sides, so what is typed finds what was stored:
 * "Hélène DUPRÉ" and "helene dupre" fold alike.
 *
 * The rules:
 *   1. ASCII letters are lowercased; digits stay.
 *   2. Latin letters with diacritics lose them (é→e, ç→c, ł→l), ligatures
 *      and special letters are spelt out (œ→oe, æ→ae, ß→ss, þ→th, ĳ→ij);
 *      combining marks (text in decomposed form) are dropped.
 *   3. Typographic apostrophes (’ ‘ ʼ ′) are the ASCII ', dashes (‐ – —)
 *      the ASCII -.
 *   4. A word is a run of letters, digits and other non-ASCII characters
 *      (kept as they are: Greek, Cyrillic …), with single marks among
 *      - _ . @ + ' / inside it ("cv-350-mat", "helene.dupre@example.fr",
 *      "l'atelier"); every other character separates words, marks at a
 *      word's ends included.
 *   5. A word is at most FOLD_WORD_MAX bytes, cut at a character boundary.
 * Ill-formed UTF-8 separates words, like a space.
 */
#ifndef CPT_FOLD_H
#define CPT_FOLD_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

#define FOLD_WORD_MAX 64

/*
 * Called for each word: `whole` is false for a tail of a compound word,
 * given with FOLD_TAILS only: what follows each of its marks ("350-mat"
 * and "mat" of "cv-350-mat"; "dupre@example.fr", "example.fr" and "fr" of
 * "helene.dupre@example.fr"). An index holding words and tails finds by
 * prefix every part of a compound, and every run of its parts from one
 * mark on ("example.fr"), at one row per part. Returning non-zero stops
 * fold_words(), which returns that value.
 */
typedef int (*fold_word_fn)(void *ctx, const char *word, size_t len, bool whole);

enum { FOLD_TAILS = 1 };

/* Calls fn for each folded word of s[0..len), in order (a compound's
 * tails after it). 0 once every word is given. */
int fold_words(const char *s, size_t len, unsigned flags, fold_word_fn fn, void *ctx);

/* Appends the folded words of s[0..len) to out, separated by one space
 * (no tails): "Hélène  Dupré" gives "helene dupre". */
void fold_text(struct buf *out, const char *s, size_t len);

#endif
