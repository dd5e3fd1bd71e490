CREATE TABLE "voice"."call_founders" (
	"vapi_call_id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"call_stage" smallint,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_founders_call_stage" CHECK ("call_stage" is null or "call_stage" between 1 and 4),
	CONSTRAINT "call_founders_source" CHECK ("source" is null or "source" in ('assistant-request', 'outbound', 'metadata', 'caller-number'))
);
--> statement-breakpoint
ALTER TABLE "voice"."call_founders" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "voice"."conversation_turns" DROP CONSTRAINT "conversation_turns_role";--> statement-breakpoint
ALTER TABLE "voice"."call_sessions" ALTER COLUMN "duration_seconds" SET DATA TYPE numeric(12, 3);--> statement-breakpoint
CREATE INDEX "call_founders_user_id_idx" ON "voice"."call_founders" USING btree ("user_id");--> statement-breakpoint
-- Founder-visible turns are what was said: VAPI's `bot` is the assistant speaking; system prompts, tool calls and
-- tool results stored by earlier versions go, and each conversation's turns are numbered again without gaps.
UPDATE "voice"."conversation_turns" SET "role" = 'assistant' WHERE "role" = 'bot';--> statement-breakpoint
DELETE FROM "voice"."conversation_turns" WHERE "role" NOT IN ('assistant', 'user');--> statement-breakpoint
UPDATE "voice"."conversation_turns" SET "seq" = -1 - "seq";--> statement-breakpoint
UPDATE "voice"."conversation_turns" t SET "seq" = n."seq"
  FROM (SELECT "id", (row_number() OVER (PARTITION BY "conversation_id" ORDER BY -1 - "seq") - 1)::integer AS "seq"
          FROM "voice"."conversation_turns") n
 WHERE t."id" = n."id";--> statement-breakpoint
UPDATE "voice"."conversations" c SET "turn_count" = (SELECT count(*) FROM "voice"."conversation_turns" t WHERE t."conversation_id" = c."id");--> statement-breakpoint
ALTER TABLE "voice"."conversation_turns" ADD CONSTRAINT "conversation_turns_role" CHECK ("role" is null or "role" in ('assistant', 'user'));--> statement-breakpoint
CREATE POLICY "call_founders_owner_all" ON "voice"."call_founders" AS PERMISSIVE FOR ALL TO "dreamseed_voice" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "call_founders_founder_reads_own" ON "voice"."call_founders" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("user_id" = nullif(current_setting('request.founder_id', true), '')::uuid);