CREATE TABLE "domain"."domain_registrations" (
	"request_id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"domain" text NOT NULL,
	"years" integer DEFAULT 1 NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"provider" text NOT NULL,
	"order_id" text,
	"expires_at" timestamp with time zone,
	"last_error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "domain_registrations_status" CHECK ("status" is null or "status" in ('pending', 'registered', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "domain"."domain_registrations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE INDEX "domain_registrations_business_id_idx" ON "domain"."domain_registrations" USING btree ("business_id","created_at");--> statement-breakpoint
CREATE POLICY "domain_registrations_owner_all" ON "domain"."domain_registrations" AS PERMISSIVE FOR ALL TO "dreamseed_domain" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "domain_registrations_founder_reads_own" ON "domain"."domain_registrations" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("business_id" = nullif(current_setting('request.founder_id', true), '')::uuid);