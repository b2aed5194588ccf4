/* GET /_metrics for Prometheus; who may ask is decided in dispatch.c. */
#include "http/metrics.h"
#include "http/router.h"
#include "orders/outbox.h"
#include "pages/page.h"
#include "util/log.h"

void
metrics_get(struct request *r)
{
	long long pending, oldest;

	r->out_type = "text/plain; version=0.0.4; charset=utf-8";
	metrics_render(&r->out, routes, nroutes);
	/* The outbox is the database's, the same for every process: read
	 * from the primary (r->db), which the worker writes. */
	if (outbox_depth(r->db, r->arena, &pending, &oldest) != 0) {
		log_warn("metrics: the outbox's depth cannot be read");
		return;
	}
	buf_printf(&r->out, "# HELP comptoir_outbox_pending Messages waiting to leave (every shop).\n"
	    "# TYPE comptoir_outbox_pending gauge\n"
	    "comptoir_outbox_pending %lld\n"
	    "# HELP comptoir_outbox_oldest_pending_seconds Age of the oldest message waiting, 0 when none.\n"
	    "# TYPE comptoir_outbox_oldest_pending_seconds gauge\n"
	    "comptoir_outbox_oldest_pending_seconds %lld\n", pending, oldest);
}
