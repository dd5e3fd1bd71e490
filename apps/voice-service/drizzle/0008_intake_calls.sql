ALTER TABLE "voice"."call_founders" DROP CONSTRAINT "call_founders_source";--> statement-breakpoint
ALTER TABLE "voice"."call_founders" ALTER COLUMN "user_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "voice"."call_founders" ADD CONSTRAINT "call_founders_intake_is_nobody" CHECK (("voice"."call_founders"."source" = 'intake') = ("voice"."call_founders"."user_id" is null));--> statement-breakpoint
ALTER TABLE "voice"."call_founders" ADD CONSTRAINT "call_founders_source" CHECK ("source" is null or "source" in ('assistant-request', 'outbound', 'metadata', 'caller-number', 'intake'));