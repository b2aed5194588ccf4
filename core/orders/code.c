#include "orders/code.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>

/* 31 characters: digits 2-9 and letters but I, L and O. */
static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

void
order_code_new(char out[ORDER_CODE_LEN + 1])
{
	size_t i;

	for (i = 0; i < ORDER_CODE_LEN; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[ORDER_CODE_LEN] = '\0';
}

bool
order_code_normalise(const char *in, char out[ORDER_CODE_LEN + 1])
{
	size_t n = 0;

	for (; *in; in++) {
		char c = (char)toupper((unsigned char)*in);

		if (c == '-' || c == ' ')
			continue;
		if (!strchr(alphabet, c) || n == ORDER_CODE_LEN)
			return false;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == ORDER_CODE_LEN;
}
