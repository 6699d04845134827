SET client_min_messages = warning;
-- The event log as a team would load it into PostgreSQL: one row per event,
-- a unique key on event_id, payload fields flattened; seq keeps log order.
DROP TABLE IF EXISTS events;
CREATE TABLE events (
  event_id text NOT NULL,
  occurred_at timestamptz NOT NULL,
  account_id text NOT NULL,
  contact_id text NOT NULL,
  campaign_id text NOT NULL,
  kind text NOT NULL,
  segment text, region text, tier int, target boolean,
  role_or_platform text,
  eng_type text, duration double precision,
  content_id text, action text, seconds double precision, completion double precision,
  opp_id text, opp_kind text, stage text, amount double precision,
  lifecycle text,
  nps_score int,
  question_id text, rating int,
  sentiment double precision,
  seq bigserial,
  CONSTRAINT events_pkey PRIMARY KEY (event_id)
);
