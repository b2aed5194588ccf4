#include "util/utf8.h"

#include <string.h>

#include "util/buf.h"

size_t
utf8_char_len(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n, i;
	unsigned lo = 0x80, hi = 0xbf;   /* allowed range of the second byte */

	if (len == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] < 0xc2)                 /* continuation byte, or overlong C0/C1 */
		return 0;
	if (s[0] < 0xe0) {
		n = 2;
	} else if (s[0] < 0xf0) {
		n = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;           /* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;           /* surrogates U+D800–DFFF */
	} else if (s[0] < 0xf5) {
		n = 4;
		if (s[0] == 0xf0)
			lo = 0x90;           /* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;           /* above U+10FFFF */
	} else {
		return 0;
	}
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

bool
utf8_valid(const char *s, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		n = utf8_char_len(s + i, len - i);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

size_t
utf8_cut(const char *s, size_t maxbytes)
{
	size_t i = 0, n;

	while (s[i]) {
		n = utf8_char_len(s + i, strnlen(s + i, 4));
		if (n == 0)
			n = 1;
		if (n > maxbytes - i)
			break;
		i += n;
	}
	return i;
}

void
utf8_copy(char *dst, size_t size, const char *src)
{
	size_t n;

	src = src ? src : "";
	n = utf8_cut(src, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void
utf8_append_clean(struct buf *b, const char *s, size_t len)
{
	size_t i = 0, start = 0, n;

	while (i < len) {
		n = utf8_char_len(s + i, len - i);
		if (n) {
			i += n;
			continue;
		}
		buf_append(b, s + start, i - start);
		buf_puts(b, "\xef\xbf\xbd");
		start = ++i;
	}
	buf_append(b, s + start, len - start);
}

size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;   /* continuation bytes are not characters */
	return n;
}
