-- SPEC metrics in SQL, scope `all`, window [:'from', :'to'), no group-by.
-- Each statement is preceded by a `-- metric: NAME` line (read by compare.py).

-- metric: account_coverage
WITH s AS (SELECT DISTINCT account_id FROM events WHERE account_id <> ''),
     t AS (SELECT DISTINCT account_id FROM events
           WHERE kind IN ('engagement', 'content')
             AND occurred_at >= :'from' AND occurred_at < :'to')
SELECT (SELECT count(*) FROM t)::float8 / nullif((SELECT count(*) FROM s), 0) AS value,
       (SELECT count(*) FROM s) AS count;

-- metric: nps
SELECT 100.0 * (count(*) FILTER (WHERE nps_score >= 9) - count(*) FILTER (WHERE nps_score <= 6))
         / nullif(count(*), 0) AS value,
       count(*) AS count
FROM events WHERE kind = 'nps' AND occurred_at >= :'from' AND occurred_at < :'to';

-- metric: content_consumption
SELECT content_id AS content, lower(replace(action, 'CONTENT_ACTION_', '')) AS action,
       count(*)::float8 AS value, count(*) AS count
FROM events WHERE kind = 'content' AND occurred_at >= :'from' AND occurred_at < :'to'
GROUP BY 1, 2 ORDER BY 2, 1;

-- metric: stage_conversion
WITH ev AS (SELECT * FROM events WHERE kind = 'opportunity'),
first AS (SELECT DISTINCT ON (opp_id) opp_id, opp_kind AS kind, occurred_at AS created
          FROM ev ORDER BY opp_id, occurred_at, seq),
o AS (SELECT f.kind, max(array_position(
             CASE f.kind WHEN 'OPPORTUNITY_KIND_ENROLLMENT'
               THEN ARRAY['inquiry', 'application', 'admitted', 'enrolled']
               ELSE ARRAY['prospect', 'qualified', 'proposal', 'negotiation', 'signed'] END,
             e.stage)) AS reached
      FROM ev e JOIN first f USING (opp_id)
      WHERE f.created >= :'from' AND f.created < :'to'
      GROUP BY e.opp_id, f.kind)
SELECT CASE kind WHEN 'OPPORTUNITY_KIND_ENROLLMENT' THEN 'enrollment' ELSE 'partnership' END AS kind,
       (CASE kind WHEN 'OPPORTUNITY_KIND_ENROLLMENT'
          THEN ARRAY['inquiry', 'application', 'admitted', 'enrolled']
          ELSE ARRAY['prospect', 'qualified', 'proposal', 'negotiation', 'signed'] END)[g.i] AS from_stage,
       count(*) FILTER (WHERE reached >= g.i + 1)::float8
         / nullif(count(*) FILTER (WHERE reached >= g.i), 0) AS value,
       count(*) FILTER (WHERE reached >= g.i) AS count
FROM o CROSS JOIN generate_series(1, 4) g(i)
WHERE g.i < CASE kind WHEN 'OPPORTUNITY_KIND_ENROLLMENT' THEN 4 ELSE 5 END
GROUP BY 1, 2, g.i ORDER BY 1, g.i;

-- metric: closed_revenue
WITH ev AS (SELECT * FROM events WHERE kind = 'opportunity'),
first AS (SELECT DISTINCT ON (opp_id) opp_id, opp_kind AS kind FROM ev
          ORDER BY opp_id, occurred_at, seq),
won AS (SELECT e.opp_id, min(e.occurred_at) AS won_at FROM ev e JOIN first f USING (opp_id)
        WHERE e.stage = CASE f.kind WHEN 'OPPORTUNITY_KIND_ENROLLMENT' THEN 'enrolled' ELSE 'signed' END
        GROUP BY e.opp_id),
amt AS (SELECT DISTINCT ON (opp_id) opp_id, amount FROM ev WHERE amount IS NOT NULL
        ORDER BY opp_id, occurred_at DESC, seq DESC)
SELECT coalesce(sum(coalesce(amt.amount, 0)), 0) AS value, count(*) AS count
FROM won LEFT JOIN amt USING (opp_id)
WHERE won_at >= :'from' AND won_at < :'to';

-- metric: time_to_close
WITH ev AS (SELECT * FROM events WHERE kind = 'opportunity'),
first AS (SELECT DISTINCT ON (opp_id) opp_id, opp_kind AS kind, occurred_at AS created, account_id
          FROM ev ORDER BY opp_id, occurred_at, seq),
won AS (SELECT e.opp_id, min(e.occurred_at) AS won_at FROM ev e JOIN first f USING (opp_id)
        WHERE e.stage = CASE f.kind WHEN 'OPPORTUNITY_KIND_ENROLLMENT' THEN 'enrolled' ELSE 'signed' END
        GROUP BY e.opp_id),
touch AS (SELECT account_id, min(occurred_at) AS first_touch FROM events
          WHERE kind IN ('engagement', 'content') GROUP BY account_id),
d AS (SELECT extract(epoch FROM w.won_at - least(f.created, coalesce(t.first_touch, f.created)))
               / 86400 AS days
      FROM won w JOIN first f USING (opp_id) LEFT JOIN touch t USING (account_id)
      WHERE w.won_at >= :'from' AND w.won_at < :'to')
SELECT 'mean' AS measure, avg(days)::float8 AS value, count(*) AS count FROM d
UNION ALL
SELECT 'median', percentile_cont(0.5) WITHIN GROUP (ORDER BY days), count(*) FROM d;
