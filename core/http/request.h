/*
 * request: one HTTP request as nginx hands it over FastCGI, and the
 * response being built for it. Everything hangs off the request's arena
 * and disappears when the request ends.
 */
#ifndef CPT_REQUEST_H
#define CPT_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/buf.h"

#define ROUTE_MAX_ARGS 4   /* "{}" segments in one route's path */

struct config;
struct shop;
struct db;
struct tpl_set;
struct session;
struct route;

struct kv {
	const char *key;
	const char *val;   /* NUL-terminated; len excludes the NUL */
	size_t len;
};

struct kvlist {
	struct kv *items;
	size_t n, cap;
};

struct request {
	struct arena *arena;
	void *io;                     /* the FCGX_Request: only http/ touches it */
	const struct config *cfg;
	const struct tpl_set *tpl;
	struct shop *shop;            /* from the Host header; never from input */
	struct db *db;

	const char *method;           /* "GET", "POST" … */
	const char *path;             /* decoded path, no query string */
	const char *query;            /* raw query string, "" if none */
	const char *host;             /* lower-case, no port */
	const char *remote_addr;
	const char *user_agent;
	const char *content_type;
	long long content_length;     /* -1 when absent */
	bool https;
	const char *authorization;    /* Authorization header */
	const char *idempotency_key;  /* Idempotency-Key header */

	struct kvlist params;         /* query string */
	struct kvlist form;           /* application/x-www-form-urlencoded body */
	struct kvlist files;          /* multipart/form-data file parts, by field name */
	struct kvlist cookies;
	const char *body;             /* raw body (NUL-terminated), NULL if none read */
	size_t body_len;

	struct session *session;      /* set by auth when the request has one */
	long long api_key_id;         /* set for API requests with a valid key */
	const char *api_key_name;
	const char *locale;           /* "fr" or "en" for this response */
	const char *route_arg;        /* the first {…} part of a matched route, if any */
	const char *route_args[ROUTE_MAX_ARGS];   /* every {…} part, in order */
	size_t nroute_args;
	const struct route *route;    /* the matched route, for the log and metrics */
	const char *request_id;       /* nginx's $request_id, else one of ours */

	/* response */
	int status;
	const char *out_type;         /* Content-Type */
	struct buf out_headers;       /* extra "Name: value\r\n" lines */
	struct buf out;               /* body */
	struct buf page;              /* a page's body before its layout (page_render) */
	bool streamed;                /* head sent: out goes out as it fills */
	bool form_to_providers;       /* its forms may end on a payment provider's https page */
	size_t streamed_bytes;        /* body bytes sent so far, when streamed */
};

/* Looks a key up in a list: the first value, or NULL. */
const char *kv_get(const struct kvlist *l, const char *key);

/* Parses "a=1&b=%C3%A9" (form-urlencoded) into the list. */
void kv_parse_urlencoded(struct arena *a, struct kvlist *l, const char *s, size_t len);
/* Parses a multipart/form-data body (RFC 7578) with the boundary named in
 * `content_type`: the parts without a filename go to `fields` (as the
 * urlencoded ones), the files to `files` (val their bytes, NUL-terminated
 * after len). 0, or -1 when it is not well-formed. */
int kv_parse_multipart(struct arena *a, struct kvlist *fields, struct kvlist *files, const char *content_type,
    const char *body, size_t len);
/* Parses a Cookie header into the list. */
void kv_parse_cookies(struct arena *a, struct kvlist *l, const char *s);

/* Percent-decodes (and '+' to space when `plus`) into a new arena string;
 * NULL when the result would hold a NUL byte or invalid escapes. */
char *url_decode(struct arena *a, const char *s, size_t len, bool plus, size_t *outlen);

/* Query and form values. */
const char *req_param(const struct request *r, const char *key);
const char *req_form(const struct request *r, const char *key);
/* A file part of a multipart form: its bytes and *len, or NULL. */
const char *req_file(const struct request *r, const char *key, size_t *len);
const char *req_cookie(const struct request *r, const char *key);
bool req_is_post(const struct request *r);
/* A request header by name ("Stripe-Signature"), as nginx passed it
 * (HTTP_STRIPE_SIGNATURE), or NULL. */
const char *req_header(const struct request *r, const char *name);

/* Response helpers. */
void res_header(struct request *r, const char *name, const char *value);
void res_redirect(struct request *r, const char *location);   /* 303 See Other */
void res_cookie(struct request *r, const char *name, const char *value,
    int max_age, bool http_only);                                /* max_age < 0: session cookie */

/* Sends the head (status, headers set so far, no Content-Length) if not
 * yet sent, then what out holds, and empties it: a long answer (an
 * export) goes out as it is made. 0, or -1 when the client is gone. */
int res_stream_flush(struct request *r);

const char *http_status_text(int status);

#endif
