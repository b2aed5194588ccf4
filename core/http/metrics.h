/*
 * metrics: the counters of `comptoir serve` behind GET /_metrics, in
 * Prometheus's text format 0.0.4. Each request thread counts in a slot of
 * its own (relaxed atomics, no lock, no shared cache line on the hot path);
 * a scrape sums the slots. Labels are bounded: the route's pattern (from
 * the route table, never the raw path) and the status class; no shop.
 */
#ifndef CPT_METRICS_H
#define CPT_METRICS_H

#include <stddef.h>

struct buf;
struct route;

#define METRICS_MAX_ROUTES 127  /* routes past it count as "other": routes.c checks it is enough */

/* One answered request: `route` its index in the table, -1 when none
 * matched; `us` its time in microseconds. */
void metrics_request(int route, int status, long long us);
/* A request thread starts (+1) or ends (-1) a request. */
void metrics_busy(int delta);
/* The number of request threads, for comptoir_threads. */
void metrics_set_threads(int n);

/* Appends every metric, counters summed over the threads, to `out`. */
void metrics_render(struct buf *out, const struct route *table, size_t ntable);

#endif
