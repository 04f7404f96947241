/*
 * store_schema.h: the SQLite schema as ordered migrations. Migration N
 * takes the database from user_version N-1 to N; never edit a released
 * one, append a new one. The schema version is the number of migrations
 * (store_schema_latest()): there is no second number to keep in step.
 * Only store_sqlite.c includes this.
 *
 * Migrations run with foreign keys off (store_migrate checks them before
 * committing), so one may rebuild a table the SQLite way: create the new
 * table, copy, drop the old one, rename, re-create its indexes.
 */
#ifndef WIZYTA_STORE_SCHEMA_H
#define WIZYTA_STORE_SCHEMA_H

static const char *const store_migrations[] = {
	/* 1: the foundation */
	"CREATE TABLE units ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE);"
	"CREATE TABLE services ("
	"  id INTEGER PRIMARY KEY,"
	"  unit_id INTEGER NOT NULL REFERENCES units(id),"
	"  name TEXT NOT NULL,"
	"  name_en TEXT NOT NULL DEFAULT '',"
	"  description TEXT NOT NULL DEFAULT '',"
	"  description_en TEXT NOT NULL DEFAULT '',"
	"  duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 480),"
	"  active INTEGER NOT NULL DEFAULT 1);"
	"CREATE TABLE desks ("
	"  id INTEGER PRIMARY KEY,"
	"  room TEXT NOT NULL,"
	"  name TEXT NOT NULL UNIQUE,"
	"  capacity INTEGER NOT NULL DEFAULT 1 CHECK (capacity >= 1));"
	"CREATE TABLE opening_hours ("
	"  id INTEGER PRIMARY KEY,"
	"  desk_id INTEGER NOT NULL REFERENCES desks(id),"
	"  service_id INTEGER NOT NULL REFERENCES services(id),"
	"  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),"
	"  opens INTEGER NOT NULL,"
	"  closes INTEGER NOT NULL,"
	"  CHECK (0 <= opens AND opens < closes AND closes <= 1440));"
	"CREATE INDEX opening_hours_service ON opening_hours(service_id, weekday);"
	"CREATE TABLE calendar_exceptions ("
	"  id INTEGER PRIMARY KEY,"
	"  desk_id INTEGER REFERENCES desks(id),"	/* NULL: every desk */
	"  day TEXT NOT NULL,"
	"  opens INTEGER,"				/* NULL: closed */
	"  closes INTEGER,"
	"  reason TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX calendar_exceptions_day ON calendar_exceptions(day);"
	"CREATE TABLE bookings ("
	"  id INTEGER PRIMARY KEY,"
	"  reference TEXT NOT NULL UNIQUE,"
	"  service_id INTEGER NOT NULL REFERENCES services(id),"
	"  desk_id INTEGER NOT NULL REFERENCES desks(id),"
	"  start_at INTEGER NOT NULL,"
	"  end_at INTEGER NOT NULL,"
	"  day TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  first_name TEXT NOT NULL,"
	"  last_name TEXT NOT NULL,"
	"  email TEXT NOT NULL DEFAULT '',"
	"  phone TEXT NOT NULL DEFAULT '',"
	"  language TEXT NOT NULL DEFAULT 'pl',"
	"  access_code TEXT NOT NULL DEFAULT '',"
	"  token TEXT NOT NULL,"
	"  source TEXT NOT NULL DEFAULT 'web',"
	"  note TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL,"
	"  confirm_by INTEGER NOT NULL DEFAULT 0,"
	"  reminded_at INTEGER NOT NULL DEFAULT 0,"
	"  sequence INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX bookings_desk_time ON bookings(desk_id, start_at);"
	"CREATE INDEX bookings_time ON bookings(start_at);"
	"CREATE INDEX bookings_pending ON bookings(status, confirm_by);"
	"CREATE INDEX bookings_code ON bookings(day, access_code);"
	"CREATE INDEX bookings_phone ON bookings(phone);"
	"CREATE INDEX bookings_email ON bookings(email);"
	"CREATE TABLE booking_events ("
	"  id INTEGER PRIMARY KEY,"
	"  booking_id INTEGER NOT NULL REFERENCES bookings(id),"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  detail TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX booking_events_booking ON booking_events(booking_id);"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  booking_id INTEGER REFERENCES bookings(id),"
	"  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),"
	"  kind TEXT NOT NULL,"
	"  recipient TEXT NOT NULL,"
	"  message_id TEXT NOT NULL DEFAULT '',"
	"  payload BLOB NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'queued',"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  lease_until INTEGER NOT NULL DEFAULT 0,"
	"  sent_at INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT NOT NULL DEFAULT '',"
	"  provider_id TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX outbox_due ON outbox(channel, status, next_attempt_at);"
	"CREATE INDEX outbox_message_id ON outbox(message_id);"
	"CREATE INDEX outbox_booking ON outbox(booking_id, kind);"
	"CREATE TABLE inbox ("
	"  id INTEGER PRIMARY KEY,"
	"  channel TEXT NOT NULL,"
	"  dedup_key TEXT NOT NULL,"
	"  sender TEXT NOT NULL DEFAULT '',"
	"  raw BLOB NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'new',"
	"  booking_id INTEGER REFERENCES bookings(id),"
	"  verdict TEXT NOT NULL DEFAULT '',"
	"  note TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (channel, dedup_key));"
	"CREATE INDEX inbox_status ON inbox(status, id);"
	"CREATE INDEX inbox_booking ON inbox(booking_id);"
	"CREATE TABLE kv ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL);"
	"CREATE TABLE sms_optout ("
	"  phone TEXT PRIMARY KEY,"
	"  at INTEGER NOT NULL);"
	"CREATE TABLE operators ("
	"  id INTEGER PRIMARY KEY,"
	"  login TEXT NOT NULL UNIQUE,"
	"  display_name TEXT NOT NULL DEFAULT '',"
	"  role TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'reception')),"
	"  password_hash TEXT NOT NULL,"
	"  desk_id INTEGER REFERENCES desks(id),"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE sessions ("
	"  token_hash TEXT PRIMARY KEY,"
	"  operator_id INTEGER NOT NULL REFERENCES operators(id),"
	"  expires_at INTEGER NOT NULL);",

    /* 2: abuse limits. Keyed hashes of the client address and network of
     * a pending booking (erased when it stops being pending), and the
     * indexes the limits count with inside the booking transaction. */
    "ALTER TABLE bookings ADD COLUMN client_hash TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE bookings ADD COLUMN client_net TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX bookings_pending_client ON bookings(client_hash)"
    "  WHERE status = 'pending';"
    "CREATE INDEX bookings_pending_net ON bookings(client_net)"
    "  WHERE status = 'pending';"
    "CREATE INDEX bookings_service_day ON bookings(service_id, day, status);",

    /* 3: staff sign-in, API tokens, the audit log, the desk timestamps;
     * booking statuses CHECKed (a rebuild: SQLite cannot add a CHECK) */
    "CREATE TABLE bookings_new ("
    "  id INTEGER PRIMARY KEY,"
    "  reference TEXT NOT NULL UNIQUE,"
    "  service_id INTEGER NOT NULL REFERENCES services(id),"
    "  desk_id INTEGER NOT NULL REFERENCES desks(id),"
    "  start_at INTEGER NOT NULL,"
    "  end_at INTEGER NOT NULL,"
    "  day TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('pending', 'booked', 'waiting',"
    "    'called', 'in_service', 'done', 'no_show', 'cancelled', 'expired')),"
    "  first_name TEXT NOT NULL,"
    "  last_name TEXT NOT NULL,"
    "  email TEXT NOT NULL DEFAULT '',"
    "  phone TEXT NOT NULL DEFAULT '',"
    "  language TEXT NOT NULL DEFAULT 'pl',"
    "  access_code TEXT NOT NULL DEFAULT '',"
    "  token TEXT NOT NULL,"
    "  source TEXT NOT NULL DEFAULT 'web',"
    "  note TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  confirm_by INTEGER NOT NULL DEFAULT 0,"
    "  reminded_at INTEGER NOT NULL DEFAULT 0,"
    "  sequence INTEGER NOT NULL DEFAULT 0,"
    "  checked_in_at INTEGER NOT NULL DEFAULT 0," /* waiting since */
    "  called_at INTEGER NOT NULL DEFAULT 0,"
    "  started_at INTEGER NOT NULL DEFAULT 0," /* in_service since */
    "  ended_at INTEGER NOT NULL DEFAULT 0,"   /* reached a final status */
    "  client_hash TEXT NOT NULL DEFAULT '',"  /* migration 2 */
    "  client_net TEXT NOT NULL DEFAULT '');"
    "INSERT INTO bookings_new (id, reference, service_id, desk_id, start_at,"
    "  end_at, day, status, first_name, last_name, email, phone, language,"
    "  access_code, token, source, note, created_at, confirm_by, reminded_at,"
    "  sequence, client_hash, client_net)"
    " SELECT id, reference, service_id, desk_id, start_at, end_at, day, status,"
    "  first_name, last_name, email, phone, language, access_code, token,"
    "  source, note, created_at, confirm_by, reminded_at, sequence,"
    "  client_hash, client_net FROM bookings;"
    "DROP TABLE bookings;"
    "ALTER TABLE bookings_new RENAME TO bookings;"
    "CREATE INDEX bookings_desk_time ON bookings(desk_id, start_at);"
    "CREATE INDEX bookings_time ON bookings(start_at);"
    "CREATE INDEX bookings_pending ON bookings(status, confirm_by);"
    "CREATE INDEX bookings_code ON bookings(day, access_code);"
    "CREATE INDEX bookings_phone ON bookings(phone);"
    "CREATE INDEX bookings_email ON bookings(email);"
    "CREATE INDEX bookings_pending_client ON bookings(client_hash)"
    "  WHERE status = 'pending';"
    "CREATE INDEX bookings_pending_net ON bookings(client_net)"
    "  WHERE status = 'pending';"
    "CREATE INDEX bookings_service_day ON bookings(service_id, day, status);"
    "CREATE INDEX bookings_queue ON bookings(day, status, start_at);"
    "ALTER TABLE operators ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE sessions ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX sessions_operator ON sessions(operator_id);"
    "CREATE TABLE api_tokens ("
    "  id INTEGER PRIMARY KEY,"
    "  operator_id INTEGER NOT NULL REFERENCES operators(id),"
    "  token_hash TEXT NOT NULL UNIQUE," /* SHA-256 hex: never the token */
    "  created_at INTEGER NOT NULL,"
    "  last_used_at INTEGER NOT NULL DEFAULT 0,"
    "  revoked_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX api_tokens_operator ON api_tokens(operator_id);"
    /* failed sign-ins per login (hashed: a password typed into the login
     * field must not be stored), known logins or not, so a lockout says
     * nothing about whether the login exists */
    "CREATE TABLE login_failures ("
    "  login_hash TEXT PRIMARY KEY,"
    "  failures INTEGER NOT NULL,"
    "  first_at INTEGER NOT NULL,"
    "  locked_until INTEGER NOT NULL DEFAULT 0);"
    /* who did what to which booking, before → after: staff and admin
     * actions and sign-ins; never a password, a token or a citizen's
     * personal data, so it may outlive the bookings' personal data */
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  operator_id INTEGER REFERENCES operators(id),"
    "  login TEXT NOT NULL DEFAULT '',"
    "  role TEXT NOT NULL DEFAULT '',"
    "  channel TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  booking_id INTEGER REFERENCES bookings(id),"
    "  before TEXT NOT NULL DEFAULT '',"
    "  after TEXT NOT NULL DEFAULT '',"
    "  detail TEXT NOT NULL DEFAULT '',"
    "  address TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX audit_at ON audit(at);"
    "CREATE INDEX audit_operator ON audit(operator_id, at);"
    "CREATE INDEX audit_booking ON audit(booking_id, at);",

    /* 4: the office's structure edited by admins at run time (issue 13):
     * units and desks retire (never deleted with history); rooms get a
     * table (desks.room stays the room's name for display, kept in step by
     * store_room_update); which services a desk serves; weekly hours per
     * desk for all its services (service_id NULL) or one; per-service
     * rules (NULL / 0: the office's); holidays as the office keeps them;
     * bookings an admin kept outside changed hours; one-time links that
     * let an operator choose a password. */
    "ALTER TABLE units ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE services ADD COLUMN capacity INTEGER NOT NULL DEFAULT 0"
    "  CHECK (capacity BETWEEN 0 AND 100);" /* 0: the desk's */
    "ALTER TABLE services ADD COLUMN max_open_per_person INTEGER NOT NULL"
    "  DEFAULT 0 CHECK (max_open_per_person >= 0);"
    "ALTER TABLE services ADD COLUMN lead_time INTEGER;"      /* seconds */
    "ALTER TABLE services ADD COLUMN horizon INTEGER;"
    "ALTER TABLE services ADD COLUMN confirm_within INTEGER;"
    "ALTER TABLE services ADD COLUMN staff_only INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE rooms ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  retired INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO rooms (name) SELECT DISTINCT room FROM desks ORDER BY room;"
    "ALTER TABLE desks ADD COLUMN room_id INTEGER REFERENCES rooms(id);"
    "UPDATE desks SET room_id = (SELECT r.id FROM rooms r"
    "  WHERE r.name = desks.room);"
    "ALTER TABLE desks ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE desk_services ("
    "  desk_id INTEGER NOT NULL REFERENCES desks(id),"
    "  service_id INTEGER NOT NULL REFERENCES services(id),"
    "  PRIMARY KEY (desk_id, service_id));"
    "INSERT OR IGNORE INTO desk_services (desk_id, service_id)"
    "  SELECT desk_id, service_id FROM opening_hours;"
    "CREATE INDEX desk_services_service ON desk_services(service_id);"
    "CREATE TABLE opening_hours_new ("
    "  id INTEGER PRIMARY KEY,"
    "  desk_id INTEGER NOT NULL REFERENCES desks(id),"
    "  service_id INTEGER REFERENCES services(id)," /* NULL: all the desk's */
    "  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),"
    "  opens INTEGER NOT NULL,"
    "  closes INTEGER NOT NULL,"
    "  CHECK (0 <= opens AND opens < closes AND closes <= 1440));"
    "INSERT INTO opening_hours_new (id, desk_id, service_id, weekday, opens,"
    "  closes) SELECT id, desk_id, service_id, weekday, opens, closes"
    "  FROM opening_hours;"
    "DROP TABLE opening_hours;"
    "ALTER TABLE opening_hours_new RENAME TO opening_hours;"
    "CREATE INDEX opening_hours_service ON opening_hours(service_id, weekday);"
    "CREATE INDEX opening_hours_desk ON opening_hours(desk_id, weekday);"
    /* closed 1: the office is closed that day (an extra day off); 0: open
     * on a statutory holiday (lib/holiday.c) with the weekday's hours */
    "CREATE TABLE holidays ("
    "  day TEXT PRIMARY KEY,"
    "  closed INTEGER NOT NULL CHECK (closed IN (0, 1)),"
    "  name TEXT NOT NULL DEFAULT '');"
    /* kept at start_at: moving the booking ends the exception */
    "CREATE TABLE bookings_kept ("
    "  booking_id INTEGER PRIMARY KEY REFERENCES bookings(id),"
    "  start_at INTEGER NOT NULL,"
    "  at INTEGER NOT NULL);"
    "CREATE TABLE password_links ("
    "  token_hash TEXT PRIMARY KEY," /* SHA-256 hex: never the link's token */
    "  operator_id INTEGER NOT NULL REFERENCES operators(id),"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL);"
    "CREATE INDEX password_links_operator ON password_links(operator_id);",

    /* 5: the live delay notices: the last step of delay the citizen was
     * told of and the delay it gave (lib/delay.h), reset by a move */
    "ALTER TABLE bookings ADD COLUMN delay_step INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE bookings ADD COLUMN delay_notified INTEGER NOT NULL"
    "  DEFAULT 0;",

    /* 6: reception and reports. queued_at: since when a person refused at
     * the door of a full building waits outside (0 = not queued), queue_seq
     * their place in that day's queue (arrivals within one second keep
     * their order; lib/reception.h).
     * bookings_report covers the reports' one scan (lib/report.h): the
     * visit's day, service, desk, status and desk times, none of them
     * personal data, so the figures survive the erasure of names. */
    "ALTER TABLE bookings ADD COLUMN queued_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE bookings ADD COLUMN queue_seq INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX bookings_queued ON bookings(queued_at) WHERE queued_at > 0;"
    "CREATE INDEX bookings_report ON bookings(day, service_id, desk_id,"
    "  status, start_at, checked_in_at, called_at, started_at, ended_at);",

    /* 7: the rules admins tune at run time (issue 13, lib/settings.h):
     * one row per setting an admin changed (the file gives the rest), and
     * the settings generation, bumped in every transaction that changes
     * them, which the daemons watch to reload (the change token, store.h);
     * an operator's own contact, where admins' test messages go */
    "CREATE TABLE settings ("
    "  name TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL,"
    "  changed_at INTEGER NOT NULL,"
    "  changed_by TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE settings_generation ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  generation INTEGER NOT NULL);"
    "INSERT INTO settings_generation (id, generation) VALUES (1, 0);"
    "ALTER TABLE operators ADD COLUMN email TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE operators ADD COLUMN phone TEXT NOT NULL DEFAULT '';",

    /* 8: the waitlist of a full day (issue 16, lib/waitlist.h). One row
     * per person in line for a service on a day, in an optional window
     * [window_from, window_to) of minutes. Its offer is a pending booking
     * of source 'waitlist' (booking_id: the current or last one), so the
     * held place counts as taken wherever places are counted.
     *
     * PERSONAL DATA: first_name, last_name, email and phone (and the
     * messages of outbox.waitlist_id) are a citizen's: [privacy]
     * retain_days must erase them like a booking's, counted from `day`
     * (store_waitlist_purge_before does it; erased_at says when). What
     * the figures read (service, day, status, offers, times) stays.
     *
     * Two unique indexes decide in the database that one e-mail or phone
     * stands in one line once, and one more that a person holds at most
     * one open offer at a time (the gateway offers in turns). */
    "ALTER TABLE services ADD COLUMN waitlist INTEGER NOT NULL DEFAULT 1;"
    "CREATE TABLE waitlist ("
    "  id INTEGER PRIMARY KEY,"
    "  reference TEXT NOT NULL UNIQUE,"
    "  token TEXT NOT NULL,"
    "  service_id INTEGER NOT NULL REFERENCES services(id),"
    "  day TEXT NOT NULL,"
    "  window_from INTEGER NOT NULL DEFAULT 0,"
    "  window_to INTEGER NOT NULL DEFAULT 1440,"
    "  status TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting',"
    "    'offered', 'booked', 'declined', 'lapsed', 'left', 'ended',"
    "    'superseded')),"
    "  first_name TEXT NOT NULL,"
    "  last_name TEXT NOT NULL,"
    "  email TEXT NOT NULL DEFAULT '',"
    "  phone TEXT NOT NULL DEFAULT '',"
    "  language TEXT NOT NULL DEFAULT 'pl',"
    "  source TEXT NOT NULL DEFAULT 'web',"
    "  client_hash TEXT NOT NULL DEFAULT '',"
    "  booking_id INTEGER REFERENCES bookings(id),"
    "  offers INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  ended_at INTEGER NOT NULL DEFAULT 0,"
    "  erased_at INTEGER NOT NULL DEFAULT 0,"
    "  CHECK (0 <= window_from AND window_from < window_to"
    "    AND window_to <= 1440));"
    "CREATE INDEX waitlist_line ON waitlist(service_id, day, status, id);"
    "CREATE INDEX waitlist_day ON waitlist(day, status);"
    "CREATE INDEX waitlist_offer ON waitlist(booking_id);"
    "CREATE INDEX waitlist_phone ON waitlist(phone);"
    "CREATE INDEX waitlist_email ON waitlist(email COLLATE NOCASE);"
    "CREATE INDEX waitlist_client ON waitlist(client_hash)"
    "  WHERE status IN ('waiting', 'offered');"
    "CREATE UNIQUE INDEX waitlist_once_email ON waitlist(service_id, day,"
    "  email COLLATE NOCASE)"
    "  WHERE email <> '' AND status IN ('waiting', 'offered');"
    "CREATE UNIQUE INDEX waitlist_once_phone ON waitlist(service_id, day,"
    "  phone) WHERE phone <> '' AND status IN ('waiting', 'offered');"
    "CREATE UNIQUE INDEX bookings_offer_email ON bookings(email COLLATE"
    "  NOCASE) WHERE source = 'waitlist' AND status = 'pending'"
    "  AND email <> '';"
    "CREATE UNIQUE INDEX bookings_offer_phone ON bookings(phone)"
    "  WHERE source = 'waitlist' AND status = 'pending' AND phone <> '';"
    "ALTER TABLE outbox ADD COLUMN waitlist_id INTEGER"
    "  REFERENCES waitlist(id);"
    "CREATE INDEX outbox_waitlist ON outbox(waitlist_id)"
    "  WHERE waitlist_id IS NOT NULL;"
    /* an offer taken (TAK) is a freed place re-filled: the visits report
     * counts it (refilled) and leaves out the offers never taken, still
     * reading only its covering index (lib/report.h) */
    "ALTER TABLE bookings ADD COLUMN offer_taken INTEGER NOT NULL DEFAULT 0;"
    "DROP INDEX bookings_report;"
    "CREATE INDEX bookings_report ON bookings(day, service_id, desk_id,"
    "  status, start_at, checked_in_at, called_at, started_at, ended_at,"
    "  source, offer_taken);",

    /* 9: the register and each booking's conversation. Folded names
     * (lib/fold.h; wizyta_fold() is the store's own SQL function) and the
     * indexes a register search at 100k bookings stands on: a name
     * prefix, an access code, an e-mail prefix (any case), a status over
     * a date range — each one index range, ordered by time. A move by the
     * office asks the citizen to keep it (TAK) or cancel it (NIE): its
     * answer. What we said in each message (for staff: the text part of
     * an e-mail with its subject, an SMS as sent), which message a
     * fallback replaced, and the citizen's own words of a reply (after
     * quotes and signatures were cut: never the raw mail). */
    "ALTER TABLE bookings ADD COLUMN first_fold TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE bookings ADD COLUMN last_fold TEXT NOT NULL DEFAULT '';"
    "UPDATE bookings SET first_fold = wizyta_fold(first_name),"
    "  last_fold = wizyta_fold(last_name);"
    "ALTER TABLE bookings ADD COLUMN moved_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE bookings ADD COLUMN move_answer TEXT NOT NULL DEFAULT ''"
    "  CHECK (move_answer IN ('', 'asked', 'kept', 'declined'));"
    "CREATE INDEX bookings_first_fold ON bookings(first_fold);"
    "CREATE INDEX bookings_last_fold ON bookings(last_fold);"
    "CREATE INDEX bookings_access_code ON bookings(access_code);"
    "CREATE INDEX bookings_email_nocase ON bookings(email COLLATE NOCASE);"
    "CREATE INDEX bookings_status_time ON bookings(status, start_at);"
    "ALTER TABLE outbox ADD COLUMN text TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE outbox ADD COLUMN fallback_of INTEGER NOT NULL DEFAULT 0;"
    /* the newest booking event when the message was written (the one that
     * caused it: same transaction), to tell the conversation's order
     * within one second */
    "ALTER TABLE outbox ADD COLUMN after_event INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE inbox ADD COLUMN words TEXT NOT NULL DEFAULT '';",

    /* 10: personal data erased after [privacy] retain_days (lib/retention.h):
     * when a booking's name, contacts and messages went (0 = still held);
     * the purge reads only the bookings not yet erased */
    "ALTER TABLE bookings ADD COLUMN erased_at INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX bookings_unerased ON bookings(end_at) WHERE erased_at = 0;",

    /* 11: PostgreSQL's notifications name the schema they come from
     * (store_pg_schema.h 11); nothing changes here, the version stays the
     * same on both backends */
    "",
};

#endif
