CREATE POLICY "sessions_owner_all" ON "auth"."sessions" AS PERMISSIVE FOR ALL TO "dreamseed_gateway" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "users_owner_all" ON "auth"."users" AS PERMISSIVE FOR ALL TO "dreamseed_gateway" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "business_formation_data_owner_all" ON "core"."business_formation_data" AS PERMISSIVE FOR ALL TO "dreamseed_gateway" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "mail_outbox_owner_all" ON "auth"."mail_outbox" AS PERMISSIVE FOR ALL TO "dreamseed_gateway" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "one_time_tokens_owner_all" ON "auth"."one_time_tokens" AS PERMISSIVE FOR ALL TO "dreamseed_gateway" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "profile_events_owner_all" ON "core"."profile_events" AS PERMISSIVE FOR ALL TO "dreamseed_gateway" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "refresh_tokens_owner_all" ON "auth"."refresh_tokens" AS PERMISSIVE FOR ALL TO "dreamseed_gateway" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "user_sessions_owner_all" ON "core"."user_sessions" AS PERMISSIVE FOR ALL TO "dreamseed_gateway" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "users_owner_all" ON "core"."users" AS PERMISSIVE FOR ALL TO "dreamseed_gateway" USING (true) WITH CHECK (true);