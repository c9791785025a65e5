-- The service's pool connects as a runtime role that owns nothing and may only read and write rows
-- the way the adapter does; the role running these migrations owns the schema. The runtime role's
-- name comes from the service (Flyway placeholder runtime_role). When one role does both (an
-- external database given CREDITS_DB_USER alone) it owns everything already: nothing to grant.
DO $grants$
DECLARE
    runtime text := '${runtime_role}';
BEGIN
    IF runtime = current_user THEN
        RETURN;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), runtime);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON credits TO %I', runtime);
    -- The ledger is append-only for the service: no UPDATE, DELETE or TRUNCATE.
    EXECUTE format('GRANT SELECT, INSERT ON ledger_entries TO %I', runtime);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON deduction_refunds TO %I', runtime);
    -- Tables later migrations create are readable and appendable by the service; a migration that
    -- needs the service to UPDATE its table grants that itself, so nothing is mutable by default.
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT ON TABLES TO %I',
                   current_schema(), runtime);
END
$grants$;
