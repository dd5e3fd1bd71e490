CREATE TABLE "analysis"."erased_founders" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "analysis"."erased_founders" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "erased_founders_owner_all" ON "analysis"."erased_founders" AS PERMISSIVE FOR ALL TO "dreamseed_analysis" USING (true) WITH CHECK (true);