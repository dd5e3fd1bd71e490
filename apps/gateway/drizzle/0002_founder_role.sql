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
-- Founders read their profile, sessions and formation data; auth tables stay the gateway's alone.
GRANT USAGE ON SCHEMA "core" TO authenticated;
--> statement-breakpoint
GRANT SELECT ON ALL TABLES IN SCHEMA "core" TO authenticated;
--> statement-breakpoint
-- Only the founder-editable fields of the profile: call progress, status and payment never.
GRANT UPDATE ("customer_name", "customer_phone", "business_name", "business_type", "state_of_operation", "entity_type",
  "package_preference", "urgency_level", "timeline", "updated_at") ON "core"."users" TO authenticated;
--> statement-breakpoint
GRANT INSERT, UPDATE ON "core"."business_formation_data" TO authenticated;
