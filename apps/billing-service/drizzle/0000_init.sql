CREATE SCHEMA "billing";
--> statement-breakpoint
CREATE TABLE "billing"."billing_events" (
	"id" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"type" text NOT NULL,
	"livemode" boolean DEFAULT false NOT NULL,
	"event_created_at" timestamp with time zone,
	"outcome" text NOT NULL,
	"object_refs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_events_outcome" CHECK ("outcome" is null or "outcome" in ('applied', 'ignored', 'stale'))
);
--> statement-breakpoint
CREATE TABLE "billing"."payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"package_id" text NOT NULL,
	"kind" text NOT NULL,
	"checkout_session_id" text,
	"checkout_url" text,
	"payment_intent_id" text,
	"invoice_id" text,
	"provider_customer_id" text,
	"amount_minor" integer NOT NULL,
	"amount_refunded_minor" integer DEFAULT 0 NOT NULL,
	"currency" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"paid_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"refunded_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"last_event_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_amounts" CHECK ("billing"."payments"."amount_minor" >= 0 and "billing"."payments"."amount_refunded_minor" >= 0),
	CONSTRAINT "payments_currency" CHECK ("billing"."payments"."currency" ~ '^[a-z]{3}$'),
	CONSTRAINT "payments_provider" CHECK ("provider" is null or "provider" in ('stripe', 'local')),
	CONSTRAINT "payments_kind" CHECK ("kind" is null or "kind" in ('one_time', 'subscription')),
	CONSTRAINT "payments_status" CHECK ("status" is null or "status" in ('pending', 'paid', 'failed', 'expired', 'refunded', 'partially_refunded'))
);
--> statement-breakpoint
CREATE TABLE "billing"."subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"provider_subscription_id" text NOT NULL,
	"provider_customer_id" text,
	"package_id" text NOT NULL,
	"plan" text NOT NULL,
	"status" text NOT NULL,
	"current_period_start" timestamp with time zone,
	"current_period_end" timestamp with time zone,
	"cancel_at_period_end" boolean DEFAULT false NOT NULL,
	"canceled_at" timestamp with time zone,
	"expired_at" timestamp with time zone,
	"last_event_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscriptions_provider" CHECK ("provider" is null or "provider" in ('stripe', 'local')),
	CONSTRAINT "subscriptions_plan" CHECK ("plan" is null or "plan" in ('monthly', 'yearly')),
	CONSTRAINT "subscriptions_status" CHECK ("status" is null or "status" in ('incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'canceled', 'unpaid', 'paused', 'expired'))
);
--> statement-breakpoint
CREATE INDEX "billing_events_type_idx" ON "billing"."billing_events" USING btree ("type","processed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_checkout_session_id_key" ON "billing"."payments" USING btree ("checkout_session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_invoice_id_key" ON "billing"."payments" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "payments_payment_intent_id_idx" ON "billing"."payments" USING btree ("payment_intent_id");--> statement-breakpoint
CREATE INDEX "payments_business_id_idx" ON "billing"."payments" USING btree ("business_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_one_pending_checkout_key" ON "billing"."payments" USING btree ("business_id") WHERE "billing"."payments"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_provider_subscription_id_key" ON "billing"."subscriptions" USING btree ("provider","provider_subscription_id");--> statement-breakpoint
CREATE INDEX "subscriptions_business_id_idx" ON "billing"."subscriptions" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "subscriptions_period_end_idx" ON "billing"."subscriptions" USING btree ("current_period_end") WHERE "billing"."subscriptions"."expired_at" is null;