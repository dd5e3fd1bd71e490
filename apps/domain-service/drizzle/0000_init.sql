CREATE SCHEMA "domain";
--> statement-breakpoint
CREATE TABLE "domain"."domain_availability" (
	"domain" text PRIMARY KEY NOT NULL,
	"available" boolean,
	"definitive" boolean NOT NULL,
	"provider" text NOT NULL,
	"price_micros" bigint,
	"currency" text,
	"checked_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "domain"."domain_searches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"keywords" text[] DEFAULT '{}'::text[] NOT NULL,
	"tlds" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"candidates" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"providers" text[] DEFAULT '{}'::text[] NOT NULL,
	"selected_domain" text,
	"selected_at" timestamp with time zone,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	CONSTRAINT "domain_searches_trigger" CHECK ("trigger" is null or "trigger" in ('api', 'brand-call')),
	CONSTRAINT "domain_searches_status" CHECK ("status" is null or "status" in ('pending', 'running', 'completed', 'failed'))
);
--> statement-breakpoint
CREATE INDEX "domain_availability_expires_at_idx" ON "domain"."domain_availability" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "domain_searches_business_id_idx" ON "domain"."domain_searches" USING btree ("business_id","created_at");