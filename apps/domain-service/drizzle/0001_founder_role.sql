-- The role that requests made for a founder run as (Supabase's name for it). Roles belong to the cluster, not to
-- one database or owner: each owner creates it when missing, tolerating another migrator doing the same at once.
DO $$
BEGIN
  CREATE ROLE authenticated NOLOGIN NOINHERIT;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
-- The platform's own database user acts as the founder inside withFounder (SET LOCAL ROLE authenticated).
DO $$
BEGIN
  EXECUTE format('GRANT authenticated TO %I', current_user);
EXCEPTION WHEN duplicate_object OR unique_violation OR object_in_use THEN NULL;
END $$;
--> statement-breakpoint
-- Founders read their own rows (row-level security decides which); they never write here directly.
GRANT USAGE ON SCHEMA "domain" TO authenticated;
--> statement-breakpoint
GRANT SELECT ON ALL TABLES IN SCHEMA "domain" TO authenticated;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA "domain" GRANT SELECT ON TABLES TO authenticated;
