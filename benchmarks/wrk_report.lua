-- wrk prints its summary for people; benchmarks/loadtest.py reads this one line of JSON instead.
-- Latencies are in microseconds, as wrk keeps them.
done = function(summary, latency, requests)
  io.write(string.format(
    'LOADTEST {"requests": %d, "duration_us": %d, "bytes": %d, "non_2xx_3xx": %d, '
      .. '"socket_errors": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max
  ))
end
