ALTER TABLE "auth"."one_time_tokens" DROP CONSTRAINT "one_time_tokens_type";--> statement-breakpoint
ALTER TABLE "auth"."users" ADD COLUMN "phone_change" text;--> statement-breakpoint
ALTER TABLE "auth"."users" ADD COLUMN "phone_change_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "auth"."one_time_tokens" ADD CONSTRAINT "one_time_tokens_type" CHECK ("auth"."one_time_tokens"."token_type" in ('confirmation_token', 'recovery_token', 'email_change_token_new', 'email_change_token_current', 'phone_change_token', 'reauthentication_token'));