/*
 * page: what every HTML screen shares: the layout (shop name, navigation,
 * search box, staff menu), error pages, the way to the login page.
 * A screen is one file in core/pages/ that fills variables and calls
 * page_render().
 */
#ifndef CPT_PAGE_H
#define CPT_PAGE_H

#include "auth/staff.h"
#include "http/request.h"
#include "tpl/tpl.h"

/* Variables every page can use: shop, user, csrf, lang. */
struct tpl_vars *page_vars(struct request *r);

/* Renders templates/pages/<name>.html inside the layout, with `title`. */
void page_render(struct request *r, const char *name, struct tpl_vars *vars, const char *title);

/* A page for an HTTP error status, in the shop's look. */
void page_error(struct request *r, int status);
/* A bare error page, for requests that belong to no shop. */
void page_plain_error(struct request *r, int status);
/* Sends the browser to /login, coming back here afterwards. */
void page_redirect_login(struct request *r);
/* Is `next` a path of ours: "/…" in printable ASCII, never "//host",
 * "/\\host" or a scheme? (Browsers drop tabs and line ends from URLs.) */
bool page_local_path(const char *next);
/* Where a role lands after login: the first screen it may use. */
const char *page_home(enum staff_role role);
/* A public form, before any session (login, the customer's payment page),
 * is protected by a double-submit token: the cookie `cookie` (set when
 * missing) and the form's field "csrf" must match. The token for the form;
 * whether the posted form matches (a refusal is logged). */
const char *page_public_token(struct request *r, const char *cookie);
bool page_public_token_ok(struct request *r, const char *cookie);

/* The handlers, one file each. */
void login_get(struct request *r);
void login_post(struct request *r);
void logout_post(struct request *r);
void dashboard_get(struct request *r);
void search_get(struct request *r);
void account_get(struct request *r);
void account_post(struct request *r);
void team_get(struct request *r);
void order_get(struct request *r);
void order_note_post(struct request *r);
void order_status_post(struct request *r);
void order_hold_post(struct request *r);
void order_reference_post(struct request *r);
void order_cancel_get(struct request *r);
void order_cancel_post(struct request *r);
void order_delete_get(struct request *r);
void order_delete_post(struct request *r);
void order_addresses_get(struct request *r);
void order_addresses_post(struct request *r);
void orders_get(struct request *r);
void orders_csv_get(struct request *r);
void views_post(struct request *r);
void view_delete_post(struct request *r);
void statuses_get(struct request *r);
void statuses_post(struct request *r);
void status_edit_post(struct request *r);
void status_move_post(struct request *r);
void status_retire_post(struct request *r);
void statuses_css_get(struct request *r);
void products_get(struct request *r);
void product_page_get(struct request *r);
void product_adjust_post(struct request *r);
void modules_get(struct request *r);
void module_post(struct request *r);
void payment_webhook_post(struct request *r);
/* The order page's block of the payment method's plugin (pages/payment_instructions.c). */
struct order;
void payment_instructions_fill(struct request *r, const struct order *o, struct tpl_vars *v);
/* What plugin p (enabled for the shop: its row) shows for `co` in `lang`,
 * as a block {name, label, items} made by block_add(v, key) (tpl_set_map
 * or tpl_list_add) when it shows anything; whether it did. */
struct cpt_order;
struct plugin;
struct shop_plugin_row;
bool payment_plugin_show(struct request *r, const struct plugin *p, struct shop_plugin_row *row,
    const struct cpt_order *co, const char *lang, struct tpl_vars *(*block_add)(struct tpl_vars *, const char *),
    struct tpl_vars *v, const char *key);
/* The customer's payment page (pages/pay.c) and the order page's link. */
void pay_get(struct request *r);
void pay_start_post(struct request *r);
void order_paylink_post(struct request *r);
/* The order page's payment link block; `live`: paylink_view_sql's result. */
struct db_result;
void paylink_fill(struct request *r, const struct order *o, const struct db_result *live, struct tpl_vars *v);
void bulk_post(struct request *r);
void bulk_get(struct request *r);

/* Payments (core/pages/payments.c): the order page's block, bank reconciliation. */
void order_payment_post(struct request *r);
void order_refund_post(struct request *r);
void order_mark_paid_post(struct request *r);
void order_mark_unpaid_post(struct request *r);
void order_refund_online_post(struct request *r);
int payment_refund_online_fill(struct request *r, const struct db_result *last, struct tpl_vars *order);
void reconcile_get(struct request *r);
void reconcile_post(struct request *r);
void reconcile_confirm_post(struct request *r);

/* The lines of an order, and the quotes (core/pages/quotes.c). */
void order_lines_get(struct request *r);
void order_lines_post(struct request *r);
void order_quote_post(struct request *r);
void quotes_get(struct request *r);
void quote_get(struct request *r);
void quote_lines_post(struct request *r);
void quote_convert_post(struct request *r);

/* The order page's helpers for actions handled outside core/pages/order.c:
 * the route's code (false: answer 404), the staff member as the history
 * names them, the form's version, the redirect back to block `anchor`,
 * and the page again with `message` at block `field`, answered `status`. */
struct order_actor;
bool order_page_code(struct request *r, char code[9]);
struct order_actor order_page_actor(const struct request *r);
bool order_page_version(struct request *r, long long *version);
void order_page_back(struct request *r, const char *code, const char *anchor);
void order_page_refused(struct request *r, const char *code, int status, const char *field, const char *message,
    const char *text);

/* The customer and address fields of the form of /orders/{code}/addresses,
 * named part_field ("billing_postcode"): read from the form into e, and
 * filled as the template's "parts" with rep's findings beside them (and
 * "findings"); the form that makes an order uses them too, `flags` saying
 * which it leaves out (the customer: one of the shop's is chosen) or needs
 * not (the shipping address: empty, it is the billing one). */
struct order_edit;
struct addr_report;
void order_fields_read(struct request *r, struct order_edit *e);
enum { ORDER_FIELDS_NO_CUSTOMER = 1, ORDER_FIELDS_SHIPPING_OPTIONAL = 2 };
void order_fields_fill(struct request *r, struct tpl_vars *v, struct order_edit *e, const struct addr_report *rep,
    unsigned flags);
void order_new_get(struct request *r);
void order_new_post(struct request *r);

/* "Propriétaire", "Employé", "Préparateur": a role as staff read it. */
const char *staff_role_label(enum staff_role role);
void ping_get(struct request *r);
void metrics_get(struct request *r);

#endif
