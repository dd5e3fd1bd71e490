-- The rows logged before the call analysis was redacted: its summary and extracted data (a retelling of what the
-- founder said) become the marker `redact` writes now, wherever they sit in the copy. The call's session keeps
-- its own summary and structured data; the archives are compressed and age out under retention.
CREATE FUNCTION pg_temp.redact_call_analysis(value jsonb) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF jsonb_typeof(value) = 'object' THEN
    RETURN (
      SELECT coalesce(jsonb_object_agg(key, CASE WHEN key IN ('summary', 'structuredData', 'structuredDataMulti', 'structuredOutputs') THEN '"[redacted]"'::jsonb ELSE pg_temp.redact_call_analysis(inner_value) END), '{}'::jsonb)
      FROM jsonb_each(value) AS entry(key, inner_value)
    );
  ELSIF jsonb_typeof(value) = 'array' THEN
    RETURN (SELECT coalesce(jsonb_agg(pg_temp.redact_call_analysis(item) ORDER BY position), '[]'::jsonb) FROM jsonb_array_elements(value) WITH ORDINALITY AS element(item, position));
  END IF;
  RETURN value;
END
$$;--> statement-breakpoint
UPDATE "voice"."webhook_logs" SET "payload" = pg_temp.redact_call_analysis("payload")
  WHERE "payload"::text ~ '"(summary|structuredData|structuredDataMulti|structuredOutputs)": (?!"\[redacted\]")';--> statement-breakpoint
UPDATE "voice"."vapi_calls" SET "analysis" = pg_temp.redact_call_analysis("analysis"), "raw" = pg_temp.redact_call_analysis("raw")
  WHERE concat("analysis"::text, "raw"::text) ~ '"(summary|structuredData|structuredDataMulti|structuredOutputs)": (?!"\[redacted\]")';
