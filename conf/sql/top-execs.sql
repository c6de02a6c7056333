-- The three most exec'd binaries per container, per minute.
SELECT window_end, container, filename, execs
FROM (
  SELECT window_end, container, filename, execs,
         ROW_NUMBER() OVER (PARTITION BY window_start, window_end, container ORDER BY execs DESC, filename) AS rank_in_container
  FROM (
    SELECT window_start, window_end, COALESCE(ctx.containerId, 'host') AS container, filename, COUNT(*) AS execs
    FROM TABLE(TUMBLE(TABLE bpf_exec, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
    GROUP BY window_start, window_end, COALESCE(ctx.containerId, 'host'), filename
  )
)
WHERE rank_in_container <= 3;
