// Bulk requests for benchmarks, generated inside SQLite (a recursive CTE), so a million rows take
// seconds: codes 10000000 + i, emails bench<i>@example.ci, spread over `days` days before `now`,
// at every stage, with history events for the triaged ones.
import { sql } from '../../tests/support/worker.mjs';

const DAY = 86_400_000;

export const codeOf = (i) => String(10_000_000 + i);
export const emailOf = (i) => `bench${i}@example.ci`;

export async function seedRequests(dir, count, { days = 90, now = Date.now(), chunk = 250_000 } = {}) {
  for (let from = 0; from < count; from += chunk) {
    const to = Math.min(count, from + chunk);
    await sql(dir, `WITH RECURSIVE n(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${to})
      INSERT INTO requests (code, body_id, nature, theme_id, place_id, message, country, phone, email, channel, stage,
                            created_at, updated_at, treated_at, verdict, due_at, escalate_at, treatment_due_at, closed_at)
      SELECT 10000000 + i, 1 + i % 10, CASE i % 3 WHEN 0 THEN 'reclamation' WHEN 1 THEN 'suggestion' ELSE 'observation' END,
             NULL, 1 + i % 100, 'Message de banc d''essai numéro ' || i || ', assez long pour ressembler à une vraie requête.',
             'CI', '+22507' || (10000000 + i), 'bench' || i || '@example.ci', 'web',
             CASE i % 7 WHEN 0 THEN 'awaiting_triage' WHEN 1 THEN 'in_treatment' WHEN 2 THEN 'treated' WHEN 3 THEN 'closed'
                        WHEN 4 THEN 'forwarded' WHEN 5 THEN 'returned' ELSE 'closed_without_verdict' END,
             ${now} - (i % ${days}) * ${DAY} - (i % 86400) * 1000, ${now} - (i % ${days}) * ${DAY},
             CASE WHEN i % 7 IN (2, 3, 6) THEN ${now} - (i % ${days}) * ${DAY} + (i % 20) * ${DAY} / 2 END,
             CASE WHEN i % 7 = 3 THEN CASE i % 3 WHEN 0 THEN 'satisfied' WHEN 1 THEN 'partly_satisfied' ELSE 'not_satisfied' END END,
             CASE WHEN i % 7 IN (0, 1) THEN ${now} - (i % ${days}) * ${DAY} + 15 * ${DAY} END,
             CASE WHEN i % 7 IN (0, 1) THEN ${now} - (i % ${days}) * ${DAY} + 30 * ${DAY} END,
             CASE WHEN i % 7 IN (1, 2, 3, 6) THEN ${now} - (i % ${days}) * ${DAY} + 60 * ${DAY} END,
             CASE WHEN i % 7 IN (3, 6) THEN ${now} - (i % ${days}) * ${DAY} + 20 * ${DAY} END
      FROM n`);
    await sql(dir, `INSERT INTO request_events (request_id, at, event, actor_role, to_stage, visible_to_citizen)
      SELECT id, created_at + (id % 5) * ${DAY}, CASE nature WHEN 'reclamation' THEN 'validated' ELSE 'forwarded' END, 'analyst', stage, 1
      FROM requests WHERE id > (SELECT coalesce(max(request_id), 0) FROM request_events) AND stage NOT IN ('awaiting_triage', 'returned')`);
  }
}
