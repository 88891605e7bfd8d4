-- A second wall between organisations (postgres): row-level security on every
-- table with an org_id, except instrument_owners (it keeps instrument ids
-- unique across organisations, so it must see them all). The policy shows and
-- accepts the rows of the organisation in the connection setting vigil.org_id
-- (set by the store each time a connection is taken, from the request being
-- served; see server/src/store/wall.rs), rows without an organisation, and
-- every row when the setting is empty (work outside a request). FORCE applies
-- it to the tables' owner too; superusers and BYPASSRLS roles pass it.
-- Kept in step with ../sqlite/20261207000026_org_wall.sql (nothing there).
DO $$
DECLARE
    t text;
    wall text := '(org_id IS NULL OR COALESCE(current_setting(''vigil.org_id'', true), '''') = '''' OR org_id = current_setting(''vigil.org_id'', true))';
BEGIN
    FOR t IN
        SELECT c.table_name FROM information_schema.columns c
        JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name AND tb.table_type = 'BASE TABLE'
        WHERE c.table_schema = current_schema() AND c.column_name = 'org_id' AND c.table_name <> 'instrument_owners'
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY org_wall ON %I USING %s WITH CHECK %s', t, wall, wall);
    END LOOP;
END $$;
