CREATE TABLE "core"."domain_choices" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"domain" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "core"."domain_choices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "core"."formation_case_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" uuid,
	"actor_email" text,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reason" text,
	"at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "formation_case_events_kind" CHECK ("kind" is null or "kind" in ('opened', 'moved', 'package', 'documents', 'domain')),
	CONSTRAINT "formation_case_events_from_state" CHECK ("from_state" is null or "from_state" in ('intake_complete', 'documents_prepared', 'filed', 'approved', 'ein_requested', 'ein_received', 'formed', 'needs_founder', 'rejected')),
	CONSTRAINT "formation_case_events_to_state" CHECK ("to_state" is null or "to_state" in ('intake_complete', 'documents_prepared', 'filed', 'approved', 'ein_requested', 'ein_received', 'formed', 'needs_founder', 'rejected')),
	CONSTRAINT "formation_case_events_actor_type" CHECK ("actor_type" is null or "actor_type" in ('operator', 'founder', 'system'))
);
--> statement-breakpoint
ALTER TABLE "core"."formation_case_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "core"."formation_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"package_id" text NOT NULL,
	"includes_domain" boolean DEFAULT false NOT NULL,
	"state" text NOT NULL,
	"state_before_question" text,
	"question" text,
	"question_by" text,
	"question_asked_at" timestamp with time zone,
	"entity_type" text,
	"state_of_formation" text,
	"filing_number" text,
	"state_reason" text,
	"ein" text,
	"domain" text,
	"domain_status" text,
	"domain_request_id" uuid,
	"domain_expires_at" timestamp with time zone,
	"domain_order_id" text,
	"domain_reason" text,
	"domain_reported_at" timestamp with time zone,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"state_entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "formation_cases_state" CHECK ("state" is null or "state" in ('intake_complete', 'documents_prepared', 'filed', 'approved', 'ein_requested', 'ein_received', 'formed', 'needs_founder', 'rejected')),
	CONSTRAINT "formation_cases_state_before_question" CHECK ("state_before_question" is null or "state_before_question" in ('intake_complete', 'documents_prepared', 'filed', 'approved', 'ein_requested', 'ein_received', 'formed', 'needs_founder', 'rejected')),
	CONSTRAINT "formation_cases_question_by" CHECK ("question_by" is null or "question_by" in ('system', 'operator')),
	CONSTRAINT "formation_cases_entity_type" CHECK ("entity_type" is null or "entity_type" in ('llc', 'corporation', 'partnership', 'sole_proprietorship', 'nonprofit')),
	CONSTRAINT "formation_cases_state_of_formation" CHECK ("state_of_formation" is null or "state_of_formation" in ('AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY')),
	CONSTRAINT "formation_cases_domain_status" CHECK ("domain_status" is null or "domain_status" in ('awaiting_selection', 'awaiting_contact', 'pending', 'registered', 'failed')),
	CONSTRAINT "formation_cases_ein" CHECK ("core"."formation_cases"."ein" is null or "core"."formation_cases"."ein" ~ '^[0-9]{9}$'),
	CONSTRAINT "formation_cases_question" CHECK (("core"."formation_cases"."state" = 'needs_founder') = ("core"."formation_cases"."question" is not null))
);
--> statement-breakpoint
ALTER TABLE "core"."formation_cases" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "core"."formation_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"version" integer NOT NULL,
	"filename" text NOT NULL,
	"sha256" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"inputs_sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"superseded_at" timestamp with time zone,
	CONSTRAINT "formation_documents_kind" CHECK ("kind" is null or "kind" in ('articles_of_organization', 'articles_of_incorporation', 'operating_agreement', 'bylaws')),
	CONSTRAINT "formation_documents_sha256" CHECK ("core"."formation_documents"."sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "core"."formation_documents" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "core"."domain_choices" ADD CONSTRAINT "domain_choices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "core"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "core"."formation_case_events" ADD CONSTRAINT "formation_case_events_case_id_formation_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "core"."formation_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "core"."formation_cases" ADD CONSTRAINT "formation_cases_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "core"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "core"."formation_documents" ADD CONSTRAINT "formation_documents_case_id_formation_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "core"."formation_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "formation_case_events_case_idx" ON "core"."formation_case_events" USING btree ("case_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "formation_cases_user_id_key" ON "core"."formation_cases" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "formation_cases_payment_id_key" ON "core"."formation_cases" USING btree ("payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "formation_cases_domain_request_id_key" ON "core"."formation_cases" USING btree ("domain_request_id");--> statement-breakpoint
CREATE INDEX "formation_cases_state_idx" ON "core"."formation_cases" USING btree ("state","state_entered_at");--> statement-breakpoint
CREATE UNIQUE INDEX "formation_documents_case_kind_version_key" ON "core"."formation_documents" USING btree ("case_id","kind","version");--> statement-breakpoint
CREATE INDEX "formation_documents_case_idx" ON "core"."formation_documents" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE POLICY "domain_choices_owner_all" ON "core"."domain_choices" AS PERMISSIVE FOR ALL TO "dreamseed_gateway" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "domain_choices_founder_reads_own" ON "core"."domain_choices" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("user_id" = nullif(current_setting('request.founder_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "formation_case_events_owner_all" ON "core"."formation_case_events" AS PERMISSIVE FOR ALL TO "dreamseed_gateway" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "formation_case_events_founder_reads_own" ON "core"."formation_case_events" AS PERMISSIVE FOR SELECT TO "authenticated" USING (exists (select 1 from "core"."formation_cases" parent
      where parent.id = "case_id" and parent."user_id" = nullif(current_setting('request.founder_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "formation_cases_owner_all" ON "core"."formation_cases" AS PERMISSIVE FOR ALL TO "dreamseed_gateway" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "formation_cases_founder_reads_own" ON "core"."formation_cases" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("user_id" = nullif(current_setting('request.founder_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "formation_documents_owner_all" ON "core"."formation_documents" AS PERMISSIVE FOR ALL TO "dreamseed_gateway" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "formation_documents_founder_reads_own" ON "core"."formation_documents" AS PERMISSIVE FOR SELECT TO "authenticated" USING (exists (select 1 from "core"."formation_cases" parent
      where parent.id = "case_id" and parent."user_id" = nullif(current_setting('request.founder_id', true), '')::uuid));--> statement-breakpoint
-- Founders read their own cases, events, documents and domain choice under the policies above.
GRANT SELECT ON "core"."formation_cases", "core"."formation_case_events", "core"."formation_documents", "core"."domain_choices" TO authenticated;--> statement-breakpoint
-- A case's history is kept forever: its events are never changed or deleted, and documents are only superseded.
REVOKE UPDATE, DELETE ON "core"."formation_case_events" FROM dreamseed_gateway;--> statement-breakpoint
REVOKE DELETE ON "core"."formation_documents" FROM dreamseed_gateway;
