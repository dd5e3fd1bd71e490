CREATE TABLE "core"."registration_consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"domain" text NOT NULL,
	"registrar" text NOT NULL,
	"agreement_keys" text[] NOT NULL,
	"agreed_by" text NOT NULL,
	"agreed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "core"."registration_consents" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "core"."formation_cases" DROP CONSTRAINT "formation_cases_domain_status";--> statement-breakpoint
ALTER TABLE "core"."registration_consents" ADD CONSTRAINT "registration_consents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "core"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "registration_consents_user_domain_idx" ON "core"."registration_consents" USING btree ("user_id","domain","agreed_at");--> statement-breakpoint
ALTER TABLE "core"."formation_cases" ADD CONSTRAINT "formation_cases_domain_status" CHECK ("domain_status" is null or "domain_status" in ('awaiting_selection', 'awaiting_contact', 'awaiting_consent', 'pending', 'registered', 'failed'));--> statement-breakpoint
CREATE POLICY "registration_consents_owner_all" ON "core"."registration_consents" AS PERMISSIVE FOR ALL TO "dreamseed_gateway" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "registration_consents_founder_reads_own" ON "core"."registration_consents" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("user_id" = nullif(current_setting('request.founder_id', true), '')::uuid);--> statement-breakpoint
GRANT SELECT ON "core"."registration_consents" TO authenticated;--> statement-breakpoint
-- A consent is evidence for the registrar: kept as it was given.
REVOKE UPDATE, DELETE ON "core"."registration_consents" FROM dreamseed_gateway;
