/*
 * mollie_proto: the pure parts of Mollie's payments API v2 the mollie
 * plugin speaks, without the host, so a unit test reaches them: amounts
 * as Mollie writes them (a string with two decimals, "12.34"), a
 * payment's status as an outcome, and the webhook's form body (it
 * carries only id=tr_…).
 */
#ifndef CPT_MOLLIE_PROTO_H
#define CPT_MOLLIE_PROTO_H

#include <stdbool.h>
#include <stddef.h>

#include <comptoir/plugin.h>

/* Longest payment id kept ("tr_" and Mollie's token, 10 characters today). */
#define MOLLIE_ID_MAX 64

/* Writes `cents` (>= 0) as "12.34" into out; 0, or -1 when negative or
 * when it does not fit. */
int mollie_amount_str(long long cents, char *out, size_t size);

/* Reads Mollie's "12.34" (digits, a dot, exactly two digits) into *cents;
 * 0, or -1 for anything else (a sign, "12.3", "1e3", an overflow). */
int mollie_amount_parse(const char *s, long long *cents);

/* What a payment's status means for the order: paid → PAID; open,
 * pending, authorized → PENDING; canceled, expired, failed → FAILED;
 * 0 for a status Mollie may add later (then nothing is recorded). */
enum cpt_payment_outcome mollie_status_outcome(const char *status);

/* True for a payment id: "tr_" then 1 to MOLLIE_ID_MAX - 3 letters and digits. */
bool mollie_payment_id_valid(const char *id);

/* The payment id of a webhook's form body (application/x-www-form-
 * urlencoded, "id=tr_…", percent-decoded) into out (at least
 * MOLLIE_ID_MAX + 1 bytes); false when there is none or it is not a
 * payment id. */
bool mollie_form_id(const char *body, size_t len, char *out, size_t size);

#endif
