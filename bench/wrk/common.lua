-- Shared by the bench's wrk scripts (loaded with dofile): thread numbering, the token file, the
-- prebuilt requests and the JSON summary that done() prints for bench/run.py.
--
-- Arguments after `--` on the wrk command line (bench/load.py builds them):
--   1 threads   the -t of the run (each thread takes every threads-th token, so none share one)
--   2 tokens    a file with one access token per line, or "-" for anonymous requests
--   3 method    GET, POST …
--   4 body      the request body ("" for none; JSON otherwise)
--   5… paths    path and query; thread n uses path n (modulo their number)
local M = {}

M.threads = {}

-- Runs in the main Lua state once per thread, before that thread's init().
function M.setup(thread)
  thread:set("id", #M.threads)
  table.insert(M.threads, thread)
end

local function read_tokens(file, id, threads)
  local mine, n = {}, 0
  if file == "-" then
    return mine
  end
  for line in io.lines(file) do
    if line ~= "" then
      if n % threads == id then
        table.insert(mine, line)
      end
      n = n + 1
    end
  end
  return mine
end

-- Every request this thread will send, built once (wrk.format) so that request() only hands
-- out prebuilt strings: the generator's cost per request stays a table lookup.
function M.prebuild(args)
  local threads, file, method, body = tonumber(args[1]), args[2], args[3], args[4]
  local paths = {}
  for i = 5, #args do
    table.insert(paths, args[i])
  end
  local path = paths[id % #paths + 1]
  if body == "" then
    body = nil
  end
  local tokens = read_tokens(file, id, threads)
  if file ~= "-" and #tokens == 0 then
    error("thread " .. id .. " has no token: fewer tokens in " .. file .. " than threads")
  end
  local requests = {}
  -- Anonymous scenarios still come from many addresses (the server trusts one proxy hop).
  for i = 1, #tokens > 0 and #tokens or 64 do
    local headers = { ["X-Forwarded-For"] = string.format("10.%d.%d.%d", id, math.floor(i / 250) % 250, i % 250 + 1) }
    if #tokens > 0 then
      headers["Authorization"] = "Bearer " .. tokens[i]
    end
    if body then
      headers["Content-Type"] = "application/json" -- wrk.format does not add wrk.headers to ours
    end
    requests[i] = wrk.format(method, path, headers, body)
  end
  return requests, path
end

local function encode(value)
  local kind = type(value)
  if kind == "table" then
    local parts = {}
    if #value > 0 then
      for _, item in ipairs(value) do
        table.insert(parts, encode(item))
      end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    for key, item in pairs(value) do
      table.insert(parts, encode(tostring(key)) .. ":" .. encode(item))
    end
    return "{" .. table.concat(parts, ",") .. "}"
  elseif kind == "string" then
    return '"' .. value:gsub('[%c"\\]', function(c)
      return string.format("\\u%04x", c:byte())
    end) .. '"'
  elseif kind == "number" then
    if value == math.floor(value) and math.abs(value) < 2 ^ 53 then
      return string.format("%d", value)
    end
    return string.format("%.17g", value)
  elseif kind == "boolean" then
    return tostring(value)
  end
  return "null"
end
M.encode = encode

-- The one line bench/run.py reads: "BENCH_JSON {…}". Latencies in microseconds.
function M.done(summary, latency, per_thread)
  local out = {
    requests = summary.requests,
    duration_us = summary.duration,
    bytes = summary.bytes,
    errors = {
      connect = summary.errors.connect,
      read = summary.errors.read,
      write = summary.errors.write,
      status = summary.errors.status,
      timeout = summary.errors.timeout,
    },
    latency_us = {
      p50 = latency:percentile(50),
      p90 = latency:percentile(90),
      p99 = latency:percentile(99),
      max = latency.max,
      mean = latency.mean,
    },
    threads = {},
  }
  for i, thread in ipairs(M.threads) do
    local item = { id = thread:get("id"), path = thread:get("path") }
    for _, name in ipairs(per_thread or {}) do
      item[name] = thread:get(name)
    end
    out.threads[i] = item
  end
  io.write("BENCH_JSON ", encode(out), "\n")
end

return M
