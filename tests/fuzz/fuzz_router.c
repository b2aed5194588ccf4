/* The router (core/http/router.c) on the application's route table:
 * "METHOD\npath". */
#include "fuzz.h"

#include "http/router.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size), *nl = strchr(s, '\n');
	const char *method = s, *path = "/", *arg = (const char *)1;
	const struct route *route;
	int status = 0;

	if (nl) {
		*nl = '\0';
		path = nl + 1;
	}
	route = router_match(method, path, &arg, &status);
	if (route) {
		fuzz_assert(strcmp(route->method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 && strcmp(route->method, "GET") == 0), "the method matches");
		if (arg) {
			fuzz_assert(arg > path && arg < path + strlen(path), "the argument is inside the path");
			fuzz_assert(*arg && !strchr(arg, '/'), "the argument is one non-empty segment");
			fuzz_assert(strstr(route->path, "{}") != NULL, "only a {} route has an argument");
		}
	} else {
		fuzz_assert(arg == NULL, "no route, no argument");
		fuzz_assert(status == 404 || status == 405, "no route: 404 or 405");
	}
	free(s);
	return 0;
}
