CREATE POLICY "call_sessions_owner_all" ON "voice"."call_sessions" AS PERMISSIVE FOR ALL TO "dreamseed_voice" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "conversation_turns_owner_all" ON "voice"."conversation_turns" AS PERMISSIVE FOR ALL TO "dreamseed_voice" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "conversations_owner_all" ON "voice"."conversations" AS PERMISSIVE FOR ALL TO "dreamseed_voice" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "transcripts_owner_all" ON "voice"."transcripts" AS PERMISSIVE FOR ALL TO "dreamseed_voice" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "vapi_calls_owner_all" ON "voice"."vapi_calls" AS PERMISSIVE FOR ALL TO "dreamseed_voice" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "voice_calls_owner_all" ON "voice"."voice_calls" AS PERMISSIVE FOR ALL TO "dreamseed_voice" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "webhook_logs_owner_all" ON "voice"."webhook_logs" AS PERMISSIVE FOR ALL TO "dreamseed_voice" USING (true) WITH CHECK (true);