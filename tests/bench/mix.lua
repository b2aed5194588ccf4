-- wrk script for the memory bench: sends exactly BENCH_PER_THREAD requests
-- per wrk thread to comptoir, cycling GET /_ping, GET /login (logged out)
-- and GET / (logged in, cookie from BENCH_COOKIE), then stops.
--
-- Exact counts: wrk asks request() for the next request whenever a
-- connection is free, and cannot be told "no more". Once a thread has
-- issued its quota, it sends GET /favicon.ico instead, which nginx answers
-- itself (204) without reaching comptoir; the thread stops when its quota
-- of comptoir responses (any status but 204) has come back, and touches
-- BENCH_MARK_DIR/done.N. wrk itself only returns after -d, so the caller
-- waits for every done.N and then sends wrk SIGINT, which makes wrk print
-- its summary and call done().
-- The first request() call of every thread is also a favicon: wrk calls
-- request() once in the first thread before it starts, to check the
-- request parses, and that call must not count.
--
-- Prints at the end: "BENCH sent=N ok=N non200=N first=STATUS errors=N".

local per_thread = tonumber(os.getenv("BENCH_PER_THREAD") or "")
local host = os.getenv("BENCH_HOST") or "atelier.localhost"
local cookie = os.getenv("BENCH_COOKIE") or ""
local mark_dir = os.getenv("BENCH_MARK_DIR") or "."
local threads = {}

function setup(thread)
	table.insert(threads, thread)
	thread:set("id", #threads)
end

function init(args)
	if not per_thread then
		error("BENCH_PER_THREAD is not set")
	end
	reqs = {
		wrk.format("GET", "/_ping", { Host = host }),
		wrk.format("GET", "/login", { Host = host }),
		wrk.format("GET", "/", { Host = host, Cookie = "cpt_session=" .. cookie }),
	}
	filler = wrk.format("GET", "/favicon.ico", { Host = host })
	calls, sent, answered, ok, non200, first = 0, 0, 0, 0, 0, 0
end

function request()
	calls = calls + 1
	if calls == 1 or sent >= per_thread then
		return filler
	end
	sent = sent + 1
	return reqs[(sent - 1) % 3 + 1]
end

function response(status, headers, body)
	if status == 204 then
		return
	end
	answered = answered + 1
	if status == 200 then
		ok = ok + 1
	else
		non200 = non200 + 1
		if first == 0 then
			first = status
		end
	end
	if answered == per_thread then
		local f = io.open(mark_dir .. "/done." .. id, "w")
		if f then
			f:close()
		end
		wrk.thread:stop()
	end
end

function done(summary, latency, requests)
	local s, o, b, f = 0, 0, 0, 0
	for _, t in ipairs(threads) do
		s = s + t:get("sent")
		o = o + t:get("ok")
		b = b + t:get("non200")
		if f == 0 then
			f = t:get("first")
		end
	end
	local e = summary.errors
	io.write(string.format("BENCH sent=%d ok=%d non200=%d first=%d errors=%d\n", s, o, b, f,
		e.connect + e.read + e.write + e.timeout))
end
