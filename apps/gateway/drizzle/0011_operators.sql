CREATE TABLE "core"."founder_attention" (
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"state" text NOT NULL,
	"detail" text,
	"raised_at" timestamp with time zone,
	"occurred_at" timestamp with time zone NOT NULL,
	"last_event_id" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "founder_attention_user_id_kind_pk" PRIMARY KEY("user_id","kind"),
	CONSTRAINT "founder_attention_state" CHECK ("state" is null or "state" in ('raised', 'cleared'))
);
--> statement-breakpoint
ALTER TABLE "core"."founder_attention" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "core"."operator_audit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"operator_email" text,
	"action" text NOT NULL,
	"user_id" uuid,
	"target" text,
	"reason" text,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"outcome" text NOT NULL,
	"code" text,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "operator_audit_outcome" CHECK ("outcome" is null or "outcome" in ('done', 'accepted', 'refused', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "core"."operator_audit" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "auth"."users" ADD COLUMN "invited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "core"."founder_attention" ADD CONSTRAINT "founder_attention_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "core"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "founder_attention_raised_idx" ON "core"."founder_attention" USING btree ("state","raised_at");--> statement-breakpoint
CREATE INDEX "operator_audit_user_idx" ON "core"."operator_audit" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "operator_audit_created_idx" ON "core"."operator_audit" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "operator_audit_idempotency_key" ON "core"."operator_audit" USING btree ("operator_id","action","idempotency_key") WHERE "core"."operator_audit"."idempotency_key" is not null;--> statement-breakpoint
CREATE POLICY "founder_attention_owner_all" ON "core"."founder_attention" AS PERMISSIVE FOR ALL TO "dreamseed_gateway" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "operator_audit_owner_all" ON "core"."operator_audit" AS PERMISSIVE FOR ALL TO "dreamseed_gateway" USING (true) WITH CHECK (true);