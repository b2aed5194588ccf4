/*
 * outbox: messages that leave the system (e-mail now; SMS, webhooks
 * later), stored inside the transaction of the action that sends them and
 * delivered afterwards by the worker, at least once. The dedup key makes
 * an action's message exist once: the same key again adds nothing.
 */
#ifndef CPT_OUTBOX_H
#define CPT_OUTBOX_H

struct arena;
struct db;

enum outbox_kind { OUTBOX_EMAIL };

struct outbox_msg {
	enum outbox_kind kind;
	long long order_id;        /* 0 for none */
	const char *recipient;     /* an e-mail address */
	const char *locale;        /* "fr", "en" */
	const char *template_name; /* "order_status_shipped" … */
	const char *subject;       /* rendered, complete */
	const char *body;
	const char *dedup_key;     /* unique per shop: "order:42:event:1234" */
};

enum { OUTBOX_ADDED = 0, OUTBOX_ALREADY = 1 };

/* Adds `m` inside the caller's transaction. Returns OUTBOX_ADDED,
 * OUTBOX_ALREADY (a message with this key exists: nothing added), or a
 * db_exec code (< 0). */
int outbox_add(struct db *db, struct arena *a, long long shop_id, const struct outbox_msg *m);

/* Messages waiting to leave, every shop together (for /_metrics): how
 * many, and the age in seconds of the oldest (0 when none). Read through
 * k_outbox_due, one range (shop_id, 'pending') per shop: the cost follows
 * the shops and the messages waiting, never the messages sent. A db_exec
 * code. */
int outbox_depth(struct db *db, struct arena *a, long long *pending, long long *oldest_seconds);

#endif
