ALTER TABLE "billing"."billing_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "billing"."payments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "billing"."subscriptions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "payments_founder_reads_own" ON "billing"."payments" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("business_id" = nullif(current_setting('request.founder_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "subscriptions_founder_reads_own" ON "billing"."subscriptions" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("business_id" = nullif(current_setting('request.founder_id', true), '')::uuid);