#include "db/replica.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <mysql.h>

#include "conf/conf.h"
#include "db/db.h"
#include "util/arena.h"
#include "util/log.h"

#define CHECK_MS 1000      /* the watch's period */
#define TRUST_MS 3000      /* how long a verdict holds without a newer one */

static atomic_bool configured;
static atomic_int verdict = REPLICA_UNKNOWN;
static atomic_llong verdict_at_ms;         /* monotonic, when it was given */
static atomic_llong lag_seen = -1;
static atomic_ullong reads_replica, reads_primary, switches;

static pthread_t watch_tid;
static pthread_mutex_t watch_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t watch_cv = PTHREAD_COND_INITIALIZER;
static bool watch_running, watch_stop;
static struct db *watch_db;
static int max_lag;

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum replica_verdict
replica_judge(const char *sql_running, const char *behind, int max_lag_seconds, long long *lag)
{
	char *end;
	long long n;

	*lag = -1;
	if (!sql_running || strcmp(sql_running, "Yes") != 0)
		return REPLICA_STOPPED;
	if (!behind || !*behind)
		return REPLICA_BEHIND;
	errno = 0;
	n = strtoll(behind, &end, 10);
	if (errno || *end || n < 0)
		return REPLICA_BEHIND;
	*lag = n;
	return n <= max_lag_seconds ? REPLICA_IN_STEP : REPLICA_BEHIND;
}

/* Records a verdict; a change of side is logged once, with `why`. */
static void
set_verdict(enum replica_verdict v, const char *why)
{
	enum replica_verdict old = (enum replica_verdict)atomic_exchange(&verdict, (int)v);

	atomic_store(&verdict_at_ms, now_ms());
	if (old == v || (old != REPLICA_IN_STEP && v != REPLICA_IN_STEP && old != REPLICA_UNKNOWN))
		return;   /* the same side: nothing to say */
	atomic_fetch_add(&switches, 1);
	if (v == REPLICA_IN_STEP)
		log_info("db: reads that may lag go to the replica%s (%s)",
		    old == REPLICA_UNKNOWN ? "" : " again", why);
	else
		log_warn("db: reads go to the primary: %s", why);
}

bool
replica_use(void)
{
	bool yes = atomic_load(&configured) && atomic_load(&verdict) == REPLICA_IN_STEP &&
	    now_ms() - atomic_load(&verdict_at_ms) < TRUST_MS;

	atomic_fetch_add_explicit(yes ? &reads_replica : &reads_primary, 1, memory_order_relaxed);
	return yes;
}

void
replica_unreachable(const char *why)
{
	char text[300];

	snprintf(text, sizeof(text), "the replica cannot be reached: %s", why && *why ? why : "lost");
	set_verdict(REPLICA_DOWN, text);
}

/* One look at the replica. */
static void
check(struct arena *a)
{
	static const char *const names[] = { "Slave_SQL_Running", "Seconds_Behind_Master",
	    "Slave_IO_Running" };
	const char *v[3];
	char why[300];
	long long lag;
	bool found;
	enum replica_verdict r;

	if (db_show(watch_db, a, "SHOW SLAVE STATUS", 3, names, v, &found) != DB_OK) {
		snprintf(why, sizeof(why), "the replica's status cannot be read: %s%s", db_error(watch_db),
		    db_errno(watch_db) == 1227 ? " (its user needs the SLAVE MONITOR privilege)" : "");
		atomic_store(&lag_seen, -1);
		set_verdict(REPLICA_DOWN, why);
		return;
	}
	if (!found) {
		atomic_store(&lag_seen, -1);
		set_verdict(REPLICA_NOT_REPLICA, "the replica's server replicates nothing (SHOW SLAVE STATUS is empty)");
		return;
	}
	r = replica_judge(v[0], v[1], max_lag, &lag);
	atomic_store(&lag_seen, lag);
	if (r == REPLICA_IN_STEP)
		snprintf(why, sizeof(why), "%lld s behind", lag);
	else if (r == REPLICA_STOPPED)
		snprintf(why, sizeof(why), "the replica's SQL thread is not running (Slave_SQL_Running: %s)",
		    v[0] ? v[0] : "NULL");
	else if (lag < 0)
		snprintf(why, sizeof(why), "the replica cannot say how far behind it is"
		    " (Seconds_Behind_Master: NULL, Slave_IO_Running: %s)", v[2] ? v[2] : "NULL");
	else
		snprintf(why, sizeof(why), "the replica is %lld s behind (database.replica.max_lag_seconds: %d)",
		    lag, max_lag);
	set_verdict(r, why);
}

static void *
watch_main(void *arg)
{
	struct arena a;
	struct timespec until;

	(void)arg;
	mysql_thread_init();
	arena_init(&a, 16 * 1024);
	pthread_mutex_lock(&watch_mu);
	while (!watch_stop) {
		pthread_mutex_unlock(&watch_mu);
		check(&a);
		arena_reset(&a);
		pthread_mutex_lock(&watch_mu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += CHECK_MS / 1000;
		while (!watch_stop && pthread_cond_timedwait(&watch_cv, &watch_mu, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&watch_mu);
	arena_free(&a);
	db_close(watch_db);
	watch_db = NULL;
	mysql_thread_end();
	return NULL;
}

int
replica_watch_start(const struct config *cfg)
{
	watch_db = db_open_replica(cfg, NULL);
	if (!watch_db)
		return 0;   /* none configured */
	max_lag = cfg->database.replica.max_lag_seconds;
	atomic_store(&configured, true);
	watch_stop = false;
	if (pthread_create(&watch_tid, NULL, watch_main, NULL) != 0) {
		log_error("db: cannot start the replica's watch: reads stay on the primary");
		db_close(watch_db);
		watch_db = NULL;
		atomic_store(&configured, false);
		return -1;
	}
	watch_running = true;
	return 0;
}

void
replica_watch_stop(void)
{
	struct timespec deadline;

	if (!watch_running)
		return;
	pthread_mutex_lock(&watch_mu);
	watch_stop = true;
	pthread_cond_signal(&watch_cv);
	pthread_mutex_unlock(&watch_mu);
	/* A check waits at most its connection's time-outs (1 s to connect,
	 * 2 s to read); past them the process exits without it. */
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 3;
	if (pthread_timedjoin_np(watch_tid, NULL, &deadline) != 0) {
		log_warn("db: the replica's watch is still waiting for the replica; not waiting longer");
		pthread_detach(watch_tid);
	}
	watch_running = false;
	atomic_store(&configured, false);
}

void
replica_figures(struct replica_figures *out)
{
	out->configured = atomic_load(&configured);
	out->in_use = out->configured && atomic_load(&verdict) == REPLICA_IN_STEP &&
	    now_ms() - atomic_load(&verdict_at_ms) < TRUST_MS;
	out->lag = atomic_load(&lag_seen);
	out->reads_replica = atomic_load_explicit(&reads_replica, memory_order_relaxed);
	out->reads_primary = atomic_load_explicit(&reads_primary, memory_order_relaxed);
	out->switches = atomic_load(&switches);
}
