CREATE SCHEMA "auth";
--> statement-breakpoint
CREATE SCHEMA "core";
--> statement-breakpoint
CREATE TABLE "auth"."sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"aal" text DEFAULT 'aal1' NOT NULL,
	"not_after" timestamp with time zone,
	"refreshed_at" timestamp with time zone,
	"user_agent" text,
	"ip" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sessions_aal" CHECK ("auth"."sessions"."aal" in ('aal1', 'aal2', 'aal3'))
);
--> statement-breakpoint
CREATE TABLE "auth"."users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"aud" text DEFAULT 'authenticated' NOT NULL,
	"role" text DEFAULT 'authenticated' NOT NULL,
	"email" text,
	"encrypted_password" text,
	"email_confirmed_at" timestamp with time zone,
	"confirmation_sent_at" timestamp with time zone,
	"recovery_sent_at" timestamp with time zone,
	"email_change" text,
	"email_change_sent_at" timestamp with time zone,
	"phone" text,
	"phone_confirmed_at" timestamp with time zone,
	"last_sign_in_at" timestamp with time zone,
	"raw_app_meta_data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"raw_user_meta_data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"is_anonymous" boolean DEFAULT false NOT NULL,
	"banned_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "users_email_format" CHECK ("auth"."users"."email" is null or "auth"."users"."email" ~ '^[^@[:space:]]+@[^@[:space:]]+$')
);
--> statement-breakpoint
CREATE TABLE "core"."business_formation_data" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"legal_name" text,
	"dba_name" text,
	"entity_type" text,
	"state_of_formation" text,
	"business_address" jsonb,
	"mailing_address" jsonb,
	"registered_agent" jsonb,
	"members" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"management_structure" text,
	"business_purpose" text,
	"naics_code" text,
	"ein_status" text DEFAULT 'not_started' NOT NULL,
	"formation_status" text DEFAULT 'not_started' NOT NULL,
	"filed_at" timestamp with time zone,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "business_formation_data_entity_type" CHECK ("entity_type" is null or "entity_type" in ('llc', 'corporation', 'partnership', 'sole_proprietorship', 'nonprofit')),
	CONSTRAINT "business_formation_data_state" CHECK ("state_of_formation" is null or "state_of_formation" in ('AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY')),
	CONSTRAINT "business_formation_data_management" CHECK ("management_structure" is null or "management_structure" in ('member_managed', 'manager_managed', 'board')),
	CONSTRAINT "business_formation_data_ein_status" CHECK ("ein_status" is null or "ein_status" in ('not_started', 'applied', 'received')),
	CONSTRAINT "business_formation_data_formation_status" CHECK ("formation_status" is null or "formation_status" in ('not_started', 'in_progress', 'filed', 'approved', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "auth"."mail_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"kind" text NOT NULL,
	"recipient" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mail_outbox_status" CHECK ("auth"."mail_outbox"."status" in ('pending', 'sent', 'written', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "auth"."one_time_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_type" text NOT NULL,
	"token_hash" text NOT NULL,
	"relates_to" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "one_time_tokens_type" CHECK ("auth"."one_time_tokens"."token_type" in ('confirmation_token', 'recovery_token', 'email_change_token_new', 'email_change_token_current', 'reauthentication_token'))
);
--> statement-breakpoint
CREATE TABLE "auth"."refresh_tokens" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"parent_id" integer,
	"revoked" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "core"."user_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"auth_session_id" uuid,
	"ip" text,
	"user_agent" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "core"."users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"auth_user_id" uuid,
	"customer_name" text,
	"customer_email" text,
	"customer_phone" text,
	"business_name" text,
	"business_type" text,
	"state_of_operation" text,
	"entity_type" text,
	"call_1_completed" boolean DEFAULT false NOT NULL,
	"call_2_completed" boolean DEFAULT false NOT NULL,
	"call_3_completed" boolean DEFAULT false NOT NULL,
	"call_4_completed" boolean DEFAULT false NOT NULL,
	"call_1_completed_at" timestamp with time zone,
	"call_2_completed_at" timestamp with time zone,
	"call_3_completed_at" timestamp with time zone,
	"call_4_completed_at" timestamp with time zone,
	"status" text DEFAULT 'registered' NOT NULL,
	"current_call_stage" smallint DEFAULT 1 NOT NULL,
	"next_call_scheduled" timestamp with time zone,
	"assistant_id" text,
	"individual_assistant_id" text,
	"assistant_type" text DEFAULT 'shared' NOT NULL,
	"package_preference" text,
	"urgency_level" text,
	"timeline" text,
	"account_type" text DEFAULT 'founder' NOT NULL,
	"email_confirmed" boolean DEFAULT false NOT NULL,
	"payment_status" text DEFAULT 'none' NOT NULL,
	"subscription_type" text,
	"amount_paid" integer DEFAULT 0 NOT NULL,
	"payment_date" timestamp with time zone,
	"subscription_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "users_customer_phone_e164" CHECK ("core"."users"."customer_phone" is null or "core"."users"."customer_phone" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "users_state_of_operation" CHECK ("state_of_operation" is null or "state_of_operation" in ('AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY')),
	CONSTRAINT "users_entity_type" CHECK ("entity_type" is null or "entity_type" in ('llc', 'corporation', 'partnership', 'sole_proprietorship', 'nonprofit')),
	CONSTRAINT "users_status" CHECK ("status" is null or "status" in ('registered', 'in_consultation', 'analysis_ready', 'domain_selected', 'paid', 'formed', 'archived')),
	CONSTRAINT "users_current_call_stage" CHECK ("core"."users"."current_call_stage" between 1 and 5),
	CONSTRAINT "users_assistant_type" CHECK ("assistant_type" is null or "assistant_type" in ('shared', 'individual')),
	CONSTRAINT "users_urgency_level" CHECK ("urgency_level" is null or "urgency_level" in ('high', 'medium', 'low')),
	CONSTRAINT "users_payment_status" CHECK ("payment_status" is null or "payment_status" in ('none', 'pending', 'paid', 'failed', 'refunded')),
	CONSTRAINT "users_subscription_type" CHECK ("subscription_type" is null or "subscription_type" in ('monthly', 'yearly')),
	CONSTRAINT "users_amount_paid" CHECK ("core"."users"."amount_paid" >= 0)
);
--> statement-breakpoint
ALTER TABLE "auth"."sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "core"."business_formation_data" ADD CONSTRAINT "business_formation_data_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "core"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."mail_outbox" ADD CONSTRAINT "mail_outbox_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."one_time_tokens" ADD CONSTRAINT "one_time_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."refresh_tokens" ADD CONSTRAINT "refresh_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."refresh_tokens" ADD CONSTRAINT "refresh_tokens_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "auth"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "core"."user_sessions" ADD CONSTRAINT "user_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "core"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "core"."user_sessions" ADD CONSTRAINT "user_sessions_auth_session_id_sessions_id_fk" FOREIGN KEY ("auth_session_id") REFERENCES "auth"."sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "core"."users" ADD CONSTRAINT "users_auth_user_id_users_id_fk" FOREIGN KEY ("auth_user_id") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_user_id_idx" ON "auth"."sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "auth"."users" USING btree (lower("email")) WHERE "auth"."users"."email" is not null and "auth"."users"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "users_phone_key" ON "auth"."users" USING btree ("phone") WHERE "auth"."users"."phone" is not null and "auth"."users"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "business_formation_data_user_id_key" ON "core"."business_formation_data" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "mail_outbox_recipient_idx" ON "auth"."mail_outbox" USING btree (lower("recipient"),"created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "one_time_tokens_user_type_key" ON "auth"."one_time_tokens" USING btree ("user_id","token_type");--> statement-breakpoint
CREATE UNIQUE INDEX "one_time_tokens_token_hash_key" ON "auth"."one_time_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "refresh_tokens_token_hash_key" ON "auth"."refresh_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "refresh_tokens_session_id_idx" ON "auth"."refresh_tokens" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "refresh_tokens_user_id_idx" ON "auth"."refresh_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "user_sessions_user_id_idx" ON "core"."user_sessions" USING btree ("user_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "user_sessions_auth_session_key" ON "core"."user_sessions" USING btree ("auth_session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_auth_user_id_key" ON "core"."users" USING btree ("auth_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_customer_phone_key" ON "core"."users" USING btree ("customer_phone") WHERE "core"."users"."customer_phone" is not null and "core"."users"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "users_customer_email_idx" ON "core"."users" USING btree (lower("customer_email"));--> statement-breakpoint
CREATE INDEX "users_status_idx" ON "core"."users" USING btree ("status");--> statement-breakpoint
CREATE INDEX "users_next_call_scheduled_idx" ON "core"."users" USING btree ("next_call_scheduled") WHERE "core"."users"."next_call_scheduled" is not null;