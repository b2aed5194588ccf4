#include "orders/address_check.h"

#include <ctype.h>
#include <string.h>

#include "util/i18n.h"

static bool
is(const char *country, const char *cc)
{
	return country && strcmp(country, cc) == 0;
}

static bool
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* The number the first two characters of s make, -1 when not digits. */
static int
two_digits(const char *s)
{
	return isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) ? (s[0] - '0') * 10 + (s[1] - '0') : -1;
}

int
postcode_check(const char *country, const char *pc)
{
	size_t n = pc ? strlen(pc) : 0;

	if (!pc)
		return ADDR_POSTCODE_FORMAT;
	if (is(country, "FR")) {
		/* Corsica is 2A/2B as a département, but its postcodes are 20000–20999. */
		if (n == 5 && pc[0] == '2' && (pc[1] == 'A' || pc[1] == 'B' || pc[1] == 'a' || pc[1] == 'b'))
			return ADDR_POSTCODE_CORSICA;
		/* 01–95 mainland and Corsica, 97 overseas, 98 Monaco and the Pacific. */
		return n == 5 && all_digits(pc, 5) && two_digits(pc) >= 1 && two_digits(pc) != 96 &&
		    two_digits(pc) != 99 ? 0 : ADDR_POSTCODE_FORMAT;
	}
	if (is(country, "BE") || is(country, "CH"))
		return n == 4 && all_digits(pc, 4) && pc[0] != '0' ? 0 : ADDR_POSTCODE_FORMAT;
	if (is(country, "LU")) {
		if (n == 6 && (pc[0] == 'L' || pc[0] == 'l') && pc[1] == '-')
			pc += 2, n -= 2;
		return n == 4 && all_digits(pc, 4) && pc[0] != '0' ? 0 : ADDR_POSTCODE_FORMAT;
	}
	if (is(country, "DE"))
		return n == 5 && all_digits(pc, 5) && two_digits(pc) >= 1 ? 0 : ADDR_POSTCODE_FORMAT;
	if (is(country, "NL"))
		return (n == 7 && all_digits(pc, 4) && pc[0] != '0' && pc[4] == ' ' && isupper((unsigned char)pc[5]) &&
		    isupper((unsigned char)pc[6])) ? 0 : ADDR_POSTCODE_FORMAT;
	if (is(country, "ES")) {
		if (n != 5 || !all_digits(pc, 5))
			return ADDR_POSTCODE_FORMAT;
		return two_digits(pc) >= 1 && two_digits(pc) <= 52 ? 0 : ADDR_POSTCODE_PROVINCE;
	}
	if (is(country, "IT"))
		return n == 5 && all_digits(pc, 5) ? 0 : ADDR_POSTCODE_FORMAT;
	return 0;
}

const char *
postcode_rule(const char *country)
{
	if (is(country, "FR")) return N_("A French postcode is 5 digits.");
	if (is(country, "BE")) return N_("A Belgian postcode is 4 digits.");
	if (is(country, "LU")) return N_("A Luxembourg postcode is 4 digits (L- in front is allowed).");
	if (is(country, "CH")) return N_("A Swiss postcode is 4 digits.");
	if (is(country, "DE")) return N_("A German postcode is 5 digits.");
	if (is(country, "NL")) return N_("A Dutch postcode is 4 digits and 2 letters, such as 1234 AB.");
	if (is(country, "ES")) return N_("A Spanish postcode is 5 digits.");
	if (is(country, "IT")) return N_("An Italian postcode is 5 digits.");
	return NULL;
}

void
postcode_normalise(const char *country, const char *in, char *out, size_t size)
{
	const char *s = in ? in : "", *e;
	size_t n = 0;

	if (size == 0)
		return;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	/* NL: "1234ab", "1234 ab" → "1234 AB". */
	if (is(country, "NL") && e - s == 6 && all_digits(s, 4) && isalpha((unsigned char)s[4]) &&
	    isalpha((unsigned char)s[5]) && size > 7) {
		memcpy(out, s, 4);
		out[4] = ' ';
		out[5] = (char)toupper((unsigned char)s[4]);
		out[6] = (char)toupper((unsigned char)s[5]);
		out[7] = 0;
		return;
	}
	for (; s < e && n + 1 < size; s++)
		out[n++] = (char)((unsigned char)*s < 0x80 ? toupper((unsigned char)*s) : *s);
	out[n] = 0;
}

/* ---- telephone numbers --------------------------------------------------- */

/*
 * Per country: its calling code; whether the national form starts with a
 * trunk 0 that E.164 drops (Italy keeps its 0); and the national
 * significant number's length and first digits.
 */
static const struct dial {
	const char *country, *cc;
	bool trunk0;
	unsigned min, max;         /* digits of the national significant number */
	const char *first;         /* the digits it may start with */
} dials[] = {
	{ "FR", "33", true, 9, 9, "123456789" },
	{ "BE", "32", true, 8, 9, "123456789" },
	{ "LU", "352", false, 4, 11, "123456789" },
	{ "CH", "41", true, 9, 9, "123456789" },
	{ "DE", "49", true, 6, 13, "123456789" },
	{ "NL", "31", true, 9, 9, "123456789" },
	{ "ES", "34", false, 9, 9, "6789" },
	{ "IT", "39", false, 6, 11, "03" },
};
#define NDIALS (sizeof(dials) / sizeof(dials[0]))

static const struct dial *
dial_of_country(const char *country)
{
	size_t i;

	for (i = 0; country && i < NDIALS; i++)
		if (strcmp(dials[i].country, country) == 0)
			return &dials[i];
	return NULL;
}

static const struct dial *
dial_of_number(const char *digits)
{
	size_t i;

	for (i = 0; i < NDIALS; i++)
		if (strncmp(digits, dials[i].cc, strlen(dials[i].cc)) == 0)
			return &dials[i];
	return NULL;
}

static bool
nsn_valid(const struct dial *d, const char *nsn)
{
	size_t n = strlen(nsn);

	if (n < d->min || n > d->max || !strchr(d->first, nsn[0]))
		return false;
	/* BE: 9 digits are mobiles, 04… */
	return !(strcmp(d->cc, "32") == 0 && n == 9 && nsn[0] != '4');
}

static int
e164(const char *cc, const char *nsn, char out[ADDR_PHONE_MAX + 1])
{
	size_t c = strlen(cc), n = strlen(nsn);

	if (1 + c + n > ADDR_PHONE_MAX)
		return ADDR_PHONE_FORMAT;
	out[0] = '+';
	memcpy(out + 1, cc, c);
	memcpy(out + 1 + c, nsn, n + 1);
	return 0;
}

int
phone_normalise(const char *country, const char *in, char out[ADDR_PHONE_MAX + 1])
{
	char digits[32];
	const struct dial *d;
	const char *s = in ? in : "", *nsn;
	bool intl = false;
	size_t n = 0;

	out[0] = 0;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return 0;
	if (*s == '+') {
		intl = true;
		s++;
	}
	/* Spaces, dots, dashes, slashes and brackets are how people group
	 * digits; "(0)" after the calling code is the trunk 0, not dialled. */
	for (; *s; s++) {
		if (*s == '(' && s[1] == '0' && s[2] == ')' && (intl || n >= 2)) {
			s += 2;
			continue;
		}
		if (*s == ' ' || *s == '.' || *s == '-' || *s == '/' || *s == '(' || *s == ')' || *s == '\t')
			continue;
		if (!isdigit((unsigned char)*s) || n + 1 >= sizeof(digits))
			return ADDR_PHONE_FORMAT;
		digits[n++] = *s;
	}
	digits[n] = 0;
	if (n == 0)
		return ADDR_PHONE_FORMAT;
	if (!intl && n > 2 && digits[0] == '0' && digits[1] == '0') {
		intl = true;
		memmove(digits, digits + 2, n - 1);
		n -= 2;
	}
	if (intl) {
		if (digits[0] == '0')
			return ADDR_PHONE_FORMAT;
		if (!(d = dial_of_number(digits)))   /* a country whose plan is not known here */
			return n >= 8 && n <= 15 ? e164("", digits, out) : ADDR_PHONE_FORMAT;
		nsn = digits + strlen(d->cc);
		if (d->trunk0 && nsn[0] == '0')      /* "+33 06…": the 0 is not dialled */
			nsn++;
		return nsn_valid(d, nsn) ? e164(d->cc, nsn, out) : ADDR_PHONE_FORMAT;
	}
	if (!(d = dial_of_country(country)))
		return ADDR_PHONE_FORMAT;
	nsn = digits;
	if (d->trunk0) {
		if (nsn[0] != '0')
			return ADDR_PHONE_FORMAT;
		nsn++;
	}
	return nsn_valid(d, nsn) ? e164(d->cc, nsn, out) : ADDR_PHONE_FORMAT;
}

/* ---- addresses ----------------------------------------------------------- */

void
addr_report_add(struct addr_report *rep, const char *part, const char *field, enum addr_issue issue,
    const char *msgid)
{
	bool refused = !(issue == ADDR_POSTCODE_FORMAT || issue == ADDR_POSTCODE_CORSICA ||
	    issue == ADDR_POSTCODE_PROVINCE || issue == ADDR_PHONE_FORMAT);

	rep->refused |= refused;
	if (rep->n == ADDR_FINDINGS_MAX)
		return;
	rep->f[rep->n++] = (struct addr_finding){ part, field, issue, refused, msgid };
}

static bool
empty(const char *s)
{
	return !s || !*s;
}

void
address_check(const struct order_address *ad, const char *part, struct addr_report *rep)
{
	char e[ADDR_PHONE_MAX + 1];
	const char *cc = ad->country;
	bool cc_ok = !empty(cc) && strlen(cc) == 2 && isupper((unsigned char)cc[0]) && isupper((unsigned char)cc[1]);
	int rc;

	if (empty(ad->name))
		addr_report_add(rep, part, "name", ADDR_MISSING, N_("The name is required."));
	if (empty(ad->line1))
		addr_report_add(rep, part, "line1", ADDR_MISSING, N_("The street and number are required."));
	if (empty(ad->postcode))
		addr_report_add(rep, part, "postcode", ADDR_MISSING, N_("The postcode is required."));
	if (empty(ad->city))
		addr_report_add(rep, part, "city", ADDR_MISSING, N_("The city is required."));
	if (empty(cc))
		addr_report_add(rep, part, "country", ADDR_MISSING, N_("The country is required."));
	else if (!cc_ok)
		addr_report_add(rep, part, "country", ADDR_COUNTRY_INVALID,
		    N_("The country is a two-letter code, such as FR or BE."));
	if (cc_ok && !empty(ad->postcode) && (rc = postcode_check(cc, ad->postcode)) != 0)
		addr_report_add(rep, part, "postcode", (enum addr_issue)rc, rc == ADDR_POSTCODE_CORSICA ?
		    N_("Corsican postcodes are digits: 20 in front, not 2A or 2B (those are the départements).") :
		    rc == ADDR_POSTCODE_PROVINCE ?
		    N_("A Spanish postcode starts with its province, 01 to 52.") : postcode_rule(cc));
	if (!empty(ad->phone) && phone_normalise(cc_ok ? cc : NULL, ad->phone, e) != 0)
		addr_report_add(rep, part, "phone", ADDR_PHONE_FORMAT,
		    N_("The telephone number does not look like one of the country, nor like an international one (+…)."));
}
