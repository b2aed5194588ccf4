/* GET /_metrics for Prometheus; who may ask is decided in dispatch.c. */
#include "http/metrics.h"
#include "http/router.h"
#include "pages/page.h"

void
metrics_get(struct request *r)
{
	r->out_type = "text/plain; version=0.0.4; charset=utf-8";
	metrics_render(&r->out, routes, nroutes);
}
