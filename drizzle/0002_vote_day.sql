CREATE TABLE "vote_day" (
	"entity_id" uuid NOT NULL,
	"day" date NOT NULL,
	"kiosk_id" uuid,
	"office_id" uuid NOT NULL,
	"desk_id" uuid,
	"service_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"judgment" text NOT NULL,
	"reason_id" uuid,
	"suspected_repeat" boolean NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "vote_day_key" UNIQUE NULLS NOT DISTINCT("entity_id","day","kiosk_id","office_id","desk_id","service_id","channel","judgment","reason_id","suspected_repeat"),
	CONSTRAINT "vote_day_count_check" CHECK ("vote_day"."count" >= 0)
);
--> statement-breakpoint
ALTER TABLE "vote_day" ADD CONSTRAINT "vote_day_entity_id_entity_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entity"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
-- The rollup is kept by triggers, not by the application, so that every path that writes votes (the
-- gateway's group commit, the demo seeder, imports, tests, a DBA's manual fix) keeps it exact.
-- Statement-level triggers with transition tables: one aggregate per statement, not one per row.
-- The local day is the day of the skew-corrected cast time in the entity's time zone, the same rule
-- as the reports' periods (src/reports/adapters/report-queries.ts).
CREATE FUNCTION "vote_day_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	-- Keys in a fixed order: two statements adding to the same rows lock them in the same order.
	INSERT INTO "vote_day" ("entity_id", "day", "kiosk_id", "office_id", "desk_id", "service_id", "channel",
		"judgment", "reason_id", "suspected_repeat", "count")
	SELECT v."entity_id", (coalesce(v."cast_at_corrected", v."cast_at") AT TIME ZONE e."timezone")::date,
		v."kiosk_id", v."office_id", v."desk_id", v."service_id", v."channel", v."judgment", v."reason_id",
		v."suspected_repeat", count(*)::int
	FROM "new_votes" v JOIN "entity" e ON e."id" = v."entity_id"
	GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
	ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
	ON CONFLICT ON CONSTRAINT "vote_day_key" DO UPDATE SET "count" = "vote_day"."count" + excluded."count";
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "vote_day_subtract"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE "vote_day" d SET "count" = d."count" - g."n"
	FROM (
		SELECT v."entity_id", (coalesce(v."cast_at_corrected", v."cast_at") AT TIME ZONE e."timezone")::date AS "day",
			v."kiosk_id", v."office_id", v."desk_id", v."service_id", v."channel", v."judgment", v."reason_id",
			v."suspected_repeat", count(*)::int AS "n"
		FROM "old_votes" v JOIN "entity" e ON e."id" = v."entity_id"
		GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
		ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
	) g
	WHERE d."entity_id" = g."entity_id" AND d."day" = g."day" AND d."kiosk_id" IS NOT DISTINCT FROM g."kiosk_id"
		AND d."office_id" = g."office_id" AND d."desk_id" IS NOT DISTINCT FROM g."desk_id"
		AND d."service_id" = g."service_id" AND d."channel" = g."channel" AND d."judgment" = g."judgment"
		AND d."reason_id" IS NOT DISTINCT FROM g."reason_id" AND d."suspected_repeat" = g."suspected_repeat";
	DELETE FROM "vote_day" d WHERE d."count" = 0 AND d."entity_id" IN (SELECT DISTINCT "entity_id" FROM "old_votes");
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "vote_day_recount_entity"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	-- Wait for votes being written and hold new ones until this transaction ends: a vote counted
	-- with the old time zone after the recount would land on the wrong day.
	LOCK TABLE "vote" IN SHARE MODE;
	DELETE FROM "vote_day" WHERE "entity_id" = NEW."id";
	INSERT INTO "vote_day" ("entity_id", "day", "kiosk_id", "office_id", "desk_id", "service_id", "channel",
		"judgment", "reason_id", "suspected_repeat", "count")
	SELECT v."entity_id", (coalesce(v."cast_at_corrected", v."cast_at") AT TIME ZONE NEW."timezone")::date,
		v."kiosk_id", v."office_id", v."desk_id", v."service_id", v."channel", v."judgment", v."reason_id",
		v."suspected_repeat", count(*)::int
	FROM "vote" v WHERE v."entity_id" = NEW."id"
	GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "vote_day_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	TRUNCATE "vote_day";
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "vote_day_after_insert" AFTER INSERT ON "vote" REFERENCING NEW TABLE AS "new_votes"
	FOR EACH STATEMENT EXECUTE FUNCTION "vote_day_add"();
--> statement-breakpoint
-- An update moves rows: subtract the old versions first, then add the new ones (both fire per statement).
CREATE TRIGGER "vote_day_after_update_1_subtract" AFTER UPDATE ON "vote" REFERENCING OLD TABLE AS "old_votes"
	FOR EACH STATEMENT EXECUTE FUNCTION "vote_day_subtract"();
--> statement-breakpoint
CREATE TRIGGER "vote_day_after_update_2_add" AFTER UPDATE ON "vote" REFERENCING NEW TABLE AS "new_votes"
	FOR EACH STATEMENT EXECUTE FUNCTION "vote_day_add"();
--> statement-breakpoint
CREATE TRIGGER "vote_day_after_delete" AFTER DELETE ON "vote" REFERENCING OLD TABLE AS "old_votes"
	FOR EACH STATEMENT EXECUTE FUNCTION "vote_day_subtract"();
--> statement-breakpoint
-- TRUNCATE fires no row or statement DML triggers of its own kind above: empty the rollup with it.
CREATE TRIGGER "vote_day_after_truncate" AFTER TRUNCATE ON "vote"
	FOR EACH STATEMENT EXECUTE FUNCTION "vote_day_clear"();
--> statement-breakpoint
CREATE TRIGGER "entity_timezone_recount_vote_day" AFTER UPDATE OF "timezone" ON "entity"
	FOR EACH ROW WHEN (OLD."timezone" IS DISTINCT FROM NEW."timezone") EXECUTE FUNCTION "vote_day_recount_entity"();
--> statement-breakpoint
-- Votes stored before this migration.
INSERT INTO "vote_day" ("entity_id", "day", "kiosk_id", "office_id", "desk_id", "service_id", "channel",
	"judgment", "reason_id", "suspected_repeat", "count")
SELECT v."entity_id", (coalesce(v."cast_at_corrected", v."cast_at") AT TIME ZONE e."timezone")::date,
	v."kiosk_id", v."office_id", v."desk_id", v."service_id", v."channel", v."judgment", v."reason_id",
	v."suspected_repeat", count(*)::int
FROM "vote" v JOIN "entity" e ON e."id" = v."entity_id"
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
