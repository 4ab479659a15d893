/*
 * schema_pg.c - what a PostgreSQL database needs besides the tables and
 * indexes migrate.c derives from the SQLite catalogue: the views and
 * triggers of schema.c at this schema version, in PostgreSQL's words
 * (PL/pgSQL functions; a day is the first ten characters of the UTC ISO
 * time Netra stores, a Julian day NT_SQL_JULIAN_PG).
 *
 * They keep, in the writer's own transaction as on SQLite:
 *   - an item's report keys (age band, the employee's work unit, position
 *     type, sex and province) when its employee, post date or employee's
 *     record changes (migrations 19, 22, 23);
 *   - hits per lexicon entry (entry_counts) and decided items per entry
 *     (entry_decided) as employees, accounts, posts' dates and items'
 *     statuses move (migrations 20, 21);
 *   - decisions per reviewer, agency and day (reviewer_days, migration 24).
 *
 * and the view of the versions the active lexicon and model have yet to
 * score (scan_pending, migration 23),
 *
 * and, for the queue's search, trigram indexes (pg_trgm) where SQLite has
 * its FTS5 tables.
 *
 * and the log of items changed for the statistics each serve process
 * keeps in memory (stats_changes, migration 28). A change's seq is taken
 * before its transaction commits, and concurrent writers commit out of seq
 * order, so here each change also records its writer's transaction (xid)
 * and a reader asks for the changes its last snapshot did not see
 * (review/facts.c). A trim records the newest transaction whose rows it
 * removed (netra_stats_trims), so a reader further behind reads every
 * item again.
 *
 * Not here: stats_generation (one row every write would lock: concurrent
 * crawl workers would queue on it); a PostgreSQL store keeps no computed
 * tables (review/stats.c).
 *
 * Statements are applied in order, each idempotent (CREATE OR REPLACE,
 * DROP ... IF EXISTS), by migrate-store and init; the version
 * (NT_STORE_PG_COMPANION) is recorded in netra_migrate_source.companion.
 */
#include <stddef.h>

#include "schema.h"
#include "sql.h"

#define DAY(T)         "substr(" T ", 1, 10)"
#define POST_DAY(P)    DAY("COALESCE(" P ".posted_at, " P ".first_seen_at)")
#define AGENCY_OF(EMP) "(SELECT agency FROM employees WHERE id = " EMP ")"
#define FN(NAME, BODY)                                                                             \
    "CREATE OR REPLACE FUNCTION " NAME                                                             \
    "() RETURNS trigger LANGUAGE plpgsql AS $netra$ BEGIN " BODY " RETURN NULL; END $netra$"
#define TRIGGER(NAME, WHEN, TABLE, FUNC)                                                           \
    "DROP TRIGGER IF EXISTS " NAME " ON " TABLE "; CREATE TRIGGER " NAME " " WHEN " ON " TABLE     \
    " FOR EACH ROW EXECUTE FUNCTION " FUNC "()"

/* Hits of weight > 0 counted into entry_counts with AGENCY and DAY, SIGN
 * (schema.c's ADD_HITS). */
#define ADD_HITS(AGENCY, DAY_, SIGN, WHERE)                                                        \
    "INSERT INTO entry_counts(lexicon_id, entry_id, agency, day, n) SELECT w.lexicon_id, "         \
    "h.entry_id, " AGENCY ", " DAY_ ", " SIGN "count(*) FROM hits h JOIN score_places w ON "       \
    "w.score_id = h.score_id WHERE h.weight > 0 AND " WHERE " GROUP BY 1, 2, 3, 4 "                \
    "ON CONFLICT(lexicon_id, entry_id, agency, day) DO UPDATE SET n = entry_counts.n + "           \
    "excluded.n;"
/* Decided items per entry (schema.c's ADD_DECIDED and ITEM_DECIDED). */
#define ADD_DECIDED(AGENCY, DAY_, SIGN, WHERE)                                                     \
    "INSERT INTO entry_decided(lexicon_id, entry_id, agency, day, status, n) SELECT lexicon_id, "  \
    "entry_id, " AGENCY ", " DAY_ ", status, " SIGN "count(DISTINCT item_id) FROM decided_places " \
    "WHERE " WHERE " GROUP BY 1, 2, 3, 4, 5 ON CONFLICT(lexicon_id, entry_id, agency, day, "       \
    "status) DO UPDATE SET n = entry_decided.n + excluded.n;"
#define ITEM_DECIDED(ITEM, SIGN)                                                                   \
    "INSERT INTO entry_decided(lexicon_id, entry_id, agency, day, status, n) SELECT "              \
    "w.lexicon_id, h.entry_id, w.agency, w.day, " ITEM ".status, " SIGN "1 FROM hits h "           \
    "JOIN score_places w ON w.score_id = h.score_id WHERE h.score_id = " ITEM ".score_id "         \
    "AND h.weight > 0 AND " ITEM ".status IN ('confirmed', 'dismissed') "                          \
    "GROUP BY h.entry_id, w.lexicon_id, w.agency, w.day ON CONFLICT(lexicon_id, entry_id, "        \
    "agency, day, status) DO UPDATE SET n = entry_decided.n + excluded.n;"
/* Rows added to reviewer_days (schema.c's reviewer_days_add view). */
#define ADD_DAYS                                                                                   \
    "INSERT INTO reviewer_days(user_id, agency, day, n, confirmed, dismissed, escalated, days) "
#define ON_DAY                                                                                     \
    " ON CONFLICT(user_id, agency, day) DO UPDATE SET n = reviewer_days.n + excluded.n, "          \
    "confirmed = reviewer_days.confirmed + excluded.confirmed, "                                   \
    "dismissed = reviewer_days.dismissed + excluded.dismissed, "                                   \
    "escalated = reviewer_days.escalated + excluded.escalated, "                                   \
    "days = reviewer_days.days + excluded.days;"
#define STANDING(AGENCY, SIGN, WHERE)                                                              \
    "SELECT s.user_id, " AGENCY ", s.day, " SIGN "count(*), " SIGN "sum(s.confirmed), " SIGN       \
    "sum(s.dismissed), " SIGN "sum(s.escalated), " SIGN "sum(s.days) "                             \
    "FROM standing_decisions s WHERE " WHERE " GROUP BY 1, 2, 3"
#define FLAG(COND) "CASE WHEN " COND " THEN 1 ELSE 0 END"
#define BAND(P, B) NT_SQL_AGE_BAND_PORTABLE(P, B)

static const char
    *const companion[] = {
        /* The views the triggers read (schema.c migrations 20, 21, 24). */
        "CREATE OR REPLACE VIEW score_places AS SELECT sc.id AS score_id, sc.lexicon_id, "
        "e.agency, " POST_DAY(
            "p") " AS day, a.id AS account_id, a.employee_id, p.id AS post_id FROM scores sc "
                 "JOIN post_versions v ON v.id = sc.version_id JOIN posts p ON p.id = v.post_id "
                 "JOIN accounts a ON a.id = p.account_id JOIN employees e ON e.id = a.employee_id",
        "CREATE OR REPLACE VIEW decided_places AS SELECT i.id AS item_id, i.status, h.entry_id, "
        "w.* "
        "FROM review_items i JOIN score_places w ON w.score_id = i.score_id AND w.post_id = "
        "i.post_id "
        "JOIN hits h ON h.score_id = i.score_id "
        "WHERE i.status IN ('confirmed', 'dismissed') AND h.weight > 0",
        "CREATE OR REPLACE VIEW standing_decisions AS SELECT d.user_id, d.item_id, "
        "i.employee_id, " DAY("d.decided_at") " AS day, " FLAG("d.decision IN ('confirm','agree')") " AS confirmed, " FLAG("d.decision IN ('dismiss','disagree')") " AS dismissed, " FLAG(
            "d.decision = 'escalate'") " AS escalated, " NT_SQL_JULIAN_PG("d.decided_at") " -"
                                                                                          " " NT_SQL_JULIAN_PG(
                                                                                              "i."
                                                                                              "crea"
                                                                                              "ted_"
                                                                                              "at") " AS days "
                                                                                                    "FROM decisions d JOIN review_items i ON i.id = d.item_id WHERE d.decision <> 'undo' "
                                                                                                    "AND NOT EXISTS (SELECT 1 FROM decisions x WHERE x.undoes = d.id)",

        /* An item's report keys: filled on insert when the writer gave none
         * (the review library gives them), again when its post date or
         * employee changes. */
        FN("netra_item_keys",
           "IF TG_OP = 'INSERT' AND (NEW.age_band IS NOT NULL OR NEW.work_unit IS NOT NULL OR "
           "NEW.position_type IS NOT NULL OR NEW.sex IS NOT NULL OR NEW.region IS NOT NULL) THEN "
           "RETURN NEW; END IF; "
           "SELECT " BAND("NEW.posted_at", "e.birth_date") ", " NT_SQL_EMP_VALUES(
               "e") " INTO NEW.age_band, NEW.work_unit, NEW.position_type, NEW.sex, NEW.region "
                    "FROM employees e WHERE e.id = NEW.employee_id; RETURN NEW;"),
        TRIGGER("netra_items_keys", "BEFORE INSERT OR UPDATE OF posted_at, employee_id",
                "review_items", "netra_item_keys"),
        FN("netra_employee_items",
           "IF NEW.birth_date IS DISTINCT FROM OLD.birth_date THEN UPDATE review_items SET "
           "age_band = " BAND("review_items.posted_at",
                              "NEW.birth_date") " WHERE employee_id = NEW.id; END IF; "
                                                "IF (NEW.work_unit, NEW.position_type, NEW.sex, "
                                                "NEW.region_code) IS DISTINCT FROM "
                                                "(OLD.work_unit, OLD.position_type, OLD.sex, "
                                                "OLD.region_code) THEN "
                                                "UPDATE review_items SET (" NT_SQL_EMP_KEYS
                                                ") = (SELECT " NT_SQL_EMP_VALUES(
                                                    "e") " FROM employees e WHERE e.id = NEW.id) "
                                                         "WHERE employee_id = NEW.id; END IF;"),
        TRIGGER("netra_employees_items",
                "AFTER UPDATE OF birth_date, work_unit, position_type, sex, region_code",
                "employees", "netra_employee_items"),

        /* An employee moved to another agency: their hits, decided items and
         * reviewers' decisions counted there. */
        FN("netra_employee_agency",
           "IF NEW.agency IS NOT DISTINCT FROM OLD.agency THEN RETURN NULL; END IF; " ADD_HITS(
               "OLD.agency", "w.day", "-", "w.employee_id = NEW.id")
               ADD_HITS("NEW.agency", "w.day", "", "w.employee_id = NEW.id")
                   ADD_DECIDED("OLD.agency", "day", "-", "employee_id = NEW.id")
                       ADD_DECIDED("NEW.agency", "day", "", "employee_id = NEW.id")
                           ADD_DAYS STANDING("OLD.agency", "-", "s.employee_id = NEW.id")
                               ON_DAY ADD_DAYS STANDING("NEW.agency", "", "s.employee_id = NEW.id")
                                   ON_DAY),
        TRIGGER("netra_employees_agency", "AFTER UPDATE OF agency", "employees",
                "netra_employee_agency"),
        /* An account given to another employee. */
        FN("netra_account_employee",
           "IF NEW.employee_id IS NOT DISTINCT FROM OLD.employee_id THEN RETURN NULL; END "
           "IF; " ADD_HITS(AGENCY_OF("OLD.employee_id"), "w.day", "-", "w.account_id = NEW.id")
               ADD_HITS("w.agency", "w.day", "", "w.account_id = NEW.id")
                   ADD_DECIDED(AGENCY_OF("OLD.employee_id"), "day", "-", "account_id = NEW.id")
                       ADD_DECIDED("agency", "day", "", "account_id = NEW.id")),
        TRIGGER("netra_accounts_employee", "AFTER UPDATE OF employee_id", "accounts",
                "netra_account_employee"),
        /* A post's date corrected. */
        FN("netra_post_day",
           "IF " POST_DAY("NEW") " IS NOT DISTINCT FROM " POST_DAY(
               "OLD") " THEN RETURN NULL; END IF; " ADD_HITS("w.agency", POST_DAY("OLD"), "-",
                                                             "w.post_id = NEW.id")
               ADD_HITS("w.agency", "w.day", "", "w.post_id = NEW.id")
                   ADD_DECIDED("agency", POST_DAY("OLD"), "-", "post_id = NEW.id")
                       ADD_DECIDED("agency", "day", "", "post_id = NEW.id")),
        TRIGGER("netra_posts_day", "AFTER UPDATE OF posted_at, first_seen_at", "posts",
                "netra_post_day"),

        /* An item decided, undone, rescored or given to another employee. */
        FN("netra_item_decided",
           "IF TG_OP = 'UPDATE' AND (OLD.status IN ('confirmed', 'dismissed') OR NEW.status IN "
           "('confirmed', 'dismissed')) AND (OLD.status, OLD.score_id) IS DISTINCT FROM "
           "(NEW.status, NEW.score_id) THEN " ITEM_DECIDED("OLD", "-") ITEM_DECIDED(
               "NEW",
               "") "END IF; "
                   "IF NEW.employee_id IS DISTINCT FROM OLD.employee_id THEN " ADD_DAYS STANDING(
                       AGENCY_OF("OLD.employee_id"), "-", "s.item_id = NEW.id")
                       ON_DAY ADD_DAYS STANDING(AGENCY_OF("NEW.employee_id"), "",
                                                "s.item_id = NEW.id") ON_DAY "END IF;"),
        TRIGGER("netra_items_decided", "AFTER UPDATE OF status, score_id, employee_id",
                "review_items", "netra_item_decided"),
        /* A decision counted for its reviewer; an undo takes the decision it
         * undoes out. */
        "CREATE OR REPLACE FUNCTION netra_decision_days() RETURNS trigger LANGUAGE plpgsql AS "
        "$netra$ DECLARE dd decisions%ROWTYPE; k INT := 1; BEGIN "
        "dd := NEW; IF NEW.decision = 'undo' THEN k := -1; "
        "SELECT * INTO dd FROM decisions WHERE id = NEW.undoes; "
        "IF NOT FOUND THEN RETURN NULL; END IF; END IF; " ADD_DAYS
        "SELECT dd.user_id, e.agency, " DAY(
            "dd.decided_at") ", k, "
                             "k * " FLAG(
                                 "dd.decision IN ('confirm','agree')") ", "
                                                                       "k * " FLAG(
                                                                           "dd.decision IN "
                                                                           "('dismiss','"
                                                                           "disagree')") ","
                                                                                         " "
                                                                                         "k"
                                                                                         " "
                                                                                         "*"
                                                                                         " " FLAG(
                                                                                             "dd."
                                                                                             "decis"
                                                                                             "ion "
                                                                                             "= "
                                                                                             "'esca"
                                                                                             "late"
                                                                                             "'") ", "
                                                                                                  "k * (" NT_SQL_JULIAN_PG("dd.decided_at") " - " NT_SQL_JULIAN_PG(
                                                                                                      "i.created_at") ") "
                                                                                                                      "FROM review_items i JOIN employees e ON e.id = i.employee_id WHERE i.id = dd.item_id" ON_DAY
                                                                                                                      " RETURN NULL; END $netra$",
        TRIGGER("netra_decisions_days", "AFTER INSERT", "decisions", "netra_decision_days"),

        /* The versions the active lexicon and model have yet to score
         * (schema.c migration 23). */
        "CREATE OR REPLACE VIEW scan_pending AS SELECT v.id AS version_id FROM post_versions v "
        "WHERE v.text IS NOT NULL AND v.id > COALESCE((SELECT p.upto FROM scan_progress p "
        "JOIN lexicon_versions l ON l.id = p.lexicon_id AND l.active = 1 "
        "WHERE p.model_id = COALESCE((SELECT id FROM model_versions WHERE active = 1), 0)), 0)",
        /* Items changed, for the statistics' copies in memory. */
        "ALTER TABLE stats_changes ADD COLUMN IF NOT EXISTS xid xid8 NOT NULL DEFAULT "
        "pg_current_xact_id()",
        "CREATE INDEX IF NOT EXISTS stats_changes_xid ON stats_changes(xid)",
        "CREATE TABLE IF NOT EXISTS netra_stats_trims (xid xid8 NOT NULL)",
        "CREATE INDEX IF NOT EXISTS netra_stats_trims_xid ON netra_stats_trims(xid)",
        FN("netra_item_changed", "INSERT INTO stats_changes(item_id) VALUES (CASE TG_OP WHEN "
                                 "'DELETE' THEN OLD.id ELSE NEW.id END);"),
        TRIGGER("netra_facts_items_aid", "AFTER INSERT OR DELETE", "review_items",
                "netra_item_changed"),
        TRIGGER("netra_facts_items_au",
                "AFTER UPDATE OF agency, work_unit, position_type, category, age_band, sex, "
                "platform, region, posted_at, status, employee_id, created_at, level",
                "review_items", "netra_item_changed"),
        /* The changes up to `upto` forgotten, rows another trim holds
         * skipped (never waited for: a writer's transaction may be long). */
        "CREATE OR REPLACE FUNCTION netra_stats_changes_trim(upto BIGINT) RETURNS void "
        "LANGUAGE sql AS $netra$ WITH gone AS (DELETE FROM stats_changes WHERE seq IN (SELECT "
        "seq FROM stats_changes WHERE seq <= upto FOR UPDATE SKIP LOCKED) RETURNING xid) "
        "INSERT INTO netra_stats_trims(xid) SELECT xid FROM gone ORDER BY xid DESC LIMIT 1 "
        "$netra$",
        FN("netra_stats_trim", "PERFORM netra_stats_changes_trim(NEW.seq - 262144);"),
        "DROP TRIGGER IF EXISTS netra_stats_changes_trim ON stats_changes; CREATE TRIGGER "
        "netra_stats_changes_trim AFTER INSERT ON stats_changes FOR EACH ROW WHEN (NEW.seq % 1024 "
        "= 0) EXECUTE FUNCTION netra_stats_trim()",

        /* The queue's search: SQLite's FTS5 trigram indexes are pg_trgm's
         * GIN indexes here (ILIKE '%words%' reads them). pg_trgm ships
         * with the server and is trusted (a database owner may create
         * it); where it cannot be created the search still works, by
         * reading every text. */
        "DO $netra$ BEGIN "
        "BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm; "
        "EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'pg_trgm: %', SQLERRM; END; "
        "IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN "
        "CREATE INDEX IF NOT EXISTS review_items_text_trgm ON review_items "
        "USING gin (text gin_trgm_ops); "
        "CREATE INDEX IF NOT EXISTS employees_name_trgm ON employees USING gin (name "
        "gin_trgm_ops); "
        "CREATE INDEX IF NOT EXISTS employees_nip_trgm ON employees USING gin (nip gin_trgm_ops); "
        "END IF; END $netra$",
        NULL,
    };

const char *nt_store_pg_companion(int i)
{
    if (i < 0 || (size_t)i >= sizeof(companion) / sizeof(companion[0]))
        return NULL;
    return companion[i];
}
