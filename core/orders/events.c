#include "orders/events.h"

#include <stdlib.h>

#include "db/db.h"
#include "util/arena.h"
#include "util/log.h"

static const char *const actor_names[] = { "staff", "api", "customer", "system" };

const char *
actor_type_name(enum actor_type type)
{
	return (size_t)type < sizeof(actor_names) / sizeof(actor_names[0]) ? actor_names[type] : "system";
}

static const char sql_event_insert[] =
	"INSERT INTO order_events (shop_id, order_id, actor_type, actor_id, actor_label, action, details)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";

int
order_event_add(struct db *db, struct arena *a, long long shop_id, long long order_id,
    const struct order_actor *who, const char *action, json_t *details, long long *event_id)
{
	struct db_result res;
	char *text = details ? json_dumps(details, JSON_COMPACT) : NULL;
	int rc;

	db_desk_changed(db, shop_id);
	json_decref(details);
	if (!text) {
		log_error("order %lld: cannot write the details of %s", order_id, action);
		return DB_ERROR;
	}
	rc = db_exec(db, a, &res, sql_event_insert, DB_PARAMS(DB_I64(shop_id), DB_I64(order_id),
	    DB_STR(actor_type_name(who->type)), who->id > 0 ? DB_I64(who->id) : DB_NULL,
	    DB_STR(who->label ? who->label : ""), DB_STR(action), DB_STR(text)));
	free(text);
	if (rc == DB_OK && event_id)
		*event_id = (long long)res.insert_id;
	return rc;
}
