/*
 * replica: whether the reads that tolerate lag (db_reads, db/db.h) go to
 * the read replica or to the primary, decided once a second per process.
 *
 * A thread of `comptoir serve` (the watch), with a connection of its own,
 * reads the replica's SHOW SLAVE STATUS every second: the replica is used
 * while its SQL thread runs and Seconds_Behind_Master is at most
 * database.replica.max_lag_seconds. Seconds_Behind_Master rather than a
 * heartbeat table: it needs no table, no writer on the primary and no
 * clocks in step, and is NULL (taken as "too far behind") whenever the
 * replica cannot know, its SQL or I/O thread stopped. A replica out of
 * reach (or a read that could not reach it) sends reads to the primary at
 * once. A verdict is trusted 3 s: a watch stuck on a hung replica cannot
 * keep reads on it. Each change is logged once, with its reason.
 */
#ifndef CPT_REPLICA_H
#define CPT_REPLICA_H

#include <stdbool.h>

struct config;

enum replica_verdict {
	REPLICA_IN_STEP,       /* in use */
	REPLICA_UNKNOWN,       /* not checked yet */
	REPLICA_BEHIND,        /* lag beyond the bound, or unknown (NULL) */
	REPLICA_STOPPED,       /* its SQL thread is not running */
	REPLICA_NOT_REPLICA,   /* SHOW SLAVE STATUS is empty */
	REPLICA_DOWN,          /* out of reach, or the status cannot be read */
};

/* The verdict on one SHOW SLAVE STATUS row: `sql_running` its
 * Slave_SQL_Running, `behind` its Seconds_Behind_Master (NULL for NULL);
 * *lag the seconds behind, -1 when unknown. */
enum replica_verdict replica_judge(const char *sql_running, const char *behind, int max_lag,
    long long *lag);

/* Starts the watch when cfg names a replica: 0, or -1 (logged). */
int replica_watch_start(const struct config *cfg);
void replica_watch_stop(void);

/* For db.c: true when reads may go to the replica now (and counts the
 * read on one side or the other); replica_unreachable: a read found it
 * out of reach, `why` the client's error. */
bool replica_use(void);
void replica_unreachable(const char *why);

/* For /_metrics. */
struct replica_figures {
	bool configured;
	bool in_use;
	long long lag;                 /* seconds, -1 unknown */
	unsigned long long reads_replica, reads_primary, switches;
};
void replica_figures(struct replica_figures *out);

#endif
