/* The router (core/http/router.c) on the application's route table:
 * "METHOD\npath". */
#include "fuzz.h"

#include "http/router.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size), *nl = strchr(s, '\n');
	const char *method = s, *path = "/";
	struct route_args args = { .n = 99 };
	const struct route *route;
	int status = 0;
	size_t i;

	if (nl) {
		*nl = '\0';
		path = nl + 1;
	}
	route = router_match(method, path, &args, &status);
	if (route) {
		fuzz_assert(strcmp(route->method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 && strcmp(route->method, "GET") == 0), "the method matches");
		fuzz_assert(args.n <= ROUTE_MAX_ARGS, "at most ROUTE_MAX_ARGS arguments");
		for (i = 0; i < args.n; i++) {
			const char *arg = args.v[i].s;

			fuzz_assert(arg > path && arg + args.v[i].len <= path + strlen(path), "the argument is inside the path");
			fuzz_assert(args.v[i].len > 0 && arg[-1] == '/', "the argument is a segment");
			fuzz_assert(!memchr(arg, '/', args.v[i].len) && (arg[args.v[i].len] == '/' || arg[args.v[i].len] == '\0'),
			    "the argument is one whole segment");
			fuzz_assert(strstr(route->path, "{}") != NULL, "only a {} route has an argument");
		}
	} else {
		fuzz_assert(args.n == 0, "no route, no argument");
		fuzz_assert(status == 404 || status == 405, "no route: 404 or 405");
	}
	free(s);
	return 0;
}
