-- A read scenario: the same request over and over, each time as the next person of the persona
-- (their tokens rotate over the thread's requests), nothing read from the answers.
-- wrk -t T -c C -d D -s read.lua URL -- T TOKENS METHOD BODY PATH
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
local common = dofile(here .. "common.lua")

local requests, n = {}, 0

setup = common.setup

function init(args)
  requests, path = common.prebuild(args)
end

function request()
  n = n % #requests + 1
  return requests[n]
end

function done(summary, latency, _)
  common.done(summary, latency)
end
