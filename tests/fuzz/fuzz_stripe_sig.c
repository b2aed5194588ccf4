/*
 * stripe_sig_parse (plugins/payments/stripe_sig.c) on any header: it
 * never reads past the length it is given, and what it accepts holds
 * what it promises: a decimal t, 1 to STRIPE_SIG_MAX_V1 signatures, each
 * of which the check accepts at time t and no other MAC does (unless it
 * is one of the others). The signed payload's prefix is t's decimal text.
 */
#include "fuzz.h"

#include "stripe_sig.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stripe_sig s;
	unsigned char mac[32];
	char prefix[24], want[24];
	size_t i, j;
	int rc;

	/* The header as it came, not NUL-terminated: only `size` bytes are read. */
	rc = stripe_sig_parse((const char *)data, size, &s);
	fuzz_assert(rc >= STRIPE_SIG_OK && rc <= STRIPE_SIG_NO_SIGNATURE, "a parse answer");
	if (rc != STRIPE_SIG_OK)
		return 0;
	fuzz_assert(size <= STRIPE_SIG_HEADER_MAX, "a header past the limit was accepted");
	fuzz_assert(s.nv1 >= 1 && s.nv1 <= STRIPE_SIG_MAX_V1, "between one and the most signatures");
	fuzz_assert(s.t >= 0 && s.t <= 999999999999LL, "t of at most 12 digits");
	snprintf(want, sizeof(want), "%lld.", (long long)s.t);
	fuzz_assert(stripe_sig_prefix(s.t, prefix) == strlen(want) && strcmp(prefix, want) == 0,
	    "the prefix is t's decimal text and a dot");
	for (i = 0; i < s.nv1; i++) {
		fuzz_assert(stripe_sig_check(&s, s.v1[i], s.t, STRIPE_SIG_TOLERANCE) == STRIPE_SIG_OK,
		    "each signature read is accepted at its time");
		fuzz_assert(stripe_sig_check(&s, s.v1[i], s.t + STRIPE_SIG_TOLERANCE + 1, STRIPE_SIG_TOLERANCE) ==
		    STRIPE_SIG_STALE, "and stale past the tolerance");
	}
	memcpy(mac, s.v1[0], 32);
	mac[31] ^= 1;
	for (j = 0; j < s.nv1; j++)
		if (memcmp(s.v1[j], mac, 32) == 0)
			return 0;
	fuzz_assert(stripe_sig_check(&s, mac, s.t, STRIPE_SIG_TOLERANCE) == STRIPE_SIG_MISMATCH,
	    "a MAC that is none of them is refused");
	return 0;
}
