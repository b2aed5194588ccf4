/* Every URL of the back office, and who may use it. */
#include "api/api.h"
#include "auth/staff.h"
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
	{ "GET",  "/orders/{}",           order_get,            ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/notes",     order_note_post,      ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/reference", order_reference_post, ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/status",    order_status_post,    ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/hold",      order_hold_post,      ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/payments",    order_payment_post,     ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/refunds",     order_refund_post,      ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/mark-paid",   order_mark_paid_post,   ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/orders/{}/mark-unpaid", order_mark_unpaid_post, ROUTE_STAFF, ROLES_OFFICE },
	{ "GET",  "/payments/reconcile",         reconcile_get,          ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/payments/reconcile",         reconcile_post,         ROUTE_STAFF, ROLES_OFFICE },
	{ "POST", "/payments/reconcile/confirm", reconcile_confirm_post, ROUTE_STAFF, ROLES_OFFICE },

	{ "POST", "/api/v1/orders",      api_orders_post,  ROUTE_API, 0 },
	{ "GET",  "/api/v1/orders/{}",   api_order_get,    ROUTE_API, 0 },
	{ "GET",  "/api/v1/products",    api_products_get, ROUTE_API, 0 },
	{ "PUT",  "/api/v1/products/{}", api_product_put,  ROUTE_API, 0 },
	{ "GET",  "/api/v1/products/{}", api_product_get,  ROUTE_API, 0 },
};

const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
