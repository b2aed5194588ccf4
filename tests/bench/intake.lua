-- wrk script for the intake benchmark: every request is a POST
-- /api/v1/orders of a 3-line order (quantity 1 each), with its own
-- Idempotency-Key and its own customer e-mail, through nginx.
--
--   BENCH_KEY     the shop's API key (Bearer)
--   BENCH_HOST    Host header (atelier.localhost)
--   BENCH_PREFIX  SKU prefix: products are PREFIX00001 … PREFIX<BENCH_SKUS>
--   BENCH_SKUS    how many (3000)
--   BENCH_HOT     when set, the SKU every order has on its first line
--   BENCH_RUN     a word unique to this run (keys and e-mails)
--   BENCH_LINES   lines per order (3)
--
-- Distinct SKUs: wrk thread t sends orders k = 0, 1, 2 … whose lines are
-- the SKUs 3k, 3k+1, 3k+2 (modulo BENCH_SKUS) shifted by half the catalogue
-- per thread, so the rows being reserved at any instant are all different.
-- Hot: line 1 is BENCH_HOT on every order, the others as above.
--
-- Prints at the end: "BENCH ok=N non201=N first=STATUS errors=N" and, when
-- a request was refused, the start of the first refusal's body.

local key = os.getenv("BENCH_KEY") or error("BENCH_KEY is not set")
local host = os.getenv("BENCH_HOST") or "atelier.localhost"
local prefix = os.getenv("BENCH_PREFIX") or "B-"
local nskus = tonumber(os.getenv("BENCH_SKUS") or "3000")
local hot = os.getenv("BENCH_HOT")
if hot == "" then hot = nil end
local run = os.getenv("BENCH_RUN") or "run"
local nlines = tonumber(os.getenv("BENCH_LINES") or "3")
local threads = {}

function setup(thread)
	table.insert(threads, thread)
	thread:set("id", #threads)
end

local head = '{"customer": {"title": "Mme", "first_name": "H\\u00e9l\\u00e8ne", "last_name": "Dupr\\u00e9", "email": "'
local middle = '", "phone": "+33612345678"},'
	.. ' "billing_address": {"name": "H\\u00e9l\\u00e8ne Dupr\\u00e9", "company": "", "line1": "12 rue des Lilas",'
	.. ' "line2": "", "postcode": "69003", "city": "Lyon", "country": "FR"},'
	.. ' "shipping_address": {"name": "H\\u00e9l\\u00e8ne Dupr\\u00e9", "company": "", "line1": "12 rue des Lilas",'
	.. ' "line2": "", "postcode": "69003", "city": "Lyon", "country": "FR"}, "lines": ['
local tail = '], "carrier": "colissimo", "shipping_cost": 690, "payment_method": "banktransfer",'
	.. ' "remarks": "Livrer apr\\u00e8s 18 h", "external_reference": "'

function init(args)
	n = 0
	ok, non201, first, firstbody = 0, 0, 0, ""
	-- Threads start half a catalogue apart (odd, so they never meet).
	offset = (id - 1) * (math.floor(nskus / 2) + 1)
end

local function sku(i)
	return string.format("%s%05d", prefix, i % nskus + 1)
end

function request()
	local k = n
	n = n + 1
	local lines = {}
	for j = 0, nlines - 1 do
		local s
		if hot and j == 0 then
			s = hot
		else
			s = sku(offset + k * nlines + j)
		end
		lines[#lines + 1] = '{"sku": "' .. s .. '", "quantity": 1}'
	end
	local tag = string.format("%s-%d-%d", run, id, k)
	local body = head .. "bench-" .. tag .. "@example.fr" .. middle .. table.concat(lines, ", ")
		.. tail .. tag .. '", "title": ""}'
	return wrk.format("POST", "/api/v1/orders", {
		Host = host,
		Authorization = "Bearer " .. key,
		["Content-Type"] = "application/json",
		["Idempotency-Key"] = tag,
	}, body)
end

function response(status, headers, body)
	if status == 201 then
		ok = ok + 1
	else
		non201 = non201 + 1
		if first == 0 then
			first = status
			firstbody = string.sub(body or "", 1, 300)
		end
	end
end

function done(summary, latency, requests)
	local o, b, f, fb = 0, 0, 0, ""
	for _, t in ipairs(threads) do
		o = o + t:get("ok")
		b = b + t:get("non201")
		if f == 0 and t:get("first") ~= 0 then
			f = t:get("first")
			fb = t:get("firstbody")
		end
	end
	local e = summary.errors
	io.write(string.format("BENCH ok=%d non201=%d first=%d errors=%d\n", o, b, f,
		e.connect + e.read + e.write + e.timeout))
	if b > 0 then
		io.write("BENCH first refusal: " .. fb .. "\n")
	end
end
