ALTER TABLE "auth"."sessions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "auth"."users" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "core"."business_formation_data" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "auth"."mail_outbox" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "auth"."one_time_tokens" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "auth"."refresh_tokens" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "core"."user_sessions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "core"."users" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "sessions_user_reads_own" ON "auth"."sessions" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("user_id" = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "users_user_reads_own" ON "auth"."users" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("id" = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "business_formation_data_founder_reads_own" ON "core"."business_formation_data" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("user_id" = nullif(current_setting('request.founder_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "business_formation_data_founder_inserts_own" ON "core"."business_formation_data" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("user_id" = nullif(current_setting('request.founder_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "business_formation_data_founder_updates_own" ON "core"."business_formation_data" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("user_id" = nullif(current_setting('request.founder_id', true), '')::uuid) WITH CHECK ("user_id" = nullif(current_setting('request.founder_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "mail_outbox_user_reads_own" ON "auth"."mail_outbox" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("user_id" = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "one_time_tokens_user_reads_own" ON "auth"."one_time_tokens" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("user_id" = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "refresh_tokens_user_reads_own" ON "auth"."refresh_tokens" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("user_id" = nullif(current_setting('request.jwt.claim.sub', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "user_sessions_founder_reads_own" ON "core"."user_sessions" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("user_id" = nullif(current_setting('request.founder_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "users_founder_reads_own" ON "core"."users" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("id" = nullif(current_setting('request.founder_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "users_founder_updates_own" ON "core"."users" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("id" = nullif(current_setting('request.founder_id', true), '')::uuid) WITH CHECK ("id" = nullif(current_setting('request.founder_id', true), '')::uuid);