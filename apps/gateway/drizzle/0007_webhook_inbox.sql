CREATE TABLE "core"."webhook_inbox" (
	"job_id" text PRIMARY KEY NOT NULL,
	"queue" text NOT NULL,
	"job_name" text NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
ALTER TABLE "core"."webhook_inbox" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE INDEX "webhook_inbox_received_at_idx" ON "core"."webhook_inbox" USING btree ("received_at");--> statement-breakpoint
CREATE POLICY "webhook_inbox_owner_all" ON "core"."webhook_inbox" AS PERMISSIVE FOR ALL TO "dreamseed_gateway" USING (true) WITH CHECK (true);