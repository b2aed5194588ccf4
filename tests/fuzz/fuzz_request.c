/* The query string and form parser, the cookie parser and the path decoder
 * (core/http/request.c), on the same bytes. */
#include "fuzz.h"

#include "util/arena.h"

static void
check_list(const struct kvlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		fuzz_assert(l->items[i].key && *l->items[i].key, "a key is never empty");
		fuzz_assert(strlen(l->items[i].val) == l->items[i].len, "a value holds no NUL, len is its length");
		fuzz_assert(kv_get(l, l->items[i].key) != NULL, "every key is found again");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kvlist form = { 0 }, cookies = { 0 };
	struct arena a;
	char *s = fuzz_strndup(data, size), *dec;
	size_t len = 0;

	arena_init(&a, 0);
	/* Not NUL-terminated, as nginx hands a body over. */
	kv_parse_urlencoded(&a, &form, (const char *)data, size);
	check_list(&form);
	kv_parse_cookies(&a, &cookies, s);
	check_list(&cookies);
	dec = url_decode(&a, (const char *)data, size, false, &len);
	if (dec)
		fuzz_assert(strlen(dec) == len && len <= size, "a decoded path is shorter and NUL-free");
	arena_free(&a);
	free(s);
	return 0;
}
