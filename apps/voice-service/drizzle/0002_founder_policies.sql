ALTER TABLE "voice"."call_sessions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "voice"."conversation_turns" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "voice"."conversations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "voice"."transcripts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "voice"."vapi_calls" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "voice"."voice_calls" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "voice"."webhook_logs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "call_sessions_founder_reads_own" ON "voice"."call_sessions" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("user_id" = nullif(current_setting('request.founder_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "conversation_turns_founder_reads_own" ON "voice"."conversation_turns" AS PERMISSIVE FOR SELECT TO "authenticated" USING (exists (select 1 from "voice"."conversations" parent
      where parent.id = "conversation_id" and parent."user_id" = nullif(current_setting('request.founder_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "conversations_founder_reads_own" ON "voice"."conversations" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("user_id" = nullif(current_setting('request.founder_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "transcripts_founder_reads_own" ON "voice"."transcripts" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("user_id" = nullif(current_setting('request.founder_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "vapi_calls_founder_reads_own" ON "voice"."vapi_calls" AS PERMISSIVE FOR SELECT TO "authenticated" USING (exists (select 1 from "voice"."call_sessions" parent
      where parent.id = "call_session_id" and parent."user_id" = nullif(current_setting('request.founder_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "voice_calls_founder_reads_own" ON "voice"."voice_calls" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("user_id" = nullif(current_setting('request.founder_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "webhook_logs_founder_reads_own" ON "voice"."webhook_logs" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("user_id" = nullif(current_setting('request.founder_id', true), '')::uuid);