/*
 * bulk: actions applied to many orders at once from the order list (L8).
 * One table (bulk.c) says what each action is called, who may use it and
 * what it does to one order; adding "mark paid" or "print the invoices"
 * is one function and one row. Each order is its own transaction, with
 * its own checks (the move allowed, the version the list was read at), so
 * one refusal never holds up the others; what happened to each order is
 * kept (bulk_runs) for the summary page.
 */
#ifndef CPT_BULK_H
#define CPT_BULK_H

#include <stdbool.h>
#include <stddef.h>

#include "orders/events.h"

struct arena;
struct db;
struct tpl_vars;
struct wf_workflow;

#define BULK_MAX 1000    /* orders in one action; more is refused, never cut */

/* One order to act on, as the list showed it. */
struct bulk_target {
	const char *code;
	long long version;
};

struct bulk_ctx {
	long long shop_id;
	const char *shop_name;
	const struct order_actor *who;
	const char *choice;           /* the action's choice ("processing"), or NULL */
	bool notify;                  /* tell the customers, when the action e-mails */
};

struct bulk_action {
	const char *name;             /* the form's value, before ":choice" */
	const char *label;            /* msgid; "%s" is the choice's label */
	unsigned roles;               /* enum staff_role bits */
	/* The i-th choice's code and label in the shop's workflow (NULL past
	 * the end); NULL for an action without a choice. */
	const char *(*choice)(const struct wf_workflow *wf, size_t i, const char **label);
	/* Does it to one order: WF_OK, or WF_NOT_FOUND, WF_REFUSED, WF_CHANGED
	 * with *why, or WF_ERROR (orders/workflow.h). */
	int (*run)(struct db *db, struct arena *a, const struct bulk_ctx *c, const struct bulk_target *t,
	    const char **why);
};

enum bulk_rc {
	BULK_OK = 0,
	BULK_ERROR = -1,      /* logged */
	BULK_BAD = 1,         /* no such action or choice, or not for this role */
	BULK_NOT_FOUND = 2,   /* bulk_run_load */
};

/* Adds to vars the list "bulk_actions" of {value, label}: every action and
 * choice `role` may use. */
void bulk_fill_actions(struct tpl_vars *vars, struct arena *a, const struct wf_workflow *wf, unsigned role);

/* The action and choice of a form's value ("status:processing"). */
int bulk_find(struct arena *a, const struct wf_workflow *wf, const char *value, unsigned role, const struct bulk_action **act,
    const char **choice, const char **label);

/* Runs `act` on the n targets (at most BULK_MAX), each in its own
 * transaction, and keeps what happened as run *run_id of staff_id. */
int bulk_apply(struct db *db, struct arena *a, const struct bulk_action *act, const struct bulk_ctx *c,
    const char *label, const struct bulk_target *t, size_t n, long long staff_id, long long *run_id);

/* A run, as bulk_apply kept it. */
struct bulk_item {
	const char *code, *why;
	bool done, found;
};
struct bulk_run {
	const char *label;
	long long done, refused;
	struct bulk_item *items;
	size_t nitems;
};

/* Run `id` of staff_id in the shop; BULK_NOT_FOUND for anyone else's. */
int bulk_run_load(struct db *db, struct arena *a, long long shop_id, long long staff_id, long long id,
    struct bulk_run *out);

#endif
