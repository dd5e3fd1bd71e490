-- A profile's phone number reaches the founder's calls and transcripts, so it is only ever a number the founder
-- confirmed with a code. Numbers written before codes existed were never proven: rather than trust them, each is
-- kept as the account's pending number (the founder confirms it from the app), unless auth already holds it as a
-- confirmed number.
UPDATE "auth"."users" AS a
   SET "phone_change" = u."customer_phone"
  FROM "core"."users" AS u
 WHERE u."auth_user_id" = a."id"
   AND u."customer_phone" IS NOT NULL
   AND a."phone_change" IS NULL
   AND (a."phone" IS DISTINCT FROM u."customer_phone" OR a."phone_confirmed_at" IS NULL);
--> statement-breakpoint
UPDATE "core"."users" AS u
   SET "customer_phone" = NULL
 WHERE u."customer_phone" IS NOT NULL
   AND NOT EXISTS (
     SELECT 1 FROM "auth"."users" AS a
      WHERE a."id" = u."auth_user_id" AND a."phone" = u."customer_phone" AND a."phone_confirmed_at" IS NOT NULL
   );
--> statement-breakpoint
-- Only the gateway's verify flow writes the number now; the founder role keeps the other editable fields.
REVOKE UPDATE ("customer_phone") ON "core"."users" FROM authenticated;
--> statement-breakpoint
-- Formation and EIN progress (status, filing and approval dates) are the platform's to record, never the founder's:
-- the founder role may write only the fields PUT /v1/me/formation takes.
REVOKE INSERT, UPDATE ON "core"."business_formation_data" FROM authenticated;
--> statement-breakpoint
GRANT INSERT ("user_id", "legal_name", "dba_name", "entity_type", "state_of_formation", "business_address",
  "mailing_address", "registered_agent", "members", "management_structure", "business_purpose", "naics_code")
  ON "core"."business_formation_data" TO authenticated;
--> statement-breakpoint
GRANT UPDATE ("legal_name", "dba_name", "entity_type", "state_of_formation", "business_address", "mailing_address",
  "registered_agent", "members", "management_structure", "business_purpose", "naics_code", "updated_at")
  ON "core"."business_formation_data" TO authenticated;
