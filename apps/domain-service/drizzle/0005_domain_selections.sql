CREATE TABLE "domain"."domain_selections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"domain" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"available" boolean,
	"provider" text,
	"search_id" uuid,
	"message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "domain_selections_status" CHECK ("status" is null or "status" in ('pending', 'selected', 'unavailable'))
);
--> statement-breakpoint
ALTER TABLE "domain"."domain_selections" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "domain"."domain_selections" ADD CONSTRAINT "domain_selections_search_id_domain_searches_id_fk" FOREIGN KEY ("search_id") REFERENCES "domain"."domain_searches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "domain_selections_business_id_idx" ON "domain"."domain_selections" USING btree ("business_id","created_at");--> statement-breakpoint
CREATE POLICY "domain_selections_owner_all" ON "domain"."domain_selections" AS PERMISSIVE FOR ALL TO "dreamseed_domain" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "domain_selections_founder_reads_own" ON "domain"."domain_selections" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("business_id" = nullif(current_setting('request.founder_id', true), '')::uuid);