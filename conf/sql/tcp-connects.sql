-- TCP connects by remote port per network namespace, updated as connections happen.
SELECT ctx.ns.net AS net_ns,
       COALESCE(ctx.containerId, 'host') AS container,
       dport AS remote_port,
       COUNT(*) AS connects
FROM bpf_tcp
WHERE type = 'CONNECT'
GROUP BY ctx.ns.net, COALESCE(ctx.containerId, 'host'), dport;
