ALTER TABLE "voice"."voice_calls" ADD COLUMN "claim_id" uuid;--> statement-breakpoint
ALTER TABLE "voice"."voice_calls" ADD COLUMN "request_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "voice"."voice_calls" ADD COLUMN "cancel_request_id" uuid;