/* statement_parse_csv (core/payments/statement.c): date;amount;reference;label. */
#include "statement_check.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	statement_check(data, size, statement_parse_csv);
	return 0;
}
