/*
 * sepa: what a SEPA credit transfer needs, without the host: the IBAN
 * check (ISO 13616, mod 97), the BIC's shape (ISO 9362), the Belgian
 * structured communication (+++123/4567/89012+++, mod 97), the ISO 11649
 * creditor reference (RF…), the EPC QR code payload (EPC069-12, "GiroCode")
 * and that QR code drawn as SVG with libzint. Part of the bank transfer
 * plugin, and of its unit test.
 */
#ifndef CPT_SEPA_H
#define CPT_SEPA_H

#include <stdbool.h>
#include <stddef.h>

/* Writes `in` without blanks, upper-cased, to out (size bytes); false
 * when it does not fit or holds something else than letters and digits. */
bool sepa_compact(const char *in, char *out, size_t size);

/* A valid IBAN (blanks allowed): known country length, mod 97 = 1. */
bool sepa_iban_valid(const char *iban);
/* "FR76 3000 …": the compact IBAN in groups of four. */
void sepa_iban_format(const char *compact, char *out, size_t size);
/* A BIC: 4 letters, 2 letters (country), 2 letters or digits, maybe 3 more. */
bool sepa_bic_valid(const char *bic);

/* The Belgian structured communication of a number (its last 10 digits):
 * "+++012/3456/78997+++", check digits number mod 97 (97 for 0). */
void sepa_be_structured(unsigned long long number, char out[21]);
/* Is "+++ddd/dddd/ddddd+++" (or its 12 digits) a valid one? */
bool sepa_be_structured_valid(const char *s);

/* The ISO 11649 creditor reference of an alphanumeric reference of at
 * most 21 characters: "RF" + 2 check digits + it; false when it is not one. */
bool sepa_rf_reference(const char *ref, char *out, size_t size);
bool sepa_rf_valid(const char *rf);

struct epc_transfer {
	const char *bic;          /* may be empty (version 002) */
	const char *name;         /* beneficiary, at most 70 characters */
	const char *iban;         /* compact */
	long long amount_cents;   /* 1 .. 99,999,999,999 */
	const char *purpose;      /* 4 letters (ISO 20022 purpose code), may be NULL */
	const char *structured;   /* an RF creditor reference, or NULL */
	const char *text;         /* unstructured remittance, at most 140, or NULL */
	const char *info;         /* beneficiary to originator information, or NULL */
};

/* The EPC069-12 payload, lines ended by LF (the last without one), in
 * UTF-8 (character set 1); version 001 with a BIC, 002 without. Returns
 * its length, or 0 when a field is out of bounds or it exceeds 331 bytes. */
size_t sepa_epc_payload(const struct epc_transfer *t, char *out, size_t size);

/* The payload as a QR code (error correction level M, as EPC069-12
 * demands), an SVG document in a malloc'd string (*len bytes); NULL on failure. */
char *sepa_qr_svg(const char *payload, size_t len, size_t *svg_len);

#endif
