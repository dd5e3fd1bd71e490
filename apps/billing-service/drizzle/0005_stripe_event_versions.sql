ALTER TABLE "billing"."billing_events" DROP CONSTRAINT "billing_events_outcome";--> statement-breakpoint
ALTER TABLE "billing"."billing_events" ADD COLUMN "api_version" text;--> statement-breakpoint
ALTER TABLE "billing"."billing_events" ADD COLUMN "error" text;--> statement-breakpoint
ALTER TABLE "billing"."billing_events" ADD CONSTRAINT "billing_events_error" CHECK (("billing"."billing_events"."outcome" = 'unsupported') = ("billing"."billing_events"."error" is not null));--> statement-breakpoint
ALTER TABLE "billing"."billing_events" ADD CONSTRAINT "billing_events_outcome" CHECK ("outcome" is null or "outcome" in ('applied', 'ignored', 'stale', 'unsupported'));