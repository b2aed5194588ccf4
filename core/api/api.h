/*
 * api: the JSON endpoints (/api/v1/…), for storefronts and tools. Thin:
 * parse JSON into plain values, call the domain, write JSON. Errors are
 * RFC 9457 problem documents (application/problem+json) naming each field
 * by JSON pointer.
 */
#ifndef CPT_API_H
#define CPT_API_H

#include <jansson.h>
#include <stdbool.h>

#include "http/request.h"
#include "util/problems.h"

/* Writes a problem document: `kind` is the last part of its type URI. */
void api_problem(struct request *r, int status, const char *kind, const char *title,
    const struct problems *pb);
/* Writes a JSON body with a status. */
void api_json(struct request *r, int status, const char *json);

/* Parses the request body as one JSON object; on failure the 400 (or 415)
 * answer is written and NULL returned. */
json_t *api_parse_body(struct request *r);

/* Typed members of a JSON object; a member of the wrong type adds a
 * problem at `base`/`key` and reads as absent. */
const char *api_str(json_t *obj, const char *base, const char *key, struct problems *pb);
bool api_int(json_t *obj, const char *base, const char *key, long long *out, struct problems *pb);
bool api_bool(json_t *obj, const char *base, const char *key, bool *out, struct problems *pb);
json_t *api_obj(json_t *obj, const char *base, const char *key, struct problems *pb);
/* Adds a problem for every member of `obj` not in the NULL-terminated `known`. */
void api_no_unknown(json_t *obj, const char *base, const char *const known[], struct problems *pb);

struct intake;
struct product_input;

/* Bodies into domain inputs (bodies.c): the order of POST /api/v1/orders
 * into *in (zeroed first by the caller), the product of PUT into *in. */
void api_intake_parse(json_t *root, struct intake *in, struct problems *pb);
void api_product_parse(json_t *root, struct product_input *in, struct problems *pb);

/* The handlers. */
void api_orders_post(struct request *r);
void api_order_get(struct request *r);
void api_product_put(struct request *r);
void api_product_get(struct request *r);
void api_products_get(struct request *r);
/* POST /api/v1/orders/{}/payment-sessions (payments.c). */
void api_payment_session_post(struct request *r);

#endif
