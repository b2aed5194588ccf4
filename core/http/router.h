/*
 * router: the table of routes, matched by method and path.
 * A path may end in "/{}", which matches one non-empty segment and hands
 * it to the handler as r->route_arg.
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

/*
 * Finds the route for method and path. Returns NULL with *status 404 when
 * no path matches, or 405 when the path exists for another method.
 */
const struct route *router_match(const char *method, const char *path,
    const char **arg, int *status);

#endif
