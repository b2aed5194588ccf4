/*
 * address_check: what an address and a telephone number should look like
 * in the countries the shops ship to most (D11): FR, BE, LU, CH, DE, NL,
 * ES, IT. Pure functions: no database, no I/O; the order page, the edit
 * form and the phone order call them.
 *
 * Two kinds of finding:
 * - refused: a required field is empty, or the country is not a code; the
 *   address cannot be saved so;
 * - warning: a postcode or a telephone number that does not have the
 *   country's shape; saved as typed, shown on the order page before
 *   shipping so that someone looks at it.
 *
 * Messages are msgids (English); _() gives them in the reader's language
 * (po/fr.po holds the French).
 *
 * Telephone numbers are read in national form ("06 12 34 56 78" in France)
 * or international ("+33 6 12 34 56 78", "0033 6…", "+33 (0)6…") and
 * written in E.164 ("+33612345678"), the form stored.
 */
#ifndef CPT_ADDRESS_CHECK_H
#define CPT_ADDRESS_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "orders/order.h"

#define ADDR_PHONE_MAX 16          /* "+" and 15 digits, as the phone columns */
#define ADDR_POSTCODE_MAX 16       /* bytes, as order_addresses.postcode */
#define ADDR_FINDINGS_MAX 24

enum addr_issue {
	ADDR_MISSING = 1,          /* refused: a required field is empty */
	ADDR_COUNTRY_INVALID,      /* refused: not a two-letter code */
	ADDR_POSTCODE_FORMAT,      /* warning: not the country's shape */
	ADDR_POSTCODE_CORSICA,     /* warning: 2A…/2B… typed; Corsica's postcodes are 20… */
	ADDR_POSTCODE_PROVINCE,    /* warning: ES, the first two digits are no province (01–52) */
	ADDR_PHONE_FORMAT,         /* warning: not a number of the country, nor +… */
	/* Refusals of the fields' text, found by the edit form (order_edit). */
	ADDR_TOO_LONG,             /* longer than its column */
	ADDR_BAD_TEXT,             /* not UTF-8, or control characters */
	ADDR_EMAIL_INVALID,        /* not an e-mail address */
	ADDR_PHONE_UNSTORABLE,     /* unreadable and not storable as typed (ASCII, 16 bytes) */
};

struct addr_finding {
	const char *part;          /* whose field: "billing", "shipping", "customer" (the caller's string) */
	const char *field;         /* "name", "line1", "postcode", "city", "country", "phone" */
	enum addr_issue issue;
	bool refused;
	const char *msgid;         /* English; translate with _() */
};

struct addr_report {
	struct addr_finding f[ADDR_FINDINGS_MAX];
	size_t n;
	bool refused;              /* at least one finding refuses */
};

/* 0 when `postcode` has the shape of `country`'s (or the country's shape is
 * not known), else the ADDR_POSTCODE_* issue. */
int postcode_check(const char *country, const char *postcode);

/* Writes `in` trimmed into out (size bytes), as the country writes it:
 * upper case, and NL as "1234 AB". Longer than out: cut (the caller's
 * length check refuses it). */
void postcode_normalise(const char *country, const char *in, char *out, size_t size);

/* The msgid saying what a postcode of `country` looks like, NULL when its
 * shape is not known. */
const char *postcode_rule(const char *country);

/*
 * Reads telephone number `in`, in the national form of `country` (may be
 * NULL or unknown: then only +… and 00… are read) or international, into
 * E.164 in out. 0 (an empty `in` gives ""), or ADDR_PHONE_FORMAT with out
 * "" when it is not the shape of such a number.
 */
int phone_normalise(const char *country, const char *in, char out[ADDR_PHONE_MAX + 1]);

/* Adds to rep the findings of address `ad` (its fields trimmed already),
 * each with `part` ("billing", "shipping"; kept as given). */
void address_check(const struct order_address *ad, const char *part, struct addr_report *rep);

/* Adds a finding (dropped past ADDR_FINDINGS_MAX, the refusal kept). */
void addr_report_add(struct addr_report *rep, const char *part, const char *field, enum addr_issue issue,
    const char *msgid);

#endif
