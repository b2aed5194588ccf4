#include "stripe_sig.h"

#include <string.h>

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 64 hex digits into 32 bytes; 0 when it is not that. */
static int
hex32(const char *s, size_t n, unsigned char out[32])
{
	size_t i;

	if (n != 64)
		return 0;
	for (i = 0; i < 32; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return 0;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 1;
}

/* A decimal time: 1 to 12 digits (until the year 33658), no sign. */
static int
decimal_time(const char *s, size_t n, int64_t *t)
{
	size_t i;

	if (n == 0 || n > 12)
		return 0;
	*t = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*t = *t * 10 + (s[i] - '0');
	}
	return 1;
}

static int
blank(char c)
{
	return c == ' ' || c == '\t';
}

int
stripe_sig_parse(const char *header, size_t len, struct stripe_sig *out)
{
	const char *p = header, *end = header + len;
	int have_t = 0;

	memset(out, 0, sizeof(*out));
	if (!header || len == 0 || len > STRIPE_SIG_HEADER_MAX)
		return len == 0 || !header ? STRIPE_SIG_NO_TIMESTAMP : STRIPE_SIG_MALFORMED;
	while (p < end) {
		const char *e = memchr(p, ',', (size_t)(end - p)), *eq, *k, *v, *ve;

		if (!e)
			e = end;
		k = p;
		ve = e;
		while (k < ve && blank(*k))
			k++;
		while (ve > k && blank(ve[-1]))
			ve--;
		p = e + (e < end);
		if (k == ve)
			continue;   /* an empty element: nothing said */
		eq = memchr(k, '=', (size_t)(ve - k));
		if (!eq)
			return STRIPE_SIG_MALFORMED;
		v = eq + 1;
		if (eq - k == 1 && *k == 't') {
			if (have_t)
				return STRIPE_SIG_MALFORMED;
			if (!decimal_time(v, (size_t)(ve - v), &out->t))
				return STRIPE_SIG_NO_TIMESTAMP;
			have_t = 1;
		} else if (eq - k == 2 && k[0] == 'v' && k[1] == '1') {
			/* One that is not 64 hex digits could match nothing: skipped. */
			if (out->nv1 < STRIPE_SIG_MAX_V1 && hex32(v, (size_t)(ve - v), out->v1[out->nv1]))
				out->nv1++;
		}
		/* Any other scheme is ignored, as Stripe says. */
	}
	if (!have_t)
		return STRIPE_SIG_NO_TIMESTAMP;
	return out->nv1 ? STRIPE_SIG_OK : STRIPE_SIG_NO_SIGNATURE;
}

size_t
stripe_sig_prefix(int64_t t, char out[24])
{
	char digits[21];
	size_t n = 0, i;
	uint64_t u = t < 0 ? 0 : (uint64_t)t;

	do {
		digits[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u && n < sizeof(digits));
	for (i = 0; i < n; i++)
		out[i] = digits[n - 1 - i];
	out[n++] = '.';
	out[n] = '\0';
	return n;
}

int
stripe_sig_check(const struct stripe_sig *s, const unsigned char expected[32], int64_t now,
    int64_t tolerance)
{
	unsigned found = 0;
	size_t i, j;

	for (i = 0; i < s->nv1 && i < STRIPE_SIG_MAX_V1; i++) {
		unsigned char d = 0;

		for (j = 0; j < 32; j++)   /* every byte, whatever the first differing one */
			d |= (unsigned char)(s->v1[i][j] ^ expected[j]);
		found |= (unsigned)(d == 0);
	}
	if (!found)
		return STRIPE_SIG_MISMATCH;
	if (s->t < now - tolerance || s->t > now + tolerance)
		return STRIPE_SIG_STALE;
	return STRIPE_SIG_OK;
}

const char *
stripe_sig_why(int rc)
{
	switch (rc) {
	case STRIPE_SIG_OK: return "genuine";
	case STRIPE_SIG_MALFORMED: return "malformed Stripe-Signature header";
	case STRIPE_SIG_NO_TIMESTAMP: return "no timestamp in the Stripe-Signature header";
	case STRIPE_SIG_NO_SIGNATURE: return "no v1 signature in the Stripe-Signature header";
	case STRIPE_SIG_MISMATCH: return "no v1 signature matches";
	case STRIPE_SIG_STALE: return "timestamp outside the tolerance";
	}
	return "refused";
}
