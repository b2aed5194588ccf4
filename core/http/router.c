#include "http/router.h"

#include <string.h>

/*
 * Does `path` match `pattern`, segment by segment? A "{}" segment matches
 * one non-empty segment of the path, recorded in *args in order. Segments
 * are compared whole: "/orders/{}" never matches "/orders/AB/notes".
 */
static bool
path_matches(const char *pattern, const char *path, struct route_args *args)
{
	args->n = 0;
	for (;;) {
		if (*pattern == '\0' || *path == '\0')
			return *pattern == *path;
		if (*pattern != '/' || *path != '/')
			return strcmp(pattern, path) == 0;
		pattern++;
		path++;
		if (strncmp(pattern, "{}", 2) == 0 && (pattern[2] == '/' || pattern[2] == '\0')) {
			size_t len = strcspn(path, "/");

			if (len == 0 || args->n == ROUTE_MAX_ARGS)
				return false;
			args->v[args->n].s = path;
			args->v[args->n].len = len;
			args->n++;
			pattern += 2;
			path += len;
		} else {
			size_t plen = strcspn(pattern, "/"), len = strcspn(path, "/");

			if (plen != len || strncmp(pattern, path, len) != 0)
				return false;
			pattern += plen;
			path += len;
		}
	}
}

const struct route *
router_match(const char *method, const char *path, struct route_args *args, int *status)
{
	bool path_known = false;
	size_t i;

	args->n = 0;
	for (i = 0; i < nroutes; i++) {
		struct route_args a;

		if (!path_matches(routes[i].path, path, &a))
			continue;
		path_known = true;
		if (strcmp(routes[i].method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0)) {
			*args = a;
			return &routes[i];
		}
	}
	*status = path_known ? 405 : 404;
	return NULL;
}

void
router_keep_args(struct request *r, const struct route_args *args)
{
	size_t i;

	r->nroute_args = args->n;
	for (i = 0; i < args->n; i++)
		r->route_args[i] = arena_strndup(r->arena, args->v[i].s, args->v[i].len);
	r->route_arg = args->n ? r->route_args[0] : NULL;
}
