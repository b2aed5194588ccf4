/* Unit tests of the bank transfer plugin's SEPA codes (plugins/payments/
 * sepa.h), against the published examples: the SWIFT IBAN registry's,
 * the Belgian structured communication's, ISO 11649's and EPC069-12's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sepa.h"
#include "tap.h"

int
main(void)
{
	static const char *const good[] = {
		"GB82 WEST 1234 5698 7654 32", "DE89 3704 0044 0532 0130 00",
		"FR14 2004 1010 0505 0001 3M02 606", "BE68 5390 0754 7034", "NL91ABNA0417164300",
		"be72000000001616",
	};
	static const char *const bad[] = {
		"GB82 WEST 1234 5698 7654 33",      /* one digit changed: mod 97 */
		"FR14 2004 1010 0505 0001 3M02 60", /* a character short for FR */
		"XX82 WEST 1234 5698 7654 32",      /* no such country */
		"DE89 3704 0044 0532 0130 0!",      /* not alphanumeric */
		"BE86 5390 0754 7034",              /* check digits swapped */
		"",
	};
	char out[64], payload[400];
	size_t i, len, svg_len;
	struct epc_transfer t;
	char *svg;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(sepa_iban_valid(good[i]), "IBAN %s is valid", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(!sepa_iban_valid(bad[i]), "IBAN '%s' is refused", bad[i]);
	sepa_iban_format("FR1420041010050500013M02606", out, sizeof(out));
	is_str(out, "FR14 2004 1010 0505 0001 3M02 606", "an IBAN is shown in groups of four");

	ok(sepa_bic_valid("BPOTBEB1") && sepa_bic_valid("DEUTDEFF500") && sepa_bic_valid("gebabebb"),
	    "BICs of 8 and 11 characters are valid");
	ok(!sepa_bic_valid("BPOTBE") && !sepa_bic_valid("BP0TBEB1") && !sepa_bic_valid("DEUTDEFF50"),
	    "a BIC too short, with a digit in the bank code or of 10 characters is refused");

	/* Belgian structured communication: 10 digits, then their mod 97 (97 for 0). */
	sepa_be_structured(909337554ULL, out);
	is_str(out, "+++090/9337/55493+++", "structured communication of 0909337554 (mod 97 = 93)");
	ok(sepa_be_structured_valid("+++090/9337/55493+++") && sepa_be_structured_valid("090933755493"),
	    "+++090/9337/55493+++ is valid, with or without its signs");
	ok(!sepa_be_structured_valid("+++090/9337/55494+++"), "a wrong check number is refused");
	ok(!sepa_be_structured_valid("+++123/4567/89012+++"),
	    "+++123/4567/89012+++ (the format's illustration) is refused: 1234567890 mod 97 is 2");
	sepa_be_structured(1234567890ULL, out);
	is_str(out, "+++123/4567/89002+++", "1234567890 gives check digits 02");
	sepa_be_structured(97ULL, out);
	is_str(out, "+++000/0000/09797+++", "a number that is a multiple of 97 has check digits 97");
	sepa_be_structured(12345678901234ULL, out);
	ok(sepa_be_structured_valid(out), "a number of more than 10 digits keeps its last ten (%s)", out);

	/* ISO 11649: the standard's example. */
	ok(sepa_rf_reference("539007547034", out, sizeof(out)), "RF reference of 539007547034");
	is_str(out, "RF18539007547034", "ISO 11649's example RF18 5390 0754 7034");
	ok(sepa_rf_valid("RF18 5390 0754 7034") && !sepa_rf_valid("RF19539007547034"),
	    "RF18 5390 0754 7034 is valid, RF19… is not");
	ok(sepa_rf_reference("H7KQ2M4X", out, sizeof(out)) && sepa_rf_valid(out),
	    "an order code gives a valid RF reference (%s)", out);

	/* EPC069-12's sample: the Belgian Red Cross, 1 euro, purpose CHAR. */
	t = (struct epc_transfer){ .bic = "BPOTBEB1", .name = "Red Cross of Belgium",
	    .iban = "BE72000000001616", .amount_cents = 100, .purpose = "CHAR",
	    .text = "Urgency fund", .info = "Sample EPC QR code" };
	len = sepa_epc_payload(&t, payload, sizeof(payload));
	is_str(payload, "BCD\n001\n1\nSCT\nBPOTBEB1\nRed Cross of Belgium\nBE72000000001616\nEUR1\nCHAR\n"
	    "\nUrgency fund\nSample EPC QR code", "the EPC069-12 sample payload, line for line");
	is_int((long long)len, (long long)strlen(payload), "its length is returned");

	t = (struct epc_transfer){ .name = "Atelier Dupont", .iban = "FR1420041010050500013M02606",
	    .amount_cents = 123450, .structured = "RF18539007547034" };
	sepa_epc_payload(&t, payload, sizeof(payload));
	is_str(payload, "BCD\n002\n1\nSCT\n\nAtelier Dupont\nFR1420041010050500013M02606\nEUR1234.50\n\n"
	    "RF18539007547034", "without a BIC: version 002, cents with two decimals, trailing lines dropped");

	t.text = "also text";
	is_int((long long)sepa_epc_payload(&t, payload, sizeof(payload)), 0,
	    "a structured and an unstructured remittance at once are refused");
	t = (struct epc_transfer){ .name = "X", .iban = "FR1420041010050500013M02607", .amount_cents = 1 };
	is_int((long long)sepa_epc_payload(&t, payload, sizeof(payload)), 0, "a bad IBAN gives no payload");
	t.iban = "FR1420041010050500013M02606";
	t.amount_cents = 0;
	is_int((long long)sepa_epc_payload(&t, payload, sizeof(payload)), 0, "nothing to pay: no payload");
	t.amount_cents = 1;
	t.name = "A name far too long for the EPC QR code beneficiary field, which holds seventy chars";
	is_int((long long)sepa_epc_payload(&t, payload, sizeof(payload)), 0, "a name over 70 characters is refused");

	t = (struct epc_transfer){ .bic = "BPOTBEB1", .name = "Red Cross of Belgium",
	    .iban = "BE72000000001616", .amount_cents = 100, .text = "Urgency fund" };
	len = sepa_epc_payload(&t, payload, sizeof(payload));
	svg = sepa_qr_svg(payload, len, &svg_len);
	ok(svg && strncmp(svg, "<svg ", 5) == 0 && strstr(svg, "</svg>") && strstr(svg, "h1v1h-1z"),
	    "the payload is drawn as an SVG QR code");
	/* Level M in byte mode: version 4 holds 62 bytes, version 5 (37 modules,
	 * 8 of quiet zone) 84. */
	like(svg ? svg : "", "viewBox=\"0 0 45 45\"", "a payload of %zu bytes is a version 5 code (37 modules)", len);
	free(svg);
	return done_testing();
}
