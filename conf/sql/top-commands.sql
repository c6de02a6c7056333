-- Commands behind bursts of processes: per host and 10 s window, each command that ran 10 processes or more.
SELECT event_time AS window_start, hostname, comm, exe, processes, events
FROM agg_workload CROSS JOIN UNNEST(topCommands) AS c (comm, exe, processes, events, `bytes`, cpuSamples)
WHERE `scope` = 'HOST' AND windowSizeNs = 10000000000 AND processes >= 10;
