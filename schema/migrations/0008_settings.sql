-- Settings admins change at run time: which channels carry notifications to citizens.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('notify_email', '1'), ('notify_sms', '1');
