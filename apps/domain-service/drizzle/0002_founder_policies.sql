ALTER TABLE "domain"."domain_availability" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "domain"."domain_searches" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "domain_searches_founder_reads_own" ON "domain"."domain_searches" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("business_id" = nullif(current_setting('request.founder_id', true), '')::uuid);