-- Issue 32: statements that walked a table grown with history, found by `make bench`'s plans
-- (scripts/bench/plans.py). Closing a staff account voids its unused sign-in links: by index.
CREATE INDEX sign_in_tokens_staff ON sign_in_tokens (staff_id) WHERE used_at IS NULL;
