/*
 * events: the one writer of an order's history. Every change of an order
 * calls order_event_add inside the transaction that makes the change, so
 * the change and its event commit together or not at all.
 */
#ifndef CPT_ORDER_EVENTS_H
#define CPT_ORDER_EVENTS_H

#include <jansson.h>

struct arena;
struct db;

/* Who makes a change, as history events record it. */
enum actor_type { ACTOR_STAFF, ACTOR_API, ACTOR_CUSTOMER, ACTOR_SYSTEM };

struct order_actor {
	enum actor_type type;
	long long id;             /* staff id; 0 for none */
	const char *label;        /* the staff member's name or e-mail, or the worker's name */
};

/* "staff", "api", "customer", "system": the actor_type columns' words. */
const char *actor_type_name(enum actor_type type);

/*
 * Writes event `action` ("order.status_changed" …) of order_id, now, by
 * `who`, with `details` (what changed: "from"/"to" for a value before and
 * after, and what else the history shows). Takes the reference to
 * `details` (json_pack's result may be passed unchecked: NULL is a failure).
 * Must run inside the caller's db_tx. Sets *event_id (if not NULL).
 * Returns DB_OK or a db_exec code (DB_RETRY in a transaction …).
 */
int order_event_add(struct db *db, struct arena *a, long long shop_id, long long order_id,
    const struct order_actor *who, const char *action, json_t *details, long long *event_id);

#endif
