ALTER TABLE "core"."business_formation_data" ADD COLUMN "authorized_shares" jsonb;
--> statement-breakpoint
-- The founder sets the authorized shares with the rest of the intake (PUT /v1/me/formation).
GRANT INSERT ("authorized_shares"), UPDATE ("authorized_shares") ON "core"."business_formation_data" TO authenticated;
