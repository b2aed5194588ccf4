#!/usr/bin/python3
"""SQL for tests/bench/intake's floor: the rows comptoir writes for 3-line
orders, hand-batched GROUP orders per transaction, as one client would send
them to MariaDB with nothing else in the way (no nginx, no FastCGI): each
transaction is one multi-statement query, one round trip, as comptoir's
batches are.

usage: intake-floor.py SHOP_ID GROUP ORDERS RUN PRODUCTS_FILE > file.sql
(PRODUCTS_FILE: lines of "id sku")

Per order, as the intake does: its reads in a query of their own (the
idempotency key, the three products by SKU; the API key check is left
out), then three conditional stock updates (by product id), the customer
upsert and its locking read; per transaction: the shop's
counter moved by GROUP, then one multi-row INSERT each for the orders,
their addresses, lines, first events and idempotency records (with a
2 kB answer, as a real one), and COMMIT. The order ids are consecutive
(innodb_autoinc_lock_mode 1, MariaDB's default, for a multi-row INSERT); a
wrong guess fails the foreign keys, so the bench would say so.
"""
import random
import sys

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def main():
    shop, group, orders, run = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    products = [line.split() for line in open(sys.argv[5]) if line.strip()]
    pids = [int(pid) for pid, sku in products]
    sku_of = {int(pid): sku for pid, sku in products}
    rnd = random.Random(run)
    answer = '"' + "x" * 2000 + '"'
    out = []
    k = 0
    for g in range(orders // group):
        batch = []
        for i in range(group):
            ps = sorted(pids[(k * 3 + j) % len(pids)] for j in range(3))
            k += 1
            skus = ", ".join(f"'{sku_of[p]}'" for p in ps)
            out.append("SELECT k.request_hash, k.status_code, k.response, o.code FROM idempotency_keys k"
                       " LEFT JOIN orders o ON o.shop_id = k.shop_id AND o.id = k.order_id"
                       f" WHERE k.shop_id = {shop} AND k.idem_key = 'floor-{run}-{g}-{i}';"
                       "SELECT sku, id, ean, name, price_cents, vat_rate, weight_g, track_stock,"
                       f" customisable, active FROM products WHERE shop_id = {shop} AND sku IN ({skus})$$")
        out.append("START TRANSACTION;")
        for i in range(group):
            ps = sorted(pids[((k - group + i) * 3 + j) % len(pids)] for j in range(3))
            for p in ps:
                out.append("UPDATE products FORCE INDEX (PRIMARY) SET stock_reserved = stock_reserved + 1"
                           f" WHERE shop_id = {shop} AND id = {p} AND stock_on_hand - stock_reserved >= 1;")
            email = f"floor-{run}-{g}-{i}@example.fr"
            out.append("INSERT INTO customers (shop_id, title, first_name, last_name, email, phone, locale)"
                       f" VALUES ({shop}, 'Mme', 'Hélène', 'Dupré', '{email}', '+33612345678', 'fr')"
                       " ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id), title = VALUE(title),"
                       " first_name = VALUE(first_name), last_name = VALUE(last_name);")
            out.append(f"SELECT id, code FROM customers WHERE shop_id = {shop} AND id = LAST_INSERT_ID()"
                       f" FOR UPDATE; SET @c{i} = LAST_INSERT_ID();")
            code = "".join(rnd.choice(ALPHABET) for _ in range(8))
            batch.append((ps, email, code))
        out.append(f"INSERT INTO shop_counters (shop_id, name, value) VALUES ({shop}, 'order_number',"
                   f" LAST_INSERT_ID({group})) ON DUPLICATE KEY UPDATE value = LAST_INSERT_ID(value + {group});"
                   f" SET @n0 = LAST_INSERT_ID() - {group} + 1;")
        rows = [f"({shop}, '{code}', @n0 + {i}, '', 'received', 'web', 0, 'EUR', 1, 7470, 690, 2000,"
                " 6800, 1360, 8160, '[{\"rate\":2000,\"base\":6800,\"vat\":1360}]', 'banktransfer',"
                f" 'colissimo', 360, @c{i}, CONCAT('C', LPAD(@c{i}, 6, '0')), 'Mme', 'Hélène', 'Dupré',"
                f" '{email}', '+33612345678', 'fr', 'Livrer après 18 h', '', 'WEB-{g}-{i}',"
                " '2026-11-25 10:00:00.000000')" for i, (ps, email, code) in enumerate(batch)]
        out.append("INSERT INTO orders (shop_id, code, number, title, status, channel, is_test, currency,"
                   " prices_include_vat, lines_cents, shipping_cents, shipping_vat_rate, total_ex_vat_cents,"
                   " total_vat_cents, total_cents, vat_breakdown, payment_method, carrier, total_weight_g,"
                   " customer_id, customer_code, customer_title, customer_first_name, customer_last_name,"
                   " customer_email, customer_phone, customer_locale, remarks, reference,"
                   " external_reference, placed_at) VALUES " + ", ".join(rows) + "; SET @o0 = LAST_INSERT_ID();")
        addresses, lines, events, keys = [], [], [], []
        for i, (ps, email, code) in enumerate(batch):
            for kind in ("billing", "shipping"):
                addresses.append(f"({shop}, @o0 + {i}, '{kind}', 'Hélène Dupré', '', '12 rue des Lilas', '',"
                                 " '69003', 'Lyon', '', 'FR', '')")
            for n, p in enumerate(ps):
                lines.append(f"({shop}, @o0 + {i}, {n + 1}, {p}, '{sku_of[p]}', NULL, 'Article {p}', '{{}}', 1,"
                             " 2490, 2000, 0, 2490, 120, 1, 0)")
            events.append(f"({shop}, @o0 + {i}, 'api', 'storefront', 'order.created',"
                          " '{\"channel\":\"web\",\"lines\":3,\"total\":8160,\"currency\":\"EUR\"}')")
            keys.append(f"({shop}, 'floor-{run}-{g}-{i}', X'{'ab' * 32}', 201,"
                        f" CONCAT('{{\"code\":\"{code}\",\"number\":', @n0 + {i}, ',\"answer\":{answer}}}'),"
                        f" @o0 + {i})")
        out.append("INSERT INTO order_addresses (shop_id, order_id, kind, name, company, line1, line2,"
                   " postcode, city, region, country, phone) VALUES " + ", ".join(addresses) + ";")
        out.append("INSERT INTO order_lines (shop_id, order_id, line_no, product_id, sku, ean, name, options,"
                   " quantity, unit_price_cents, vat_rate, discount_cents, total_cents, weight_g,"
                   " reserved_stock, customisable) VALUES " + ", ".join(lines) + ";")
        out.append("INSERT INTO order_events (shop_id, order_id, actor_type, actor_label, action, details)"
                   " VALUES " + ", ".join(events) + ";")
        out.append("INSERT INTO idempotency_keys (shop_id, idem_key, request_hash, status_code, response,"
                   " order_id) VALUES " + ", ".join(keys) + ";")
        out.append("COMMIT$$")
    print("DELIMITER $$")
    print("\n".join(out))


main()
