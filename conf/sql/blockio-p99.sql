-- Block I/O p99 latency per host: the worst device's p99 in each minute, from the latency summaries.
SELECT window_end, hostname,
       MAX(p99Ns) / 1e6 AS worst_p99_ms,
       SUM(`count`) AS ios
FROM TABLE(TUMBLE(TABLE agg_latency, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
WHERE kind = 'BLOCK_IO' AND `scope` = 'HOST'
GROUP BY window_start, window_end, hostname;
