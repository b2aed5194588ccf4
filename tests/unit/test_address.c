/* Unit tests of address_check (core/orders/address_check.h): postcodes and
 * telephone numbers of FR, BE, LU, CH, DE, NL, ES and IT, and what an
 * address needs to be saved. */
#include <string.h>

#include "orders/address_check.h"
#include "tap.h"

static const char *
phone(const char *country, const char *in)
{
	static char out[ADDR_PHONE_MAX + 1];

	if (phone_normalise(country, in, out) != 0)
		return "refused";
	return out;
}

static const char *
pcn(const char *country, const char *in)
{
	static char out[ADDR_POSTCODE_MAX + 1];

	postcode_normalise(country, in, out, sizeof(out));
	return out;
}

static bool
has(const struct addr_report *r, const char *field, enum addr_issue issue)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->f[i].field, field) == 0 && r->f[i].issue == issue)
			return true;
	return false;
}

int
main(void)
{
	struct order_address ad;
	struct addr_report r;

	/* Postcodes, country by country. */
	is_int(postcode_check("FR", "69003"), 0, "FR: 5 digits");
	is_int(postcode_check("FR", "01000"), 0, "FR: a leading 0 is a postcode");
	is_int(postcode_check("FR", "6900"), ADDR_POSTCODE_FORMAT, "FR: 4 digits are not");
	is_int(postcode_check("FR", "00100"), ADDR_POSTCODE_FORMAT, "FR: no département 00");
	is_int(postcode_check("FR", "20000"), 0, "FR: Corsica, 20000 (Ajaccio)");
	is_int(postcode_check("FR", "20200"), 0, "FR: Corsica, 20200 (Bastia)");
	is_int(postcode_check("FR", "2A004"), ADDR_POSTCODE_CORSICA, "FR: 2A… is a département, not a postcode");
	is_int(postcode_check("FR", "2b200"), ADDR_POSTCODE_CORSICA, "FR: 2b… too");
	is_int(postcode_check("FR", "97400"), 0, "FR: overseas (La Réunion)");
	is_int(postcode_check("FR", "69 003"), ADDR_POSTCODE_FORMAT, "FR: no space inside");
	is_int(postcode_check("BE", "1000"), 0, "BE: 4 digits");
	is_int(postcode_check("BE", "0999"), ADDR_POSTCODE_FORMAT, "BE: not from 0");
	is_int(postcode_check("BE", "10000"), ADDR_POSTCODE_FORMAT, "BE: 5 digits are not");
	is_int(postcode_check("LU", "1234"), 0, "LU: 4 digits");
	is_int(postcode_check("LU", "L-1234"), 0, "LU: L- in front tolerated");
	is_int(postcode_check("LU", "L1234"), ADDR_POSTCODE_FORMAT, "LU: L without its dash is not");
	is_int(postcode_check("CH", "1201"), 0, "CH: 4 digits");
	is_int(postcode_check("CH", "CH-1201"), ADDR_POSTCODE_FORMAT, "CH: no prefix");
	is_int(postcode_check("DE", "10115"), 0, "DE: 5 digits");
	is_int(postcode_check("DE", "01067"), 0, "DE: 01… is Dresden");
	is_int(postcode_check("DE", "00115"), ADDR_POSTCODE_FORMAT, "DE: not 00…");
	is_int(postcode_check("NL", "1012 AB"), 0, "NL: 1234 AB");
	is_int(postcode_check("NL", "1012AB"), ADDR_POSTCODE_FORMAT, "NL: as typed, without the space, not yet normalised");
	is_int(postcode_check("NL", "0123 AB"), ADDR_POSTCODE_FORMAT, "NL: not from 0");
	is_int(postcode_check("NL", "1012"), ADDR_POSTCODE_FORMAT, "NL: digits alone are not");
	is_int(postcode_check("ES", "28001"), 0, "ES: Madrid, province 28");
	is_int(postcode_check("ES", "52001"), 0, "ES: Melilla, province 52");
	is_int(postcode_check("ES", "53001"), ADDR_POSTCODE_PROVINCE, "ES: no province 53");
	is_int(postcode_check("ES", "00001"), ADDR_POSTCODE_PROVINCE, "ES: no province 00");
	is_int(postcode_check("ES", "2800"), ADDR_POSTCODE_FORMAT, "ES: 4 digits are not");
	is_int(postcode_check("IT", "00184"), 0, "IT: 5 digits (Rome)");
	is_int(postcode_check("IT", "0018"), ADDR_POSTCODE_FORMAT, "IT: 4 digits are not");
	is_int(postcode_check("PT", "1000-001"), 0, "another country: not checked");

	is_str(pcn("NL", "1012ab"), "1012 AB", "normalise NL: space and capitals");
	is_str(pcn("NL", " 1012 ab "), "1012 AB", "normalise NL: trimmed, capitals");
	is_str(pcn("LU", "l-1234"), "L-1234", "normalise: capitals");
	is_str(pcn("FR", " 69003 "), "69003", "normalise: trimmed");
	is_str(pcn("FR", "2a004"), "2A004", "normalise keeps what it does not know");

	/* Telephone numbers: national and international forms, into E.164. */
	is_str(phone("FR", "06 12 34 56 78"), "+33612345678", "FR national, spaces");
	is_str(phone("FR", "06.12.34.56.78"), "+33612345678", "FR national, dots");
	is_str(phone("FR", "+33 6 12 34 56 78"), "+33612345678", "FR international");
	is_str(phone("FR", "+33 (0)6 12 34 56 78"), "+33612345678", "FR, (0) after +33 dropped");
	is_str(phone("FR", "0033 6 12 34 56 78"), "+33612345678", "FR, 00 for +");
	is_str(phone("FR", "+33 06 12 34 56 78"), "+33612345678", "FR, +33 0… the trunk 0 dropped");
	is_str(phone("FR", "6 12 34 56 78"), "refused", "FR national without its 0");
	is_str(phone("FR", "06 12 34 56"), "refused", "FR, 8 digits");
	is_str(phone("FR", "+33 6 12 34 56"), "refused", "FR international, too short");
	is_str(phone("BE", "02 123 45 67"), "+3221234567", "BE landline, 8 digits after the 0");
	is_str(phone("BE", "0470 12 34 56"), "+32470123456", "BE mobile");
	is_str(phone("BE", "0270 12 34 56"), "refused", "BE: 9 digits are a mobile, 04…");
	is_str(phone("LU", "621 123 456"), "+352621123456", "LU, no trunk 0");
	is_str(phone("LU", "+352 26 12 34"), "+352261234", "LU international, short landline");
	is_str(phone("CH", "044 668 18 00"), "+41446681800", "CH national");
	is_str(phone("CH", "+41 44 668 18 00"), "+41446681800", "CH international");
	is_str(phone("DE", "030 1234567"), "+49301234567", "DE national (Berlin)");
	is_str(phone("DE", "0151 23456789"), "+4915123456789", "DE mobile");
	is_str(phone("NL", "020-1234567"), "+31201234567", "NL national, dash");
	is_str(phone("NL", "06 12345678"), "+31612345678", "NL mobile");
	is_str(phone("ES", "612 34 56 78"), "+34612345678", "ES, no trunk 0");
	is_str(phone("ES", "512 34 56 78"), "refused", "ES, no number from 5");
	is_str(phone("IT", "06 1234 5678"), "+390612345678", "IT keeps its 0 (Rome)");
	is_str(phone("IT", "347 123 4567"), "+393471234567", "IT mobile");
	is_str(phone("FR", "+32 470 12 34 56"), "+32470123456", "another country's number, by its +");
	is_str(phone("FR", "+1 415 555 2671"), "+14155552671", "a plan not known here: E.164 length only");
	is_str(phone("PT", "912 345 678"), "refused", "a national form of a country not known here");
	is_str(phone(NULL, "06 12 34 56 78"), "refused", "no country: national forms cannot be read");
	is_str(phone("FR", "06 12 34 56 7a"), "refused", "letters");
	is_str(phone("FR", "+33612345678901234"), "refused", "longer than E.164");
	is_str(phone("FR", "  "), "", "blank: no number");
	is_str(phone("FR", "+0612345678"), "refused", "no calling code from 0");

	/* An address: required fields refuse, formats warn. */
	ad = (struct order_address){ .name = "Inès Moreau", .line1 = "1 rue Neuve", .postcode = "69001",
	    .city = "Lyon", .country = "FR", .phone = "+33612345678" };
	memset(&r, 0, sizeof(r));
	address_check(&ad, "billing", &r);
	ok(r.n == 0 && !r.refused, "a good French address: nothing to say");

	ad = (struct order_address){ .name = "", .line1 = "", .postcode = "", .city = "", .country = "" };
	memset(&r, 0, sizeof(r));
	address_check(&ad, "billing", &r);
	ok(r.refused, "required fields empty: refused");
	ok(has(&r, "name", ADDR_MISSING) && has(&r, "line1", ADDR_MISSING) && has(&r, "postcode", ADDR_MISSING) &&
	    has(&r, "city", ADDR_MISSING) && has(&r, "country", ADDR_MISSING), "each required field named");
	is_int((int)r.n, 5, "and nothing else");
	is_str(r.f[0].part, "billing", "the part is kept");

	ad = (struct order_address){ .name = "A", .line1 = "B", .postcode = "6900", .city = "Lyon",
	    .country = "FR", .phone = "12" };
	memset(&r, 0, sizeof(r));
	address_check(&ad, "shipping", &r);
	ok(!r.refused, "a postcode or a phone of the wrong shape does not refuse");
	ok(has(&r, "postcode", ADDR_POSTCODE_FORMAT) && has(&r, "phone", ADDR_PHONE_FORMAT), "both warned");
	is_str(r.f[0].msgid, "A French postcode is 5 digits.", "the warning says the country's rule");

	ad = (struct order_address){ .name = "A", .line1 = "B", .postcode = "2A004", .city = "Ajaccio",
	    .country = "FR" };
	memset(&r, 0, sizeof(r));
	address_check(&ad, "shipping", &r);
	ok(has(&r, "postcode", ADDR_POSTCODE_CORSICA) && !r.refused, "Corsica: 2A warned, not refused");

	ad = (struct order_address){ .name = "A", .line1 = "B", .postcode = "1000", .city = "Bruxelles",
	    .country = "Belgique" };
	memset(&r, 0, sizeof(r));
	address_check(&ad, "billing", &r);
	ok(r.refused && has(&r, "country", ADDR_COUNTRY_INVALID), "a country name, not a code: refused");
	is_int((int)r.n, 1, "the postcode is not judged without a country");

	return done_testing();
}
