CREATE SCHEMA "analysis";
--> statement-breakpoint
CREATE TABLE "analysis"."ai_analysis" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"run_key" text NOT NULL,
	"trigger" text NOT NULL,
	"provider" text NOT NULL,
	"model" text,
	"prompt_version" text NOT NULL,
	"transcript_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"assessment_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"raw_output" jsonb,
	"parsed_output" jsonb,
	"input_tokens" integer,
	"output_tokens" integer,
	"cost_usd" numeric(12, 6),
	"latency_ms" integer,
	"status" text DEFAULT 'pending' NOT NULL,
	"error" text,
	"dream_dna_version" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "ai_analysis_trigger" CHECK ("trigger" is null or "trigger" in ('call-ended', 'assessment', 'business-fact', 'manual')),
	CONSTRAINT "ai_analysis_status" CHECK ("status" is null or "status" in ('pending', 'succeeded', 'failed', 'unchanged'))
);
--> statement-breakpoint
CREATE TABLE "analysis"."assessment_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assessment_id" uuid NOT NULL,
	"question_id" text NOT NULL,
	"answer" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analysis"."business_assessment" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"catalog_version" integer NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"analysed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "business_assessment_status" CHECK ("status" is null or "status" in ('submitted', 'analysed'))
);
--> statement-breakpoint
CREATE TABLE "analysis"."business_facts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"field" text NOT NULL,
	"value" text NOT NULL,
	"vapi_call_id" text NOT NULL,
	"tool_call_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analysis"."dream_dna" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"what_problem" text,
	"who_serves" text,
	"how_different" text,
	"primary_service" text,
	"brand_vibe" text,
	"color_preference" text,
	"price_level" text,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"selected_domain" text,
	"ai_analysis_id" uuid,
	CONSTRAINT "dream_dna_version_positive" CHECK ("analysis"."dream_dna"."version" >= 1),
	CONSTRAINT "dream_dna_brand_vibe" CHECK ("brand_vibe" is null or "brand_vibe" in ('professional', 'bold', 'friendly', 'elegant')),
	CONSTRAINT "dream_dna_color_preference" CHECK ("color_preference" is null or "color_preference" in ('cool', 'vibrant', 'minimal')),
	CONSTRAINT "dream_dna_price_level" CHECK ("price_level" is null or "price_level" in ('budget', 'mid-market', 'premium'))
);
--> statement-breakpoint
ALTER TABLE "analysis"."assessment_responses" ADD CONSTRAINT "assessment_responses_assessment_id_business_assessment_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "analysis"."business_assessment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis"."dream_dna" ADD CONSTRAINT "dream_dna_ai_analysis_id_ai_analysis_id_fk" FOREIGN KEY ("ai_analysis_id") REFERENCES "analysis"."ai_analysis"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ai_analysis_run_key_key" ON "analysis"."ai_analysis" USING btree ("run_key");--> statement-breakpoint
CREATE INDEX "ai_analysis_business_id_idx" ON "analysis"."ai_analysis" USING btree ("business_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_responses_assessment_question_key" ON "analysis"."assessment_responses" USING btree ("assessment_id","question_id");--> statement-breakpoint
CREATE INDEX "business_assessment_business_id_idx" ON "analysis"."business_assessment" USING btree ("business_id","submitted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "business_facts_tool_call_key" ON "analysis"."business_facts" USING btree ("tool_call_id");--> statement-breakpoint
CREATE INDEX "business_facts_business_id_idx" ON "analysis"."business_facts" USING btree ("business_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dream_dna_business_version_key" ON "analysis"."dream_dna" USING btree ("business_id","version");