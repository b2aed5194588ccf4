-- wrk script for the throughput benches: counts every response whose
-- status is not exactly 200. wrk's own "Non-2xx or 3xx responses" line
-- counts only statuses >= 400, so a 302 to /login (a lost session) would
-- otherwise be benchmarked silently as a fast dashboard.
--
--   wrk -s tests/bench/status.lua ... URL
-- prints at the end one line: "BENCH non200=N first=STATUS errors=N"

local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	non200 = 0
	first = 0
end

function response(status, headers, body)
	if status ~= 200 then
		non200 = non200 + 1
		if first == 0 then
			first = status
		end
	end
end

function done(summary, latency, requests)
	local bad, firstbad = 0, 0
	for _, t in ipairs(threads) do
		bad = bad + t:get("non200")
		if firstbad == 0 then
			firstbad = t:get("first")
		end
	end
	local e = summary.errors
	io.write(string.format("BENCH non200=%d first=%d errors=%d\n", bad, firstbad,
		e.connect + e.read + e.write + e.timeout))
end
