-- The registration burst: a crowd acting once. Thread n posts to path n (one burst event per
-- thread), each request as a different resident who has not registered yet. Answers are counted
-- by outcome ("201", "409 event_full" …) per thread, so bench/run.py can check every event sold
-- exactly its seats, and the X-Query-Count header is summed.
-- wrk -t EVENTS -c C -d D -s burst.lua URL -- T TOKENS POST BODY PATH1 PATH2 …
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
local common = dofile(here .. "common.lua")

local requests, n = {}, 0
outcomes, queries, counted, exhausted = {}, 0, 0, 0

setup = common.setup

function init(args)
  requests, path = common.prebuild(args)
end

function request()
  n = n + 1
  if n > #requests then
    exhausted = exhausted + 1 -- more requests than residents: the repeats answer 409 already_registered
    n = 1
  end
  return requests[n]
end

function response(status, headers, body)
  local label = tostring(status)
  if status >= 300 and body then
    local code = body:match('"code"%s*:%s*"([%w_]+)"')
    if code then
      label = label .. " " .. code
    end
  end
  outcomes[label] = (outcomes[label] or 0) + 1
  local count = headers["X-Query-Count"] or headers["x-query-count"]
  if count then
    queries = queries + tonumber(count)
    counted = counted + 1
  end
end

function done(summary, latency, _)
  common.done(summary, latency, { "outcomes", "queries", "counted", "exhausted" })
end
