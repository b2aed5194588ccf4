/*
 * comptoir work: the background worker. For now it keeps tables small:
 * expired sessions, login failures of past windows, idempotency keys
 * older than IDEMPOTENCY_KEEP_HOURS; and it cancels the orders left
 * unpaid past their shop's `auto_cancel_unpaid_after` (W5), and writes the
 * payment reminder of those unpaid past its `payment_reminder_after` (P7).
 * Outbox delivery (e-mails, webhooks) and schedules join it as they come.
 *   comptoir work [--once] [--interval SECONDS]
 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/session.h"
#include "auth/staff.h"
#include "cli/cli.h"
#include "conf/conf.h"
#include "orders/auto_cancel.h"
#include "orders/intake.h"
#include "payments/reminder.h"
#include "util/arena.h"
#include "util/log.h"

/* The passes of a shop's delay for unpaid orders: W5 cancels, P7 reminds. */
static long long
auto_cancel_run(struct db *db, struct arena *a, const struct shop *s, int hours)
{
	return order_auto_cancel(db, a, s->id, s->name, hours);
}

static const struct delay_pass {
	const char *did;                             /* the log's verb */
	size_t hours;                                /* offsetof the delay in struct shop_settings */
	long long (*run)(struct db *db, struct arena *a, const struct shop *s, int hours);
} delay_passes[] = {
	{ "cancelled", offsetof(struct shop_settings, auto_cancel_unpaid_hours), auto_cancel_run },
	{ "reminded", offsetof(struct shop_settings, payment_reminder_hours), payment_remind_unpaid },
};

/* One pass, shop by shop; a shop that fails is logged and the others go on. */
static int
delay_pass(struct db *db, struct config *cfg, const struct delay_pass *p)
{
	struct arena a;
	long long n;
	size_t i;
	int rc = 0, hours;

	for (i = 0; i < cfg->nshops; i++) {
		const struct shop *s = &cfg->shops[i];

		hours = *(const int *)((const char *)&s->settings + p->hours);
		if (!s->enabled || hours <= 0 || s->id <= 0)
			continue;
		arena_init(&a, 0);
		n = p->run(db, &a, s, hours);
		arena_free(&a);
		if (n < 0)
			rc = -1;
		else if (n > 0)
			log_info("work: shop %s: %s %lld orders unpaid after %d h", s->code, p->did, n, hours);
	}
	return rc;
}

static int
work_pass(struct db *db, struct config *cfg)
{
	struct arena a;
	long long sessions, failures, keys;
	bool failed = false;
	size_t i;

	arena_init(&a, 0);
	sessions = session_purge(db, &a, cfg);
	failures = staff_purge_login_failures(db, &a, cfg);
	keys = intake_purge_idempotency(db, &a);
	arena_free(&a);
	for (i = 0; i < sizeof(delay_passes) / sizeof(delay_passes[0]); i++)
		if (delay_pass(db, cfg, &delay_passes[i]) != 0)
			failed = true;   /* the next pass runs all the same */
	if (failed)
		return -1;
	if (sessions < 0 || failures < 0 || keys < 0)
		return -1;
	if (sessions || failures || keys)
		log_info("work: removed %lld expired sessions, %lld old login failures,"
		    " %lld idempotency keys past %d h", sessions, failures, keys, IDEMPOTENCY_KEEP_HOURS);
	return 0;
}

static const struct cli_option options[] = {
	{ .name = "once", .kind = CLI_FLAG },
	{ .name = "interval", .kind = CLI_NUMBER, .value = "SECONDS", .min = 1, .max = 86400 },
	{ .name = NULL }
};

static const struct cli_spec spec = {
	.name = "work",
	.usage = "usage: comptoir [--config FILE] work [--once] [--interval SECONDS]\n"
	    "Removes expired sessions, old login failures and idempotency keys, and\n"
	    "cancels the orders unpaid past their shop's auto_cancel_unpaid_after and\n"
	    "reminds those unpaid past its payment_reminder_after, every\n"
	    "SECONDS (1 to 86400, default 60) until SIGTERM, or once with --once.\n",
	.opts = options,
};

int
cmd_work(struct cli *c)
{
	struct config *cfg;
	struct db *db;
	struct timespec wait;
	sigset_t sigs;
	long interval;
	bool once;
	int rc = 0, sig, status;

	if (cli_parse(c, &spec, &status) != 0)
		return status;
	interval = (long)cli_num(c, "interval", 60);
	once = cli_flag(c, "once");
	if (cli_open(c->config_path, &cfg, &db) != 0)
		return 1;
	if (once) {
		rc = work_pass(db, cfg) == 0 ? 0 : 1;
		cli_close(cfg, db);
		return rc;
	}
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	log_info("work: running every %ld s", interval);
	for (;;) {
		work_pass(db, cfg);   /* a failed pass is logged and tried again */
		wait.tv_sec = interval;
		wait.tv_nsec = 0;
		sig = sigtimedwait(&sigs, NULL, &wait);
		if (sig == SIGTERM || sig == SIGINT)
			break;
	}
	log_info("work: stopped");
	cli_close(cfg, db);
	return rc;
}
