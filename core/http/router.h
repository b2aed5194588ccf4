/*
 * router: the table of routes, matched by method and path.
 * A "{}" segment anywhere in a path ("/orders/{}/notes") matches one
 * non-empty segment; the handler finds them in r->route_args[] in order
 * (r->route_arg is the first).
 */
#ifndef CPT_ROUTER_H
#define CPT_ROUTER_H

#include "http/request.h"

enum route_access {
	ROUTE_PUBLIC,   /* anyone on a known shop's host (login page, ping) */
	ROUTE_STAFF,    /* a session of this shop, any role in `roles` */
	ROUTE_API,      /* a live API key of this shop (Authorization: Bearer) */
	ROUTE_METRICS,  /* on any host, from metrics.allow only; others: 404 */
};

struct route {
	const char *method;   /* "GET" or "POST" */
	const char *path;
	void (*handler)(struct request *r);
	enum route_access access;
	unsigned roles;       /* bit mask of enum staff_role; 0 = all roles */
};

extern const struct route routes[];
extern const size_t nroutes;

/* The "{}" segments of a matched path, pointing into it (not NUL-ended). */
struct route_args {
	size_t n;
	struct { const char *s; size_t len; } v[ROUTE_MAX_ARGS];
};

/*
 * Finds the route for method and path, its "{}" segments in *args. Returns
 * NULL with *status 404 when no path matches, or 405 when the path exists
 * for another method.
 */
const struct route *router_match(const char *method, const char *path,
    struct route_args *args, int *status);

/* Copies the segments into the request's arena: r->route_args, route_arg. */
void router_keep_args(struct request *r, const struct route_args *args);

#endif
