/*
 * fuzz.h: what the fuzz targets share (libFuzzer entry points, built by
 * tools/fuzz with ASan and UBSan). A target checks what the code promises,
 * not only that it does not crash: fuzz_assert() aborts, and libFuzzer
 * keeps the input as a finding.
 */
#ifndef CPT_FUZZ_H
#define CPT_FUZZ_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/request.h"
#include "util/problems.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define fuzz_assert(cond, what) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz: %s:%d: %s (%s)\n", __FILE__, __LINE__, what, #cond); \
		abort(); \
	} \
} while (0)

/* The input as a NUL-terminated copy, to free(). */
static inline char *
fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	fuzz_assert(s, "out of memory");
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A request as the API handlers get it: `body` as a JSON body. */
static inline void
fuzz_request(struct request *r, struct arena *a, const char *body, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->method = "POST";
	r->path = "/api/v1/fuzz";
	r->content_type = "application/json";
	r->body = body;
	r->body_len = len;
	r->status = 200;
	buf_init(&r->out, 0);
	buf_init(&r->out_headers, 64 * 1024);
}

/* The answer in r->out is a problem document of `status` that says what
 * `pb` holds: well-formed UTF-8 and JSON, an entry per problem kept, and
 * the first problem's detail. */
static inline void
fuzz_check_problem(const struct request *r, int status, const struct problems *pb)
{
	json_error_t err;
	json_t *doc, *errors, *detail;
	size_t kept = pb && pb->n < PROBLEMS_MAX ? pb->n : PROBLEMS_MAX;

	fuzz_assert(!buf_failed(&r->out), "the problem document fits its buffer");
	fuzz_assert(utf8_valid(r->out.data, r->out.len), "the problem document is UTF-8");
	doc = json_loadb(buf_str(&r->out), r->out.len, 0, &err);
	fuzz_assert(doc && json_is_object(doc), "the problem document is a JSON object");
	fuzz_assert(json_integer_value(json_object_get(doc, "status")) == status, "its status");
	fuzz_assert(json_is_string(json_object_get(doc, "type")), "its type");
	if (pb && pb->n) {
		errors = json_object_get(doc, "errors");
		detail = json_object_get(doc, "detail");
		fuzz_assert(json_is_array(errors) && json_array_size(errors) == kept,
		    "one entry in errors per problem kept");
		fuzz_assert(json_is_string(detail) && json_string_length(detail) > 0, "a detail");
	}
	json_decref(doc);
}

#endif
