-- Unnotified activities above a threshold: observations issued by :at of a party's forces at or
-- above a notification threshold, in a zone the provision covers, that no notification by that
-- party covers (same agreement; started in the year up to the observation's date and still under
-- way on it; in a zone that meets the observed one; notifying at least the threshold of the
-- observed category). Observations of one party in one zone no more than 60 days apart are one
-- activity: one row per such run, with its observations.
WITH seen AS (
  SELECT t.agreement, t.provision, t.at_least, o.id, o.pos, o.actor, o.category, o.date, o.zone
  FROM threshold t
  JOIN observation o ON o.category = t.category AND o.quantity >= t.at_least
  WHERE o.issued_at <= :at
    AND EXISTS (SELECT 1 FROM provision_zone pz
                JOIN zone_within w ON w.outer = pz.zone AND w.inner = o.zone
                WHERE pz.agreement = t.agreement AND pz.provision = t.provision)
),
unnotified AS (
  SELECT s.* FROM seen s
  WHERE NOT EXISTS (
    SELECT 1 FROM notification n
    WHERE n.party = s.actor AND n.agreement = s.agreement
      AND n.start BETWEEN date(s.date, '-366 days') AND s.date
      AND n."end" >= s.date
      AND n.issued_at <= :at
      AND (n.zone IS NULL
           OR EXISTS (SELECT 1 FROM zone_meets m WHERE m.a = s.zone AND m.b = n.zone))
      AND (SELECT SUM(f.count) FROM notified_force f
           WHERE f.notification = n.id AND f.category = s.category) >= s.at_least)
),
gaps AS (
  SELECT u.*,
         COALESCE(julianday(u.date) - julianday(LAG(u.date) OVER w) > 60, 1) AS starts_run
  FROM unnotified u
  WINDOW w AS (PARTITION BY agreement, provision, actor, zone ORDER BY date, pos)
),
runs AS (
  SELECT g.*,
         SUM(starts_run) OVER (PARTITION BY agreement, provision, actor, zone
                               ORDER BY date, pos) AS run
  FROM gaps g
)
SELECT agreement, provision, actor, zone, MIN(date) AS first, MAX(date) AS last,
       group_concat(id, ' ') AS observations
FROM runs
GROUP BY agreement, provision, actor, zone, run
ORDER BY agreement, provision, actor, zone, first;
