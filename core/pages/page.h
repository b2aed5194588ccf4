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
void bulk_post(struct request *r);
void bulk_get(struct request *r);

/* Payments (core/pages/payments.c): the order page's block, bank reconciliation. */
void order_payment_post(struct request *r);
void order_refund_post(struct request *r);
void order_mark_paid_post(struct request *r);
void order_mark_unpaid_post(struct request *r);
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

/* "Propriétaire", "Employé", "Préparateur": a role as staff read it. */
const char *staff_role_label(enum staff_role role);
void ping_get(struct request *r);
void metrics_get(struct request *r);

#endif
