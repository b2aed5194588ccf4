/* The pure parts of the Mollie protocol: see mollie_proto.h. */
#include "mollie_proto.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

int
mollie_amount_str(long long cents, char *out, size_t size)
{
	int n;

	if (cents < 0 || !out || size == 0)
		return -1;
	/* Integer division, never a double: 0.29 € is "0.29", not "0.28". */
	n = snprintf(out, size, "%lld.%02lld", cents / 100, cents % 100);
	return n > 0 && (size_t)n < size ? 0 : -1;
}

int
mollie_amount_parse(const char *s, long long *cents)
{
	long long units = 0, c;
	const char *p = s;

	if (!s || !cents || *p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (units > (LLONG_MAX / 100 - (*p - '0')) / 10)
			return -1;   /* the cents would overflow */
		units = units * 10 + (*p - '0');
	}
	if (p[0] != '.' || p[1] < '0' || p[1] > '9' || p[2] < '0' || p[2] > '9' || p[3] != '\0')
		return -1;
	c = (p[1] - '0') * 10 + (p[2] - '0');
	if (units > (LLONG_MAX - c) / 100)
		return -1;
	*cents = units * 100 + c;
	return 0;
}

enum cpt_payment_outcome
mollie_status_outcome(const char *status)
{
	static const struct {
		const char *status;
		enum cpt_payment_outcome outcome;
	} map[] = {
		{ "paid", CPT_PAYMENT_PAID },
		/* authorized: a card or pay-later payment not captured yet, no money */
		{ "open", CPT_PAYMENT_PENDING }, { "pending", CPT_PAYMENT_PENDING },
		{ "authorized", CPT_PAYMENT_PENDING },
		{ "canceled", CPT_PAYMENT_FAILED }, { "expired", CPT_PAYMENT_FAILED },
		{ "failed", CPT_PAYMENT_FAILED },
	};
	size_t i;

	for (i = 0; status && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(status, map[i].status) == 0)
			return map[i].outcome;
	return (enum cpt_payment_outcome)0;
}

static bool
alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool
mollie_payment_id_valid(const char *id)
{
	size_t n;

	if (!id || strncmp(id, "tr_", 3) != 0)
		return false;
	for (n = 3; id[n]; n++)
		if (!alnum(id[n]) || n >= MOLLIE_ID_MAX)
			return false;
	return n > 3;
}

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

bool
mollie_form_id(const char *body, size_t len, char *out, size_t size)
{
	size_t i = 0, n = 0;

	if (!body || !out || size < MOLLIE_ID_MAX + 1)
		return false;
	while (i < len) {
		size_t end = i;

		while (end < len && body[end] != '&')
			end++;
		if (end - i > 3 && memcmp(body + i, "id=", 3) == 0) {
			for (i += 3; i < end; i++) {
				int hi, lo;
				char c = body[i];

				if (c == '%' && i + 2 < end && (hi = hex_digit(body[i + 1])) >= 0 &&
				    (lo = hex_digit(body[i + 2])) >= 0) {
					c = (char)(hi * 16 + lo);
					i += 2;
				} else if (c == '%') {
					return false;
				}
				if (n >= MOLLIE_ID_MAX)
					return false;
				out[n++] = c;
			}
			out[n] = '\0';
			return mollie_payment_id_valid(out);
		}
		i = end + 1;
	}
	return false;
}
