ALTER TABLE "analysis"."ai_analysis" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "analysis"."assessment_responses" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "analysis"."business_assessment" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "analysis"."business_facts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "analysis"."dream_dna" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "ai_analysis_founder_reads_own" ON "analysis"."ai_analysis" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("business_id" = nullif(current_setting('request.founder_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "assessment_responses_founder_reads_own" ON "analysis"."assessment_responses" AS PERMISSIVE FOR SELECT TO "authenticated" USING (exists (select 1 from "analysis"."business_assessment" parent
      where parent.id = "assessment_id" and parent."business_id" = nullif(current_setting('request.founder_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "business_assessment_founder_reads_own" ON "analysis"."business_assessment" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("business_id" = nullif(current_setting('request.founder_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "business_facts_founder_reads_own" ON "analysis"."business_facts" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("business_id" = nullif(current_setting('request.founder_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "dream_dna_founder_reads_own" ON "analysis"."dream_dna" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("business_id" = nullif(current_setting('request.founder_id', true), '')::uuid);