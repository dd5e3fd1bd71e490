CREATE TABLE "domain"."erased_founders" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "domain"."erased_founders" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "erased_founders_owner_all" ON "domain"."erased_founders" AS PERMISSIVE FOR ALL TO "dreamseed_domain" USING (true) WITH CHECK (true);