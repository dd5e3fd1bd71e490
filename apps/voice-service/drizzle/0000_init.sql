CREATE SCHEMA "voice";
--> statement-breakpoint
CREATE TABLE "voice"."call_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"vapi_call_id" text NOT NULL,
	"call_stage" smallint,
	"direction" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"assistant_id" text,
	"phone_number_id" text,
	"customer_number" text,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"ended_reason" text,
	"duration_seconds" integer,
	"cost_usd" numeric(12, 6),
	"recording_url" text,
	"stereo_recording_url" text,
	"summary" text,
	"structured_data" jsonb,
	"success_evaluation" text,
	"last_event_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_sessions_call_stage" CHECK ("call_stage" is null or "call_stage" between 1 and 4),
	CONSTRAINT "call_sessions_direction" CHECK ("direction" is null or "direction" in ('inbound', 'outbound', 'web')),
	CONSTRAINT "call_sessions_status" CHECK ("status" is null or "status" in ('scheduled', 'queued', 'ringing', 'in-progress', 'forwarding', 'ended'))
);
--> statement-breakpoint
CREATE TABLE "voice"."conversation_turns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"role" text NOT NULL,
	"content" text NOT NULL,
	"seconds_from_start" numeric(10, 3),
	"duration_seconds" numeric(10, 3),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_turns_role" CHECK ("role" is null or "role" in ('assistant', 'user', 'system', 'tool', 'bot'))
);
--> statement-breakpoint
CREATE TABLE "voice"."conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_session_id" uuid NOT NULL,
	"user_id" uuid,
	"call_stage" smallint,
	"turn_count" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice"."transcripts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_session_id" uuid NOT NULL,
	"user_id" uuid,
	"call_stage" smallint,
	"text" text NOT NULL,
	"word_count" integer DEFAULT 0 NOT NULL,
	"language" text,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transcripts_call_stage" CHECK ("call_stage" is null or "call_stage" between 1 and 4)
);
--> statement-breakpoint
CREATE TABLE "voice"."vapi_calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"vapi_call_id" text NOT NULL,
	"call_session_id" uuid,
	"type" text,
	"org_id" text,
	"cost_breakdown" jsonb,
	"analysis" jsonb,
	"raw" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice"."voice_calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"call_stage" smallint NOT NULL,
	"scheduled_for" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"vapi_call_id" text,
	"call_session_id" uuid,
	"last_error" text,
	"placed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "voice_calls_call_stage" CHECK ("call_stage" is null or "call_stage" between 1 and 4),
	CONSTRAINT "voice_calls_status" CHECK ("status" is null or "status" in ('scheduled', 'dialing', 'placed', 'completed', 'failed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "voice"."webhook_logs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_key" text NOT NULL,
	"message_type" text NOT NULL,
	"vapi_call_id" text,
	"user_id" uuid,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"error" text,
	"received_at" timestamp with time zone NOT NULL,
	"processed_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	"redacted" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_logs_status" CHECK ("status" is null or "status" in ('received', 'processed', 'ignored', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "voice"."conversation_turns" ADD CONSTRAINT "conversation_turns_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "voice"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice"."conversations" ADD CONSTRAINT "conversations_call_session_id_call_sessions_id_fk" FOREIGN KEY ("call_session_id") REFERENCES "voice"."call_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice"."transcripts" ADD CONSTRAINT "transcripts_call_session_id_call_sessions_id_fk" FOREIGN KEY ("call_session_id") REFERENCES "voice"."call_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice"."vapi_calls" ADD CONSTRAINT "vapi_calls_call_session_id_call_sessions_id_fk" FOREIGN KEY ("call_session_id") REFERENCES "voice"."call_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice"."voice_calls" ADD CONSTRAINT "voice_calls_call_session_id_call_sessions_id_fk" FOREIGN KEY ("call_session_id") REFERENCES "voice"."call_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "call_sessions_vapi_call_id_key" ON "voice"."call_sessions" USING btree ("vapi_call_id");--> statement-breakpoint
CREATE INDEX "call_sessions_user_id_idx" ON "voice"."call_sessions" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "call_sessions_status_idx" ON "voice"."call_sessions" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_turns_conversation_seq_key" ON "voice"."conversation_turns" USING btree ("conversation_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_call_session_id_key" ON "voice"."conversations" USING btree ("call_session_id");--> statement-breakpoint
CREATE INDEX "conversations_user_id_idx" ON "voice"."conversations" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "transcripts_call_session_id_key" ON "voice"."transcripts" USING btree ("call_session_id");--> statement-breakpoint
CREATE INDEX "transcripts_user_id_idx" ON "voice"."transcripts" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "transcripts_created_at_idx" ON "voice"."transcripts" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "vapi_calls_vapi_call_id_key" ON "voice"."vapi_calls" USING btree ("vapi_call_id");--> statement-breakpoint
CREATE INDEX "vapi_calls_call_session_id_idx" ON "voice"."vapi_calls" USING btree ("call_session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "voice_calls_open_per_stage_key" ON "voice"."voice_calls" USING btree ("user_id","call_stage") WHERE "voice"."voice_calls"."status" in ('scheduled', 'dialing');--> statement-breakpoint
CREATE INDEX "voice_calls_due_idx" ON "voice"."voice_calls" USING btree ("scheduled_for") WHERE "voice"."voice_calls"."status" = 'scheduled';--> statement-breakpoint
CREATE UNIQUE INDEX "voice_calls_vapi_call_id_key" ON "voice"."voice_calls" USING btree ("vapi_call_id");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_logs_event_key_key" ON "voice"."webhook_logs" USING btree ("event_key");--> statement-breakpoint
CREATE INDEX "webhook_logs_vapi_call_id_idx" ON "voice"."webhook_logs" USING btree ("vapi_call_id");--> statement-breakpoint
CREATE INDEX "webhook_logs_received_at_idx" ON "voice"."webhook_logs" USING btree ("received_at");