#include "http/metrics.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/read_cache.h"
#include "db/replica.h"
#include "http/router.h"
#include "util/buf.h"

/* Upper bounds of the latency buckets, in microseconds (then +Inf). */
static const long long bucket_us[] = {
	500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000,
};
#define NBUCKETS (sizeof(bucket_us) / sizeof(bucket_us[0]))
#define NROUTES (METRICS_MAX_ROUTES + 1)   /* the last: no route matched */
#define NCLASSES 5                          /* 1xx … 5xx */
#define MAX_SLOTS 512

/* One thread's counters; only that thread adds to them. */
struct slot {
	atomic_ullong requests[NROUTES][NCLASSES];
	atomic_ullong buckets[NROUTES][NBUCKETS + 1];   /* not cumulative; the last is +Inf */
	atomic_ullong sum_us[NROUTES];
};

static _Atomic(struct slot *) slots[MAX_SLOTS];
static atomic_int nslots;
static struct slot shared;            /* for threads past MAX_SLOTS or out of memory */
static _Thread_local struct slot *mine;
static atomic_int busy, threads;

/* This thread's slot, made at its first request. */
static struct slot *
my_slot(void)
{
	int i;

	if (mine)
		return mine;
	mine = &shared;
	i = atomic_fetch_add(&nslots, 1);
	if (i < MAX_SLOTS) {
		struct slot *s = calloc(1, sizeof(*s));

		if (s) {
			atomic_store(&slots[i], s);
			mine = s;
		}
	}
	return mine;
}

static void
add(atomic_ullong *c, unsigned long long n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

void
metrics_request(int route, int status, long long us)
{
	struct slot *s = my_slot();
	size_t r = route >= 0 && route < METRICS_MAX_ROUTES ? (size_t)route : METRICS_MAX_ROUTES;
	size_t c = status >= 100 && status < 600 ? (size_t)(status / 100 - 1) : NCLASSES - 1;
	size_t b = 0;

	if (us < 0)
		us = 0;
	while (b < NBUCKETS && us > bucket_us[b])
		b++;
	add(&s->requests[r][c], 1);
	add(&s->buckets[r][b], 1);
	add(&s->sum_us[r], (unsigned long long)us);
}

void
metrics_busy(int delta)
{
	atomic_fetch_add_explicit(&busy, delta, memory_order_relaxed);
}

void
metrics_set_threads(int n)
{
	atomic_store(&threads, n);
}

static unsigned long long
get(const atomic_ullong *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

/* Every slot's counters added into `sum`. */
static void
sum_slots(struct slot *sum)
{
	int i, n = atomic_load(&nslots);
	size_t r, k;

	memset(sum, 0, sizeof(*sum));
	for (i = -1; i < n && i < MAX_SLOTS; i++) {
		struct slot *s = i < 0 ? &shared : atomic_load(&slots[i]);

		if (!s)
			continue;
		for (r = 0; r < NROUTES; r++) {
			for (k = 0; k < NCLASSES; k++)
				add(&sum->requests[r][k], get(&s->requests[r][k]));
			for (k = 0; k <= NBUCKETS; k++)
				add(&sum->buckets[r][k], get(&s->buckets[r][k]));
			add(&sum->sum_us[r], get(&s->sum_us[r]));
		}
	}
}

/* The label set of route r: method and pattern, both from the table. */
static void
route_labels(struct buf *out, const struct route *table, size_t ntable, size_t r)
{
	if (r < ntable && r < METRICS_MAX_ROUTES)
		buf_printf(out, "method=\"%s\",route=\"%s\"", table[r].method, table[r].path);
	else if (r < METRICS_MAX_ROUTES)
		buf_puts(out, "method=\"\",route=\"\"");
	else
		buf_puts(out, "method=\"\",route=\"none\"");
}

static bool
route_used(const struct slot *sum, size_t r)
{
	size_t k;

	for (k = 0; k < NCLASSES; k++)
		if (get(&sum->requests[r][k]))
			return true;
	return false;
}

void
metrics_render(struct buf *out, const struct route *table, size_t ntable)
{
	struct slot *sum = calloc(1, sizeof(*sum));
	struct db_counters db;
	struct replica_figures rf;
	struct read_cache_figures cf;
	size_t r, k, last = ntable < METRICS_MAX_ROUTES ? ntable : METRICS_MAX_ROUTES;

	if (!sum) {
		buf_puts(out, "# out of memory\n");
		return;
	}
	sum_slots(sum);
	buf_puts(out, "# HELP comptoir_http_requests_total Requests answered, by route and status class.\n"
	    "# TYPE comptoir_http_requests_total counter\n");
	for (r = 0; r < NROUTES; r++) {
		if (r >= last && r != METRICS_MAX_ROUTES)
			continue;
		for (k = 0; k < NCLASSES; k++) {
			buf_puts(out, "comptoir_http_requests_total{");
			route_labels(out, table, ntable, r);
			buf_printf(out, ",status=\"%zuxx\"} %llu\n", k + 1, get(&sum->requests[r][k]));
		}
	}
	buf_puts(out, "# HELP comptoir_http_request_duration_seconds Time from the request read to the"
	    " response written.\n# TYPE comptoir_http_request_duration_seconds histogram\n");
	for (r = 0; r < NROUTES; r++) {
		unsigned long long cum = 0;

		if ((r >= last && r != METRICS_MAX_ROUTES) || !route_used(sum, r))
			continue;   /* a histogram per route that answered: fewer lines */
		for (k = 0; k <= NBUCKETS; k++) {
			cum += get(&sum->buckets[r][k]);
			buf_puts(out, "comptoir_http_request_duration_seconds_bucket{");
			route_labels(out, table, ntable, r);
			if (k < NBUCKETS)
				buf_printf(out, ",le=\"%lld.%06lld\"} %llu\n", bucket_us[k] / 1000000,
				    bucket_us[k] % 1000000, cum);
			else
				buf_printf(out, ",le=\"+Inf\"} %llu\n", cum);
		}
		buf_puts(out, "comptoir_http_request_duration_seconds_sum{");
		route_labels(out, table, ntable, r);
		buf_printf(out, "} %llu.%06llu\n", get(&sum->sum_us[r]) / 1000000,
		    get(&sum->sum_us[r]) % 1000000);
		buf_puts(out, "comptoir_http_request_duration_seconds_count{");
		route_labels(out, table, ntable, r);
		buf_printf(out, "} %llu\n", cum);
	}
	db_counters(&db);
	buf_printf(out, "# HELP comptoir_db_transactions_total Database transactions (db_tx), by outcome.\n"
	    "# TYPE comptoir_db_transactions_total counter\n"
	    "comptoir_db_transactions_total{outcome=\"committed\"} %llu\n"
	    "comptoir_db_transactions_total{outcome=\"refused\"} %llu\n"
	    "comptoir_db_transactions_total{outcome=\"failed\"} %llu\n"
	    "comptoir_db_transactions_total{outcome=\"unknown\"} %llu\n"
	    "# HELP comptoir_db_transaction_retries_total Transaction attempts run again"
	    " (deadlock, lock wait, lost connection).\n"
	    "# TYPE comptoir_db_transaction_retries_total counter\n"
	    "comptoir_db_transaction_retries_total %llu\n",
	    db.tx_ok, db.tx_refused, db.tx_failed, db.tx_unknown, db.tx_retries);
	replica_figures(&rf);
	buf_printf(out, "# HELP comptoir_db_replica_in_use 1 while the reads that may lag go to the read"
	    " replica, 0 while they go to the primary (or no replica is configured).\n"
	    "# TYPE comptoir_db_replica_in_use gauge\n"
	    "comptoir_db_replica_in_use %d\n"
	    "# HELP comptoir_db_replica_configured 1 when database.replica names a replica.\n"
	    "# TYPE comptoir_db_replica_configured gauge\n"
	    "comptoir_db_replica_configured %d\n",
	    rf.in_use ? 1 : 0, rf.configured ? 1 : 0);
	if (rf.configured) {
		buf_puts(out, "# HELP comptoir_db_replica_lag_seconds Seconds_Behind_Master at the last check"
		    " (NaN: unknown).\n# TYPE comptoir_db_replica_lag_seconds gauge\n");
		if (rf.lag >= 0)
			buf_printf(out, "comptoir_db_replica_lag_seconds %lld\n", rf.lag);
		else
			buf_puts(out, "comptoir_db_replica_lag_seconds NaN\n");
		buf_printf(out, "# HELP comptoir_db_reads_total Reads that may lag (db_reads), by the server"
		    " chosen.\n# TYPE comptoir_db_reads_total counter\n"
		    "comptoir_db_reads_total{server=\"replica\"} %llu\n"
		    "comptoir_db_reads_total{server=\"primary\"} %llu\n"
		    "# HELP comptoir_db_replica_switches_total Changes between the replica and the primary.\n"
		    "# TYPE comptoir_db_replica_switches_total counter\n"
		    "comptoir_db_replica_switches_total %llu\n",
		    rf.reads_replica, rf.reads_primary, rf.switches);
	}
	read_cache_figures(&cf);
	buf_printf(out, "# HELP comptoir_read_cache_lookups_total The desk's reads looked up in memory"
	    " (db_desk), by outcome.\n# TYPE comptoir_read_cache_lookups_total counter\n"
	    "comptoir_read_cache_lookups_total{outcome=\"hit\"} %llu\n"
	    "comptoir_read_cache_lookups_total{outcome=\"miss\"} %llu\n"
	    "# HELP comptoir_read_cache_evictions_total Entries dropped: the bound, or an older desk version.\n"
	    "# TYPE comptoir_read_cache_evictions_total counter\n"
	    "comptoir_read_cache_evictions_total %llu\n"
	    "# HELP comptoir_read_cache_bytes Bytes held (the bound is database.read_cache_mb).\n"
	    "# TYPE comptoir_read_cache_bytes gauge\n"
	    "comptoir_read_cache_bytes %llu\n"
	    "# HELP comptoir_read_cache_entries Results held.\n"
	    "# TYPE comptoir_read_cache_entries gauge\n"
	    "comptoir_read_cache_entries %llu\n",
	    cf.hits, cf.misses, cf.evictions, cf.bytes, cf.entries);
	buf_printf(out, "# HELP comptoir_threads Request threads of this process.\n"
	    "# TYPE comptoir_threads gauge\n"
	    "comptoir_threads %d\n"
	    "# HELP comptoir_threads_busy Request threads answering a request now.\n"
	    "# TYPE comptoir_threads_busy gauge\n"
	    "comptoir_threads_busy %d\n"
	    "# HELP comptoir_process_id The process answering (several serve one socket set).\n"
	    "# TYPE comptoir_process_id gauge\n"
	    "comptoir_process_id %ld\n",
	    atomic_load(&threads), atomic_load(&busy), (long)getpid());
	free(sum);
}
