/* Every URL of the back office, and who may use it. */
#include "api/api.h"
#include "auth/staff.h"
#include "http/metrics.h"
#include "http/router.h"
#include "pages/page.h"

const struct route routes[] = {
	{ "GET",  "/_ping",   ping_get,      ROUTE_PUBLIC, 0 },
	{ "GET",  "/_metrics", metrics_get,  ROUTE_METRICS, 0 },
	{ "GET",  "/login",   login_get,     ROUTE_PUBLIC, 0 },
	{ "POST", "/login",   login_post,    ROUTE_PUBLIC, 0 },
	{ "POST", "/logout",  logout_post,   ROUTE_STAFF,  0 },
	{ "GET",  "/",        dashboard_get, ROUTE_STAFF,  ROLES_OFFICE },
	{ "GET",  "/search",  search_get,    ROUTE_STAFF,  ROLES_OFFICE },
	{ "GET",  "/account", account_get,   ROUTE_STAFF,  0 },
	{ "POST", "/account", account_post,  ROUTE_STAFF,  0 },
	{ "GET",  "/team",    team_get,      ROUTE_STAFF,  ROLE_OWNER },
	{ "GET",  "/orders",              orders_get,           ROUTE_STAFF, ROLES_OFFICE },
	{ "GET",  "/orders.csv",          orders_csv_get,       ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/views",               views_post,           ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/views/{}/delete",     view_delete_post,     ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/bulk",                bulk_post,            ROUTE_STAFF, ROLES_OFFICE },
	{ "GET",  "/bulk/{}",             bulk_get,             ROUTE_STAFF, ROLES_OFFICE },
	/* Before /orders/{}, which would take "new" for a code. */
	{ "GET",  "/orders/new",          order_new_get,        ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/new",          order_new_post,       ROUTE_STAFF, ROLES_OFFICE },
	{ "GET",  "/orders/{}",           order_get,            ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/notes",     order_note_post,      ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/reference", order_reference_post, ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/status",    order_status_post,    ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/hold",      order_hold_post,      ROUTE_STAFF, ROLES_OFFICE },
	{ "GET",  "/settings/statuses",            statuses_get,       ROUTE_STAFF, ROLE_OWNER },
	{ "POST", "/settings/statuses",            statuses_post,      ROUTE_STAFF, ROLE_OWNER },
	{ "POST", "/settings/statuses/{}/edit",    status_edit_post,   ROUTE_STAFF, ROLE_OWNER },
	{ "POST", "/settings/statuses/{}/move",    status_move_post,   ROUTE_STAFF, ROLE_OWNER },
	{ "POST", "/settings/statuses/{}/retire",  status_retire_post, ROUTE_STAFF, ROLE_OWNER },
	{ "GET",  "/statuses.css",                 statuses_css_get,   ROUTE_STAFF, 0 },
	{ "GET",  "/products",            products_get,         ROUTE_STAFF, ROLES_OFFICE },
	{ "GET",  "/products/{}",         product_page_get,     ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/products/{}/adjust",  product_adjust_post,  ROUTE_STAFF, ROLES_OFFICE },
	{ "GET",  "/settings/modules",    modules_get,          ROUTE_STAFF, ROLE_OWNER },
	{ "POST", "/settings/modules/{}", module_post,          ROUTE_STAFF, ROLE_OWNER },
	{ "POST", "/webhooks/payments/{}", payment_webhook_post, ROUTE_PUBLIC, 0 },
	{ "GET",  "/orders/{}/cancel",    order_cancel_get,     ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/cancel",    order_cancel_post,    ROUTE_STAFF, ROLES_OFFICE },
	{ "GET",  "/orders/{}/delete",    order_delete_get,     ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/delete",    order_delete_post,    ROUTE_STAFF, ROLES_OFFICE },
	{ "GET",  "/orders/{}/addresses", order_addresses_get,  ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/addresses", order_addresses_post, ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/payments",    order_payment_post,     ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/refunds",     order_refund_post,      ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/refunds/online", order_refund_online_post, ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/mark-paid",   order_mark_paid_post,   ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/mark-unpaid", order_mark_unpaid_post, ROUTE_STAFF, ROLES_OFFICE },
	{ "GET",  "/payments/reconcile",         reconcile_get,          ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/payments/reconcile",         reconcile_post,         ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/payments/reconcile/confirm", reconcile_confirm_post, ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/payment-link", order_paylink_post, ROUTE_STAFF,  ROLES_OFFICE },
	{ "GET",  "/pay/{}",                 pay_get,            ROUTE_PUBLIC, 0 },
	{ "POST", "/pay/{}/start/{}",        pay_start_post,     ROUTE_PUBLIC, 0 },
	{ "GET",  "/orders/{}/lines",   order_lines_get,    ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/lines",   order_lines_post,   ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/quote",   order_quote_post,   ROUTE_STAFF, ROLES_OFFICE },
	{ "GET",  "/quotes",            quotes_get,         ROUTE_STAFF, ROLES_OFFICE },
	{ "GET",  "/quotes/{}",         quote_get,          ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/quotes/{}/lines",   quote_lines_post,   ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/quotes/{}/convert", quote_convert_post, ROUTE_STAFF, ROLES_OFFICE },

	{ "POST", "/api/v1/orders",      api_orders_post,  ROUTE_API, 0 },
	{ "GET",  "/api/v1/orders/{}",   api_order_get,    ROUTE_API, 0 },
	{ "POST", "/api/v1/orders/{}/payment-sessions", api_payment_session_post, ROUTE_API, 0 },
	{ "GET",  "/api/v1/products",    api_products_get, ROUTE_API, 0 },
	{ "PUT",  "/api/v1/products/{}", api_product_put,  ROUTE_API, 0 },
	{ "GET",  "/api/v1/products/{}", api_product_get,  ROUTE_API, 0 },
};

const size_t nroutes = sizeof(routes) / sizeof(routes[0]);

/* Each route its own label in /_metrics: past the bound, routes would
 * share "other" and lose their figures. */
_Static_assert(sizeof(routes) / sizeof(routes[0]) <= METRICS_MAX_ROUTES,
    "more routes than METRICS_MAX_ROUTES: raise it in http/metrics.h");
