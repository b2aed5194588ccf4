/*
 * stripe_sig: the Stripe-Signature header of a webhook call, read and
 * checked as Stripe documents it ("Verify the events that Stripe sends to
 * your webhook endpoints", manual verification):
 *
 *   Stripe-Signature: t=1492774577,v1=5257a869…,v0=6ffbb59b…
 *
 *  1. The header is a list of elements separated by ','; each element is
 *     prefix=value. `t` is the Unix time the call was signed at; each `v1`
 *     is a signature (several while a secret is rolled); every other
 *     scheme (v0 …) is ignored.
 *  2. The signed payload is the text of t, a '.', then the request body
 *     as it came; the expected signature is HMAC-SHA256 of it with the
 *     endpoint's secret (whsec_…, used as it is written).
 *  3. The call is genuine when one v1 equals the expected signature,
 *     compared in constant time; then its t must be within the tolerance
 *     of now (300 s). We refuse a t as far in the future as in the past:
 *     a clock that far ahead is as wrong as a replay.
 *
 * Pure functions: no memory allocated, no clock read, no I/O (the unit
 * test and the fuzz target call them as they are).
 */
#ifndef CPT_STRIPE_SIG_H
#define CPT_STRIPE_SIG_H

#include <stddef.h>
#include <stdint.h>

#define STRIPE_SIG_TOLERANCE 300      /* seconds, as Stripe's libraries */
#define STRIPE_SIG_MAX_V1 8           /* signatures kept; more are ignored */
#define STRIPE_SIG_HEADER_MAX 4096    /* bytes of header read */

enum stripe_sig_rc {
	STRIPE_SIG_OK = 0,
	STRIPE_SIG_MALFORMED = 1,     /* too long, an element without '=', t twice */
	STRIPE_SIG_NO_TIMESTAMP = 2,  /* no t, or one that is not a decimal time */
	STRIPE_SIG_NO_SIGNATURE = 3,  /* no v1 of 64 hex digits */
	STRIPE_SIG_MISMATCH = 4,      /* no v1 is the expected signature */
	STRIPE_SIG_STALE = 5,         /* genuine, but t is outside the tolerance */
};

struct stripe_sig {
	int64_t t;                               /* seconds since the epoch */
	size_t nv1;
	unsigned char v1[STRIPE_SIG_MAX_V1][32]; /* the v1 signatures, decoded */
};

/* Reads `len` bytes of header into *out: STRIPE_SIG_OK or a refusal. */
int stripe_sig_parse(const char *header, size_t len, struct stripe_sig *out);

/* The signed payload's first part, "t." for `t`, into out (24 bytes are
 * enough); its length. */
size_t stripe_sig_prefix(int64_t t, char out[24]);

/* Whether `expected` (the HMAC of the signed payload) is one of s's v1,
 * in constant time for each, then whether s->t is within `tolerance`
 * seconds of `now`: STRIPE_SIG_OK, STRIPE_SIG_MISMATCH or STRIPE_SIG_STALE. */
int stripe_sig_check(const struct stripe_sig *s, const unsigned char expected[32], int64_t now,
    int64_t tolerance);

/* Why, in a few words, for the log. */
const char *stripe_sig_why(int rc);

#endif
