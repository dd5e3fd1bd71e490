CREATE TABLE "voice"."erased_founders" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "voice"."erased_founders" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "erased_founders_owner_all" ON "voice"."erased_founders" AS PERMISSIVE FOR ALL TO "dreamseed_voice" USING (true) WITH CHECK (true);