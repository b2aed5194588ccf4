/*
 * The Stripe-Signature header (plugins/payments/stripe_sig.c) against
 * Stripe's documentation: its example header, a genuine signature (the
 * HMAC below was computed apart, with Python's hmac, for the secret
 * whsec_test_secret and the payload "1492774577." + BODY), several v1
 * (a secret being rolled), and what must be refused: no t, garbage, a
 * stale or future timestamp, a signature of another secret.
 */
#include "tap.h"

#include <stdint.h>

#include "stripe_sig.h"

#define T 1492774577
/* hex HMAC-SHA256("whsec_test_secret", "1492774577." + BODY) */
#define GOOD "88a022085c6bdb887b02cb26ff76dd681234d9675c0f22844059f55552a8883a"
/* the same with the secret whsec_other */
#define OTHER "f7fbfe028f788b928bb3ff2f751a2cfc93fe4ae1dce7f57ef97c1af9f54964f6"

static unsigned char good[32];

static void
unhex(const char *s, unsigned char out[32])
{
	size_t i;

	for (i = 0; i < 32; i++) {
		unsigned v;

		sscanf(s + 2 * i, "%2x", &v);
		out[i] = (unsigned char)v;
	}
}

static int
parse(const char *h, struct stripe_sig *s)
{
	return stripe_sig_parse(h, strlen(h), s);
}

/* Parses then checks `h` at time `now`. */
static int
verify(const char *h, int64_t now)
{
	struct stripe_sig s;
	int rc = parse(h, &s);

	return rc != STRIPE_SIG_OK ? rc : stripe_sig_check(&s, good, now, STRIPE_SIG_TOLERANCE);
}

int
main(void)
{
	struct stripe_sig s;
	unsigned char want[32];
	char prefix[24], big[STRIPE_SIG_HEADER_MAX + 64];
	size_t i;

	unhex(GOOD, good);

	/* Stripe's documented example: t, one v1, a v0 to ignore. */
	is_int(parse("t=1492774577,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd,"
	    "v0=6ffbb59b2300aadb56ac7d3a59dc9f4d1f7e01a1bde9bf4bfbb9b8d6e1fc4f38", &s), STRIPE_SIG_OK,
	    "the documentation's example header reads");
	ok(s.t == T && s.nv1 == 1, "its t, and one v1 (the v0 ignored)");
	unhex("5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd", want);
	ok(memcmp(s.v1[0], want, 32) == 0, "its v1, decoded");

	is_int(stripe_sig_prefix(T, prefix), 11, "the signed payload starts with t and a dot");
	is_str(prefix, "1492774577.", "the signed payload's prefix");

	is_int(verify("t=1492774577,v1=" GOOD, T + 10), STRIPE_SIG_OK, "a genuine signature, 10 s old");
	is_int(verify("t=1492774577,v1=" OTHER, T + 10), STRIPE_SIG_MISMATCH, "another secret's signature");
	is_int(verify("t=1492774577,v1=" GOOD, T + 300), STRIPE_SIG_OK, "300 s old: still within the tolerance");
	is_int(verify("t=1492774577,v1=" GOOD, T + 301), STRIPE_SIG_STALE, "301 s old: stale");
	is_int(verify("t=1492774577,v1=" GOOD, T - 301), STRIPE_SIG_STALE, "301 s in the future: refused");
	is_int(verify("t=1492774577,v1=" GOOD, T - 300), STRIPE_SIG_OK, "300 s in the future: the tolerance");
	is_int(verify("t=1492774578,v1=" GOOD, T + 10), STRIPE_SIG_OK,
	    "the check compares the MAC it is given (the caller signs t's own text)");

	/* Several v1: any one of them may be the genuine one. */
	is_int(verify("t=1492774577,v1=" OTHER ",v1=" GOOD, T), STRIPE_SIG_OK, "two v1, the good one second");
	is_int(verify("t=1492774577,v1=" GOOD ",v1=" OTHER, T), STRIPE_SIG_OK, "two v1, the good one first");
	is_int(verify("t=1492774577,v1=" OTHER ",v1=" OTHER, T), STRIPE_SIG_MISMATCH, "two v1, neither good");
	is_int(verify("v1=" OTHER ",v0=" GOOD ",t=1492774577", T), STRIPE_SIG_MISMATCH,
	    "the good signature under v0 does not count");
	is_int(verify("t=1492774577, v1=" GOOD, T), STRIPE_SIG_OK, "blanks around an element");
	is_int(verify("t=1492774577,v1=" GOOD ",v2=abc,x=", T), STRIPE_SIG_OK, "unknown schemes are ignored");
	is_int(verify("t=1492774577,v1=" GOOD "00", T), STRIPE_SIG_NO_SIGNATURE, "a v1 too long matches nothing");
	is_int(verify("t=1492774577,v1=" OTHER ",v1=zz", T), STRIPE_SIG_MISMATCH,
	    "a v1 that is not hex is skipped, the others checked");

	/* Missing parts. */
	is_int(parse("v1=" GOOD, &s), STRIPE_SIG_NO_TIMESTAMP, "no t");
	is_int(parse("t=,v1=" GOOD, &s), STRIPE_SIG_NO_TIMESTAMP, "an empty t");
	is_int(parse("t=-5,v1=" GOOD, &s), STRIPE_SIG_NO_TIMESTAMP, "a negative t");
	is_int(parse("t=14927745770000,v1=" GOOD, &s), STRIPE_SIG_NO_TIMESTAMP, "a t of 14 digits");
	is_int(parse("t=1492774577", &s), STRIPE_SIG_NO_SIGNATURE, "no v1");
	is_int(parse("t=1492774577,v0=" GOOD, &s), STRIPE_SIG_NO_SIGNATURE, "only a v0");
	is_int(parse("", &s), STRIPE_SIG_NO_TIMESTAMP, "an empty header");

	/* Garbage. */
	is_int(parse("garbage", &s), STRIPE_SIG_MALFORMED, "a word");
	is_int(parse("t=1492774577,v1", &s), STRIPE_SIG_MALFORMED, "an element without '='");
	is_int(parse("t=1,t=1492774577,v1=" GOOD, &s), STRIPE_SIG_MALFORMED, "t twice");
	is_int(parse(",,, ,", &s), STRIPE_SIG_NO_TIMESTAMP, "only commas");
	is_int(parse("t=1492774577\0,v1=" GOOD, &s), STRIPE_SIG_NO_SIGNATURE, "read up to its length only");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "t=1492774577,v1=" GOOD ",x=", 16 + 64 + 3);
	is_int(parse(big, &s), STRIPE_SIG_MALFORMED, "a header past 4 KiB");

	/* More v1 than kept: the first ones count. */
	{
		static const char one[] = ",v1=" OTHER;
		char many[2048] = "t=1492774577";
		size_t n = strlen(many);

		for (i = 0; i < STRIPE_SIG_MAX_V1 + 2; i++, n += sizeof(one) - 1)
			memcpy(many + n, one, sizeof(one));
		is_int(parse(many, &s), STRIPE_SIG_OK, "ten v1 read");
		ok(s.nv1 == STRIPE_SIG_MAX_V1, "eight kept");
	}
	return done_testing();
}
