-- benchmarks/live_load.py: each request a path picked at random from the file given after
-- "--"; counts how the store answered (the X-Catalog-Store header) per thread, and prints one
-- line of JSON at the end. Latencies are in microseconds, as wrk keeps them.
local threads = {}
local counter = 0

setup = function(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

init = function(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(paths, line) end
  end
  math.randomseed(os.time() * 1000 + id)
  hit, stale, waited, miss, unstored = 0, 0, 0, 0, 0
end

request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end

response = function(status, headers, body)
  local how = headers["X-Catalog-Store"]
  if how == "hit" then hit = hit + 1
  elseif how == "stale" then stale = stale + 1
  elseif how == "waited" then waited = waited + 1
  elseif how == "miss" then miss = miss + 1
  else unstored = unstored + 1 end
end

done = function(summary, latency, requests)
  local totals = {hit = 0, stale = 0, waited = 0, miss = 0, unstored = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
  end
  io.write(string.format(
    'LIVELOAD {"requests": %d, "duration_us": %d, "non_2xx_3xx": %d, "socket_errors": %d, '
      .. '"p50_us": %d, "p99_us": %d, "max_us": %d, "hit": %d, "stale": %d, "waited": %d, '
      .. '"miss": %d, "unstored": %d}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max,
    totals.hit, totals.stale, totals.waited, totals.miss, totals.unstored
  ))
end
