/*
 * order_edit: staff correct the customer and the addresses of an order
 * (D6), checked by address_check (D11). The order keeps its own copy of
 * the customer (a snapshot): the customers row is not changed.
 *
 * One transaction: the order row locked, its version checked (a form made
 * on an order that changed since is refused, nothing written), the order's
 * customer columns and its two addresses written, the search words of the
 * name, e-mail and telephone replaced, and ONE history event,
 * "order.addresses_changed", holding each changed field before and after.
 * Nothing changed: nothing written, no event.
 *
 * Required fields missing, text too long or that cannot be stored: refused,
 * nothing written. A postcode or a telephone of the wrong shape: a
 * warning, saved. A completed or cancelled order cannot be edited.
 */
#ifndef CPT_ORDER_EDIT_H
#define CPT_ORDER_EDIT_H

#include <stdbool.h>

#include "orders/address_check.h"
#include "orders/events.h"
#include "orders/order.h"

struct arena;
struct db;
struct wf_workflow;

struct order_edit {
	long long shop_id;
	const char *code;
	long long version;                 /* orders.version the form was made on */
	struct order_customer customer;    /* title, first_name, last_name, email, phone */
	struct order_address billing, shipping;
	/* Read by order_edit_load, for the form's page; not written. */
	const char *status;
	long long number;
};

enum order_edit_rc {
	EDIT_OK = 0,
	EDIT_ERROR = -1,          /* logged */
	EDIT_NOT_FOUND = 1,       /* no such order in this shop */
	EDIT_INVALID = 2,         /* rep says which fields */
	EDIT_REFUSED = 3,         /* *why: the order cannot be edited */
	EDIT_CHANGED = 4,         /* the order changed since `version`; *why */
};

/* "Billing address", "Postcode": a part ("customer", "billing",
 * "shipping") and a field ("postcode") in the reader's language. */
const char *order_edit_part_label(const char *part);
const char *order_edit_field_label(const char *field);

/* The history's words for an "order.addresses_changed" event of `details`
 * (its JSON text): "Customer and addresses changed: Billing address,
 * Postcode “69001” → “69003”", in the reader's language. */
const char *order_edit_changes_text(struct arena *a, const char *details);

/* Whether an order of `status` may be edited (not completed, not cancelled). */
bool order_edit_allowed(const struct wf_workflow *wf, const char *status);

/* The form of order `code` as it stands: e's fields from the order. 0, 1
 * when there is no such order, -1 (logged). */
int order_edit_load(struct db *db, struct arena *a, long long shop_id, const char *code,
    struct order_edit *e);

/*
 * Cleans e in place (trims; postcodes and telephones normalised, E.164),
 * adds its findings to rep, and saves it when nothing is refused. The
 * findings stay in rep whatever is returned (the warnings of a saved form
 * too). *why is set for EDIT_REFUSED and EDIT_CHANGED, translated.
 */
int order_edit_save(struct db *db, struct arena *a, struct order_edit *e, const struct order_actor *who,
    struct addr_report *rep, const char **why);

/* The checks of order_edit_save on their own, for a form that makes an
 * order (pages/order_new.c): trims c and the addresses in place,
 * normalises postcodes and telephones, adds the findings to rep.
 * `shipping` may be NULL (the order ships to the billing address). */
void order_edit_clean(struct arena *a, struct order_customer *c, struct order_address *billing,
    struct order_address *shipping, struct addr_report *rep);

/* The findings of an order's stored customer and addresses, for the
 * warnings the order page and the form show before shipping. */
void order_edit_findings(const struct order_customer *c, const struct order_address *billing,
    const struct order_address *shipping, struct addr_report *rep);

#endif
