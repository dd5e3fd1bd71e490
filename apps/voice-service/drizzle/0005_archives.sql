CREATE TABLE "voice"."archives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"row_count" integer NOT NULL,
	"oldest" timestamp with time zone NOT NULL,
	"newest" timestamp with time zone NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "archives_kind" CHECK ("kind" is null or "kind" in ('transcripts', 'webhook_logs'))
);
--> statement-breakpoint
ALTER TABLE "voice"."archives" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE INDEX "archives_kind_newest_idx" ON "voice"."archives" USING btree ("kind","newest");--> statement-breakpoint
CREATE POLICY "archives_owner_all" ON "voice"."archives" AS PERMISSIVE FOR ALL TO "dreamseed_voice" USING (true) WITH CHECK (true);