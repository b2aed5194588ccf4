/*
 * utf8: well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), and cutting text without splitting a character.
 *
 * Every place that shortens text to a byte budget goes through utf8_cut():
 * a page, a JSON document or a log line never ends in half a character.
 */
#ifndef CPT_UTF8_H
#define CPT_UTF8_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/* Bytes of the well-formed character at `s` (1 to 4), within `len` bytes;
 * 0 when the bytes there are not one (or len is 0). */
size_t utf8_char_len(const char *s, size_t len);

/* True when the `len` bytes at `s` are well-formed UTF-8. */
bool utf8_valid(const char *s, size_t len);

/* The length to cut the NUL-terminated `s` at so that it holds at most
 * `maxbytes` bytes and no character is split: strlen(s) when it fits.
 * Ill-formed bytes count as one-byte units (they are not made well-formed,
 * only never created). */
size_t utf8_cut(const char *s, size_t maxbytes);

/* Characters (not bytes) in the NUL-terminated well-formed `s`. */
size_t utf8_chars(const char *s);

/* Copies `src` (NULL as "") into `dst` of `size` bytes (size >= 1), cut by
 * utf8_cut() to fit with its NUL. */
void utf8_copy(char *dst, size_t size, const char *src);

/* Appends the `len` bytes at `s`, each ill-formed byte replaced by U+FFFD:
 * the result is always well-formed. */
void utf8_append_clean(struct buf *b, const char *s, size_t len);

#endif
