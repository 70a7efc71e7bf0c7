-- Deadlines in calendar or business days, per body; business days skip weekends and the public
-- holidays below (admin-managed: the dates of Muslim feasts are set each year by decree).
ALTER TABLE bodies ADD COLUMN deadline_unit TEXT NOT NULL DEFAULT 'calendar' CHECK (deadline_unit IN ('calendar', 'business'));

CREATE TABLE holidays (
  day   TEXT PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 120)
);

-- When the current step is at twice its deadline (escalation), counted like the deadline itself.
ALTER TABLE requests ADD COLUMN escalate_at INTEGER;
UPDATE requests SET escalate_at = due_at + (
  SELECT CASE requests.stage WHEN 'awaiting_triage' THEN b.triage_days ELSE b.treatment_days END * 86400000
  FROM bodies b WHERE b.id = requests.body_id)
WHERE due_at IS NOT NULL;

-- The treatment deadline the body had when it last received the request, kept after treatment so
-- «treated within the deadline» can be counted later.
ALTER TABLE requests ADD COLUMN treatment_due_at INTEGER;
UPDATE requests SET treatment_due_at = due_at WHERE stage = 'in_treatment';
