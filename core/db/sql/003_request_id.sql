-- An order knows the request that created it: a random id drawn by intake
-- for every request, with or without an Idempotency-Key, and written in
-- the order's transaction. After a COMMIT whose answer was lost, intake
-- looks it up to know whether the order was taken; the unique key makes a
-- second copy impossible whatever happens. NULL for orders from elsewhere
-- (seed, imports).
ALTER TABLE orders
  ADD COLUMN request_id BINARY(16) NULL AFTER external_reference,
  ADD UNIQUE KEY uk_orders_request (shop_id, request_id);
