/* What every JSON endpoint shares: problem documents and typed members. */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/log.h"

void
api_json(struct request *r, int status, const char *json)
{
	r->status = status;
	r->out_type = "application/json";
	buf_reset(&r->out);
	buf_puts(&r->out, json);
	buf_putc(&r->out, '\n');
}

void
api_problem(struct request *r, int status, const char *kind, const char *title,
    const struct problems *pb)
{
	char type[96], *text;
	json_t *doc;
	size_t i;

	/* A relative type URI per kind of problem, as RFC 9457 allows. */
	snprintf(type, sizeof(type), "/problems/%s", kind);
	doc = json_pack("{s:s,s:s,s:i}", "type", type, "title", title, "status", status);
	if (pb && pb->n) {
		json_t *errors = json_array();
		size_t kept = pb->n < PROBLEMS_MAX ? pb->n : PROBLEMS_MAX;

		for (i = 0; i < kept; i++) {
			const struct problem *p = &pb->items[i];
			json_t *e = json_pack("{s:s,s:s}", "pointer", p->pointer, "detail", p->detail);

			if (p->sku) {
				json_object_set_new(e, "sku", json_string(p->sku));
				json_object_set_new(e, "requested", json_integer(p->requested));
				json_object_set_new(e, "available", json_integer(p->available));
			}
			json_array_append_new(errors, e);
		}
		json_object_set_new(doc, "detail", json_string(pb->items[0].detail));
		json_object_set_new(doc, "errors", errors);
	}
	text = json_dumps(doc, JSON_COMPACT);
	r->status = status;
	r->out_type = "application/problem+json";
	buf_reset(&r->out);
	if (text) {
		buf_puts(&r->out, text);
		buf_putc(&r->out, '\n');
	}
	free(text);
	json_decref(doc);
}

json_t *
api_parse_body(struct request *r)
{
	struct problems pb;
	json_error_t err;
	json_t *root;

	problems_init(&pb, r->arena);
	if (!r->content_type || strncasecmp(r->content_type, "application/json", 16) != 0 ||
	    (r->content_type[16] != '\0' && r->content_type[16] != ';' && r->content_type[16] != ' ')) {
		problems_add(&pb, "", "send the body as application/json");
		api_problem(r, 415, "unsupported-media-type", "Unsupported media type", &pb);
		return NULL;
	}
	root = json_loadb(r->body ? r->body : "", r->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		problems_add(&pb, "", "malformed JSON at line %d, column %d: %s", err.line, err.column, err.text);
		api_problem(r, 400, "malformed-json", "Malformed JSON", &pb);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		problems_add(&pb, "", "the body must be a JSON object");
		api_problem(r, 400, "malformed-json", "Malformed JSON", &pb);
		return NULL;
	}
	return root;
}

static char *
member_pointer(struct problems *pb, const char *base, const char *key)
{
	return arena_printf(pb->arena, "%s/%s", base, key);
}

const char *
api_str(json_t *obj, const char *base, const char *key, struct problems *pb)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		problems_add(pb, member_pointer(pb, base, key), "must be a string");
		return NULL;
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		problems_add(pb, member_pointer(pb, base, key), "must not contain NUL characters");
		return NULL;
	}
	return arena_strdup(pb->arena, json_string_value(v));
}

bool
api_int(json_t *obj, const char *base, const char *key, long long *out, struct problems *pb)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return false;
	if (!json_is_integer(v)) {
		problems_add(pb, member_pointer(pb, base, key), "must be an integer%s",
		    json_is_real(v) ? " (amounts are in cents)" : "");
		return false;
	}
	*out = json_integer_value(v);
	return true;
}

bool
api_bool(json_t *obj, const char *base, const char *key, bool *out, struct problems *pb)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return false;
	if (!json_is_boolean(v)) {
		problems_add(pb, member_pointer(pb, base, key), "must be true or false");
		return false;
	}
	*out = json_is_true(v);
	return true;
}

json_t *
api_obj(json_t *obj, const char *base, const char *key, struct problems *pb)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_object(v)) {
		problems_add(pb, member_pointer(pb, base, key), "must be an object");
		return NULL;
	}
	return v;
}

void
api_no_unknown(json_t *obj, const char *base, const char *const known[], struct problems *pb)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		size_t i;

		for (i = 0; known[i] && strcmp(known[i], key) != 0; i++)
			;
		if (!known[i])
			problems_add(pb, member_pointer(pb, base, key), "unknown field");
	}
}
