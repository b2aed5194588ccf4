/* statement_parse_camt (core/payments/statement_camt.c): CAMT.053 XML. */
#include "statement_check.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	statement_check(data, size, statement_parse_camt);
	return 0;
}
