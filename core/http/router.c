#include "http/router.h"

#include <string.h>

/* Does `path` match `pattern`? On a "{}" segment, *arg points into path. */
static bool
path_matches(const char *pattern, const char *path, const char **arg)
{
	const char *brace = strstr(pattern, "{}");
	size_t prefix;

	if (!brace)
		return strcmp(pattern, path) == 0;
	prefix = (size_t)(brace - pattern);
	if (strncmp(pattern, path, prefix) != 0)
		return false;
	path += prefix;
	if (*path == '\0' || strchr(path, '/'))
		return false;
	*arg = path;
	return true;
}

const struct route *
router_match(const char *method, const char *path, const char **arg, int *status)
{
	bool path_known = false;
	size_t i;

	*arg = NULL;
	for (i = 0; i < nroutes; i++) {
		const char *a = NULL;

		if (!path_matches(routes[i].path, path, &a))
			continue;
		path_known = true;
		if (strcmp(routes[i].method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0)) {
			*arg = a;
			return &routes[i];
		}
	}
	*status = path_known ? 405 : 404;
	return NULL;
}
