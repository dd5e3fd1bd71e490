ALTER TABLE "voice"."archives" ADD COLUMN "user_ids" uuid[];--> statement-breakpoint
ALTER TABLE "voice"."archives" ADD COLUMN "call_session_ids" uuid[];--> statement-breakpoint
ALTER TABLE "voice"."archives" ADD COLUMN "vapi_call_ids" text[];--> statement-breakpoint
CREATE INDEX "archives_user_ids_idx" ON "voice"."archives" USING gin ("user_ids");--> statement-breakpoint
CREATE INDEX "archives_call_session_ids_idx" ON "voice"."archives" USING gin ("call_session_ids");--> statement-breakpoint
CREATE INDEX "archives_vapi_call_ids_idx" ON "voice"."archives" USING gin ("vapi_call_ids");--> statement-breakpoint
CREATE INDEX "archives_without_keys_idx" ON "voice"."archives" USING btree ("id") WHERE "voice"."archives"."user_ids" is null;--> statement-breakpoint
ALTER TABLE "voice"."archives" ADD CONSTRAINT "archives_keys_all_or_none" CHECK (num_nulls("voice"."archives"."user_ids", "voice"."archives"."call_session_ids", "voice"."archives"."vapi_call_ids") in (0, 3));