/* kv_parse_multipart (core/http/request.c): a file upload's body. Every
 * part kept lies inside the body, NUL-terminated after its length. */
#include "fuzz.h"

#include "util/arena.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct kvlist fields = { 0 }, files = { 0 };
	size_t i;

	arena_init(&a, 0);
	if (kv_parse_multipart(&a, &fields, &files, "multipart/form-data; boundary=XyZ", (const char *)data, size) == 0) {
		fuzz_assert(fields.n + files.n <= 64, "parts within the bound");
		for (i = 0; i < files.n; i++)
			fuzz_assert(files.items[i].len < size && files.items[i].val[files.items[i].len] == '\0',
			    "a file is within the body, NUL-terminated");
		for (i = 0; i < fields.n; i++)
			fuzz_assert(fields.items[i].key && fields.items[i].val, "a field has a name and a value");
	}
	arena_free(&a);
	return 0;
}
