/* What every JSON endpoint shares: problem documents and typed members. */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/log.h"

#define UNKNOWN_NAME_MAX 64   /* longer than any field's name */

void
api_json(struct request *r, int status, const char *json)
{
	r->status = status;
	r->out_type = "application/json";
	buf_reset(&r->out);
	buf_puts(&r->out, json);
	buf_putc(&r->out, '\n');
}

/* The document of api_problem() as JSON text (to free()), or NULL when
 * jansson could not build it (out of memory: problems are UTF-8 already). */
static char *
problem_text(int status, const char *type, const char *title, const struct problems *pb)
{
	json_t *doc = json_pack("{s:s,s:s,s:i}", "type", type, "title", title, "status", status);
	bool failed = doc == NULL;
	char *text = NULL;
	size_t i;

	if (doc && pb && pb->n) {
		json_t *errors = json_array();
		size_t kept = pb->n < PROBLEMS_MAX ? pb->n : PROBLEMS_MAX;

		for (i = 0; i < kept && errors && !failed; i++) {
			const struct problem *p = &pb->items[i];
			json_t *e = json_pack("{s:s,s:s}", "pointer", p->pointer, "detail", p->detail);

			if (e && p->sku)
				failed = json_object_set_new(e, "sku", json_string(p->sku)) != 0 ||
				    json_object_set_new(e, "requested", json_integer(p->requested)) != 0 ||
				    json_object_set_new(e, "available", json_integer(p->available)) != 0;
			if (!e || json_array_append_new(errors, e) != 0)
				failed = true;
		}
		/* json_object_set_new() takes the value even when it fails. */
		if (!errors || json_object_set_new(doc, "errors", errors) != 0 ||
		    json_object_set_new(doc, "detail", json_string(pb->items[0].detail)) != 0)
			failed = true;
	}
	if (!failed)
		text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return text;
}

void
api_problem(struct request *r, int status, const char *kind, const char *title,
    const struct problems *pb)
{
	char type[96], *text;

	/* A relative type URI per kind of problem, as RFC 9457 allows. */
	snprintf(type, sizeof(type), "/problems/%s", kind);
	text = problem_text(status, type, title, pb);
	r->status = status;
	r->out_type = "application/problem+json";
	buf_reset(&r->out);
	if (text) {
		buf_puts(&r->out, text);
	} else {
		/* Type and title are ASCII words of the code: no escaping needed. */
		log_error("%s: the problem document could not be built", type);
		buf_printf(&r->out, "{\"type\":\"%s\",\"title\":\"%s\",\"status\":%d}", type, title, status);
	}
	buf_putc(&r->out, '\n');
	free(text);
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

/* base + "/" + key, with '~' and '/' of the key written "~0" and "~1"
 * (RFC 6901). */
static char *
member_pointer(struct problems *pb, const char *base, const char *key)
{
	struct buf b;
	char *out;

	buf_init(&b, 0);
	buf_puts(&b, base);
	buf_putc(&b, '/');
	for (; *key; key++) {
		if (*key == '~')
			buf_puts(&b, "~0");
		else if (*key == '/')
			buf_puts(&b, "~1");
		else
			buf_putc(&b, *key);
	}
	out = arena_strdup(pb->arena, buf_str(&b));
	buf_free(&b);
	return out;
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
		/* A name longer than any field's is not echoed: the problem is
		 * the object's. */
		if (!known[i] && strlen(key) > UNKNOWN_NAME_MAX)
			problems_add(pb, base, "unknown field (a name of %zu bytes)", strlen(key));
		else if (!known[i])
			problems_add(pb, member_pointer(pb, base, key), "unknown field");
	}
}
