-- The records and the agreements' terms as tables, with the indexes the three questions use.
-- Dates are ISO text (YYYY-MM-DD); instants are Unix seconds; `pos` is a record's position in
-- the log.

-- Declarations of holdings, one row per record, and the holdings they state.
CREATE TABLE declaration (
  id TEXT PRIMARY KEY,
  pos INTEGER NOT NULL,
  party TEXT NOT NULL,
  agreement TEXT NOT NULL,
  as_of TEXT NOT NULL,
  issued_at INTEGER NOT NULL
);
CREATE INDEX declaration_by_party ON declaration (agreement, party, as_of, pos);

CREATE TABLE holding (
  declaration TEXT NOT NULL REFERENCES declaration (id),
  site TEXT,
  category TEXT NOT NULL,
  status TEXT NOT NULL, -- deployed | non_deployed
  count INTEGER NOT NULL
);
CREATE INDEX holding_by_declaration ON holding (declaration, category, status, count);

-- Notified activities, and the forces each notification gives.
CREATE TABLE notification (
  id TEXT PRIMARY KEY,
  pos INTEGER NOT NULL,
  party TEXT NOT NULL,
  agreement TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  start TEXT NOT NULL,
  "end" TEXT NOT NULL,
  zone TEXT
);
CREATE INDEX notification_by_party
  ON notification (party, agreement, start, "end", zone, issued_at);

CREATE TABLE notified_force (
  notification TEXT NOT NULL REFERENCES notification (id),
  category TEXT NOT NULL,
  count INTEGER NOT NULL
);
CREATE INDEX notified_force_by_notification ON notified_force (notification, category, count);

-- Open-source observations of a party's forces.
CREATE TABLE observation (
  id TEXT PRIMARY KEY,
  pos INTEGER NOT NULL,
  actor TEXT NOT NULL,
  category TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  date TEXT NOT NULL,
  zone TEXT,
  issued_at INTEGER NOT NULL
);
CREATE INDEX observation_by_size ON observation (category, quantity);

-- Requests for explanation and the replies to them.
CREATE TABLE request (
  id TEXT PRIMARY KEY,
  pos INTEGER NOT NULL,
  party TEXT NOT NULL, -- the requesting party
  to_party TEXT NOT NULL,
  agreement TEXT NOT NULL,
  provision TEXT NOT NULL,
  issued_at INTEGER NOT NULL
);
CREATE INDEX request_by_agreement ON request (agreement, issued_at);

CREATE TABLE reply (
  id TEXT PRIMARY KEY,
  pos INTEGER NOT NULL,
  party TEXT NOT NULL,
  request TEXT NOT NULL REFERENCES request (id),
  issued_at INTEGER NOT NULL
);
CREATE INDEX reply_by_request ON reply (request, party, issued_at, id);

-- The agreements' terms: limits and what they count (a published aggregate, when a
-- declaration states it, is counted instead of the terms), notification thresholds and the
-- zones they apply in, and reply times for requests for explanation.
CREATE TABLE limit_max (
  agreement TEXT NOT NULL,
  provision TEXT NOT NULL,
  max INTEGER NOT NULL,
  binds_from TEXT,
  PRIMARY KEY (agreement, provision)
);

CREATE TABLE limit_term (
  agreement TEXT NOT NULL,
  provision TEXT NOT NULL,
  category TEXT NOT NULL,
  status TEXT NOT NULL, -- deployed | non_deployed | any
  weight INTEGER NOT NULL,
  aggregate INTEGER NOT NULL -- 1 for the published aggregate, 0 for a counted term
);
CREATE INDEX limit_term_by_provision ON limit_term (agreement, provision, aggregate, category);

CREATE TABLE threshold (
  agreement TEXT NOT NULL,
  provision TEXT NOT NULL,
  category TEXT NOT NULL,
  at_least INTEGER NOT NULL
);

CREATE TABLE provision_zone (
  agreement TEXT NOT NULL,
  provision TEXT NOT NULL,
  zone TEXT NOT NULL,
  PRIMARY KEY (agreement, provision, zone)
);

CREATE TABLE reply_time (
  agreement TEXT PRIMARY KEY,
  hours INTEGER NOT NULL
);

-- Zones: every pair (inner, outer) where inner lies within outer, a zone within itself
-- included; and every pair of zones that meet (one lies within the other).
CREATE TABLE zone_within (
  inner TEXT NOT NULL,
  outer TEXT NOT NULL,
  PRIMARY KEY (outer, inner)
) WITHOUT ROWID;

CREATE TABLE zone_meets (
  a TEXT NOT NULL,
  b TEXT NOT NULL,
  PRIMARY KEY (a, b)
) WITHOUT ROWID;
