ALTER TABLE "analysis"."ai_analysis" ADD COLUMN "lease_holder" uuid;--> statement-breakpoint
ALTER TABLE "analysis"."ai_analysis" ADD COLUMN "lease_until" timestamp with time zone;