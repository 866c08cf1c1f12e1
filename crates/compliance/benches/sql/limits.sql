-- Limits per party and date: for each limit and party, the level shown by the newest
-- declaration (by the date its figures hold for) issued by :at that states the limit's
-- aggregate or one of its counted categories, and whether it is over the maximum from the day
-- the limit binds.
WITH stated AS (
  SELECT t.agreement, t.provision, d.party, d.id, d.as_of, d.pos,
         MAX(t.aggregate) AS aggregate
  FROM limit_term t
  JOIN declaration d ON d.agreement = t.agreement
  WHERE d.issued_at <= :at
    AND EXISTS (SELECT 1 FROM holding h WHERE h.declaration = d.id AND h.category = t.category)
  GROUP BY t.agreement, t.provision, d.id
),
newest AS (
  SELECT s.*,
         ROW_NUMBER() OVER (PARTITION BY agreement, provision, party
                            ORDER BY as_of DESC, pos DESC) AS k
  FROM stated s
),
level AS (
  SELECT n.agreement, n.provision, n.party, n.id, n.as_of,
         (SELECT COALESCE(SUM(h.count * t.weight), 0)
          FROM limit_term t
          JOIN holding h ON h.declaration = n.id AND h.category = t.category
                        AND (t.status = 'any' OR t.status = h.status)
          WHERE t.agreement = n.agreement AND t.provision = n.provision
            AND t.aggregate = n.aggregate) AS level
  FROM newest n
  WHERE n.k = 1
)
SELECT l.agreement, l.provision, l.party, l.id, l.as_of, l.level, m.max,
       l.level > m.max AND (m.binds_from IS NULL OR l.as_of >= m.binds_from) AS breach
FROM level l
JOIN limit_max m ON m.agreement = l.agreement AND m.provision = l.provision
ORDER BY l.agreement, l.provision, l.party;
