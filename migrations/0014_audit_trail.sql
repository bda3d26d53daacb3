-- The audit trail made complete (issue 15): where each change came from (the client's address
-- and user agent of the request, none for Outlay's own work), and the trail append-only in
-- the database itself: a trigger refuses every update, delete and truncate of it.
--
-- outlay: expand
ALTER TABLE audit_events ADD COLUMN ip inet;
ALTER TABLE audit_events ADD COLUMN user_agent text CHECK (length(user_agent) <= 300);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only: % of audit_events refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- The filter by action reads an index, as the one by actor does (0009).
CREATE INDEX audit_events_action ON audit_events (company_id, action, id);
