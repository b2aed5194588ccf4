/*
 * lines_edit: the lines of an order still in progress, or of a quote,
 * changed one at a time (W9, W7): a product added (by SKU), a quantity
 * changed, a line removed. One piece of code for both kinds; what differs
 * is the tables, and that an order also holds stock, a payment state and
 * a place in the dashboard's counters.
 *
 * One transaction per change:
 *   - the order's (quote's) row locked and its version checked: a form
 *     made on it before another change is refused (LINES_CHANGED, "the
 *     order changed meanwhile"), nothing written;
 *   - an order may be edited while its status is not final
 *     (order_edit_allowed, as its addresses), nothing is shipped and it
 *     has no invoice; a quote until it became an order;
 *   - an order's stock reserved or given back through core/stock
 *     (stock_reserve_line, stock_release_line): a quantity short is
 *     refused (LINES_SHORT) and the transaction rolled back;
 *   - the line written, the totals and VAT recomputed by order_totals()
 *     and stored, the version moved;
 *   - an order's payment state recomputed from its payments, its counters
 *     moved (order_counts_move) when its payment state or its total as a
 *     sale moved, the search words of its lines replaced;
 *   - one history event, "order.lines_changed" / "quote.lines_changed",
 *     with the line's quantity and the total before and after.
 * Adding a SKU the document already has (a plain line of it) raises that
 * line's quantity.
 */
#ifndef CPT_LINES_EDIT_H
#define CPT_LINES_EDIT_H

#include <stdbool.h>

#include "orders/events.h"

struct arena;
struct db;

#define LINES_MAX_QUANTITY 100000

enum lines_kind { LINES_ORDER, LINES_QUOTE };
enum lines_op { LINES_ADD, LINES_SET, LINES_REMOVE };

struct lines_change {
	enum lines_kind kind;
	long long shop_id;
	const char *code;          /* the order's or the quote's */
	long long version;         /* the version the form was made on */
	enum lines_op op;
	const char *sku;           /* LINES_ADD */
	int line_no;               /* LINES_SET, LINES_REMOVE */
	long long quantity;        /* LINES_ADD (added), LINES_SET (the new one): 1 to LINES_MAX_QUANTITY */
	const char *lang;          /* of the amounts in *why: "fr" (NULL) or "en" */
};

enum lines_rc {
	LINES_OK = 0,
	LINES_ERROR = -1,          /* logged */
	LINES_NOT_FOUND = 1,       /* no such order, quote or line in this shop */
	LINES_REFUSED = 2,         /* *why: it can no longer be edited, or the change is not possible */
	LINES_CHANGED = 3,         /* changed since `version`; *why */
	LINES_SHORT = 4,           /* not enough stock; *why says of what and how much is left */
	LINES_NO_PRODUCT = 5,      /* no product of that SKU in the shop, or no longer sold; *why */
	LINES_INVALID = 6,         /* quantity out of range, totals too large; *why */
};

/* Makes change c by `who`. *why (translated) for every refusal. */
int lines_edit(struct db *db, struct arena *a, const struct lines_change *c, const struct order_actor *who,
    const char **why);

/* May an order be edited: status not final in the shop's workflow, not
 * shipped, no invoice. (The order page offers the editor when it is.) */
struct wf_workflow;
bool lines_order_editable(const struct wf_workflow *wf, const char *status, const char *shipping_state,
    bool has_invoice);

/* The history's words for a "*.lines_changed" event of `details` (its JSON
 * text), in the reader's language: "Products: Mug (E-MUG) 1 → 3; total
 * 12,00 € → 36,00 €". */
const char *lines_change_text(struct arena *a, const char *details, const char *currency, const char *lang);

#endif
