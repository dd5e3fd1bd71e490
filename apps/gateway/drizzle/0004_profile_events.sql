CREATE TABLE "core"."profile_events" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "profile_events_outcome" CHECK ("outcome" is null or "outcome" in ('applied', 'stale', 'ignored'))
);
--> statement-breakpoint
ALTER TABLE "core"."profile_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "core"."profile_events" ADD CONSTRAINT "profile_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "core"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "profile_events_user_kind_idx" ON "core"."profile_events" USING btree ("user_id","kind","occurred_at");--> statement-breakpoint
CREATE POLICY "profile_events_founder_reads_own" ON "core"."profile_events" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("user_id" = nullif(current_setting('request.founder_id', true), '')::uuid);--> statement-breakpoint
GRANT SELECT ON "core"."profile_events" TO authenticated;
