-- The role this owner's workers act as (withOwnerRole): every right on its own tables, none on any other
-- owner's, so that "only the owner writes its tables" holds in the database too. Created when missing, tolerating
-- another migrator (of another database in the same cluster) doing the same at once.
DO $$
BEGIN
  CREATE ROLE dreamseed_voice NOLOGIN NOINHERIT;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('GRANT dreamseed_voice TO %I', current_user);
EXCEPTION WHEN duplicate_object OR unique_violation OR object_in_use THEN NULL;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA "voice" TO dreamseed_voice;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "voice" TO dreamseed_voice;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "voice" TO dreamseed_voice;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA "voice" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO dreamseed_voice;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA "voice" GRANT USAGE, SELECT ON SEQUENCES TO dreamseed_voice;
