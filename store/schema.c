/*
 * schema.c - the Netra schema as a list of migrations. Migration N takes a
 * database from user_version N-1 to N; released migrations are never edited,
 * only new ones appended (bump NT_STORE_SCHEMA_VERSION in store.h).
 *
 * Conventions: STRICT tables; times are UTC ISO-8601 text
 * ("YYYY-MM-DDTHH:MM:SSZ") bound by the caller; nothing is ever deleted
 * that evidence or history depends on (rows are marked inactive/deleted or
 * have their content purged, keeping ids and hashes).
 */
#include "schema.h"
#include "sql.h"

#include <stddef.h>

/* 1: registry - employees, their declared accounts, import history, settings. */
static const char m1_registry[] =
    "CREATE TABLE settings ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL"
    ") STRICT;"

    "CREATE TABLE schema_history ("
    "  version INTEGER PRIMARY KEY,"
    "  applied_at TEXT NOT NULL"
    ") STRICT;"

    /* One row per import run, whether it wrote or was rejected. */
    "CREATE TABLE imports ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('employees','accounts')),"
    "  source TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  at TEXT NOT NULL,"
    "  rows_total INTEGER NOT NULL,"
    "  rows_rejected INTEGER NOT NULL,"
    "  added INTEGER NOT NULL,"
    "  updated INTEGER NOT NULL,"
    "  unchanged INTEGER NOT NULL,"
    "  reactivated INTEGER NOT NULL,"
    "  deactivated INTEGER NOT NULL"
    ") STRICT;"

    /* birth_date, service_start and sex are derived from the NIP. */
    "CREATE TABLE employees ("
    "  id INTEGER PRIMARY KEY,"
    "  nip TEXT NOT NULL UNIQUE CHECK (length(nip) = 18 AND nip NOT GLOB '*[^0-9]*'),"
    "  name TEXT NOT NULL,"
    "  agency TEXT NOT NULL,"
    "  work_unit TEXT NOT NULL,"
    "  position_type TEXT NOT NULL CHECK (position_type IN"
    "    ('JPT','Administrator','Pengawas','Fungsional','Pelaksana')),"
    "  position TEXT NOT NULL,"
    "  region_code TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('PNS','PPPK')),"
    "  birth_date TEXT NOT NULL,"
    "  service_start TEXT NOT NULL,"
    "  sex TEXT NOT NULL CHECK (sex IN ('L','P')),"
    "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),"
    "  created_import INTEGER REFERENCES imports(id),"
    "  updated_import INTEGER REFERENCES imports(id),"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX employees_agency ON employees(agency, active);"
    "CREATE INDEX employees_region ON employees(region_code);"

    /* Field-level history of re-imports: what changed, when, from which file. */
    "CREATE TABLE employee_changes ("
    "  id INTEGER PRIMARY KEY,"
    "  employee_id INTEGER NOT NULL REFERENCES employees(id),"
    "  import_id INTEGER NOT NULL REFERENCES imports(id),"
    "  field TEXT NOT NULL,"
    "  old_value TEXT,"
    "  new_value TEXT"
    ") STRICT;"
    "CREATE INDEX employee_changes_employee ON employee_changes(employee_id);"

    /* An account belongs to one employee; `account` is stored canonical. */
    "CREATE TABLE accounts ("
    "  id INTEGER PRIMARY KEY,"
    "  employee_id INTEGER NOT NULL REFERENCES employees(id),"
    "  platform TEXT NOT NULL CHECK (platform IN ('mastodon','bluesky','feed','x')),"
    "  account TEXT NOT NULL,"
    "  endpoint TEXT,"
    "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),"
    "  created_import INTEGER REFERENCES imports(id),"
    "  updated_import INTEGER REFERENCES imports(id),"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  UNIQUE (platform, account)"
    ") STRICT;"
    "CREATE INDEX accounts_employee ON accounts(employee_id);";

/* 2: evidence - crawl state per account, posts and every captured version. */
static const char m2_evidence[] =
    "CREATE TABLE crawl_state ("
    "  account_id INTEGER PRIMARY KEY REFERENCES accounts(id),"
    "  remote_id TEXT,"
    "  cursor TEXT,"
    "  etag TEXT,"
    "  last_modified TEXT,"
    "  state TEXT NOT NULL DEFAULT 'new' CHECK (state IN"
    "    ('new','ok','not_found','suspended','private','rate_limited','error','skipped')),"
    "  last_attempt_at TEXT,"
    "  last_success_at TEXT,"
    "  last_error TEXT,"
    "  consecutive_failures INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt_at TEXT"
    ") STRICT;"

    "CREATE TABLE posts ("
    "  id INTEGER PRIMARY KEY,"
    "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
    "  remote_id TEXT NOT NULL,"
    "  interaction TEXT NOT NULL CHECK (interaction IN ('post','repost','reply','quote')),"
    "  url TEXT,"
    "  author TEXT,"
    "  posted_at TEXT,"
    "  source TEXT NOT NULL CHECK (source IN ('crawl','ingest')),"
    "  first_seen_at TEXT NOT NULL,"
    "  last_seen_at TEXT NOT NULL,"
    "  deleted_at TEXT,"
    "  UNIQUE (account_id, remote_id)"
    ") STRICT;"
    "CREATE INDEX posts_posted_at ON posts(posted_at);"

    /* raw is the item exactly as received; text and raw are NULL once purged
     * by retention, raw_sha256 stays so counts and proofs stay right. */
    "CREATE TABLE post_versions ("
    "  id INTEGER PRIMARY KEY,"
    "  post_id INTEGER NOT NULL REFERENCES posts(id),"
    "  seq INTEGER NOT NULL,"
    "  text TEXT,"
    "  lang TEXT,"
    "  raw BLOB,"
    "  raw_sha256 TEXT NOT NULL,"
    "  content_sha256 TEXT NOT NULL,"
    "  request_url TEXT NOT NULL,"
    "  fetched_at TEXT NOT NULL,"
    "  edited_at TEXT,"
    "  purged_at TEXT,"
    "  UNIQUE (post_id, seq)"
    ") STRICT;"
    "CREATE INDEX post_versions_post ON post_versions(post_id);";

/* 3: lexicon versions, scores and the hits that explain them. */
static const char m3_scoring[] =
    "CREATE TABLE lexicon_versions ("
    "  id INTEGER PRIMARY KEY,"
    "  label TEXT NOT NULL,"
    "  body BLOB NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  author TEXT NOT NULL,"
    "  comment TEXT,"
    "  created_at TEXT NOT NULL,"
    "  active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0,1))"
    ") STRICT;"
    "CREATE UNIQUE INDEX lexicon_versions_one_active ON lexicon_versions(active)"
    "  WHERE active = 1;"

    "CREATE TABLE scores ("
    "  id INTEGER PRIMARY KEY,"
    "  version_id INTEGER NOT NULL REFERENCES post_versions(id),"
    "  lexicon_id INTEGER NOT NULL REFERENCES lexicon_versions(id),"
    "  score REAL NOT NULL,"
    "  level TEXT NOT NULL CHECK (level IN ('none','review','priority')),"
    "  categories TEXT NOT NULL,"
    "  contestants TEXT NOT NULL,"
    "  explanation TEXT NOT NULL,"
    "  scored_at TEXT NOT NULL,"
    "  UNIQUE (version_id, lexicon_id)"
    ") STRICT;"
    "CREATE INDEX scores_level ON scores(level, lexicon_id);"

    "CREATE TABLE hits ("
    "  id INTEGER PRIMARY KEY,"
    "  score_id INTEGER NOT NULL REFERENCES scores(id) ON DELETE CASCADE,"
    "  entry_id TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  rule_id TEXT,"
    "  start_byte INTEGER NOT NULL,"
    "  end_byte INTEGER NOT NULL,"
    "  matched TEXT NOT NULL,"
    "  weight REAL NOT NULL"
    ") STRICT;"
    "CREATE INDEX hits_score ON hits(score_id);"
    "CREATE INDEX hits_entry ON hits(entry_id);";

/* 4: people and their work - users, review items, decisions, cases, audit. */
static const char m4_review[] =
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  role TEXT NOT NULL CHECK (role IN ('reviewer','analyst','supervisor','admin')),"
    "  password_hash TEXT,"
    "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),"
    "  created_at TEXT NOT NULL"
    ") STRICT;"
    "CREATE TABLE user_agencies ("
    "  user_id INTEGER NOT NULL REFERENCES users(id),"
    "  agency TEXT NOT NULL,"
    "  PRIMARY KEY (user_id, agency)"
    ") STRICT;"

    "CREATE TABLE review_items ("
    "  id INTEGER PRIMARY KEY,"
    "  post_id INTEGER NOT NULL UNIQUE REFERENCES posts(id),"
    "  score_id INTEGER NOT NULL REFERENCES scores(id),"
    "  status TEXT NOT NULL CHECK (status IN"
    "    ('pending','awaiting_second','confirmed','dismissed','escalated')),"
    "  level TEXT NOT NULL CHECK (level IN ('review','priority')),"
    "  priority REAL NOT NULL,"
    "  category TEXT,"
    "  claimed_by INTEGER REFERENCES users(id),"
    "  claim_expires_at TEXT,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX review_items_queue ON review_items(status, priority DESC);"

    "CREATE TABLE decisions ("
    "  id INTEGER PRIMARY KEY,"
    "  item_id INTEGER NOT NULL REFERENCES review_items(id),"
    "  user_id INTEGER NOT NULL REFERENCES users(id),"
    "  decision TEXT NOT NULL CHECK (decision IN"
    "    ('confirm','dismiss','escalate','agree','disagree')),"
    "  category TEXT,"
    "  reason_code TEXT,"
    "  reason TEXT,"
    "  decided_at TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX decisions_item ON decisions(item_id);"

    "CREATE TABLE cases ("
    "  id INTEGER PRIMARY KEY,"
    "  employee_id INTEGER NOT NULL REFERENCES employees(id),"
    "  election TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('laporan','verifikasi','pemeriksaan','bap',"
    "    'pertimbangan','keputusan','dilaporkan','ditutup')),"
    "  opened_at TEXT NOT NULL,"
    "  opened_by INTEGER REFERENCES users(id),"
    "  updated_at TEXT NOT NULL,"
    "  UNIQUE (employee_id, election)"
    ") STRICT;"
    "CREATE TABLE case_items ("
    "  case_id INTEGER NOT NULL REFERENCES cases(id),"
    "  item_id INTEGER NOT NULL UNIQUE REFERENCES review_items(id),"
    "  PRIMARY KEY (case_id, item_id)"
    ") STRICT;"
    "CREATE TABLE case_transitions ("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id),"
    "  from_state TEXT,"
    "  to_state TEXT NOT NULL,"
    "  user_id INTEGER NOT NULL REFERENCES users(id),"
    "  note TEXT NOT NULL,"
    "  at TEXT NOT NULL"
    ") STRICT;"

    /* Append-only, hash-chained: hash = SHA-256(prev_hash || canonical row). */
    "CREATE TABLE audit_log ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  object_type TEXT NOT NULL,"
    "  object_id TEXT,"
    "  before TEXT,"
    "  after TEXT,"
    "  prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX audit_log_object ON audit_log(object_type, object_id);";

/* 5: the order a source lists posts in (Bluesky indexedAt, ids elsewhere),
 * so that a post missing from a listing's range can be told apart. */
static const char m5_listing[] = "ALTER TABLE posts ADD COLUMN sort_key TEXT;";

/* 6: the entities a platform marks in a post (hashtags, links with their full
 * address, mentions) with their byte ranges in the text, as JSON. */
static const char m6_entities[] = "ALTER TABLE post_versions ADD COLUMN entities TEXT;";

/* 7: review items carry what the queue and the statistics filter and group
 * by (employee, agency, platform, post time), so that a queue page or a
 * table over 100,000 items reads one table through an index. */
static const char m7_queue[] =
    "ALTER TABLE review_items ADD COLUMN employee_id INTEGER REFERENCES employees(id);"
    "ALTER TABLE review_items ADD COLUMN agency TEXT;"
    "ALTER TABLE review_items ADD COLUMN platform TEXT;"
    "ALTER TABLE review_items ADD COLUMN posted_at TEXT;"
    "UPDATE review_items SET"
    "  employee_id = (SELECT a.employee_id FROM posts p JOIN accounts a ON a.id = p.account_id"
    "                 WHERE p.id = review_items.post_id),"
    "  platform = (SELECT a.platform FROM posts p JOIN accounts a ON a.id = p.account_id"
    "              WHERE p.id = review_items.post_id),"
    "  posted_at = (SELECT COALESCE(p.posted_at, p.first_seen_at) FROM posts p"
    "               WHERE p.id = review_items.post_id);"
    "UPDATE review_items SET agency ="
    "  (SELECT e.agency FROM employees e WHERE e.id = review_items.employee_id);"
    "CREATE INDEX review_items_agency ON review_items(agency, status, priority DESC);"
    /* The open queue in priority order: a first page reads 50 index entries. */
    "CREATE INDEX review_items_open ON review_items(priority DESC, id)"
    "  WHERE status IN ('pending', 'awaiting_second', 'escalated');"
    /* Statistics by agency and category read this index alone, in order. */
    "CREATE INDEX review_items_stats ON review_items(agency, category, status, employee_id,"
    "  created_at, posted_at);"
    "CREATE INDEX review_items_employee ON review_items(employee_id);"
    "CREATE INDEX decisions_user ON decisions(user_id, decided_at);"
    "CREATE INDEX case_transitions_case ON case_transitions(case_id);";

/* 8: stance models, versioned like lexicons; every score names the model
 * version (NULL: scored by the lexicon alone) and the slang list's hash. */
static const char m8_models[] =
    "CREATE TABLE model_versions ("
    "  id INTEGER PRIMARY KEY,"
    "  label TEXT NOT NULL,"
    "  body BLOB NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  author TEXT NOT NULL,"
    "  comment TEXT,"
    "  created_at TEXT NOT NULL,"
    "  review_at REAL NOT NULL,"
    "  priority_at REAL NOT NULL,"
    "  active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0,1))"
    ") STRICT;"
    "CREATE UNIQUE INDEX model_versions_one_active ON model_versions(active) WHERE active = 1;"
    "ALTER TABLE scores ADD COLUMN model_id INTEGER REFERENCES model_versions(id);"
    "ALTER TABLE scores ADD COLUMN slang_sha256 TEXT;"
    "ALTER TABLE scores ADD COLUMN p_side REAL;";

/* 9: who may act on the command line without a password: the operating
 * system user an admin linked to a Netra user (one each). */
static const char m9_os_users[] =
    "ALTER TABLE users ADD COLUMN os_user TEXT;"
    "CREATE UNIQUE INDEX users_os_user ON users(os_user) WHERE os_user IS NOT NULL;";

/* 10: who in the Tim Internal carries a case. */
static const char m10_case_assignee[] =
    "ALTER TABLE cases ADD COLUMN assignee INTEGER REFERENCES users(id);";

/* 11: what a case file holds beside the posts: the Tim Internal's notes,
 * and documents (the examination record, a summons, the decree) kept as
 * exact bytes with their SHA-256. */
static const char m11_case_file[] = "CREATE TABLE case_notes ("
                                    "  id INTEGER PRIMARY KEY,"
                                    "  case_id INTEGER NOT NULL REFERENCES cases(id),"
                                    "  user_id INTEGER NOT NULL REFERENCES users(id),"
                                    "  text TEXT NOT NULL,"
                                    "  at TEXT NOT NULL"
                                    ") STRICT;"
                                    "CREATE INDEX case_notes_case ON case_notes(case_id);"
                                    "CREATE TABLE case_documents ("
                                    "  id INTEGER PRIMARY KEY,"
                                    "  case_id INTEGER NOT NULL REFERENCES cases(id),"
                                    "  name TEXT NOT NULL,"
                                    "  mime TEXT NOT NULL,"
                                    "  size INTEGER NOT NULL,"
                                    "  sha256 TEXT NOT NULL,"
                                    "  body BLOB NOT NULL,"
                                    "  user_id INTEGER NOT NULL REFERENCES users(id),"
                                    "  added_at TEXT NOT NULL"
                                    ") STRICT;"
                                    "CREATE INDEX case_documents_case ON case_documents(case_id);";

/* 12: a decision can be taken back ("undo", within minutes, by its maker):
 * a decision row of its own that names the one it undoes, never a
 * deletion. SQLite cannot change a CHECK in place: the table is rebuilt
 * with every row kept as it was. */
static const char m12_undo[] =
    "CREATE TABLE decisions_new ("
    "  id INTEGER PRIMARY KEY,"
    "  item_id INTEGER NOT NULL REFERENCES review_items(id),"
    "  user_id INTEGER NOT NULL REFERENCES users(id),"
    "  decision TEXT NOT NULL CHECK (decision IN"
    "    ('confirm','dismiss','escalate','agree','disagree','undo')),"
    "  category TEXT,"
    "  reason_code TEXT,"
    "  reason TEXT,"
    "  decided_at TEXT NOT NULL,"
    "  undoes INTEGER REFERENCES decisions_new(id),"
    "  CHECK ((decision = 'undo') = (undoes IS NOT NULL))"
    ") STRICT;"
    "INSERT INTO decisions_new(id, item_id, user_id, decision, category, reason_code, reason, "
    "  decided_at) SELECT id, item_id, user_id, decision, category, reason_code, reason, "
    "  decided_at FROM decisions;"
    "DROP TABLE decisions;"
    "ALTER TABLE decisions_new RENAME TO decisions;"
    "CREATE INDEX decisions_item ON decisions(item_id);"
    "CREATE INDEX decisions_user ON decisions(user_id, decided_at);"
    "CREATE INDEX decisions_undoes ON decisions(undoes) WHERE undoes IS NOT NULL;";

/* 13: the key under which copies of one message meet (nt_norm_text_key):
 * an item's words in order, so that near-identical posts are decided
 * together. Items scored before it have none until they are scored again. */
static const char m13_text_key[] =
    "ALTER TABLE review_items ADD COLUMN text_key TEXT;"
    "CREATE INDEX review_items_text_key ON review_items(text_key) WHERE text_key IS NOT NULL;";

/* 14: the queue's own copy of its item's text (the version it was scored
 * on), so that a search and a page read the items alone; the evidence
 * stays in post_versions. Retention never purges a post with an item. */
static const char m14_item_text[] =
    "ALTER TABLE review_items ADD COLUMN text TEXT;"
    "UPDATE review_items SET text = (SELECT v.text FROM scores s JOIN post_versions v "
    "ON v.id = s.version_id WHERE s.id = review_items.score_id);";

/* 15: the queue's search through an index: the items' texts in an FTS5
 * trigram index (any part of a word, case aside), kept in step with
 * review_items by triggers. */
static const char m15_item_search[] =
    "CREATE VIRTUAL TABLE review_items_fts USING fts5(text, content='review_items', "
    "content_rowid='id', tokenize='trigram');"
    "CREATE TRIGGER review_items_fts_ai AFTER INSERT ON review_items BEGIN "
    "INSERT INTO review_items_fts(rowid, text) VALUES (new.id, new.text); END;"
    "CREATE TRIGGER review_items_fts_ad AFTER DELETE ON review_items BEGIN "
    "INSERT INTO review_items_fts(review_items_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); END;"
    "CREATE TRIGGER review_items_fts_au AFTER UPDATE OF text ON review_items BEGIN "
    "INSERT INTO review_items_fts(review_items_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO review_items_fts(rowid, text) VALUES (new.id, new.text); END;"
    "INSERT INTO review_items_fts(review_items_fts) VALUES ('rebuild');";

/* 16: the employees' names and NIPs in a trigram index too, for the
 * queue's search by person. */
static const char m16_employee_search[] =
    "CREATE VIRTUAL TABLE employees_fts USING fts5(name, nip, content='employees', "
    "content_rowid='id', tokenize='trigram');"
    "CREATE TRIGGER employees_fts_ai AFTER INSERT ON employees BEGIN "
    "INSERT INTO employees_fts(rowid, name, nip) VALUES (new.id, new.name, new.nip); END;"
    "CREATE TRIGGER employees_fts_ad AFTER DELETE ON employees BEGIN "
    "INSERT INTO employees_fts(employees_fts, rowid, name, nip) "
    "VALUES ('delete', old.id, old.name, old.nip); END;"
    "CREATE TRIGGER employees_fts_au AFTER UPDATE OF name, nip ON employees BEGIN "
    "INSERT INTO employees_fts(employees_fts, rowid, name, nip) "
    "VALUES ('delete', old.id, old.name, old.nip); "
    "INSERT INTO employees_fts(rowid, name, nip) VALUES (new.id, new.name, new.nip); END;"
    "INSERT INTO employees_fts(employees_fts) VALUES ('rebuild');";

/* 17: the queue's indexes cover the filter bar's counts: a reviewer's
 * agency (level, category and platform beside its open items) and the open
 * queue (the same, and the agency) are counted from the index alone. */
static const char m17_queue_covering[] =
    "DROP INDEX review_items_agency;"
    "CREATE INDEX review_items_agency ON review_items(agency, status, priority DESC, level, "
    "category, platform);"
    "DROP INDEX review_items_open;"
    "CREATE INDEX review_items_open ON review_items(priority DESC, id, level, category, platform, "
    "agency) WHERE status IN ('pending', 'awaiting_second', 'escalated');";

/* 18: statistics answered from a cache that a change counter keeps exact.
 * Every write a table of statistics reads bumps stats_generation (by
 * trigger, in the writer's own transaction); a cached answer stands while
 * the counter it was computed at is the current one. */
#define BUMP "UPDATE stats_generation SET n = n + 1; END;"
static const char m18_stats_cache[] =
    "CREATE TABLE stats_generation (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);"
    "INSERT INTO stats_generation VALUES (1, 0);"
    "CREATE TABLE stats_cache (key TEXT PRIMARY KEY, generation INTEGER NOT NULL, "
    "computed_at TEXT NOT NULL, result TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TRIGGER stats_items_ai AFTER INSERT ON review_items BEGIN " BUMP
    /* not a claim: claims change no table */
    "CREATE TRIGGER stats_items_au AFTER UPDATE OF agency, category, status, employee_id, "
    "posted_at, created_at, platform, score_id ON review_items BEGIN " BUMP
    "CREATE TRIGGER stats_items_ad AFTER DELETE ON review_items BEGIN " BUMP
    "CREATE TRIGGER stats_decisions_ai AFTER INSERT ON decisions BEGIN " BUMP
    "CREATE TRIGGER stats_decisions_ad AFTER DELETE ON decisions BEGIN " BUMP
    "CREATE TRIGGER stats_employees_ai AFTER INSERT ON employees BEGIN " BUMP
    "CREATE TRIGGER stats_employees_au AFTER UPDATE ON employees BEGIN " BUMP
    "CREATE TRIGGER stats_employees_ad AFTER DELETE ON employees BEGIN " BUMP
    "CREATE TRIGGER stats_scores_ai AFTER INSERT ON scores BEGIN " BUMP
    "CREATE TRIGGER stats_scores_au AFTER UPDATE ON scores BEGIN " BUMP
    "CREATE TRIGGER stats_scores_ad AFTER DELETE ON scores BEGIN " BUMP
    "CREATE TRIGGER stats_posts_au AFTER UPDATE OF posted_at, first_seen_at, account_id ON posts "
    "BEGIN " BUMP
    "CREATE TRIGGER stats_accounts_au AFTER UPDATE OF employee_id ON accounts BEGIN " BUMP
    "CREATE TRIGGER stats_lexicons_au AFTER UPDATE ON lexicon_versions BEGIN " BUMP
    "CREATE TRIGGER stats_scope_ai AFTER INSERT ON user_agencies BEGIN " BUMP
    "CREATE TRIGGER stats_scope_ad AFTER DELETE ON user_agencies BEGIN " BUMP
    "CREATE TRIGGER stats_users_au AFTER UPDATE OF name ON users BEGIN " BUMP;
#undef BUMP

/* 19: each item's age band (the employee's age on the post's date) kept
 * on the item, by triggers, and the statistics index covering it and the
 * platform: tables by age read the index, not every employee's birth date. */
/* An item's age band and employee keys from its employee (migrations 19,
 * 22 and 23; the review library writes the same, store/sql.h). */
#define ITEM_BAND(P, EMP)                                                                          \
    "(SELECT " NT_SQL_AGE_BAND(P, "e.birth_date") " FROM employees e WHERE e.id = " EMP ")"
#define ITEM_EMP(EMP) "(SELECT " NT_SQL_EMP_VALUES("e") " FROM employees e WHERE e.id = " EMP ")"
#define EMP_KEYS      "(" NT_SQL_EMP_KEYS ")"
/* clang-format off */
static const char m19_age_band[] =
    "ALTER TABLE review_items ADD COLUMN age_band TEXT;"
    "UPDATE review_items SET age_band = "
    ITEM_BAND("review_items.posted_at", "review_items.employee_id") ";"
    "CREATE TRIGGER items_age_ai AFTER INSERT ON review_items BEGIN "
    "UPDATE review_items SET age_band = " ITEM_BAND("new.posted_at", "new.employee_id")
    " WHERE id = new.id; END;"
    "CREATE TRIGGER items_age_au AFTER UPDATE OF posted_at, employee_id ON review_items BEGIN "
    "UPDATE review_items SET age_band = " ITEM_BAND("new.posted_at", "new.employee_id")
    " WHERE id = new.id; END;"
    "CREATE TRIGGER employees_age_au AFTER UPDATE OF birth_date ON employees BEGIN "
    "UPDATE review_items SET age_band = "
    NT_SQL_AGE_BAND("review_items.posted_at", "new.birth_date")
    " WHERE employee_id = new.id; END;"
    "DROP INDEX review_items_stats;"
    "CREATE INDEX review_items_stats ON review_items(agency, category, status, employee_id, "
    "created_at, posted_at, platform, age_band);";
/* clang-format on */

/* 20: hits per lexicon entry counted as they are written: entry_counts
 * holds, per lexicon version, entry, agency and day of the post, how many
 * weighed hits there are. The scan writer (detect/scan.c, the one writer
 * of hits) counts a score's hits in and out as it writes them, with the
 * place its post came with; triggers move the counts with an employee's
 * move to another agency, an account given to another employee and a
 * post's date. The table by entry reads it instead of every hit.
 * score_places says where a score's post belongs. */
#define ADD_HITS(AGENCY, DAY, SIGN, WHERE)                                                         \
    "INSERT INTO entry_counts(lexicon_id, entry_id, agency, day, n) SELECT w.lexicon_id, "         \
    "h.entry_id, " AGENCY ", " DAY ", " SIGN "count(*) FROM hits h JOIN score_places w ON "        \
    "w.score_id = h.score_id WHERE h.weight > 0 AND " WHERE " GROUP BY 1, 2, 3, 4 "                \
    "ON CONFLICT(lexicon_id, entry_id, agency, day) DO UPDATE SET n = n + excluded.n;"
/* SQL text around the macro's uses, one statement a line. */
/* clang-format off */
static const char m20_entry_counts[] =
    "CREATE VIEW score_places AS SELECT sc.id AS score_id, sc.lexicon_id, e.agency, "
    "date(COALESCE(p.posted_at, p.first_seen_at)) AS day, a.id AS account_id, "
    "a.employee_id, p.id AS post_id FROM scores sc JOIN post_versions v ON v.id = sc.version_id "
    "JOIN posts p ON p.id = v.post_id JOIN accounts a ON a.id = p.account_id "
    "JOIN employees e ON e.id = a.employee_id;"
    "CREATE TABLE entry_counts (lexicon_id INTEGER NOT NULL, entry_id TEXT NOT NULL, "
    "agency TEXT NOT NULL, day TEXT, n INTEGER NOT NULL, "
    "PRIMARY KEY (lexicon_id, entry_id, agency, day)) WITHOUT ROWID;"
    ADD_HITS("w.agency", "w.day", "", "1")
    "CREATE TRIGGER entry_counts_employee AFTER UPDATE OF agency ON employees "
    "WHEN old.agency IS NOT new.agency BEGIN "
    ADD_HITS("old.agency", "w.day", "-", "w.employee_id = new.id")
    ADD_HITS("new.agency", "w.day", "", "w.employee_id = new.id")
    "END;"
    "CREATE TRIGGER entry_counts_account AFTER UPDATE OF employee_id ON accounts "
    "WHEN old.employee_id IS NOT new.employee_id BEGIN "
    ADD_HITS("(SELECT agency FROM employees WHERE id = old.employee_id)", "w.day", "-",
             "w.account_id = new.id")
    ADD_HITS("w.agency", "w.day", "", "w.account_id = new.id")
    "END;"
    "CREATE TRIGGER entry_counts_post AFTER UPDATE OF posted_at, first_seen_at ON posts "
    "WHEN date(COALESCE(old.posted_at, old.first_seen_at)) IS NOT "
    "date(COALESCE(new.posted_at, new.first_seen_at)) BEGIN "
    ADD_HITS("w.agency", "date(COALESCE(old.posted_at, old.first_seen_at))", "-",
             "w.post_id = new.id")
    ADD_HITS("w.agency", "w.day", "", "w.post_id = new.id")
    "END;";
/* clang-format on */
#undef ADD_HITS

/* 21: decided items per lexicon entry kept like entry_counts: how many
 * confirmed and dismissed items have a weighed hit of the entry, per
 * lexicon version, agency and day. Triggers count an item in and out as
 * its status or score changes and move the counts with an employee, an
 * account or a post's date; the scan writer recounts a decided item whose
 * score's hits it rewrites. */
#define ADD_DECIDED(AGENCY, DAY, SIGN, WHERE)                                                      \
    "INSERT INTO entry_decided(lexicon_id, entry_id, agency, day, status, n) SELECT lexicon_id, "  \
    "entry_id, " AGENCY ", " DAY ", status, " SIGN "count(DISTINCT item_id) FROM decided_places "  \
    "WHERE " WHERE " GROUP BY 1, 2, 3, 4, 5 ON CONFLICT DO UPDATE SET n = n + excluded.n;"
#define ITEM_DECIDED(ITEM, SIGN)                                                                   \
    "INSERT INTO entry_decided(lexicon_id, entry_id, agency, day, status, n) SELECT "              \
    "w.lexicon_id, "                                                                               \
    "h.entry_id, w.agency, w.day, " ITEM ".status, " SIGN "1 FROM hits h JOIN score_places w ON "  \
    "w.score_id = h.score_id WHERE h.score_id = " ITEM ".score_id AND h.weight > 0 AND " ITEM      \
    ".status IN ('confirmed', 'dismissed') GROUP BY h.entry_id ON CONFLICT DO UPDATE SET n = n + " \
    "excluded.n;"
/* clang-format off */
static const char m21_entry_decided[] =
    "CREATE VIEW decided_places AS SELECT i.id AS item_id, i.status, h.entry_id, w.* "
    "FROM review_items i JOIN score_places w ON w.score_id = i.score_id AND w.post_id = i.post_id "
    "JOIN hits h ON h.score_id = i.score_id "
    "WHERE i.status IN ('confirmed', 'dismissed') AND h.weight > 0;"
    "CREATE TABLE entry_decided (lexicon_id INTEGER NOT NULL, entry_id TEXT NOT NULL, "
    "agency TEXT NOT NULL, day TEXT NOT NULL, status TEXT NOT NULL, n INTEGER NOT NULL, "
    "PRIMARY KEY (lexicon_id, entry_id, agency, day, status)) WITHOUT ROWID;"
    ADD_DECIDED("agency", "day", "", "1")
    "CREATE TRIGGER entry_decided_item AFTER UPDATE OF status, score_id ON review_items "
    "WHEN old.status IN ('confirmed', 'dismissed') OR new.status IN ('confirmed', 'dismissed') "
    "BEGIN "
    ITEM_DECIDED("old", "-")
    ITEM_DECIDED("new", "")
    "END;"
    "CREATE TRIGGER entry_decided_employee AFTER UPDATE OF agency ON employees "
    "WHEN old.agency IS NOT new.agency BEGIN "
    ADD_DECIDED("old.agency", "day", "-", "employee_id = new.id")
    ADD_DECIDED("new.agency", "day", "", "employee_id = new.id")
    "END;"
    "CREATE TRIGGER entry_decided_account AFTER UPDATE OF employee_id ON accounts "
    "WHEN old.employee_id IS NOT new.employee_id BEGIN "
    ADD_DECIDED("(SELECT agency FROM employees WHERE id = old.employee_id)", "day", "-",
                "account_id = new.id")
    ADD_DECIDED("agency", "day", "", "account_id = new.id")
    "END;"
    "CREATE TRIGGER entry_decided_post AFTER UPDATE OF posted_at, first_seen_at ON posts "
    "WHEN date(COALESCE(old.posted_at, old.first_seen_at)) IS NOT "
    "date(COALESCE(new.posted_at, new.first_seen_at)) BEGIN "
    ADD_DECIDED("agency", "date(COALESCE(old.posted_at, old.first_seen_at))", "-",
                "post_id = new.id")
    ADD_DECIDED("agency", "day", "", "post_id = new.id")
    "END;";
/* clang-format on */
#undef ITEM_DECIDED
#undef ADD_DECIDED

/* 22: the employee's report keys (work unit, position type, sex,
 * province) kept on each item by triggers, like the age band, and the
 * statistics index covering them: every table by report keys reads the
 * index alone, with no employee row per item. */
/* clang-format off */
static const char m22_item_employee_keys[] =
    "ALTER TABLE review_items ADD COLUMN work_unit TEXT;"
    "ALTER TABLE review_items ADD COLUMN position_type TEXT;"
    "ALTER TABLE review_items ADD COLUMN sex TEXT;"
    "ALTER TABLE review_items ADD COLUMN region TEXT;"
    "UPDATE review_items SET " EMP_KEYS " = " ITEM_EMP("review_items.employee_id") ";"
    "CREATE TRIGGER items_employee_ai AFTER INSERT ON review_items BEGIN "
    "UPDATE review_items SET " EMP_KEYS " = " ITEM_EMP("new.employee_id") " WHERE id = new.id; END;"
    "CREATE TRIGGER items_employee_au AFTER UPDATE OF employee_id ON review_items BEGIN "
    "UPDATE review_items SET " EMP_KEYS " = " ITEM_EMP("new.employee_id") " WHERE id = new.id; END;"
    "CREATE TRIGGER employees_items_au AFTER UPDATE OF work_unit, position_type, sex, region_code "
    "ON employees BEGIN "
    "UPDATE review_items SET " EMP_KEYS " = (" NT_SQL_EMP_VALUES("new") ") WHERE employee_id = new.id; END;"
    "DROP INDEX review_items_stats;"
    "CREATE INDEX review_items_stats ON review_items(agency, category, status, employee_id, "
    "created_at, posted_at, platform, age_band, work_unit, position_type, sex, region);";
/* clang-format on */

/* 23: how far each lexicon and model pair has scored the stored versions
 * (every version up to `upto`), instead of a score row per post: a post at
 * level none costs nothing, a scan reads the versions past the mark, and
 * rescoring after an activation writes only the posts that reach the
 * queue. Filled from the scores rows an older database holds: a pair
 * covers the versions before the first one it has no score for. The view
 * lists what the active pair has still to score. */
/* clang-format off */
static const char m23_scan_progress[] =
    "CREATE TABLE scan_progress ("
    "  lexicon_id INTEGER NOT NULL REFERENCES lexicon_versions(id),"
    "  model_id INTEGER NOT NULL," /* model_versions.id; 0: the bundled model or none */
    "  upto INTEGER NOT NULL,"
    "  model_version TEXT,"
    "  slang_sha256 TEXT,"
    "  updated_at TEXT NOT NULL,"
    "  PRIMARY KEY (lexicon_id, model_id)"
    ") STRICT;"
    "INSERT INTO scan_progress(lexicon_id, model_id, upto, updated_at) "
    "SELECT q.lexicon_id, COALESCE(q.model_id, 0), COALESCE((SELECT min(v.id) - 1 FROM "
    "post_versions v WHERE v.text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM scores s "
    "WHERE s.version_id = v.id AND s.lexicon_id = q.lexicon_id AND s.model_id IS q.model_id)), "
    "(SELECT max(id) FROM post_versions)), strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
    "FROM (SELECT DISTINCT lexicon_id, model_id FROM scores) q WHERE true "
    "ON CONFLICT DO UPDATE SET upto = max(upto, excluded.upto);"
    "CREATE VIEW scan_pending AS SELECT v.id AS version_id FROM post_versions v "
    "WHERE v.text IS NOT NULL AND v.id > COALESCE((SELECT p.upto FROM scan_progress p "
    "JOIN lexicon_versions l ON l.id = p.lexicon_id AND l.active = 1 "
    "WHERE p.model_id = COALESCE((SELECT id FROM model_versions WHERE active = 1), 0)), 0);"
    /* An item's report keys come with its insert (the review library
     * writes them, nt_review_enqueue); the trigger fills them for any
     * other writer, in one update instead of two. The text index changes
     * only when the text does (a rescore rewrites the same text), and new
     * items of a batch are indexed at its end while review_items_fts_defer
     * has a row (nt_review_enqueue_batch_begin). */
    "DROP TRIGGER items_age_ai;"
    "DROP TRIGGER items_employee_ai;"
    "CREATE TRIGGER items_keys_ai AFTER INSERT ON review_items WHEN new.age_band IS NULL "
    "AND new.work_unit IS NULL AND new.position_type IS NULL AND new.sex IS NULL "
    "AND new.region IS NULL BEGIN UPDATE review_items SET age_band = "
    ITEM_BAND("new.posted_at", "new.employee_id") ", " EMP_KEYS " = " ITEM_EMP("new.employee_id")
    " WHERE id = new.id; END;"
    "CREATE TABLE review_items_fts_defer (one INTEGER PRIMARY KEY CHECK (one = 1)) STRICT;"
    "DROP TRIGGER review_items_fts_ai;"
    "CREATE TRIGGER review_items_fts_ai AFTER INSERT ON review_items "
    "WHEN NOT EXISTS (SELECT 1 FROM review_items_fts_defer) BEGIN "
    "INSERT INTO review_items_fts(rowid, text) VALUES (new.id, new.text); END;"
    "DROP TRIGGER review_items_fts_au;"
    "CREATE TRIGGER review_items_fts_au AFTER UPDATE OF text ON review_items "
    "WHEN old.text IS NOT new.text BEGIN "
    "INSERT INTO review_items_fts(review_items_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO review_items_fts(rowid, text) VALUES (new.id, new.text); END;";
/* clang-format on */
#undef EMP_KEYS
#undef ITEM_EMP
#undef ITEM_BAND

/* 24: decisions per reviewer, agency (the item's employee's) and day,
 * kept by triggers as decisions are made and undone and as employees and
 * items move: the table by reviewer reads these rows, not every decision
 * with its item and employee. `days` sums the time from an item's
 * creation to the decision, in days. */
/* One decision D as a row, counted with SIGN (FROM: more tables first). */
#define DECISION_ROW(D, SIGN, FROM, WHERE)                                                         \
    "SELECT " D ".user_id, e.agency, date(" D ".decided_at), " SIGN "1, " SIGN "(" D               \
    ".decision IN ('confirm','agree')), " SIGN "(" D ".decision IN ('dismiss','disagree')), " SIGN \
    "(" D ".decision = 'escalate'), " SIGN "(julianday(" D                                         \
    ".decided_at) - julianday(i.created_at)) "                                                     \
    "FROM " FROM "review_items i JOIN employees e ON e.id = i.employee_id "                        \
    "WHERE i.id = " D ".item_id" WHERE
/* Rows added to reviewer_days through the view reviewer_days_add, whose
 * trigger adds them to the row of their reviewer, agency and day. */
#define ADD_DAYS "INSERT INTO reviewer_days_add "
#define ON_DAY   ";"
/* The decisions that stand (no undo, nothing undone), grouped by reviewer,
 * agency (AGENCY) and day, counted with SIGN: those of every item (the
 * fill) or of one employee's or one item's (WHERE), from the view
 * standing_decisions. */
#define STANDING(AGENCY, SIGN, WHERE)                                                              \
    "SELECT s.user_id, " AGENCY ", s.day, " SIGN "count(*), " SIGN "sum(s.confirmed), " SIGN       \
    "sum(s.dismissed), " SIGN "sum(s.escalated), " SIGN "sum(s.days) "                             \
    "FROM standing_decisions s WHERE true " WHERE " GROUP BY 1, 2, 3"
#define AGENCY_OF(EMP) "(SELECT agency FROM employees WHERE id = " EMP ")"
/* clang-format off */
static const char m24_reviewer_days[] =
    "CREATE TABLE reviewer_days ("
    "  user_id INTEGER NOT NULL,"
    "  agency TEXT NOT NULL,"
    "  day TEXT NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  confirmed INTEGER NOT NULL,"
    "  dismissed INTEGER NOT NULL,"
    "  escalated INTEGER NOT NULL,"
    "  days REAL NOT NULL,"
    "  PRIMARY KEY (user_id, agency, day)"
    ") STRICT, WITHOUT ROWID;"
    "CREATE VIEW reviewer_days_add AS SELECT * FROM reviewer_days WHERE false;"
    "CREATE TRIGGER reviewer_days_add INSTEAD OF INSERT ON reviewer_days_add BEGIN "
    "INSERT INTO reviewer_days VALUES (new.user_id, new.agency, new.day, new.n, new.confirmed, "
    "new.dismissed, new.escalated, new.days) ON CONFLICT(user_id, agency, day) DO UPDATE SET "
    "n = n + excluded.n, confirmed = confirmed + excluded.confirmed, "
    "dismissed = dismissed + excluded.dismissed, escalated = escalated + excluded.escalated, "
    "days = days + excluded.days; END;"
    "CREATE VIEW standing_decisions AS SELECT d.user_id, d.item_id, i.employee_id, "
    "date(d.decided_at) AS day, d.decision IN ('confirm','agree') AS confirmed, "
    "d.decision IN ('dismiss','disagree') AS dismissed, d.decision = 'escalate' AS escalated, "
    "julianday(d.decided_at) - julianday(i.created_at) AS days "
    "FROM decisions d JOIN review_items i ON i.id = d.item_id WHERE d.decision <> 'undo' "
    "AND NOT EXISTS (SELECT 1 FROM decisions x WHERE x.undoes = d.id);"
    ADD_DAYS STANDING(AGENCY_OF("s.employee_id"), "", "") ON_DAY
    "CREATE TRIGGER reviewer_days_ai AFTER INSERT ON decisions WHEN new.decision <> 'undo' "
    "BEGIN " ADD_DAYS DECISION_ROW("new", "", "", "") ON_DAY " END;"
    "CREATE TRIGGER reviewer_days_undo AFTER INSERT ON decisions WHEN new.decision = 'undo' "
    "BEGIN " ADD_DAYS DECISION_ROW("u", "-", "decisions u, ", " AND u.id = new.undoes") ON_DAY
    " END;"
    "CREATE TRIGGER reviewer_days_employee AFTER UPDATE OF agency ON employees "
    "WHEN old.agency IS NOT new.agency BEGIN "
    ADD_DAYS STANDING("old.agency", "-", "AND s.employee_id = new.id") ON_DAY
    ADD_DAYS STANDING("new.agency", "", "AND s.employee_id = new.id") ON_DAY " END;"
    "CREATE TRIGGER reviewer_days_item AFTER UPDATE OF employee_id ON review_items "
    "WHEN old.employee_id IS NOT new.employee_id BEGIN "
    ADD_DAYS STANDING(AGENCY_OF("old.employee_id"), "-", "AND s.item_id = new.id") ON_DAY
    ADD_DAYS STANDING(AGENCY_OF("new.employee_id"), "", "AND s.item_id = new.id") ON_DAY " END;";
/* clang-format on */
#undef AGENCY_OF
#undef STANDING
#undef ON_DAY
#undef ADD_DAYS
#undef DECISION_ROW

/* 25: the queue's indexes cover the date filter too: a page or a count of
 * the items posted in a month reads the index alone (it fetched every row
 * for its date: 93 ms for the admin's November at 211,000 items, 20 ms). */
static const char m25_queue_dates[] =
    "DROP INDEX review_items_agency;"
    "CREATE INDEX review_items_agency ON review_items(agency, status, priority DESC, level, "
    "category, platform, posted_at);"
    "DROP INDEX review_items_open;"
    "CREATE INDEX review_items_open ON review_items(priority DESC, id, level, category, platform, "
    "agency, posted_at) WHERE status IN ('pending', 'awaiting_second', 'escalated');";

/* 26: what posts carry besides their text (issue 16). A post's
 * attachments (post_media: images, videos, link cards, with the alt text
 * and the platform's metadata) point at the bytes fetched (media), which are
 * kept once per SHA-256 however many posts share them. The OCR stage reads
 * each image once: its thumbnail, the lines it recognised and when; hits
 * say whether they came from the caption (NULL), the alt text or the
 * image's text, from which attachment (post_media) and which line. */
static const char m26_media[] =
    "CREATE TABLE media ("
    "  id INTEGER PRIMARY KEY,"
    "  sha256 TEXT NOT NULL UNIQUE,"
    "  bytes BLOB,"
    "  size INTEGER NOT NULL,"
    "  mime TEXT NOT NULL,"
    "  width INTEGER,"
    "  height INTEGER,"
    "  url TEXT NOT NULL,"
    "  fetched_at TEXT NOT NULL,"
    "  thumb BLOB,"
    "  ocr_state TEXT NOT NULL DEFAULT 'pending' CHECK (ocr_state IN "
    "('pending','done','failed','none')),"
    "  ocr_text TEXT,"
    "  ocr_lines TEXT,"
    "  ocr_error TEXT,"
    "  ocr_at TEXT,"
    "  ocr_ms INTEGER,"
    "  purged_at TEXT"
    ") STRICT;"
    "CREATE INDEX media_ocr_pending ON media(id) WHERE ocr_state = 'pending';"
    "CREATE TABLE post_media ("
    "  id INTEGER PRIMARY KEY,"
    "  post_id INTEGER NOT NULL REFERENCES posts(id),"
    "  seq INTEGER NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('image','video','audio','link','other')),"
    "  url TEXT NOT NULL,"
    "  alt TEXT,"
    "  meta TEXT,"
    "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN "
    "('pending','stored','recorded','refused','failed')),"
    "  media_id INTEGER REFERENCES media(id),"
    "  error TEXT,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  first_seen_at TEXT NOT NULL,"
    "  fetched_at TEXT,"
    "  UNIQUE (post_id, url)"
    ") STRICT;"
    "CREATE INDEX post_media_pending ON post_media(id) WHERE state = 'pending';"
    "CREATE INDEX post_media_media ON post_media(media_id);"
    "ALTER TABLE hits ADD COLUMN source TEXT CHECK (source IN ('alt','ocr'));"
    "ALTER TABLE hits ADD COLUMN attachment_id INTEGER;"
    "ALTER TABLE hits ADD COLUMN line INTEGER;";

/* 27: whom employees follow (issue 16, SKB form 2). A follow is kept as a
 * post of its own kind ('follow': the followed account's object as the
 * platform listed it, with its hash) so that it is scored, queued, decided
 * and put in a case file like any post; `follows` keeps its history: when
 * it was first and last seen, and when a complete listing no longer had it
 * (an unfollow). The posts table's CHECK gains 'follow' in place (widening
 * a CHECK is one of the schema edits SQLite documents as safe: existing
 * rows stay valid; the schema is reloaded and its cookie moved by the
 * migration runner). crawl_state says per account whether its follows
 * could be read. */
static const char m27_follows[] =
    "PRAGMA writable_schema = ON;"
    "UPDATE sqlite_schema SET sql = replace(sql, "
    "'interaction IN (''post'',''repost'',''reply'',''quote'')', "
    "'interaction IN (''post'',''repost'',''reply'',''quote'',''follow'')') "
    "WHERE type = 'table' AND name = 'posts';"
    "PRAGMA writable_schema = RESET;"
    "CREATE TABLE follows ("
    "  id INTEGER PRIMARY KEY,"
    "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
    "  target TEXT NOT NULL,"
    "  handle TEXT,"
    "  post_id INTEGER NOT NULL REFERENCES posts(id),"
    "  first_seen_at TEXT NOT NULL,"
    "  last_seen_at TEXT NOT NULL,"
    "  unfollowed_at TEXT,"
    "  UNIQUE (account_id, target)"
    ") STRICT;"
    "ALTER TABLE crawl_state ADD COLUMN follows_state TEXT;"
    "ALTER TABLE crawl_state ADD COLUMN follows_at TEXT;"
    "ALTER TABLE crawl_state ADD COLUMN follows_count INTEGER;"
    /* An attachment URL already kept is linked, not fetched again. */
    "CREATE INDEX post_media_url ON post_media(url) WHERE state = 'stored';";

/* 28: the changes to the report keys of review items, in commit order,
 * for the statistics each serve process keeps in memory (review/facts.c):
 * one row per item inserted, deleted or changed in a key, read past the
 * last one a process has seen. The oldest are forgotten past a window of
 * 2^18 changes (every 1,024th insert trims); a process further behind
 * than that reads every item again. */
#define ITEM_CHANGED(ID) "INSERT INTO stats_changes(item_id) VALUES (" ID "); END;"
static const char m28_stats_changes[] =
    "CREATE TABLE stats_changes (seq INTEGER PRIMARY KEY, item_id INTEGER NOT NULL) STRICT;"
    "CREATE TRIGGER stats_changes_trim AFTER INSERT ON stats_changes WHEN new.seq % 1024 = 0 "
    "BEGIN DELETE FROM stats_changes WHERE seq <= new.seq - 262144; END;"
    "CREATE TRIGGER facts_items_ai AFTER INSERT ON review_items BEGIN " ITEM_CHANGED(
        "new.id") "CREATE TRIGGER facts_items_au AFTER UPDATE OF agency, work_unit, position_type, "
                  "category, "
                  "age_band, sex, platform, region, posted_at, status, employee_id, created_at ON "
                  "review_items "
                  "BEGIN " ITEM_CHANGED("new.id") "CREATE TRIGGER facts_items_ad AFTER DELETE ON "
                                                  "review_items BEGIN " ITEM_CHANGED("old.id");
#undef ITEM_CHANGED

/* 29: the open items of an agency in priority order, with what the
 * filter bar counts: an agency's first page (a reviewer's, or an admin's
 * agency filter) reads 50 entries and stops, where review_items_agency
 * gave them by status, three ranges merged and sorted. */
static const char m29_open_agency[] =
    "CREATE INDEX review_items_open_agency ON review_items(agency, priority DESC, id, status, "
    "level, category, platform, posted_at) WHERE status IN ('pending', 'awaiting_second', "
    "'escalated');";

/* 30: accounts leased by crawl processes that share one registry (`lease`
 * in the crawl configuration): a process crawls an account only while it
 * holds its lease (until a time; a dead process's lease runs out and
 * another takes the account), and `done_at` says when the last holder
 * finished it, so that a process skips what another did during its round. */
static const char m30_crawl_leases[] =
    "CREATE TABLE crawl_leases (account_id INTEGER PRIMARY KEY REFERENCES accounts(id), "
    "owner TEXT NOT NULL, until TEXT NOT NULL, done_at TEXT) STRICT;";

/* 31: the web app's sessions and login throttle in the database, so that
 * several `netra serve` processes behind one proxy share them
 * (review/sessions.c): the SHA-256 of the cookie's token, never the token;
 * failed logins per "u:name" and "a:address". */
static const char m31_web_sessions[] =
    "CREATE TABLE web_sessions (token_sha256 TEXT PRIMARY KEY, csrf TEXT NOT NULL, "
    "user_name TEXT NOT NULL, created_at TEXT NOT NULL, last_seen INTEGER NOT NULL) STRICT;"
    "CREATE INDEX web_sessions_user ON web_sessions(user_name);"
    "CREATE TABLE login_failures (key TEXT PRIMARY KEY, fails INTEGER NOT NULL, until INTEGER "
    "NOT NULL, last INTEGER NOT NULL) STRICT;";

/* 32: copies of a message counted from the index alone: a queue page
 * counts, for each of its rows, the open copies in the user's agencies,
 * and with the key alone each copy was a table row read (3,400 for one
 * agency's first page of the benchmark, most of its time). */
static const char m32_item_copies[] =
    "DROP INDEX review_items_text_key;"
    "CREATE INDEX review_items_copies ON review_items(text_key, status, agency) "
    "WHERE text_key IS NOT NULL;";

/* 33: the twelve-column statistics index goes. Statistics are counted
 * from the server's in-memory copy of the items' keys (schema 28), which
 * reads the table as fast without it; every new item, decision and
 * rescore paid for it: a rescan of 1,000,000 posts 22.6 s with it, 18.1 s
 * without. A command-line table by agency counts from the table (0.05 s
 * to 0.29 s at 137,000 items). */
static const char m33_no_stats_index[] = "DROP INDEX review_items_stats;";

/* 34: hits by entry go: every reader of hits finds them by score
 * (show.c, the scan writer, the entry_counts and entry_decided triggers
 * through score_places); the counts by entry come from entry_counts
 * (schema 20). The scan paid for it at every hit it wrote: a first scan
 * of 1,000,000 posts (728,039 hits) wrote its hits in 1.0-1.4 s without
 * it, 1.8-2.2 s with it. */
static const char m34_no_hits_entry[] = "DROP INDEX hits_entry;";

/* 35: a new item stays out of the status indexes. New items are pending,
 * and the open queue's indexes (review_items_open, _open_agency) hold them
 * in priority order already; review_items_queue and review_items_agency now
 * hold the items past pending only (awaiting a second reviewer, escalated,
 * decided), which a status filter other than pending reads (the queue
 * writes the index's condition into its WHERE). review_items_open carries
 * the status, so a filter on pending reads and counts from it alone. Every
 * new item wrote both: a first scan of 1,000,000 posts spent 7.2-7.6 s on
 * its 137,682 item inserts with them, 5.8-6.0 s without. */
static const char m35_status_past_pending[] =
    "DROP INDEX review_items_queue;"
    "CREATE INDEX review_items_queue ON review_items(status, priority DESC) "
    "WHERE status <> 'pending';"
    "DROP INDEX review_items_agency;"
    "CREATE INDEX review_items_agency ON review_items(agency, status, priority DESC, level, "
    "category, platform, posted_at) WHERE status <> 'pending';"
    "DROP INDEX review_items_open;"
    "CREATE INDEX review_items_open ON review_items(priority DESC, id, level, category, platform, "
    "agency, posted_at, status) WHERE status IN ('pending', 'awaiting_second', 'escalated');";

/* 36: a change of an item's level is a change the in-memory copies read
 * (review/facts.c): the queue's filter bar counts by level from them. A
 * rescan that moves an item from review to priority changed no key
 * before. */
static const char m36_facts_level[] =
    "DROP TRIGGER facts_items_au;"
    "CREATE TRIGGER facts_items_au AFTER UPDATE OF agency, work_unit, position_type, category, "
    "age_band, sex, platform, region, posted_at, status, employee_id, created_at, level ON "
    "review_items BEGIN INSERT INTO stats_changes(item_id) VALUES (new.id); END;";

/* 37: the search index merges its segments sixteen at a time rather
 * than four (FTS5's automerge): the scan adds each batch's items as a new
 * segment, and at the default the 1,000,000-post first scan spent 6.5 s
 * merging them into ever larger ones, 3.6 s at sixteen (the whole scan
 * 1-1.5 s quicker, A/B on one unscanned copy); a search read as quickly
 * (137,682 items: a rare word 21 against 23 ms, a common one 68 against 68
 * ms, through the sqlite3 shell). */
static const char m37_fts_automerge[] =
    "INSERT INTO review_items_fts(review_items_fts, rank) VALUES ('automerge', 16);";

/* 38: an employee's active accounts from the index alone: the coverage
 * summary counts the employees without one (a lookup per employee that
 * read each account's row: 107 ms for 20,000 employees, 9 ms from this
 * index). It starts with the employee, so it serves what the old one did. */
static const char m38_accounts_employee_active[] =
    "DROP INDEX accounts_employee;"
    "CREATE INDEX accounts_employee_active ON accounts(employee_id, active);";

/* 39: a counter of the changes the monitoring coverage's order and counts
 * depend on (review/coverage.c keeps that order in memory in netra serve
 * and reads it again when the counter moved): an account or employee
 * added, removed, (de)activated, moved or renamed, an account's state
 * changing class (ok, never fetched, failing). A fetch that succeeds again,
 * or fails again, moves nothing. SQLite only (one writer at a time); on
 * PostgreSQL the coverage is read by SQL. */
#define COVERAGE_BUMP  "UPDATE coverage_generation SET n = n + 1; END;"
#define STATE_CLASS(S) "(CASE " S " WHEN 'ok' THEN 2 WHEN 'new' THEN 1 ELSE 0 END)"
static const char m39_coverage_generation[] =
    "CREATE TABLE coverage_generation (id INTEGER PRIMARY KEY CHECK (id = 1), "
    "n INTEGER NOT NULL);"
    "INSERT INTO coverage_generation VALUES (1, 0);"
    "CREATE TRIGGER coverage_accounts_ai AFTER INSERT ON accounts BEGIN " COVERAGE_BUMP
    "CREATE TRIGGER coverage_accounts_au AFTER UPDATE OF employee_id, platform, active ON accounts "
    "WHEN old.employee_id IS NOT new.employee_id OR old.platform IS NOT new.platform OR "
    "old.active IS NOT new.active BEGIN " COVERAGE_BUMP
    "CREATE TRIGGER coverage_accounts_ad AFTER DELETE ON accounts BEGIN " COVERAGE_BUMP
    "CREATE TRIGGER coverage_employees_ai AFTER INSERT ON employees BEGIN " COVERAGE_BUMP
    "CREATE TRIGGER coverage_employees_au AFTER UPDATE OF agency, name, active ON employees "
    "WHEN old.agency IS NOT new.agency OR old.name IS NOT new.name OR "
    "old.active IS NOT new.active BEGIN " COVERAGE_BUMP
    "CREATE TRIGGER coverage_employees_ad AFTER DELETE ON employees BEGIN " COVERAGE_BUMP
    "CREATE TRIGGER coverage_crawl_ai AFTER INSERT ON crawl_state WHEN new.state <> 'new' "
    "BEGIN " COVERAGE_BUMP
    "CREATE TRIGGER coverage_crawl_au AFTER UPDATE OF account_id, state ON crawl_state WHEN "
    "old.account_id IS NOT new.account_id OR " STATE_CLASS("old.state") " <> " STATE_CLASS(
        "new.state") " BEGIN " COVERAGE_BUMP "CREATE TRIGGER coverage_crawl_ad AFTER DELETE ON "
                     "crawl_state WHEN old.state <> 'new' "
                     "BEGIN " COVERAGE_BUMP;

/* 40: a change of an item's text is a change the in-memory copies read:
 * on SQLite they keep the texts, and the queue's filter bar counts a
 * common word's matches from them (review/facts.c). A text changes when
 * the item follows a new version of its post, or retention removes it. */
static const char m40_facts_text[] =
    "DROP TRIGGER facts_items_au;"
    "CREATE TRIGGER facts_items_au AFTER UPDATE OF agency, work_unit, position_type, category, "
    "age_band, sex, platform, region, posted_at, status, employee_id, created_at, level, text ON "
    "review_items BEGIN INSERT INTO stats_changes(item_id) VALUES (new.id); END;";

static const char *const migrations[] = { NULL,
                                          m1_registry,
                                          m2_evidence,
                                          m3_scoring,
                                          m4_review,
                                          m5_listing,
                                          m6_entities,
                                          m7_queue,
                                          m8_models,
                                          m9_os_users,
                                          m10_case_assignee,
                                          m11_case_file,
                                          m12_undo,
                                          m13_text_key,
                                          m14_item_text,
                                          m15_item_search,
                                          m16_employee_search,
                                          m17_queue_covering,
                                          m18_stats_cache,
                                          m19_age_band,
                                          m20_entry_counts,
                                          m21_entry_decided,
                                          m22_item_employee_keys,
                                          m23_scan_progress,
                                          m24_reviewer_days,
                                          m25_queue_dates,
                                          m26_media,
                                          m27_follows,
                                          m28_stats_changes,
                                          m29_open_agency,
                                          m30_crawl_leases,
                                          m31_web_sessions,
                                          m32_item_copies,
                                          m33_no_stats_index,
                                          m34_no_hits_entry,
                                          m35_status_past_pending,
                                          m36_facts_level,
                                          m37_fts_automerge,
                                          m38_accounts_employee_active,
                                          m39_coverage_generation,
                                          m40_facts_text };

const char *nt_store_schema_migration(int v)
{
    if (v < 1 || (size_t)v >= sizeof(migrations) / sizeof(migrations[0]))
        return NULL;
    return migrations[v];
}
