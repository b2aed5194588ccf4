#include "util/log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/utf8.h"

static enum log_level min_level = LOG_INFO;

void
log_set_level(enum log_level level)
{
	min_level = level;
}

static void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Characters that end or disguise a line in a terminal or a log viewer:
 * C0 and C1 controls, DEL, U+2028 and U+2029. */
static bool
breaks_line(const unsigned char *s, size_t n)
{
	if (n == 1)
		return s[0] < 0x20 || s[0] == 0x7f;
	if (n == 2)
		return s[0] == 0xc2 && s[1] < 0xa0;
	return n == 3 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9);
}

size_t
log_escape(char *out, size_t size, const char *msg)
{
	static const char hex[] = "0123456789abcdef";
	size_t len = strlen(msg), i = 0, o = 0, n, k;

	if (size == 0)
		return 0;
	while (i < len) {
		const unsigned char *s = (const unsigned char *)msg + i;
		char esc[16];
		size_t elen = 0;

		n = utf8_char_len(msg + i, len - i);
		if (n == 0 || breaks_line(s, n)) {
			if (n == 0)
				n = 1;
			for (k = 0; k < n; k++) {
				esc[elen++] = '\\';
				if (n == 1 && s[0] == '\n') {
					esc[elen++] = 'n';
				} else if (n == 1 && s[0] == '\r') {
					esc[elen++] = 'r';
				} else if (n == 1 && s[0] == '\t') {
					esc[elen++] = 't';
				} else {
					esc[elen++] = 'x';
					esc[elen++] = hex[s[k] >> 4];
					esc[elen++] = hex[s[k] & 15];
				}
			}
		} else if (s[0] == '\\') {
			esc[elen++] = '\\';
			esc[elen++] = '\\';
		} else {
			memcpy(esc, s, n);
			elen = n;
		}
		if (elen >= size - o)
			break;             /* what does not fit is left out whole */
		memcpy(out + o, esc, elen);
		o += elen;
		i += n;
	}
	out[o] = '\0';
	return o;
}

static void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	static const char *const names[] = { "debug", "info", "warn", "error" };
	/* An escaped byte takes at most 4: the line holds any message. */
	char msg[2048], line[4 * sizeof(msg) + 64], stamp[32];
	struct timespec ts;
	struct tm tm;
	int n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	n = snprintf(line, sizeof(line), "%s.%03ldZ comptoir %s: ", stamp,
	    ts.tv_nsec / 1000000, names[level]);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* Once, here, for every message: what a request sent (an e-mail, a
	 * path) cannot start a line of its own or break the text's encoding. */
	log_escape(line + n, sizeof(line) - (size_t)n, msg);
	/* One fputs per line: lines from threads do not interleave. */
	fprintf(stderr, "%s\n", line);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level < min_level)
		return;
	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_ERROR, fmt, ap);
	va_end(ap);
	exit(1);
}
