/*
 * tap.h: a tiny Test Anything Protocol helper for unit tests.
 *
 *     plan(3);                         // optional: or done_testing() prints it
 *     ok(x > 0, "x is positive");
 *     is_int(n, 8, "default threads");
 *     is_str(s, "EUR", "currency");     // NULL-safe
 *     like(msg, "unknown key", "message says why");   // substring, NULL-safe
 *     return done_testing();           // exit status: 0 when all passed
 *
 * Output goes to stdout; failures add "#"-prefixed diagnostics. Header-only,
 * one test program per source file.
 */
#ifndef CPT_TAP_H
#define CPT_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_run, tap_failed, tap_planned = -1;

static inline void
plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
}

static inline void
diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints the message with "# " before each of its lines. */
static inline void
diag(const char *fmt, ...)
{
	va_list ap;
	char *msg, *line, *nl;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(msg = malloc((size_t)n + 1)))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	for (line = msg; line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		printf("# %.*s\n", nl ? (int)(nl - line) : (int)strlen(line), line);
	}
	free(msg);
}

static inline bool
tap_vok(bool pass, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static inline bool
tap_vok(bool pass, const char *fmt, va_list ap)
{
	tap_run++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_run);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	return pass;
}

static inline bool
ok(bool pass, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One test: passes when `pass`; returns `pass`. */
static inline bool
ok(bool pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vok(pass, fmt, ap);
	va_end(ap);
	return pass;
}

static inline bool
is_int(long long got, long long want, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static inline bool
is_int(long long got, long long want, const char *fmt, ...)
{
	va_list ap;
	bool pass = got == want;

	va_start(ap, fmt);
	tap_vok(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		diag("     got: %lld\n  wanted: %lld", got, want);
	return pass;
}

static inline bool
is_str(const char *got, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Passes when both are NULL or both hold the same text. */
static inline bool
is_str(const char *got, const char *want, const char *fmt, ...)
{
	va_list ap;
	bool pass = (!got && !want) || (got && want && strcmp(got, want) == 0);

	va_start(ap, fmt);
	tap_vok(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		diag("     got: %s%s%s\n  wanted: %s%s%s", got ? "'" : "", got ? got : "NULL",
		    got ? "'" : "", want ? "'" : "", want ? want : "NULL", want ? "'" : "");
	return pass;
}

static inline bool
like(const char *got, const char *fragment, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Passes when `got` contains `fragment` (plain substring, not a regex). */
static inline bool
like(const char *got, const char *fragment, const char *fmt, ...)
{
	va_list ap;
	bool pass = got && strstr(got, fragment);

	va_start(ap, fmt);
	tap_vok(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		diag("     got: %s%s%s\n   lacks: '%s'", got ? "'" : "", got ? got : "NULL",
		    got ? "'" : "", fragment);
	return pass;
}

/* Prints the plan if none was given; returns the exit status for main(). */
static inline int
done_testing(void)
{
	if (tap_planned < 0)
		printf("1..%d\n", tap_run);
	else if (tap_planned != tap_run)
		diag("planned %d tests but ran %d", tap_planned, tap_run);
	if (tap_failed)
		diag("failed %d of %d tests", tap_failed, tap_run);
	return tap_failed || (tap_planned >= 0 && tap_planned != tap_run) ? 1 : 0;
}

#endif
