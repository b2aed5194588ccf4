/* A liveness probe for load balancers and benchmarks: no database, no session. */
#include "pages/page.h"

void
ping_get(struct request *r)
{
	r->out_type = "text/plain; charset=utf-8";
	buf_puts(&r->out, "ok\n");
}
