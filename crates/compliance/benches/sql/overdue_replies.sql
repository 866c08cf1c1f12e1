-- Overdue replies: requests for explanation issued by :at whose first reply by the party asked
-- (issued by :at) came later than the agreement allows, or that have no reply and whose time ran
-- out before :at.
SELECT q.agreement, q.to_party, q.id, r.id AS reply,
       (COALESCE(r.issued_at, :at) - q.issued_at) / 3600 AS hours, rt.hours AS allowed
FROM request q
JOIN reply_time rt ON rt.agreement = q.agreement
LEFT JOIN reply r ON r.id = (
  SELECT x.id FROM reply x
  WHERE x.request = q.id AND x.party = q.to_party AND x.issued_at <= :at
  ORDER BY x.issued_at, x.id
  LIMIT 1)
WHERE q.issued_at <= :at
  AND COALESCE(r.issued_at, :at) > q.issued_at + rt.hours * 3600
ORDER BY q.agreement, q.to_party, q.id;
